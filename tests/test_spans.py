"""refmap.spans: positions, and the NamedTuple base that builds what typing.NamedTuple builds."""

from __future__ import annotations

import pickle
import typing

import pytest

from refmap.spans import NamedTuple, Span


class Light(NamedTuple):
    """A record."""

    name: str
    """Its name."""
    count: int = 0
    tags: tuple[str, ...] = ()

    def twice(self) -> int:
        return 2 * self.count


class Typed(typing.NamedTuple):
    """A record."""

    name: str
    """Its name."""
    count: int = 0
    tags: tuple[str, ...] = ()

    def twice(self) -> int:
        return 2 * self.count


def test_a_light_tuple_is_what_typing_builds() -> None:
    light, typed = Light("a", 2), Typed("a", 2)
    assert light == typed == ("a", 2, ())
    assert repr(light) == repr(typed).replace("Typed", "Light")
    assert Light._fields == Typed._fields and Light._field_defaults == Typed._field_defaults
    assert light.twice() == typed.twice() == 4
    assert light._replace(count=3) == ("a", 3, ())
    assert Light.__doc__ == Typed.__doc__ == "A record."
    assert Light.__bases__ == Typed.__bases__ == (tuple,)
    assert Light.__module__ == __name__ and Light.__qualname__ == "Light"
    assert list(Light.__annotations__) == ["name", "count", "tags"]
    assert pickle.loads(pickle.dumps(light)) == light


def test_a_field_without_default_after_one_with_is_refused() -> None:
    with pytest.raises(TypeError, match="without a default follows"):
        class Bad(NamedTuple):
            first: int = 0
            second: int  # type: ignore[misc]


def test_namedtuple_methods_cannot_be_overwritten() -> None:
    with pytest.raises(AttributeError, match="_replace"):
        class Bad(NamedTuple):
            x: int

            def _replace(self) -> None:  # type: ignore[override]
                pass


def test_a_span_prints_as_a_compiler_does_and_hides_terminal_escapes() -> None:
    assert str(Span("claims.yaml", 3, 7)) == "claims.yaml:3:7"
    assert str(Span("a\x1b[2Jb.yaml", 1, 1)) == "a\\x1b[2Jb.yaml:1:1"
