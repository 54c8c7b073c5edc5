"""One test per finding code: the smallest map that shows it, and the exact code and position
(yamllint's `check(src, problem=(line, col))` style). A test also asserts that every code in
refmap.findings.CODES has its test here."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from refmap.findings import CODES, Severity
from refmap.project import load

ESSAY = ("The summit was held on 12 June 2018 in Singapore. Talks stalled. "
         "Talks stalled. A poll found 80 percent support.")
HEAD = "version: 1\nessay:\n  path: essay.txt\n"
SOURCE = """\
sources:
  s1:
    type: online
    title: A page
    url: https://example.org/a
    date: 2019-01-02
    accessed: 2020-01-02
"""

def findings(tmp_path: Path, body: str, essay: str = ESSAY) -> list[tuple[str, str, int, int]]:
    (tmp_path / "essay.txt").write_text(essay, "utf-8")
    (tmp_path / "claims.yaml").write_text(HEAD + textwrap.dedent(body), "utf-8")
    result = load(tmp_path / "claims.yaml").check()
    return [(f.code, str(f.severity), f.span.line, f.span.col) for f in result.findings if f.span]


def problem(tmp_path: Path, body: str, code: str, severity: str, line: int, col: int,
            essay: str = ESSAY) -> None:
    """The map shows exactly this problem (of this code) at line:col."""
    found = [f for f in findings(tmp_path, body, essay) if f[0] == code]
    assert found == [(code, severity, line, col)]


CLAIM = """\
claims:
  - id: c1
    quote: The summit was held on 12 June 2018
    kind: event
    citations:
      - source: s1
        excerpt: It was held on 12 June 2018.
"""


def test_a_clean_map_has_no_findings(tmp_path: Path):
    assert findings(tmp_path, SOURCE + CLAIM) == []


def test_unknown_key(tmp_path: Path):
    problem(tmp_path, SOURCE + "    ttile: x\n" + CLAIM, "unknown-key", "warning", 11, 5)


def test_unsourced(tmp_path: Path):
    problem(tmp_path, "claims:\n  - id: c1\n    quote: Talks stalled. A poll\n    kind: event\n",
            "unsourced", "error", 5, 5)


def test_status_without_note(tmp_path: Path):
    body = "claims:\n  - id: c1\n    quote: Talks stalled. A poll\n    kind: event\n    status: disputed\n"
    problem(tmp_path, body, "status-without-note", "warning", 5, 5)


def test_dangling_source(tmp_path: Path):
    problem(tmp_path, SOURCE + CLAIM.replace("source: s1", "source: s2"), "dangling-source",
            "error", 16, 17)


def test_alias_conflict(tmp_path: Path):
    body = SOURCE.replace("  s1:\n", "  s1:\n    ids: [s1]\n") + CLAIM
    problem(tmp_path, body, "alias-conflict", "error", 6, 10)


def test_a_citation_of_an_alias_is_a_citation_of_its_source(tmp_path: Path):
    body = SOURCE.replace("  s1:\n", "  s1:\n    ids: [old-s1]\n") + CLAIM.replace(
        "source: s1", "source: old-s1")
    assert findings(tmp_path, body) == []


def test_unused_source(tmp_path: Path):
    problem(tmp_path, SOURCE + "  s2:\n    type: misc\n    title: T\n    date: 2019\n" + CLAIM,
            "unused-source", "warning", 12, 5)


def test_duplicate_claim_id(tmp_path: Path):
    second = "  - id: c1\n    quote: A poll found\n    kind: event\n    status: unverified\n    note: n\n"
    problem(tmp_path, SOURCE + CLAIM + second, "duplicate-claim-id", "error", 18, 9)


def test_duplicate_citation(tmp_path: Path):
    repeat = "      - source: s1\n        excerpt: again 12 June 2018\n"
    problem(tmp_path, SOURCE + CLAIM + repeat, "duplicate-citation", "warning", 18, 9)


def test_missing_excerpt(tmp_path: Path):
    problem(tmp_path, SOURCE + CLAIM.replace("        excerpt: It was held on 12 June 2018.\n", ""),
            "missing-excerpt", "warning", 16, 9)


def test_missing_field(tmp_path: Path):
    body = SOURCE.replace("    url: https://example.org/a\n", "") + CLAIM
    problem(tmp_path, body, "missing-field", "error", 6, 5)


def test_no_biblatex_field(tmp_path: Path):
    body = SOURCE.replace("    date: 2019-01-02\n", "    date: 2019-01-02\n    journal: J\n") + CLAIM
    problem(tmp_path, body, "no-biblatex-field", "warning", 10, 14)


def test_undated_source(tmp_path: Path):
    problem(tmp_path, SOURCE.replace("    date: 2019-01-02\n", "") + CLAIM, "undated-source",
            "warning", 6, 5)


def test_missing_accessed(tmp_path: Path):
    problem(tmp_path, SOURCE.replace("    accessed: 2020-01-02\n", "") + CLAIM,
            "missing-accessed", "warning", 6, 5)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "example.org/a", "file:///etc/passwd",
                                 "https://exa mple.org/", "ftp://example.org/"])
def test_bad_url(tmp_path: Path, url: str):
    problem(tmp_path, SOURCE.replace("https://example.org/a", f"'{url}'") + CLAIM, "bad-url",
            "error", 8, 10)


def test_bad_essay_url(tmp_path: Path):
    body = "  url: 'javascript:alert(1)'\n" + SOURCE + CLAIM
    problem(tmp_path, body, "bad-url", "error", 4, 8)


def test_future_date(tmp_path: Path):
    problem(tmp_path, SOURCE.replace("accessed: 2020-01-02", "accessed: 2999-01-01") + CLAIM,
            "future-date", "warning", 10, 15)


def test_date_order(tmp_path: Path):
    problem(tmp_path, SOURCE.replace("accessed: 2020-01-02", "accessed: 2018-01-01") + CLAIM,
            "date-order", "warning", 10, 15)


def test_figure_mismatch(tmp_path: Path):
    problem(tmp_path, SOURCE + CLAIM.replace("It was held on 12 June 2018.", "It was in June."),
            "figure-mismatch", "error", 13, 12)


def test_the_years_and_pages_of_an_in_text_citation_are_not_figures(tmp_path: Path):
    essay = "Mortimer counted 53 restorations (Mortimer 2017, 10) [4]. Then none."
    body = SOURCE + CLAIM.replace("The summit was held on 12 June 2018",
                                  "Mortimer counted 53 restorations (Mortimer 2017, 10) [4]"
                                  ).replace("It was held on 12 June 2018.", "53 restorations")
    assert [f for f in findings(tmp_path, body, essay) if f[0] == "figure-mismatch"] == []
    changed = body.replace("excerpt: 53 restorations", "excerpt: restorations")
    assert [f[0] for f in findings(tmp_path, changed, essay)] == ["figure-mismatch"]


def test_figure_mismatch_is_a_warning_on_an_unverified_claim(tmp_path: Path):
    body = SOURCE + CLAIM.replace("It was held on 12 June 2018.", "It was in June.").replace(
        "    kind: event\n", "    kind: event\n    status: unverified\n    note: n\n")
    problem(tmp_path, body, "figure-mismatch", "warning", 13, 12)


def test_quote_not_found(tmp_path: Path):
    problem(tmp_path, SOURCE + CLAIM.replace("The summit was held on 12 June 2018",
                                             "Nothing like this is in the essay at all"),
            "quote-not-found", "error", 13, 12)


def test_quote_ambiguous(tmp_path: Path):
    body = ("claims:\n  - id: c1\n    quote: Talks stalled.\n    kind: opinion\n")
    problem(tmp_path, body, "quote-ambiguous", "error", 6, 12)


def test_quote_changed(tmp_path: Path):
    body = SOURCE + CLAIM.replace("The summit was held on 12 June 2018",
                                  "The summit was staged on 12 June 2018")
    problem(tmp_path, body, "quote-changed", "error", 13, 12)


def test_claim_changed_when_a_figure_of_the_quote_changed(tmp_path: Path):
    body = SOURCE + CLAIM.replace("The summit was held on 12 June 2018",
                                  "The summit was held on 21 June 2018")
    problem(tmp_path, body, "claim-changed", "error", 13, 12)


def test_ignore_not_found(tmp_path: Path):
    problem(tmp_path, SOURCE + CLAIM + "ignore:\n  - quote: Talks resumed.\n",
            "ignore-not-found", "warning", 19, 12)


def test_quote_moved(tmp_path: Path):
    body = SOURCE + CLAIM.replace("    kind: event\n", "    kind: event\n    prefix: Once upon\n")
    problem(tmp_path, body, "quote-moved", "warning", 13, 12)


def test_quote_typography(tmp_path: Path):
    essay = ESSAY.replace("12 June 2018", "12\u00a0June 2018")
    problem(tmp_path, SOURCE + CLAIM, "quote-typography", "info", 13, 12, essay=essay)


LINKED = "bibliography: [lib.bib, more.bib]\n"


def linked(tmp_path: Path, lib: str, more: str = "") -> None:
    (tmp_path / "lib.bib").write_text(lib, "utf-8")
    (tmp_path / "more.bib").write_text(more, "utf-8")


def test_library_shadowed(tmp_path: Path):
    linked(tmp_path, "\n@online{s1,\n  title = {Library copy},\n}\n")
    problem(tmp_path, LINKED + SOURCE + CLAIM, "library-shadowed", "info", 2, 1)


def test_library_conflict(tmp_path: Path):
    linked(tmp_path, "@online{s1, title = {One}, date = {2019}, url = {https://example.org/a},"
                     " urldate = {2020-01-02}}\n",
           "\n\n@online{s1, title = {Two}, date = {2019}}\n")
    problem(tmp_path, LINKED + CLAIM, "library-conflict", "warning", 3, 1)


def test_library_entry(tmp_path: Path):
    linked(tmp_path, "@online{s1, title = {One}, date = {2019}, url = {https://example.org/a},"
                     " urldate = {2020-01-02}, volume = {inf}}\n")
    problem(tmp_path, LINKED + CLAIM, "library-entry", "warning", 1, 1)


def test_unknown_name(tmp_path: Path):
    linked(tmp_path, "", "@onlin{s1, title = {One}, date = {2019}, url = {https://example.org/a},"
                         " urldate = {2020-01-02}}\n")
    problem(tmp_path, LINKED + CLAIM, "unknown-name", "warning", 1, 1)


def _codes_shown_here() -> set[str]:
    """The codes this module's tests pass to problem(), read from its source: the answer does
    not depend on which tests ran before, or whether any did."""
    import ast

    tree = ast.parse(Path(__file__).read_text("utf-8"))
    return {call.args[2].value for call in ast.walk(tree)
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
            and call.func.id == "problem" and len(call.args) > 2
            and isinstance(call.args[2], ast.Constant) and isinstance(call.args[2].value, str)}


def test_every_code_has_its_test():
    assert _codes_shown_here() == set(CODES)


def test_severities_rank_errors_first():
    assert sorted(Severity, key=lambda s: s.rank) == [Severity.ERROR, Severity.WARNING,
                                                       Severity.INFO]
