"""refmap.findings and refmap.render.findings: findings sort, filter and count the way `check` says,
and each renderer prints exactly its format."""

from __future__ import annotations

import json

from refmap.findings import CODES, CheckResult, Finding, Severity, sort_findings
from refmap.render.findings import render
from refmap.spans import Span

A = Finding("figure-mismatch", Severity.ERROR, "claim 'c': 80 appears in none", Span("m.yaml", 9, 3),
            claim="c")
B = Finding("undated-source", Severity.WARNING, "source 's' has no date", Span("m.yaml", 2, 5),
            source="s")
C = Finding("quote-typography", Severity.INFO, "claim 'd': typography", Span("m.yaml", 9, 1),
            claim="d")


def test_findings_sort_by_position_then_code():
    assert sort_findings([A, B, C]) == [B, C, A]


def test_filtering_leaves_findings_out_of_the_exit_code():
    result = CheckResult([B, C, A])
    assert result.exit_code == 1
    assert result.filtered(ignore=["figure-mismatch"]).exit_code == 0
    assert result.filtered(errors_only=True).findings == [A]
    assert result.claims_with_errors() == {"c"}


def test_text_json_and_github_renderers():
    result = CheckResult([B, A])
    assert render(result, "text") == (
        "m.yaml:2:5: warning: source 's' has no date [undated-source]\n"
        "m.yaml:9:3: error: claim 'c': 80 appears in none [figure-mismatch]\n"
        "1 error, 1 warning\n")
    assert json.loads(render(result, "json"))[0] == {
        "code": "undated-source", "severity": "warning", "message": "source 's' has no date",
        "position": {"file": "m.yaml", "line": 2, "col": 5}, "claim": None, "source": "s"}
    assert render(result, "github").splitlines()[1] == (
        "::error file=m.yaml,line=9,col=3,title=figure-mismatch::claim 'c': 80 appears in none")
    assert render(CheckResult([]), "text") == "no problems found\n"


def test_a_hostile_message_stays_one_inert_line():
    f = Finding("dangling-source", Severity.ERROR, "cites 'x\nError: forged\x1b[2J'", None)
    assert str(f) == "error: cites 'x\\nError: forged\\x1b[2J' [dangling-source]"
    assert "\n" not in render(CheckResult([f]), "github").rstrip("\n")


def test_every_code_is_described():
    assert all(CODES.values()) and len(CODES) == 28


def test_every_finding_code_is_documented():
    from conftest import ROOT
    from refmap.findings import codes_table

    assert codes_table() in (ROOT / "docs" / "findings.md").read_text("utf-8")
