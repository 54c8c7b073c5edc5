"""Source positions: where a value stands in a file, 1-based."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A position in a file, as a user sees it in an editor."""

    path: str
    """The file as the user named it (relative paths stay relative)."""
    line: int
    """1-based line number."""
    col: int
    """1-based column, counted in characters."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


def span_field():
    """A dataclass field for spans: kept out of equality and repr noise."""
    from dataclasses import field

    return field(default=None, compare=False, repr=False)
