"""A changed claim asks for a person: a drifted quote whose figure, date or name changed is
`claim-changed` (old and new values), counts as needing review in coverage and the report, and
`anchors --fix` leaves it alone unless `--accept ID`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from refmap.commands.drift import FactChange, fact_changes

MAP = """\
version: 1
essay:
  path: essay.txt
sources:
  poll: {type: misc, title: The poll, date: "2018"}
claims:
  - id: backed
    quote: "In 2018, 53 percent of voters backed the deal that Moon proposed"
    kind: poll
    citations:
      - {source: poll, excerpt: "53 percent backed the deal in 2018"}
"""
ESSAY = "In 2018, 53 percent of voters backed the deal that Moon proposed. Talks went on.\n"


@pytest.mark.parametrize("old, new, changes", [
    ("53 percent of voters", "35 percent of voters", [("53", "35")]),
    ("signed in 2018 by Moon", "signed in 2019 by Kim", [("2018", "2019"), ("Moon", "Kim")]),
    ("fifty-three percent agreed", "thirty-five percent agreed",
     [("fifty-three", "thirty-five")]),
    ("held on 12 June", "held on June", [("12", "")]),
    ("The talks went on for years", "The talks dragged on for years", []),
    ("The talks went on", "the talks went on", []),
])
def test_fact_changes(old: str, new: str, changes: list[tuple[str, str]]) -> None:
    assert fact_changes(old, new) == tuple(FactChange(*c) for c in changes)


def project(tmp_path: Path, essay: str) -> Path:
    (tmp_path / "essay.txt").write_text(essay, "utf-8")
    (tmp_path / "claims.yaml").write_text(MAP, "utf-8")
    return tmp_path


def test_53_becoming_35_is_a_changed_claim_not_a_quote_to_rewrite(tmp_path: Path, run) -> None:
    folder = project(tmp_path, ESSAY.replace("53", "35"))
    check = run(["check"], cwd=folder)
    assert check.exit_code == 1
    assert check.stdout.splitlines()[0] == (
        "claims.yaml:8:12: error: claim 'backed': the essay at essay.txt:1:1 changed what the "
        "claim says (53 -> 35): now 'In 2018, 35 percent of voters backed the deal that Moon "
        "proposed'; re-check its sources, then 'refmap anchors --fix --accept backed' "
        "[claim-changed]")
    assert "quote-changed" not in check.stdout
    coverage = json.loads(run(["coverage", "--format", "json"], cwd=folder).stdout)
    assert coverage["needs_review"] == ["backed"]
    assert "Needing review (a figure, date or name in the quote changed): 1 (backed)" in run(
        ["coverage"], cwd=folder).stdout
    assert 'data-needs-review="1"' in run(["report"], cwd=folder).stdout


def test_anchors_fix_leaves_a_changed_claim_alone_unless_accepted(tmp_path: Path, run) -> None:
    folder = project(tmp_path, ESSAY.replace("2018", "2019").replace("Moon", "Kim"))
    before = (folder / "claims.yaml").read_bytes()
    fixed = run(["anchors", "--fix"], cwd=folder)
    assert fixed.exit_code == 1 and (folder / "claims.yaml").read_bytes() == before
    assert fixed.stderr.splitlines()[0] == (
        "essay.txt:1:1: backed: not updated, the claim changed (2018 -> 2019, Moon -> Kim); "
        "re-check it, then --accept backed")
    wrong = run(["anchors", "--fix", "--accept", "backd"], cwd=folder)
    assert (wrong.exit_code, wrong.stderr) == (
        2, "Error: --accept: no claim 'backd' in claims.yaml; did you mean 'backed'?\n")
    accepted = run(["anchors", "--fix", "--accept", "backed"], cwd=folder)
    assert accepted.exit_code == 0, accepted.stderr
    assert ('    quote: "In 2019, 53 percent of voters backed the deal that Kim proposed"\n'
            in (folder / "claims.yaml").read_text("utf-8"))


def test_a_reworded_quote_without_a_changed_fact_is_still_fixed(tmp_path: Path, run) -> None:
    folder = project(tmp_path, ESSAY.replace("backed", "supported"))
    check = run(["check"], cwd=folder)
    assert "[quote-changed]" in check.stdout and "claim-changed" not in check.stdout
    assert run(["anchors", "--fix"], cwd=folder).exit_code == 0
