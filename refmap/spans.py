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
    """1-based line number (for a Word document: the paragraph number)."""
    col: int
    """1-based column, counted in characters (for a Word document: the character in the
    paragraph)."""

    def __str__(self) -> str:
        from refmap.values import inert

        return f"{inert(self.path)}:{self.line}:{self.col}"

    def to_json(self) -> dict[str, str | int]:
        """The one position shape of every JSON output: {"file", "line", "col"}."""
        return {"file": self.path, "line": self.line, "col": self.col}


def span_json(span: Span | None) -> dict[str, str | int] | None:
    """A position for JSON, or null where there is none."""
    return span.to_json() if span is not None else None
