"""refmap.references.names: a name that arrives as one string, split by nameparser."""

from __future__ import annotations

from pathlib import Path

import pytest

from refmap.references.importers import read_references
from refmap.references.names import as_literal, parse_name


@pytest.mark.parametrize(("text", "expected"), [
    ("Ian Mortimer", {"family": "Mortimer", "given": "Ian"}),
    ("Daniel Defoe", {"family": "Defoe", "given": "Daniel"}),
    ("Ludwig van Beethoven", {"family": "van Beethoven", "given": "Ludwig"}),
    ("Jan van der Berg", {"family": "van der Berg", "given": "Jan"}),
    ("Charles de la Fontaine", {"family": "de la Fontaine", "given": "Charles"}),
    ("Martin Luther King Jr.", {"family": "King, Jr.", "given": "Martin Luther"}),
    ("Dr. Jane Doe", {"family": "Doe", "given": "Jane"}),
    ("Doe, Jane", {"family": "Doe", "given": "Jane"}),
    ("Moon Jae-in", {"family": "Moon", "given": "Jae-in"}),
    ("Kim Jong Un", {"family": "Kim", "given": "Jong Un"}),
    ("Kim Kardashian", {"family": "Kardashian", "given": "Kim"}),
    ("World Health Organization", {"literal": "World Health Organization"}),
    ("Reuters Staff", {"literal": "Reuters Staff"}),
    ("Ministry of Unification", {"literal": "Ministry of Unification"}),
    ("Ada Example and Ben Sample", {"literal": "Ada Example and Ben Sample"}),
    ("NATO", {"literal": "NATO"}),
    ("Madonna", {"literal": "Madonna"}),
    ("김정은", {"literal": "김정은"}),
    ("  ", None),
])
def test_a_name_string_is_split_or_kept_whole(text: str, expected: dict[str, str] | None):
    assert parse_name(text) == expected


def test_literal_keeps_the_string_and_as_literal_joins_a_split_name():
    assert parse_name("Ian Mortimer", literal=True) == {"literal": "Ian Mortimer"}
    assert as_literal({"family": "van Beethoven", "given": "Ludwig"}) == {
        "literal": "Ludwig van Beethoven"}


def test_ris_authors_without_a_comma_are_parsed(tmp_path: Path):
    path = tmp_path / "one.ris"
    path.write_text("TY  - BOOK\nTI  - A Year\nAU  - Ian Mortimer\nAU  - Example Press Office\n"
                    "AU  - Defoe, Daniel\nER  - \n", "utf-8")
    [record] = read_references(path, "one.ris").records
    assert record.fields["authors"] == [
        {"family": "Mortimer", "given": "Ian"}, {"literal": "Example Press Office"},
        {"family": "Defoe", "given": "Daniel"}]
