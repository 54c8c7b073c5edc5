"""Findings: problems in a map that loads, each with a stable code, a severity and a place.

CODES is the one list of finding codes: `check --ignore` accepts only these, and the docs and
the tests are checked against it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple

from refmap.spans import Span, span_json
from refmap.values import inert


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for errors, 1 for warnings, 2 for notes: most serious first."""
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: dict[str, str] = {
    "unknown-key": "a key the format does not know (ignored), with a did-you-mean",
    "unsourced": "a checkable claim that cites no source and is not marked unverified or disputed",
    "status-without-note": "an unverified or disputed claim that does not say why",
    "dangling-source": "a citation of a citekey that no source defines (nor has as an alias)",
    "alias-conflict": "a source's alias (`ids`) that is its own key, another source's key, "
                      "or another source's alias",
    "unused-source": "a source that no claim cites",
    "duplicate-claim-id": "two claims with one id",
    "duplicate-citation": "one claim citing the same source at the same locator twice",
    "missing-excerpt": "a citation without a supporting excerpt",
    "missing-field": "a field the source's type requires (biber's data model)",
    "no-biblatex-field": "a field BibLaTeX's entry type has no place for (the BibLaTeX export "
                         "leaves it out)",
    "undated-source": "a source with no publication date",
    "missing-accessed": "an online source with a URL but no accessed date",
    "bad-url": "a URL that is not an absolute http(s) URL",
    "future-date": "a date in the future",
    "date-order": "a source accessed before it was published",
    "figure-mismatch": "a number in a claim's quote that none of its excerpts contains",
    "quote-not-found": "a quote that is not in the essay",
    "quote-ambiguous": "a quote found in several places, with nothing to choose between them",
    "quote-changed": "a quote whose text changed in the essay (a close match is there)",
    "claim-changed": "a quote that drifted with a figure, date or name changed (old and new "
                     "values): a person must re-check the claim",
    "quote-moved": "a quote found, but not where its prefix/suffix say",
    "quote-typography": "a quote that matches only after typography is normalised",
    "ignore-not-found": "a sentence of the map's ignore list that is not (or not once) in the "
                        "essay",
}
"""Every finding code `refmap check` can report, and what it means."""


def codes_table() -> str:
    """The Markdown table of finding codes that docs/findings.md shows (a test keeps them
    equal): every code `check --ignore` accepts."""
    rows = ["| code | what it means |", "| --- | --- |"]
    rows += [f"| `{code}` | {meaning} |" for code, meaning in CODES.items()]
    return "\n".join(rows) + "\n"


class Finding(NamedTuple):
    """One diagnostic, printed like a compiler's.

    Like the other small records made on every run (Span, Anchor, Essay), a NamedTuple: a
    frozen dataclass costs about a millisecond to define, and the CLI's start-up is measured.
    """

    code: str
    """Stable identifier, one of CODES."""
    severity: Severity
    message: str
    span: Span | None
    claim: str | None = None
    """Id of the claim concerned, if any."""
    source: str | None = None
    """Citekey of the source concerned, if any."""

    def __str__(self) -> str:
        where = f"{self.span}: " if self.span else ""
        return f"{where}{self.severity}: {inert(self.message)} [{self.code}]"

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code, "severity": str(self.severity), "message": self.message,
            "position": span_json(self.span), "claim": self.claim, "source": self.source,
        }


def _order(f: Finding) -> tuple[str, int, int, str]:
    s = f.span
    return (s.path, s.line, s.col, f.code) if s else ("", 0, 0, f.code)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Order by file position, then code, so output is stable and reads top to bottom."""
    return sorted(findings, key=_order)


def exit_code(findings: Iterable[Finding]) -> int:
    """0 when no finding is an error, else 1."""
    return 1 if any(f.severity == Severity.ERROR for f in findings) else 0


class CheckResult(NamedTuple):
    """What `refmap check` found: every finding, sorted, and the exit code they give."""

    findings: list[Finding]

    @property
    def exit_code(self) -> int:
        return exit_code(self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]

    def filtered(self, ignore: Iterable[str] = (), errors_only: bool = False) -> CheckResult:
        """Leave out findings by code or below error; they leave the exit code too."""
        ignored = frozenset(ignore)
        return CheckResult([
            f for f in self.findings
            if f.code not in ignored and (f.severity == Severity.ERROR or not errors_only)
        ])

    def claims_with_errors(self) -> frozenset[str]:
        """Ids of claims that an error finding concerns: never shown as supported. A missing
        source is left out: the claim's status (unsourced) already says so."""
        return frozenset(f.claim for f in self.findings
                         if f.claim is not None and f.severity == Severity.ERROR
                         and f.code != "unsourced")

    def sources_with_errors(self) -> frozenset[str]:
        return frozenset(f.source for f in self.findings
                         if f.source is not None and f.severity == Severity.ERROR)
