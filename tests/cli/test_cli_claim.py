"""`refmap claim add`: a quote that anchors once, placed in essay order, with a unique id."""

from __future__ import annotations

from pathlib import Path

import pytest
from editcheck import COMMENTED, FLOW, only_added_lines, small_project

import refmap


def claim_ids(path: Path) -> list[str]:
    return [c.id for c in refmap.load(path).cmap.claims]


def test_claim_add_goes_in_essay_order_as_added_lines(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED)
    old = path.read_bytes()
    result = run(["claim", "add", "Both leaders signed a joint statement", "--kind", "event"],
                 cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "essay.txt:1:51: added claim 'both-leaders-signed-joint-statement', kind event\n"
    assert only_added_lines(old, path.read_bytes())
    assert claim_ids(path) == ["summit-singapore", "both-leaders-signed-joint-statement",
                               "hanoi-stalled"]
    assert "- id: both-leaders-signed-joint-statement\n    quote: \"Both leaders signed a joint " \
           "statement\"\n    kind: event\n" in path.read_text("utf-8")


def test_claim_add_by_sentence_position_with_a_given_id(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED)
    result = run(["claim", "add", "--sentence", "2:60", "--id", "analysts"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("essay.txt:2:56: added claim 'analysts', kind background "
                             "(guessed; set it with --kind)\n")
    claims = refmap.load(path).cmap.claims
    assert [c.id for c in claims] == ["summit-singapore", "hanoi-stalled", "analysts"]
    assert claims[-1].quote == "Analysts were not surprised."


def test_claim_add_keeps_the_essays_own_typography(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED)
    essay = tmp_path / "essay.txt"
    essay.write_text(essay.read_text("utf-8").replace("were not", "weren’t"), "utf-8")
    result = run(["claim", "add", "Analysts weren't surprised"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert refmap.load(path).cmap.claims[-1].quote == "Analysts weren’t surprised"


def test_generated_ids_stay_unique(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED)
    assert run(["claim", "add", "Analysts were not surprised"], cwd=tmp_path).exit_code == 0
    assert run(["claim", "add", "Analysts were not surprised."], cwd=tmp_path).exit_code == 0
    assert claim_ids(path)[-2:] == ["analysts-not-surprised", "analysts-not-surprised-2"]


def test_claim_add_into_a_flow_style_map_keeps_it(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, FLOW)
    old = path.read_bytes()
    result = run(["claim", "add", "Analysts were not surprised", "--kind", "statement"],
                 cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    new = path.read_bytes()
    assert only_added_lines(old, new)
    assert new.endswith(b'  - {id: analysts-not-surprised, quote: "Analysts were not surprised", '
                        b"kind: statement}\n")


def test_claim_add_keeps_crlf(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED, newline="\r\n")
    old = path.read_bytes()
    assert run(["claim", "add", "Analysts were not surprised"], cwd=tmp_path).exit_code == 0
    new = path.read_bytes()
    assert only_added_lines(old, new) and b"\n" not in new.replace(b"\r\n", b"")


@pytest.mark.parametrize("args, message", [
    (["summit"], "Error: quote matches 2 places in essay.txt (1:5, 2:31); lengthen it"),
    (["Both leaders signed a joint statemnt"],
     "Error: quote not found in essay.txt; did you mean 'Both leaders signed a joint "
     "statement' at essay.txt:1:51?"),
    (["The moon landing"], "Error: quote not found in essay.txt"),
    (["Talks stalled after the Hanoi summit"],
     "Error: claims.yaml:20:12: claim 'hanoi-stalled' already has this quote"),
    (["Analysts were not surprised", "--kind", "figur"],
     "Error: --kind: unknown value 'figur'; did you mean 'figure'?"),
    (["Analysts were not surprised", "--id", "hanoi-stalled"],
     "Error: --id: claim 'hanoi-stalled' is already in the map"),
    (["Analysts were not surprised", "--id", "-bad id"],
     "Error: --id: '-bad id' is not a valid claim id (a letter or digit, then letters, "
     "digits, _ . -)"),
    (["--sentence", "9:1"], "Error: --sentence: no sentence of essay.txt at 9:1"),
    (["--sentence", "two"], "Error: --sentence: 'two' is not LINE:COL"),
    ([], "Error: give either a QUOTE or --sentence LINE:COL"),
    (["Analysts", "--sentence", "1:1"], "Error: give either a QUOTE or --sentence LINE:COL"),
])
def test_claim_add_refusals(tmp_path: Path, run, args, message) -> None:
    path = small_project(tmp_path, COMMENTED)
    old = path.read_bytes()
    result = run(["claim", "add", *args], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (2, message + "\n")
    assert path.read_bytes() == old


def test_claim_add_on_the_bundled_map_dry_run(bundled: Path, run) -> None:
    old = (bundled / "claims.yaml").read_bytes()
    result = run(["claim", "add", "--sentence", "4:284", "--kind", "opinion", "--dry-run"],
                 cwd=bundled)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("essay.txt:4:284: added claim 'right-now-however-politics-"
                                    "aligned', kind opinion\n  its quote overlaps claim "
                                    "'opinion-politics-aligned'\n--- a/claims.yaml\n")
    assert "+    quote: \"Right now, however, the politics are aligned.\"\n" in result.stdout
    assert (bundled / "claims.yaml").read_bytes() == old
