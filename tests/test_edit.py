"""The edit layer: only the bytes of edited values change; writes are atomic and refuse
concurrent changes; a map that would no longer load is never written."""

from __future__ import annotations

from pathlib import Path

import pytest

from refmap.edit import MapEditor, double_quoted, render_scalar
from refmap.errors import SchemaError, WriteError
from refmap.yamlio import compose

MAP = """\
# a comment that must survive
version: 1
essay:
  path: essay.txt   # trailing comment
sources: {}
claims:
  - id: plain
    quote: The treaty was signed in Geneva
    kind: event
    status: unverified
    note: 'single-quoted, it''s kept'

  - id: flow
    quote: "double \\"quoted\\" text"
    kind: event
    status: unverified
    note: x
  - {id: flowmap, quote: inline, kind: opinion}
"""


@pytest.fixture
def map_file(tmp_path: Path) -> Path:
    (tmp_path / "essay.txt").write_text("irrelevant", "utf-8")
    path = tmp_path / "claims.yaml"
    path.write_text(MAP, "utf-8")
    return path


def test_no_edit_leaves_file_byte_identical(map_file: Path):
    before = map_file.read_bytes()
    editor = MapEditor(map_file)
    editor.set_claim_field(0, "quote", "The treaty was signed in Geneva")  # same value
    assert editor.save() is False
    assert map_file.read_bytes() == before


def test_edit_changes_only_the_value(map_file: Path):
    editor = MapEditor(map_file)
    editor.set_claim_field(0, "quote", "The treaty was signed in Vienna")
    assert editor.save() is True
    assert map_file.read_text("utf-8") == MAP.replace("signed in Geneva", "signed in Vienna")


def test_styles_are_kept_where_they_can_hold_the_value(map_file: Path):
    editor = MapEditor(map_file)
    editor.set_claim_field(0, "note", "it's still single")
    editor.set_claim_field(1, "quote", 'now "different"')
    editor.save()
    text = map_file.read_text("utf-8")
    assert "note: 'it''s still single'\n" in text
    assert 'quote: "now \\"different\\""\n' in text
    assert text.startswith("# a comment that must survive\n")
    assert "path: essay.txt   # trailing comment\n" in text


@pytest.mark.parametrize("value", [
    "yes", "no", "null", "~", "", " padded ", "key: value", "# hash", "- dash", "a\nb",
    "ends with colon:", "tab\there", "quote's", '"', "\\", "détente — “big”", "- [x]",
])
def test_any_value_round_trips_through_the_editor(value: str, map_file: Path):
    editor = MapEditor(map_file)
    editor.set_claim_field(0, "note", value)
    editor.set_claim_field(2, "id", "flowmap")  # untouched flow mapping stays as it is
    new = editor.validate()
    root = compose(new, "claims.yaml")
    claim = root.value[3][1].value[0]
    note = dict((k.value, v) for k, v in claim.value)["note"]
    assert note.value == value


def test_plain_scalar_stays_plain_when_safe():
    node = compose("a: plain text\n", "x").value[0][1]
    assert render_scalar("other plain text", node) == "other plain text"
    assert render_scalar("yes", node) == '"yes"'
    assert double_quoted("tab\t\u2028") == '"tab\\t\\u2028"'


def test_missing_key_is_added_after_quote(map_file: Path):
    editor = MapEditor(map_file)
    editor.set_claim_field(0, "prefix", "Officials said")
    editor.save()
    assert "    quote: The treaty was signed in Geneva\n    prefix: Officials said\n" in map_file.read_text("utf-8")


def test_refuses_when_file_changed_since_read(map_file: Path):
    editor = MapEditor(map_file)
    editor.set_claim_field(0, "quote", "The treaty was signed in Vienna")
    changed = MAP.replace("# a comment", "# another process edited this comment")
    map_file.write_text(changed, "utf-8")
    with pytest.raises(WriteError, match="changed on disk since it was read"):
        editor.save()
    assert map_file.read_text("utf-8") == changed
    assert [p.name for p in map_file.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_edit_that_breaks_the_map_is_not_written(map_file: Path):
    editor = MapEditor(map_file)
    editor.set_claim_field(0, "kind", "not-a-kind")
    with pytest.raises(SchemaError):
        editor.save()
    assert map_file.read_text("utf-8") == MAP


def test_diff_shows_the_edit_and_writes_nothing(map_file: Path):
    editor = MapEditor(map_file)
    editor.set_claim_field(0, "quote", "The treaty was signed in Vienna")
    diff = editor.diff()
    assert "-    quote: The treaty was signed in Geneva\n" in diff
    assert "+    quote: The treaty was signed in Vienna\n" in diff
    assert map_file.read_text("utf-8") == MAP


def test_byte_order_mark_and_crlf_survive(tmp_path: Path):
    (tmp_path / "essay.txt").write_text("x", "utf-8")
    path = tmp_path / "claims.yaml"
    body = MAP.replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    editor = MapEditor(path)
    editor.set_claim_field(0, "quote", "The treaty was signed in Vienna")
    editor.save()
    assert path.read_bytes() == b"\xef\xbb\xbf" + body.replace("Geneva", "Vienna").encode("utf-8")
