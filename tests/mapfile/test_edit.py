"""The edit layer: only the bytes of edited values change; writes are atomic and refuse
concurrent changes; a map that would no longer load is never written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import examples

from refmap.mapfile.editor import MapEditor, double_quoted, render_scalar
from refmap.errors import SchemaError, WriteError
from refmap.mapfile.yamlio import compose

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


# -- insertions: new sources, claims, citations and fields ---------------------------------

import difflib  # noqa: E402

from refmap.mapfile.schema import build_map  # noqa: E402

BASE = """\
version: 1
essay:
  path: essay.txt
"""


def edited(tmp_path: Path, text: str, edit, newline: str = "\n") -> str:
    """Write a map, apply edit(editor), save, and return the saved text."""
    (tmp_path / "essay.txt").write_text("irrelevant", "utf-8")
    path = tmp_path / "claims.yaml"
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    editor = MapEditor(path)
    edit(editor)
    assert editor.save() is True
    return path.read_bytes().decode("utf-8")


def only_added(before: str, after: str) -> list[str]:
    """The lines after has that before has not; fails if any line of before changed."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    added = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        assert tag in ("equal", "insert"), (tag, old[i1:i2], new[j1:j2])
        if tag == "insert":
            added += new[j1:j2]
    return added


SOURCE = {"type": "article", "title": "Time for a deal, again", "date": "2019-06",
          "authors": [{"family": "Fuchs", "given": "Michael"}, {"literal": "CAP, Inc."}],
          "url": "https://example.org/a", "tags": ["korea", "talks"]}


def test_add_source_to_the_bundled_map_adds_lines_only(bundled: Path):
    before = (bundled / "claims.yaml").read_text("utf-8")
    editor = MapEditor(bundled / "claims.yaml")
    editor.add_source("fuchs2019time", SOURCE)
    editor.save()
    after = (bundled / "claims.yaml").read_text("utf-8")
    assert "".join(only_added(before, after)) == (
        "  fuchs2019time:\n"
        "    type: article\n"
        '    title: "Time for a deal, again"\n'
        "    authors:\n"
        "      - {family: Fuchs, given: Michael}\n"
        '      - {literal: "CAP, Inc."}\n'
        "    date: 2019-06\n"
        '    url: "https://example.org/a"\n'
        "    tags:\n"
        "      - korea\n"
        "      - talks\n"
        "\n"
    )
    assert after.index("  fuchs2019time:\n") < after.index("\nclaims:\n")


SORTED = BASE + """\
sources:
  # the first source
  alpha2001:
    type: book
    title: Alpha
  # the last source
  omega2020:
    type: book
    title: Omega   # kept
claims: []
"""


def test_source_lands_in_key_order_above_the_next_entry_comment(tmp_path: Path):
    new = edited(tmp_path, SORTED, lambda e: e.add_source("mid2010", {"title": "Mid", "type": "book"}))
    assert new == SORTED.replace("  # the last source\n",
                                 "  mid2010:\n    type: book\n    title: Mid\n  # the last source\n")


def test_sources_in_every_empty_state(tmp_path: Path):
    add = lambda e: e.add_source("a2001", {"type": "book", "title": "A"})  # noqa: E731
    block = "sources:\n  a2001:\n    type: book\n    title: A\n"
    assert edited(tmp_path, BASE + "claims: []\n", add) == BASE + block + "claims: []\n"
    assert edited(tmp_path, BASE + "sources: {}\nclaims: []\n", add) == BASE + block + "claims: []\n"
    assert edited(tmp_path, BASE + "sources:\nclaims: []\n", add) == BASE + block + "claims: []\n"
    assert edited(tmp_path, BASE + "sources: ~  # none yet\nclaims: []\n", add) == (
        BASE + "sources:  # none yet\n  a2001:\n    type: book\n    title: A\nclaims: []\n")
    assert edited(tmp_path, BASE + "sources: {b: {type: book, title: B}}\nclaims: []\n", add) == (
        BASE + "sources: {a2001: {type: book, title: A}, b: {type: book, title: B}}\nclaims: []\n")


CLAIMS = BASE + """\
sources:
  s1: {type: book, title: S}
claims:
  - id: c1
    quote: one
    kind: event   # a comment

  - {id: c2, quote: two, kind: event}
"""


def test_citations_follow_block_and_flow_claims(tmp_path: Path):
    def cite(editor: MapEditor) -> None:
        editor.add_citation(0, "s1", "An excerpt, with: colon", "p. 3")
        editor.add_citation(1, "s1", "a, b [c] {d}", None)

    new = edited(tmp_path, CLAIMS, cite)
    assert new == CLAIMS.replace(
        "kind: event   # a comment\n",
        'kind: event   # a comment\n    citations:\n      - source: s1\n        locator: p. 3\n'
        '        excerpt: "An excerpt, with: colon"\n',
    ).replace("kind: event}", 'kind: event, citations: [{source: s1, excerpt: "a, b [c] {d}"}]}')
    claims = build_map(compose(new, "m"), "m").claims
    assert [(c.source, c.excerpt, c.locator) for c in claims[1].citations] == [
        ("s1", "a, b [c] {d}", None)]


def test_citation_into_empty_and_existing_lists(tmp_path: Path):
    text = CLAIMS.replace("kind: event   # a comment\n",
                          "kind: event   # a comment\n    citations: []\n")
    new = edited(tmp_path, text, lambda e: e.add_citation(0, "s1", None, None))
    assert "    citations:\n      - source: s1\n\n" in new
    again = edited(tmp_path, new, lambda e: e.add_citation(0, "s1", "more", "p. 1"))
    assert only_added(new, again) == [
        "      - source: s1\n", "        locator: p. 1\n", "        excerpt: more\n"]


def test_insert_claim_in_place_with_blank_lines_kept(tmp_path: Path):
    fields = {"kind": "event", "quote": "between", "id": "c1b",
              "citations": [{"source": "s1", "excerpt": "x"}]}
    new = edited(tmp_path, CLAIMS, lambda e: e.insert_claim(1, fields))
    assert only_added(CLAIMS, new) == [
        "  - id: c1b\n", "    quote: between\n", "    kind: event\n", "    citations:\n",
        "      - source: s1\n", "        excerpt: x\n", "\n"]
    assert new.index("id: c1b") < new.index("{id: c2")
    last = edited(tmp_path, new, lambda e: e.insert_claim(3, {"id": "c3", "quote": "q", "kind": "event"}))
    assert last == new + "\n  - id: c3\n    quote: q\n    kind: event\n"


def test_claims_in_every_empty_state(tmp_path: Path):
    def add(editor: MapEditor) -> None:
        editor.insert_claim(0, {"id": "c1", "quote": "q", "kind": "event"})
        editor.add_citation(0, "s1", "e", None)

    head = BASE + "sources:\n  s1: {type: book, title: S}\n"
    block = "claims:\n  - id: c1\n    quote: q\n    kind: event\n    citations:\n      - source: s1\n        excerpt: e\n"
    assert edited(tmp_path, head, add) == head + block
    assert edited(tmp_path, head + "claims: []\n", add) == head + block
    assert edited(tmp_path, head + "claims:\n", add) == head + block
    assert edited(tmp_path, head + "claims: [{id: c0, quote: p, kind: event}]\n", add) == (
        head + "claims: [{id: c1, quote: q, kind: event, citations: [{source: s1, excerpt: e}]}, "
        "{id: c0, quote: p, kind: event}]\n")


def test_flow_style_claim_items_stay_flow(tmp_path: Path):
    text = BASE + "sources: {}\nclaims:\n- {id: c1, quote: one, kind: event}\n"
    new = edited(tmp_path, text, lambda e: e.insert_claim(1, {"id": "c2", "quote": "a, b", "kind": "event"}))
    assert new == text + '- {id: c2, quote: "a, b", kind: event}\n'


def test_set_source_field_sets_or_adds_in_format_order(tmp_path: Path):
    text = BASE + 'sources:\n  s1:\n    type: online\n    title: "S"\n    url: "http://a"\n    note: "n"\nclaims: []\n'

    def refresh(editor: MapEditor) -> None:
        editor.set_source_field("s1", "url", "https://b")
        editor.set_source_field("s1", "accessed", "2026-11-25")
        editor.set_source_field("s1", "archive", "https://web.archive.org/x")

    assert edited(tmp_path, text, refresh) == text.replace(
        '    url: "http://a"\n',
        '    url: "https://b"\n    accessed: "2026-11-25"\n    archive: "https://web.archive.org/x"\n')
    flow = BASE + "sources:\n  s1: {type: online, title: S, url: http://a}\nclaims: []\n"
    assert edited(tmp_path, flow, refresh) == flow.replace(
        "url: http://a}", 'url: "https://b", accessed: 2026-11-25, archive: "https://web.archive.org/x"}')


def test_insertions_keep_crlf_bom_and_comments(tmp_path: Path):
    (tmp_path / "essay.txt").write_text("x", "utf-8")
    path = tmp_path / "claims.yaml"
    body = "# top comment\n" + CLAIMS
    path.write_bytes(b"\xef\xbb\xbf" + body.replace("\n", "\r\n").encode("utf-8"))
    editor = MapEditor(path)
    editor.add_source("s2", {"type": "book", "title": "T"})
    editor.add_citation(0, "s2", None, "ch. 2")
    editor.insert_claim(2, {"id": "c3", "quote": "q", "kind": "event"})
    editor.set_claim_field(0, "note", "a note")
    editor.save()
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# top comment\r\n")
    text = data[3:].decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    assert only_added(body, text.replace("\r\n", "\n")) == [
        "\n", "  s2: {type: book, title: T}\n", "    note: a note\n", "    citations:\n",
        "      - source: s2\n", "        locator: ch. 2\n", "\n", "  - id: c3\n",
        "    quote: q\n", "    kind: event\n"]


def test_adding_an_existing_source_is_refused(map_file: Path):
    editor = MapEditor(map_file)
    editor.add_source("new2020", {"type": "book", "title": "N"})
    with pytest.raises(SchemaError, match="source 'new2020' is already in the map"):
        editor.add_source("new2020", {"type": "book", "title": "N"})


def test_editor_from_bytes_already_read_refuses_a_replaced_map(map_file: Path):
    data = map_file.read_bytes()
    map_file.write_text(MAP.replace("Geneva", "Bern"), "utf-8")  # replaced after the load
    editor = MapEditor.from_bytes(map_file, data)
    editor.set_claim_field(0, "quote", "The treaty was signed in Vienna")
    with pytest.raises(WriteError, match="changed on disk since it was read; nothing written, run again"):
        editor.save()
    assert map_file.read_text("utf-8") == MAP.replace("Geneva", "Bern")


# -- values in context ---------------------------------------------------------------------


def test_flow_values_are_never_plain_with_flow_indicators(map_file: Path):
    editor = MapEditor(map_file)
    editor.set_claim_field(2, "quote", "a, b: c [d] {e}")
    editor.set_claim_field(2, "note", "plain here")
    editor.save()
    text = map_file.read_text("utf-8")
    assert '  - {id: flowmap, quote: "a, b: c [d] {e}", note: plain here, kind: opinion}\n' in text


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("header", ["|", ">", "|-", ">+"])
def test_block_scalars_are_replaced_whole(tmp_path: Path, newline: str, header: str):
    text = BASE + f"sources: {{}}\nclaims:\n  - id: c1\n    quote: {header}\n      line one\n      line two\n\n    kind: event\n"
    new = edited(tmp_path, text, lambda e: e.set_claim_field(0, "quote", "new quote"), newline)
    assert new == text.replace(f"{header}\n      line one\n      line two\n", "\"new quote\"\n").replace("\n", newline)


def test_control_and_separator_characters_are_escaped():
    assert double_quoted("a\x1b[2J\x85\x9f\u2028\u2029\ufeff\ufffe\uffff\x00") == (
        '"a\\x1b[2J\\x85\\x9f\\u2028\\u2029\\ufeff\\ufffe\\uffff\\0"')
    node = compose("a: plain\n", "x").value[0][1]
    assert render_scalar("bell\x07", node) == '"bell\\x07"'
    assert render_scalar("next\x85line", node) == '"next\\x85line"'


# -- property: any value, any map layout, reads back exactly --------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

ORIGINAL_QUOTES = {
    "plain": "The treaty was signed",
    "single": "'it''s signed'",
    "double": '"signed, \\"quoted\\""',
    "literal": "|\n      signed in\n      two lines\n",
}


SOURCE_SECTIONS = [
    [], ["sources: {}"], ["sources:"], ["sources: ~  # none"],
    ["sources:", "  a1: {type: book, title: A}", "", "  z9:", "    type: book", '    title: "Z"'],
    ["sources:", "  z9: {type: book, title: Z}", "  a1:", "    type: book", "    title: |", "      A"],
    ["sources: {a1: {type: book, title: A},", "  z9: {type: book, title: Z}}"],
    ["", "# sources below", "sources:", "    a1:", "        type: book", "        title: 'A'", ""],
]


@st.composite
def random_maps(draw: st.DrawFn) -> tuple[str, int]:
    """A map text (block and flow claims, comments, either line ending) and its claim count."""
    sources = draw(st.sampled_from(SOURCE_SECTIONS))
    lines = ["# map comment", "version: 1", "essay:", "  path: essay.txt  # essay", *sources,
             "claims:"]
    count = draw(st.integers(1, 4))
    for i in range(count):
        if draw(st.booleans()):
            style = draw(st.sampled_from(["plain", "single", "double"]))
            quote = ORIGINAL_QUOTES[style]
            lines.append(f"  - {{id: c{i}, quote: {quote}, kind: event}}  # flow {i}")
        else:
            style = draw(st.sampled_from(sorted(ORIGINAL_QUOTES)))
            quote = ORIGINAL_QUOTES[style]
            lines += [f"  - id: c{i}", *f"    quote: {quote}".rstrip("\n").split("\n")]
            if style != "literal":
                lines[-1] += "   # quote comment"
            lines += ["    kind: event", "    # after"]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(lines) + newline, count


def quotes_of(text: str) -> list[str]:
    claims = dict((k.value, v) for k, v in compose(text, "m").value)["claims"]
    return [dict((k.value, v) for k, v in c.value)["quote"].value for c in claims.value]


@settings(max_examples=examples(150), deadline=None)
@given(random_maps(), st.data())
def test_any_quote_in_any_layout_reads_back_exactly(tmp_path_factory, layout, data):
    text, count = layout
    path = tmp_path_factory.mktemp("m") / "claims.yaml"
    path.write_bytes(text.encode("utf-8"))
    before = quotes_of(text)
    values = {i: data.draw(st.text(), label=f"quote {i}")
              for i in data.draw(st.sets(st.integers(0, count - 1), min_size=1))}
    editor = MapEditor(path)
    for index, value in values.items():
        editor.set_claim_field(index, "quote", value)
    new = editor.result()
    assert quotes_of(new) == [values.get(i, before[i]) for i in range(count)]
    assert new.count("#") - text.count("#") == sum(v.count("#") for v in values.values())
    if "\r\n" in text:
        assert new.count("\n") == new.count("\r\n")
    else:
        assert "\r" not in new


def plain_data(node):
    """A composed node as plain Python (every scalar as its text)."""
    if isinstance(node, ScalarNode):
        return node.value
    if isinstance(node, SequenceNode):
        return [plain_data(item) for item in node.value]
    return {k.value: plain_data(v) for k, v in node.value}


from refmap.mapfile.yamlio import ScalarNode, SequenceNode  # noqa: E402

TEXT = st.text(min_size=1)
NAMES = st.lists(st.one_of(st.fixed_dictionaries({"family": TEXT, "given": TEXT}),
                           st.fixed_dictionaries({"literal": TEXT})), min_size=1, max_size=2)


@settings(max_examples=examples(100), deadline=None)
@given(random_maps(), st.data())
def test_inserted_entries_read_back_exactly(tmp_path_factory, layout, data):
    text, count = layout
    path = tmp_path_factory.mktemp("m") / "claims.yaml"
    path.write_bytes(text.encode("utf-8"))
    source = {"type": "book", "title": data.draw(TEXT), "authors": data.draw(NAMES),
              "tags": data.draw(st.lists(TEXT, max_size=2))}
    claim = {"id": "new", "quote": data.draw(TEXT), "kind": "event"}
    at = data.draw(st.integers(0, count))
    excerpt, locator = data.draw(st.one_of(st.none(), TEXT)), data.draw(st.one_of(st.none(), TEXT))
    editor = MapEditor(path)
    editor.add_source("s1", source)
    editor.insert_claim(at, claim)
    editor.add_citation(at, "s1", excerpt, locator)
    other = 0 if at else 1  # an original claim, wherever the new one went
    editor.add_citation(other, "s1", excerpt, None)
    new = editor.result()
    old_data, new_data = plain_data(compose(text, "m")), plain_data(compose(new, "m"))
    old_sources = old_data.get("sources")
    old_sources = old_sources if isinstance(old_sources, dict) else {}  # missing, null or ~
    assert new_data["sources"] == {**old_sources, "s1": source}
    assert list(new_data["sources"]) == (
        sorted([*old_sources, "s1"]) if list(old_sources) == sorted(old_sources) else [*old_sources, "s1"])
    citation = {"source": "s1", **({"locator": locator} if locator is not None else {}),
                **({"excerpt": excerpt} if excerpt is not None else {})}
    assert new_data["claims"][at] == {**claim, "citations": [citation]}
    assert new_data["claims"][other]["citations"] == [
        {"source": "s1", **({"excerpt": excerpt} if excerpt is not None else {})}]
    del new_data["claims"][at]
    del new_data["claims"][other - (other > at)]["citations"]
    assert new_data["claims"] == old_data["claims"]


def test_symlinked_map_is_edited_through_the_link(tmp_path: Path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "essay.txt").write_text("x", "utf-8")
    real = tmp_path / "data" / "claims.yaml"
    real.write_text(MAP, "utf-8")
    link = tmp_path / "claims.yaml"
    link.symlink_to(real)
    editor = MapEditor(link)
    editor.set_claim_field(0, "quote", "The treaty was signed in Vienna")
    assert editor.save() is True
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text("utf-8") == MAP.replace("Geneva", "Vienna")


def test_empty_values_are_filled_after_their_colon(tmp_path: Path):
    text = BASE + "sources: {}\nclaims:\n  - id: c1\n    quote: q\n    kind: event\n    note:   # later\n    status: ~\n  - {id: c2, quote: r, kind: event, note: }\n"

    def fill(editor: MapEditor) -> None:
        editor.set_claim_field(0, "note", "a, b")
        editor.set_claim_field(0, "status", "disputed")
        editor.set_claim_field(1, "note", "c, d")

    assert edited(tmp_path, text, fill) == text.replace("note:   #", "note: a, b   #").replace(
        "status: ~", "status: disputed").replace("note: }", 'note: "c, d"}')


def test_citation_into_an_empty_flow_value(tmp_path: Path):
    text = BASE + "sources: {s1: {type: book, title: S}}\nclaims:\n  - {id: c2, quote: r, kind: event, citations: }\n"
    assert edited(tmp_path, text, lambda e: e.add_citation(0, "s1", "x", None)) == text.replace(
        "citations: }", "citations: [{source: s1, excerpt: x}]}")


def test_new_entry_never_lands_inside_a_block_scalar_that_looks_like_comments(tmp_path: Path):
    text = BASE + "sources:\n  a1:\n    type: book\n    title: |\n      A\n      # not a comment\n  z9:\n    type: book\n    title: Z\nclaims: []\n"
    new = edited(tmp_path, text, lambda e: e.add_source("m5", {"type": "book", "title": "M"}))
    assert new == text.replace("  z9:\n", "  m5:\n    type: book\n    title: M\n  z9:\n")


def test_messages_echo_keys_inert(map_file: Path):
    editor = MapEditor(map_file)
    editor.add_source("evil\nError: x", {"type": "book", "title": "T"})
    with pytest.raises(SchemaError) as caught:
        editor.add_source("evil\nError: x", {"type": "book", "title": "T"})
    assert str(caught.value) == f"{map_file}: source 'evil\\nError: x' is already in the map"


@given(st.text())
@settings(max_examples=300)
def test_double_quoted_fast_path_agrees_with_the_escape_pattern(value: str) -> None:
    # double_quoted skips the pattern for printable text without '"' or '\'; that is exact
    # only if every character the pattern escapes is one str.isprintable refuses
    from refmap.mapfile.scalars import _NEEDS_ESCAPE

    escaped = double_quoted(value)
    if _NEEDS_ESCAPE.search(value) is None:
        assert escaped == '"' + value + '"'
    else:
        assert escaped != '"' + value + '"'


def test_every_escaped_character_is_unprintable() -> None:
    from refmap.mapfile.scalars import _ESCAPED

    escaped = [chr(c) for c in range(0x110000) if _ESCAPED.match(chr(c))]
    assert escaped and not any(ch.isprintable() for ch in escaped)
