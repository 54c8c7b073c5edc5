"""The base of the model's frozen records: construction, equality, hashing and repr written once.

`@dataclass(frozen=True)` writes `__init__`, `__setattr__`, `__delattr__`, `__eq__`, `__hash__`
and `__repr__` for each class as source text and compiles it with `exec` when the module is
imported: for the model's seven records that was most of the cost of importing
refmap.mapfile.model (about a tenth of `refmap check`'s start-up). A class declared with
`@record` over Record is a dataclass all the same (`dataclasses.fields` and
`dataclasses.replace` work, `field(...)` declares defaults, compare and repr), but it inherits
these methods instead of compiling them, with the same meaning:

- the constructor takes the fields in order, by position or by name, with their defaults and
  default factories, and refuses a missing, unknown or repeated argument with a TypeError;
- assigning or deleting a field raises dataclasses.FrozenInstanceError;
- two records are equal when they are of the same class and their compared fields are equal
  (spans are declared with `compare=False`, so equality ignores where a value was written);
  the hash is that of the compared fields;
- the repr shows the fields declared with `repr=True`.
"""

from __future__ import annotations

from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields
from typing import Any, Callable, NamedTuple, TypeVar, dataclass_transform

_R = TypeVar("_R", bound=type)


class _Init(NamedTuple):
    """How a record class is constructed, worked out once when the class is declared."""

    names: tuple[str, ...]
    """The fields, in order: the constructor's parameters."""
    known: frozenset[str]
    defaults: dict[str, Any]
    """Every field, in order, with its default (None for a required one or a factory's)."""
    required: frozenset[str]
    factories: tuple[tuple[str, Callable[[], Any]], ...]
    compared: tuple[str, ...]
    shown: tuple[str, ...]


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: _R) -> _R:
    """Declare a frozen record: a dataclass whose methods come from Record (see above)."""
    dataclass(init=False, repr=False, eq=False)(cls)
    specs = fields(cls)
    names = tuple(f.name for f in specs)
    cls._record_init = _Init(  # type: ignore[attr-defined]
        names=names,
        known=frozenset(names),
        defaults={f.name: None if f.default is MISSING else f.default for f in specs},
        required=frozenset(f.name for f in specs
                           if f.default is MISSING and f.default_factory is MISSING),
        factories=tuple((f.name, f.default_factory) for f in specs
                        if f.default_factory is not MISSING),
        compared=tuple(f.name for f in specs if f.compare),
        shown=tuple(f.name for f in specs if f.repr),
    )
    return cls


class Record:
    """Construction, immutability, equality, hash and repr of a record, from its fields."""

    __slots__ = ()
    _record_init: _Init

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        init = self._record_init
        if len(args) > len(init.names):
            raise TypeError(f"{type(self).__name__}() takes {len(init.names)} positional "
                            f"arguments but {len(args)} were given")
        values = dict(init.defaults)
        given = set(kwargs)
        if args:
            by_position = dict(zip(init.names, args))
            if given & by_position.keys():
                twice = min(given & by_position.keys(), key=init.names.index)
                raise TypeError(f"{type(self).__name__}() got multiple values for argument "
                                f"'{twice}'")
            values.update(by_position)
            given.update(by_position)
        if not given <= init.known:
            unknown = sorted(given - init.known)[0]
            raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument "
                            f"'{unknown}'")
        if not init.required <= given:
            missing = min(init.required - given, key=init.names.index)
            raise TypeError(f"{type(self).__name__}() missing required argument: '{missing}'")
        values.update(kwargs)
        for name, factory in init.factories:
            if name not in given:
                values[name] = factory()
        self.__dict__.update(values)

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._record_init.compared)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_init.shown)
        return f"{type(self).__qualname__}({shown})"
