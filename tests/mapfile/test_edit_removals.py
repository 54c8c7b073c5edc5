"""The editor's removals and replacements on small maps: block and flow style, comments, CRLF."""

from __future__ import annotations

from pathlib import Path

from editcheck import COMMENTED, FLOW, small_project

import refmap
from refmap.commands.editing import MapFile


def test_removing_a_claim_takes_the_comment_lines_above_it(tmp_path: Path) -> None:
    text = COMMENTED.replace("  - id: hanoi-stalled", "  # the second\n  - id: hanoi-stalled")
    path = small_project(tmp_path, text)
    mf = MapFile.open(path)
    mf.editor.remove_claim(1)
    assert mf.editor.validate() == text.split("  # the second\n")[0]


def test_removing_a_claim_from_a_flow_style_map(tmp_path: Path) -> None:
    path = small_project(tmp_path, FLOW)
    mf = MapFile.open(path)
    mf.editor.remove_claim(0)
    assert mf.editor.validate() == FLOW.replace(
        '  - {id: summit-singapore, quote: "The summit was held in Singapore", kind: event,\n'
        '     citations: [{source: dw2018, excerpt: "in Singapore"}]}\n', "")


def test_removing_the_only_citation_in_flow_style_removes_the_key(tmp_path: Path) -> None:
    path = small_project(tmp_path, FLOW)
    mf = MapFile.open(path)
    mf.editor.remove_citations(0, {0})
    assert mf.editor.validate() == FLOW.replace(
        'kind: event,\n     citations: [{source: dw2018, excerpt: "in Singapore"}]}',
        "kind: event}")
    assert refmap.load(path).cmap.claims[0].citations  # nothing written yet


def test_removing_every_claim_leaves_an_empty_list(tmp_path: Path) -> None:
    path = small_project(tmp_path, COMMENTED)
    mf = MapFile.open(path)
    mf.editor.remove_claim(0)
    mf.editor.remove_claim(1)
    assert mf.editor.validate().endswith("claims: []\n")


def test_removal_keeps_crlf(tmp_path: Path) -> None:
    path = small_project(tmp_path, COMMENTED, newline="\r\n")
    mf = MapFile.open(path)
    mf.editor.remove_claim(0)
    assert mf.editor.save()
    new = path.read_bytes()
    assert b"summit-singapore" not in new and b"\n" not in new.replace(b"\r\n", b"")
    assert new.endswith(b"  - id: hanoi-stalled\r\n    quote: \"Talks stalled after the Hanoi "
                        b"summit\"\r\n    kind: event\r\n")


def test_a_claim_added_after_the_last_removed_claim(tmp_path: Path) -> None:
    path = small_project(tmp_path, COMMENTED)
    mf = MapFile.open(path)
    mf.editor.remove_claim(1)
    mf.editor.insert_claim(2, {"id": "analysts", "quote": "Analysts were not surprised",
                               "kind": "statement"})
    new = mf.editor.validate()
    assert "hanoi-stalled" not in new
    assert new.endswith('        excerpt: "in Singapore"\n  - id: analysts\n'
                        '    quote: "Analysts were not surprised"\n    kind: statement\n')


def test_renaming_a_source_follows_flow_citations(tmp_path: Path) -> None:
    path = small_project(tmp_path, FLOW)
    mf = MapFile.open(path)
    assert mf.editor.rename_source("dw2018", "dw2018summit") == 1
    assert mf.editor.validate() == FLOW.replace("dw2018", "dw2018summit")


def test_validation_builds_the_touched_claims_and_catches_a_bad_value(tmp_path: Path) -> None:
    import pytest

    from refmap.errors import SchemaError

    path = small_project(tmp_path, COMMENTED)
    mf = MapFile.open(path)
    mf.editor.set_claim_field(1, "kind", "nonsense")
    with pytest.raises(SchemaError) as caught:
        mf.editor.validate()
    assert str(caught.value).endswith("claims.yaml:21:11: claim 'hanoi-stalled': 'kind': "
                                      "unknown value 'nonsense' (one of: event, poll, figure, "
                                      "statement, background, bio, opinion, prediction, "
                                      "recommendation, quote, other)")
    mf = MapFile.open(path)
    mf.editor.set_source_field("dw2018", "date", "2019-02-30")
    with pytest.raises(SchemaError, match="malformed date"):
        mf.editor.validate()
