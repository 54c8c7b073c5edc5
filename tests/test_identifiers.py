"""Identifiers: canonical forms and the exact reason an invalid one is refused."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from refmap import identifiers
from refmap.identifiers import (
    Checked,
    check_arxiv,
    check_doi,
    check_eprint,
    check_eprinttype,
    check_isbn,
    check_issn,
    check_pages,
    check_pmid,
    normalise_doi,
    render_pages,
    same_doi,
    url_identity,
)


@pytest.mark.parametrize("text, doi", [
    ("10.1000/xyz123", "10.1000/xyz123"),
    ("https://doi.org/10.1038/nphys1170", "10.1038/nphys1170"),
    ("http://dx.doi.org/10.1002/(SICI)1097-4636(199706)35:4<501::AID-JBM9>3.0.CO;2-H",
     "10.1002/(SICI)1097-4636(199706)35:4<501::AID-JBM9>3.0.CO;2-H"),
    ("doi:10.1000.10/ABC", "10.1000.10/ABC"),
    ("DOI: 10.1000/abc", "10.1000/abc"),
    ("https://doi.org/10.1000/a%23b", "10.1000/a#b"),
    ("  10.1000/x  ", "10.1000/x"),
])
def test_valid_dois_lose_their_prefix_and_keep_their_case(text: str, doi: str) -> None:
    assert normalise_doi(text) == doi


@pytest.mark.parametrize("text, problem", [
    ("11.1000/x", "DOI '11.1000/x' does not start with '10.'"),
    ("10.abc/x", "DOI '10.abc/x' has a registrant that is not dotted digits (as in 10.1000/...)"),
    ("10.1000", "DOI '10.1000' has no suffix after '10.<registrant>/'"),
    ("10.1000/", "DOI '10.1000/' has no suffix after '10.<registrant>/'"),
    ("10.1000/a b", "DOI '10.1000/a b' contains spaces or control characters"),
    ("10.1000/a\x1b", "DOI '10.1000/a\\x1b' contains spaces or control characters"),
    ("https://example.org/10.1000/x", "DOI 'https://example.org/10.1000/x' does not start with '10.'"),
])
def test_invalid_dois_say_why(text: str, problem: str) -> None:
    assert check_doi(text) == Checked(None, problem)


def test_dois_compare_case_insensitively_in_any_form() -> None:
    assert same_doi("https://doi.org/10.1000/ABC", "doi:10.1000/abc")
    assert not same_doi("10.1000/abc", "10.1000/abd")
    assert not same_doi("nonsense", "nonsense")


@pytest.mark.parametrize("text, isbn", [
    ("978-0-306-40615-7", "9780306406157"),
    ("9780306406157", "9780306406157"),
    ("0-306-40615-2", "9780306406157"),
    ("ISBN 0 306 40615 2", "9780306406157"),
    ("ISBN-10: 0-8044-2957-X", "9780804429573"),
    ("979-10-90636-07-1", "9791090636071"),
])
def test_valid_isbns_become_isbn13_digits(text: str, isbn: str) -> None:
    assert check_isbn(text) == Checked(isbn)


@pytest.mark.parametrize("text, problem", [
    ("978-0-306-40615-3", "ISBN check digit is 3, expected 7"),
    ("0-306-40615-9", "ISBN check digit is 9, expected 2"),
    ("977-0-306-40615-7", "ISBN-13 '977-0-306-40615-7' does not start with 978 or 979"),
    ("12345", "ISBN '12345' is not 10 or 13 digits (the last of an ISBN-10 may be X)"),
    ("97803064061X7", "ISBN '97803064061X7' is not 10 or 13 digits (the last of an ISBN-10 may be X)"),
])
def test_invalid_isbns_say_why(text: str, problem: str) -> None:
    assert check_isbn(text) == Checked(None, problem)


@pytest.mark.parametrize("text, result", [
    ("0378-5955", Checked("0378-5955")),
    ("03785955", Checked("0378-5955")),
    ("ISSN 2434-561x", Checked("2434-561X")),
    ("0378-5954", Checked(None, "ISSN check digit is 4, expected 5")),
    ("378-5955", Checked(None, "ISSN '378-5955' is not of the form NNNN-NNNC")),
])
def test_issns(text: str, result: Checked) -> None:
    assert check_issn(text) == result


@pytest.mark.parametrize("text, result", [
    ("2101.00001", Checked("2101.00001")),
    ("arXiv:2101.00001v2", Checked("2101.00001v2")),
    ("https://arxiv.org/abs/0704.0001", Checked("0704.0001")),
    ("hep-th/9901001", Checked("hep-th/9901001")),
    ("math.GT/0309136v1", Checked("math.GT/0309136v1")),
    ("2113.00001", Checked(None, "arXiv id '2113.00001' has month 13")),
    ("2101.0001", Checked(None, "arXiv id '2101.0001' has 4 digits after the dot for its year")),
    ("arxiv 12", Checked(None, "arXiv id 'arxiv 12' is neither YYMM.NNNNN nor archive/YYMMNNN")),
])
def test_arxiv_ids(text: str, result: Checked) -> None:
    assert check_arxiv(text) == result


def test_pubmed_ids_and_eprint_types() -> None:
    assert check_pmid("PMID: 31452104") == Checked("31452104")
    assert check_pmid("0") == Checked(None, "PubMed id '0' is not a number of 1 to 8 digits")
    assert check_eprinttype("arXiv") == Checked("arxiv")
    assert check_eprinttype("PMID") == Checked("pubmed")
    assert check_eprinttype("ssrn") == Checked(
        None, "unknown eprint type 'ssrn' (one of: arxiv, pubmed, jstor, hdl, googlebooks)")
    assert check_eprint("123456", "jstor") == Checked("123456")
    assert check_eprint("12 34", "hdl") == Checked(None, "eprint '12 34' is empty or contains spaces")
    assert check_eprint("x", "pubmed").problem == "PubMed id 'x' is not a number of 1 to 8 digits"


@pytest.mark.parametrize("text, pages", [
    ("12-34", "12-34"), ("12--34", "12-34"), ("12\u201334", "12-34"), ("12 \u2014 34", "12-34"),
    ("e1001234", "e1001234"), ("iv-xii", "iv-xii"), ("S1-S9, 40;41", "S1-S9, 40, 41"),
])
def test_pages_become_ascii_ranges(text: str, pages: str) -> None:
    assert check_pages(text) == Checked(pages)


def test_pages_that_are_not_page_numbers() -> None:
    assert check_pages("see chapter two") == Checked(
        None, "pages 'see chapter two' are not page numbers or ranges such as 12-34")
    assert check_pages("12-") == Checked(
        None, "pages '12-' are not page numbers or ranges such as 12-34")


def test_pages_render_with_each_formats_dash() -> None:
    assert render_pages("12-34, 56", "csl") == "12\u201334, 56"
    assert render_pages("12\u201334", "bibtex") == "12--34"
    assert render_pages("chapter 3", "bibtex") == "chapter 3"


@pytest.mark.parametrize("a, b", [
    ("https://Example.org/a/", "http://example.org/a"),
    ("https://www.example.org:443/a?x=1&utm_source=feed#top", "https://example.org/a?x=1"),
    ("HTTP://EXAMPLE.ORG:80", "https://example.org/"),
])
def test_urls_that_name_the_same_page_compare_equal(a: str, b: str) -> None:
    assert url_identity(a) == url_identity(b)


def test_urls_that_differ_keep_differing() -> None:
    assert url_identity("https://example.org/a?id=1") != url_identity("https://example.org/a?id=2")
    assert url_identity("https://example.org:8080/a") != url_identity("https://example.org/a")
    assert url_identity("https://example.org/A") != url_identity("https://example.org/a")


_URL_PARTS = st.sampled_from(["http", "https", "HTTP", "Https", "ftp", "www.", "WWW.", "Example",
                              "example", ".org", ".", "-", "/", "//", "?", "#", ":", ":443",
                              ":80", ":8080", "@", "user@", "%20", "%zz", "a", "Z9", "[::1]",
                              "utm_source=x", "&", "=", ";", "~", " ", "é", "://"])


@settings(max_examples=500)
@given(st.lists(_URL_PARTS, max_size=14).map("".join))
@example("https://Example.org/a//")
@example("http://www.x.com:80/")
def test_simple_urls_take_the_short_way_to_the_same_answers(url: str) -> None:
    """A URL of a host and a path (values.SIMPLE_WEB_URL) is a web URL and gets the identity
    the general parse gives it."""
    from refmap.identifiers import _parsed_identity
    from refmap.values import SIMPLE_WEB_URL, is_web_url

    for candidate in (url, "https://" + url, "http://www." + url):
        assert identifiers.url_identity(candidate) == _parsed_identity(candidate.strip())
        if SIMPLE_WEB_URL.match(candidate):
            parts = urlsplit(candidate)
            assert parts.scheme in ("http", "https") and parts.hostname
            assert is_web_url(candidate)


_IDENTIFIER_TEXT = st.one_of(
    st.sampled_from(["10.1000/xyz", " https://doi.org/10.1000%2Fa%20b ", "doi:10.1/x y",
                     "978-0-306-40615-7", "0-306-40615-2", "ISBN: 0306406152", "0378-5955",
                     "12--34", "S1 – S9; 40", "xii-xv", "arxiv", "PubMed", "hdl"]),
    st.text(alphabet="0123456789-–X/.:; ,doixhtps", max_size=20))


@given(st.sampled_from(sorted(identifiers.FIELD_CHECKS)), _IDENTIFIER_TEXT)
@example("doi", "https://doi.org/10.1000%2Fabc")
@example("pages", "12 -- 34, S1")
def test_a_canonical_value_passes_its_check_as_it_is(name: str, text: str) -> None:
    # an import checks each identifier once (record.checked_finish) and the map's rules do
    # not check the canonical value again (schema.plainly_valid): that needs this to hold
    check = identifiers.FIELD_CHECKS[name]
    first = check(text)
    if first.ok:
        assert check(str(first.value)) == first
