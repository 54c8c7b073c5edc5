"""Findings: problems in a map that loads, each with a stable code, a severity and a place."""

from __future__ import annotations

from typing import NamedTuple

from refmap.spans import Span

ERROR = "error"
WARNING = "warning"
INFO = "info"


class Finding(NamedTuple):
    """One diagnostic, printed like a compiler's.

    Like the other small records made on every run (Span, Anchor, Normalised, Essay), a
    NamedTuple: a frozen dataclass costs about a millisecond to define, and the CLI's start-up
    is measured.
    """

    code: str
    """Stable identifier: unsourced, dangling-source, quote-not-found ..."""
    severity: str
    message: str
    span: Span | None
    claim: str | None = None
    """Id of the claim concerned, if any."""
    source: str | None = None
    """Citekey of the source concerned, if any."""

    def __str__(self) -> str:
        where = f"{self.span}: " if self.span else ""
        return f"{where}{self.severity}: {self.message} [{self.code}]"


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Order by file position, then code, so output is stable and reads top to bottom."""

    def key(f: Finding):
        s = f.span
        return (s.path, s.line, s.col, f.code) if s else ("", 0, 0, f.code)

    return sorted(findings, key=key)


def exit_code(findings: list[Finding]) -> int:
    """0 when no finding is an error, else 1."""
    return 1 if any(f.severity == ERROR for f in findings) else 0
