"""The base of the model's frozen dataclasses: equality, hashing and repr written once.

`@dataclass(frozen=True)` writes `__eq__`, `__hash__` and `__repr__` for each class as source
text and compiles it with `exec` when the module is imported; for the model's records that was
most of the cost of importing refmap.mapfile.model, which every command pays at start-up. Declared with
`@dataclass(frozen=True, eq=False, repr=False)` over Record, a class inherits these three
methods instead, with the same meaning: two records are equal when they are of the same class
and their compared fields are equal (spans are declared with `compare=False`, so equality
ignores where a value was written), the hash is that of the compared fields, and the repr shows
the fields declared with `repr=True`.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any


def _compared(cls: type) -> tuple[str, ...]:
    """The names of the fields that equality and hashing look at, computed once per class."""
    names: tuple[str, ...] | None = cls.__dict__.get("_record_compared")
    if names is None:
        names = tuple(f.name for f in fields(cls) if f.compare)
        setattr(cls, "_record_compared", names)
    return names


def _shown(cls: type) -> tuple[str, ...]:
    """The names of the fields that repr shows, computed once per class."""
    names: tuple[str, ...] | None = cls.__dict__.get("_record_shown")
    if names is None:
        names = tuple(f.name for f in fields(cls) if f.repr)
        setattr(cls, "_record_shown", names)
    return names


class Record:
    """Equality, hash and repr of a frozen dataclass, from its field declarations."""

    __slots__ = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in _compared(type(self)))

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _shown(type(self)))
        return f"{type(self).__qualname__}({shown})"
