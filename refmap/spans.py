"""Source positions: where a value stands in a file, 1-based."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    """A position in a file, as a user sees it in an editor.

    A NamedTuple rather than a dataclass: a map creates one per value, and the CLI's start-up
    time is part of what refmap is measured on.
    """

    path: str
    """The file as the user named it (relative paths stay relative)."""
    line: int
    """1-based line number."""
    col: int
    """1-based column, counted in characters."""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"
