"""Source positions: where a value stands in a file, 1-based; and the NamedTuple base that the
records of every start-up path use."""

from __future__ import annotations

import collections
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

_namedtuple: Callable[..., Any] = collections.namedtuple
_SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})
_PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields",
                         "_field_defaults", "_make", "_replace", "_asdict", "_source"})


class _TupleMeta(type):
    """typing.NamedTuple's class syntax, building the same collections.namedtuple class.

    typing.NamedTuple checks each field's annotation, and under `from __future__ import
    annotations` every annotation is a string, compiled into a ForwardRef: about 0.6 M
    instructions a field, a sixth of `refmap check`'s start-up over the fifteen tuples it
    imports. This metaclass keeps the annotations as written and does the rest as typing
    does: fields in order, trailing defaults, the class body's methods and docstrings.
    """

    def __new__(mcs, typename: str, bases: tuple[type, ...], ns: dict[str, Any]) -> Any:
        if not bases:  # NamedTuple itself
            return super().__new__(mcs, typename, bases, ns)
        fields: dict[str, Any] = ns.get("__annotations__", {})
        defaults = [name for name in fields if name in ns]
        if defaults != list(fields)[len(fields) - len(defaults):]:
            raise TypeError(f"{typename}: a field without a default follows one with a default")
        made = _namedtuple(typename, fields, defaults=[ns[n] for n in defaults],
                           module=ns["__module__"])
        made.__annotations__ = dict(fields)
        for key, value in ns.items():
            if key in _PROHIBITED:
                raise AttributeError(f"Cannot overwrite NamedTuple attribute {key}")
            if key not in _SPECIAL and key not in made._fields:
                setattr(made, key, value)
        return made


if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    class NamedTuple(metaclass=_TupleMeta):
        """Base of a typed named tuple: `class Span(NamedTuple): path: str ...`, as with
        typing.NamedTuple (which type checkers see), without checking annotations at import."""


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
