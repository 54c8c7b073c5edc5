"""Duplicate detection: by DOI, ISBN, URL, or near-identical title and the same year."""

from __future__ import annotations

from pathlib import Path

from refmap.references.importers import read_references
from refmap.references.importers.dedupe import DuplicateIndex, FieldDifference, Match, find_duplicate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"

EXISTING = {
    "kim2020sanctions": {
        "type": "article", "title": "Sanctions, Signals and the North Korean Economy",
        "journal": "Journal of Example Studies", "date": "2020-03",
        "doi": "10.5555/JES.2020.0007", "pages": "12-34",
    },
    "who2021global": {
        "type": "book", "title": "Global Report on Health", "date": "2021", "isbn": "9780306406157",
    },
    "news2019timeline": {
        "type": "online", "title": "Summit timeline", "url": "https://news.example.kr/timeline/",
    },
}


def test_same_doi_in_another_form_and_case() -> None:
    incoming = {"type": "article", "title": "Sanctions, signals and the economy",
                "date": "2020-03-01", "doi": "https://doi.org/10.5555/jes.2020.0007",
                "pages": "12\u201334", "volume": "7"}
    assert find_duplicate(incoming, EXISTING) == Match("kim2020sanctions", "doi", (
        FieldDifference("title", "Sanctions, Signals and the North Korean Economy",
                        "Sanctions, signals and the economy"),
        FieldDifference("date", "2020-03", "2020-03-01"),
        FieldDifference("volume", None, "7"),
    ))


def test_same_isbn_as_isbn10() -> None:
    match = find_duplicate({"type": "book", "title": "Global Report on Health", "date": "2021",
                            "isbn": "0-306-40615-2"}, EXISTING)
    assert match == Match("who2021global", "isbn", ())


def test_same_url_after_normalisation() -> None:
    match = find_duplicate({"type": "online", "title": "Timeline of the summits",
                            "url": "http://www.news.example.kr/timeline?utm_source=x#top"}, EXISTING)
    assert match is not None
    assert (match.key, match.by) == ("news2019timeline", "url")


def test_near_identical_title_and_same_year() -> None:
    incoming = {"type": "article", "title": "Sanctions, signals, and the North-Korean economy",
                "date": "2020"}
    match = find_duplicate(incoming, EXISTING)
    assert match is not None
    assert (match.key, match.by) == ("kim2020sanctions", "title")
    assert find_duplicate({**incoming, "date": "2021"}, EXISTING) is None
    assert find_duplicate({"type": "online", "title": "Summit timelines"}, EXISTING) is not None
    assert find_duplicate({"type": "article", "title": "Sanctions and the economy",
                           "date": "2020"}, EXISTING) is None


def test_an_index_grows_with_the_records_of_one_import() -> None:
    index = DuplicateIndex(EXISTING)
    new = {"type": "misc", "title": "A new work", "doi": "10.5555/new"}
    assert index.find(new) is None
    index.add("new2022work", new)
    assert index.find({"type": "misc", "title": "Other", "doi": "10.5555/NEW"}) == Match(
        "new2022work", "doi", (FieldDifference("title", "A new work", "Other"),))


def test_importing_the_same_file_twice_finds_every_record() -> None:
    for name in ("better-bibtex.bib", "jabref.bib", "better-csl.json", "catalogue.ris"):
        records = read_references(FIXTURES / name, name).records
        index = DuplicateIndex({f"r{i}": r.fields for i, r in enumerate(records)})
        assert [index.find(r.fields) for r in records] == [
            Match(f"r{i}", by, ()) for i, by in enumerate(
                "doi" if "doi" in r.fields else "isbn" if "isbn" in r.fields
                else "url" if "url" in r.fields else "title" for r in records)]


def test_the_csl_export_of_a_library_matches_its_bib_export() -> None:
    bib = read_references(FIXTURES / "better-bibtex.bib", "better-bibtex.bib").records
    index = DuplicateIndex({r.key or "": r.fields for r in bib})
    csl = read_references(FIXTURES / "better-csl.json", "better-csl.json").records
    assert [index.find(r.fields) for r in csl] == [
        Match("kim2020sanctions", "doi", (FieldDifference("language", "english", "en"),)),
        Match("choi2019pyeongyang", "url", (
            FieldDifference("authors",
                            [{"family": "최", "given": "은영"}, {"family": "Park", "given": "Ji-hoon"}],
                            [{"family": "최", "given": "은영"},
                             {"family": "van den Berg", "given": "Jan"}]),
        )),
        Match("worldhealthorganization2021global", "isbn", ()),
    ]
