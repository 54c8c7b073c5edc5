"""The one user-facing error type and its few kinds.

Anything raised as a RefmapError is a problem with the user's input or environment and is
printed by the CLI as one line per problem (exit 2). Every other exception is a bug. Messages
are made inert when printed: a value echoed in them cannot break the line or reach the
terminal as an escape sequence.
"""

from __future__ import annotations

from collections.abc import Sequence

from refmap.spans import Span
from refmap.values import inert


class RefmapError(Exception):
    """Input that cannot be loaded or an action that cannot be carried out."""

    def __init__(self, message: str, span: Span | None = None, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.span = span
        self.path = path

    def __str__(self) -> str:
        if self.span is not None:
            return f"{self.span}: {inert(self.message)}"
        if self.path is not None:
            return f"{inert(self.path)}: {inert(self.message)}"
        return inert(self.message)

    def lines(self) -> list[str]:
        """The problems as the CLI prints them, one line each."""
        return [str(self)]


class LoadError(RefmapError):
    """A file that cannot be read or parsed (encoding, YAML syntax, missing file)."""


class SchemaError(RefmapError):
    """A map that parses as YAML but does not follow the claims-map format."""


class SchemaErrors(SchemaError):
    """Every schema problem of one map, found in one run (as `check` collects findings)."""

    def __init__(self, errors: Sequence[SchemaError]):
        first = errors[0]
        super().__init__(first.message, span=first.span, path=first.path)
        self.errors = tuple(errors)

    def lines(self) -> list[str]:
        return [str(e) for e in self.errors]


class WriteError(RefmapError):
    """An output that cannot be written (unwritable path, protected file, concurrent edit)."""


class UsageError(RefmapError):
    """A command-line value that is not one refmap knows (a misspelt code, status or kind)."""
