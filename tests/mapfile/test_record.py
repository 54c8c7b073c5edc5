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


def test_the_constructor_takes_fields_by_position_or_name_with_defaults() -> None:
    claim = Claim("c1", "quote", ClaimKind.POLL, status=Status.SOURCED, note="n")
    assert (claim.id, claim.quote, claim.kind, claim.status) == \
        ("c1", "quote", ClaimKind.POLL, Status.SOURCED)
    assert (claim.note, claim.tags, claim.draft, claim.span) == ("n", (), False, None)
    assert list(vars(claim)) == [f.name for f in dataclasses.fields(Claim)]


def test_the_constructor_refuses_what_a_dataclass_refuses() -> None:
    with pytest.raises(TypeError, match="missing required argument: 'quote'"):
        Claim("c1")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="unexpected keyword argument 'colour'"):
        Name(colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="multiple values for argument 'family'"):
        Name("Kim", family="Lee")  # type: ignore[misc]
    with pytest.raises(TypeError, match="takes 3 positional arguments but 4 were given"):
        Name("Kim", "Jong Un", None, "x")  # type: ignore[call-arg]


def test_default_factories_give_each_record_its_own_value() -> None:
    from refmap.mapfile.model import Source, SourceType

    one, two = Source("a", SourceType.BOOK), Source("b", SourceType.BOOK)
    assert one.field_spans == {} and one.field_spans is not two.field_spans


def test_replace_builds_a_changed_copy() -> None:
    claim = Claim("c1", "quote", ClaimKind.POLL, Status.SOURCED, span=Span("m.yaml", 3, 5))
    moved = dataclasses.replace(claim, quote="other")
    assert (moved.quote, moved.id, moved.span) == ("other", "c1", Span("m.yaml", 3, 5))
    assert claim.quote == "quote"
