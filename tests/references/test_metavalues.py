from __future__ import annotations

import pytest

from refmap.references.metavalues import author_from_string, clean_doi, metadata_date


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2019", "2019"), ("2019-6", "2019-06"), ("2019/06/12", "2019-06-12"),
        ("2019-06-12T23:30:00-05:00", "2019-06-12"), ("2019-06-12 08:00:00Z", "2019-06-12"),
        ("June 12, 2019", "2019-06-12"), ("12 Jun 2019", "2019-06-12"), ("March 1998", "1998-03"),
        ("Sept 2019", None), ("01/02/2019", None), ("2019-02-30", None), ("2019-13", None),
        ("yesterday", None), ("", None), (2019, None),
    ],
)
def test_dates_only_as_precise_as_given(given: object, expected: str | None) -> None:
    assert metadata_date(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Example, Ada", {"family": "Example", "given": "Ada"}),
        ("  Kim,   Jong Un ", {"family": "Kim", "given": "Jong Un"}),
        ("Kim Jong Un", {"family": "Kim", "given": "Jong Un"}),
        ("Sample, Ben, Jr.", {"family": "Sample, Jr.", "given": "Ben"}),
        ("Ludwig van Beethoven", {"family": "van Beethoven", "given": "Ludwig"}),
        ("Reuters Staff", {"literal": "Reuters Staff"}),
        ("Example,", {"literal": "Example,"}),
        ("https://news.example/authors/ada", None), ("  ", None), (None, None),
    ],
)
def test_names_split_only_on_one_comma(given: object, expected: dict[str, str] | None) -> None:
    assert author_from_string(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [("https://doi.org/10.1000/182", "10.1000/182"), ("doi:10.5555/a.b-c.", "10.5555/a.b-c"),
     ("10.1000/182", "10.1000/182"), ("not a doi", None)],
)
def test_doi_without_resolver(given: str, expected: str | None) -> None:
    assert clean_doi(given) == expected
