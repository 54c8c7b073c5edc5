"""The model's records: equality, hash and repr as a frozen dataclass's, spans left out."""

from __future__ import annotations

import dataclasses

import pytest

from refmap.mapfile.model import Citation, Claim, ClaimKind, ClaimsMap, EssayRecord, Name, Status
from refmap.spans import Span


def test_equality_ignores_spans() -> None:
    here = Citation("kim2019", "p. 4", "text", span=Span("a.yaml", 1, 1))
    there = Citation("kim2019", "p. 4", "text", span=Span("b.yaml", 9, 3),
                     excerpt_span=Span("b.yaml", 10, 5))
    assert here == there
    assert hash(here) == hash(there)
    assert here != Citation("kim2019", "p. 5", "text")


def test_records_of_different_classes_are_not_equal() -> None:
    name = Name(literal="x")
    assert name.__eq__(EssayRecord("x")) is NotImplemented
    assert name != EssayRecord("x")
    assert Name(literal="x") == name


def test_repr_shows_the_repr_fields_only() -> None:
    citation = Citation("kim2019", None, "a\nb", span=Span("a.yaml", 1, 1))
    assert repr(citation) == "Citation(source='kim2019', locator=None, excerpt='a\\nb')"
    assert repr(Name("Kim", "Jong Un")) == "Name(family='Kim', given='Jong Un', literal=None)"


def test_records_stay_frozen() -> None:
    claim = Claim("c1", "quote", ClaimKind.POLL, Status.SOURCED)
    with pytest.raises(dataclasses.FrozenInstanceError):
        claim.id = "c2"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del claim.quote  # type: ignore[misc]


def test_a_map_with_a_dict_field_is_unhashable_but_comparable() -> None:
    essay = EssayRecord("essay.txt", path_span=Span("m.yaml", 2, 3))
    one = ClaimsMap("m.yaml", 1, essay, {}, (), warnings=())
    two = ClaimsMap("m.yaml", 1, EssayRecord("essay.txt"), {}, ())
    assert one == two
    with pytest.raises(TypeError):
        hash(one)
