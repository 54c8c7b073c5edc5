"""`refmap cite`: a citation added through the map editor, refused when it cannot be right."""

from __future__ import annotations

from pathlib import Path

import pytest
from editcheck import COMMENTED, FLOW, only_added_lines, small_project


def test_cite_adds_a_citation_as_added_lines_only(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED)
    old = path.read_bytes()
    result = run(["cite", "hanoi-stalled", "dw2018", "--excerpt", "talks stalled",
                  "--locator", "para. 2"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "claim 'hanoi-stalled' now cites 'dw2018' at para. 2\n"
    new = path.read_bytes()
    assert only_added_lines(old, new)
    assert new.endswith(b"    kind: event\n    citations:\n      - source: dw2018\n"
                        b"        locator: \"para. 2\"\n        excerpt: \"talks stalled\"\n")
    assert b"# cited once\n" in new and b"  # as the page says\n" in new


def test_cite_keeps_crlf_line_endings(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED, newline="\r\n")
    old = path.read_bytes()
    result = run(["cite", "summit-singapore", "dw2018", "--excerpt", "Singapore",
                  "--locator", "p. 2"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    new = path.read_bytes()
    assert only_added_lines(old, new)
    assert b"\n" not in new.replace(b"\r\n", b"")
    assert b"      - source: dw2018\r\n        locator: \"p. 2\"\r\n" in new


def test_cite_into_a_flow_style_claim_keeps_it_flow_style(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, FLOW)
    result = run(["cite", "hanoi-stalled", "dw2018", "--excerpt", "stalled"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    lines = path.read_text("utf-8").splitlines()
    assert lines[-1] == ('  - {id: hanoi-stalled, quote: "Talks stalled after the Hanoi summit", '
                         'kind: event, citations: [{source: dw2018, excerpt: "stalled"}]}')
    assert lines[:-1] == FLOW.splitlines()[:-1]


@pytest.mark.parametrize("args, message", [
    (["hanoi-stalld", "dw2018", "--excerpt", "x"],
     "Error: no claim 'hanoi-stalld' in claims.yaml; did you mean 'hanoi-stalled'?"),
    (["hanoi-stalled", "dw2019", "--excerpt", "x"],
     "Error: no source 'dw2019' in claims.yaml; did you mean 'dw2018'?"),
    (["hanoi-stalled", "dw2018", "--excerpt", "  "],
     "Error: --excerpt: the supporting passage is empty"),
    (["summit-singapore", "dw2018", "--excerpt", "again"],
     "Error: claims.yaml:17:9: claim 'summit-singapore' already cites 'dw2018'"),
])
def test_cite_refusals_are_one_line_and_change_nothing(tmp_path: Path, run, args, message) -> None:
    path = small_project(tmp_path, COMMENTED)
    old = path.read_bytes()
    result = run(["cite", *args], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == message + "\n"
    assert path.read_bytes() == old


def test_cite_dry_run_prints_the_diff_and_writes_nothing(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED)
    old = path.read_bytes()
    result = run(["cite", "hanoi-stalled", "dw2018", "--excerpt", "x", "--dry-run"], cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:] == [
        "--- a/claims.yaml", "+++ b/claims.yaml", "@@ -19,3 +19,6 @@",
        "   - id: hanoi-stalled", '     quote: "Talks stalled after the Hanoi summit"',
        "     kind: event", "+    citations:", "+      - source: dw2018",
        '+        excerpt: "x"']
    assert path.read_bytes() == old
