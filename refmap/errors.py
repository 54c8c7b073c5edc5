"""The one user-facing error type and its few kinds.

Anything raised as a RefmapError is a problem with the user's input or environment and is
printed as one line by the CLI (exit 2). Every other exception is a bug.
"""

from __future__ import annotations

from refmap.spans import Span


class RefmapError(Exception):
    """Input that cannot be loaded or an action that cannot be carried out."""

    def __init__(self, message: str, span: Span | None = None, path: str | None = None):
        super().__init__(message)
        self.message = message
        self.span = span
        self.path = path

    def __str__(self) -> str:
        if self.span is not None:
            return f"{self.span}: {self.message}"
        if self.path is not None:
            return f"{self.path}: {self.message}"
        return self.message


class LoadError(RefmapError):
    """A file that cannot be read or parsed (encoding, YAML syntax, missing file)."""


class SchemaError(RefmapError):
    """A map that parses as YAML but does not follow the claims-map format."""


class WriteError(RefmapError):
    """An output that cannot be written (unwritable path, protected file, concurrent edit)."""
