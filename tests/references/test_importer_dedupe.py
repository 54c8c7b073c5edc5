"""Identity: the same work only on strong evidence (DOI, ISBN of a whole book, key, URL, each
with the title; title with year and authors); near misses are possible duplicates."""

from __future__ import annotations

from pathlib import Path

from refmap.references.importers import read_references
from refmap.references.importers.dedupe import (
    DuplicateIndex,
    FieldDifference,
    Match,
    PossibleDuplicate,
    Verdict,
    find_duplicate,
    is_placeholder_isbn,
)

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
    incoming = {"type": "article", "title": "Sanctions, signals and the North-Korean economy",
                "date": "2020-03-01", "doi": "https://doi.org/10.5555/jes.2020.0007",
                "pages": "12\u201334", "volume": "7"}
    assert find_duplicate(incoming, EXISTING) == Match("kim2020sanctions", "doi", (
        FieldDifference("title", "Sanctions, Signals and the North Korean Economy",
                        "Sanctions, signals and the North-Korean economy"),
        FieldDifference("date", "2020-03", "2020-03-01"),
        FieldDifference("volume", None, "7"),
    ))


def test_same_doi_with_a_subtitle_dropped_is_one_work() -> None:
    match = find_duplicate({"type": "article", "title": "Sanctions, Signals and the North "
                            "Korean Economy: Evidence from Trade", "doi": "10.5555/jes.2020.0007"},
                           EXISTING)
    assert match is not None and match.by == "doi"


def test_same_doi_with_another_title_is_only_a_possible_duplicate() -> None:
    verdict = DuplicateIndex(EXISTING).judge({"type": "article", "title": "A different paper",
                                              "doi": "10.5555/jes.2020.0007"})
    assert verdict == Verdict(None, (PossibleDuplicate("kim2020sanctions",
                                                       "same DOI, different titles"),))


def test_same_isbn_as_isbn10() -> None:
    match = find_duplicate({"type": "book", "title": "Global Report on Health", "date": "2021",
                            "isbn": "0-306-40615-2"}, EXISTING)
    assert match == Match("who2021global", "isbn", ())


def test_chapters_sharing_their_books_isbn_are_different_works() -> None:
    book = {"type": "book", "title": "Essays on Deterrence", "isbn": "9780306406157",
            "editors": [{"family": "Kim"}]}
    first = {"type": "misc", "title": "Deterrence in theory", "booktitle": "Essays on Deterrence",
             "isbn": "9780306406157", "authors": [{"family": "Lee"}], "pages": "1-20"}
    second = {"type": "misc", "title": "Deterrence in practice",
              "booktitle": "Essays on Deterrence", "isbn": "9780306406157",
              "authors": [{"family": "Park"}], "pages": "21-40"}
    index = DuplicateIndex({"book": book, "first": first})
    verdict = index.judge(second)
    assert verdict.match is None
    assert {p.key for p in verdict.possible} == {"book", "first"}
    assert all("ISBN" in p.reason for p in verdict.possible)
    # even a chapter whose title matches its book's is not the book
    assert index.find({**first, "title": "Essays on Deterrence"}) is None


def test_same_title_with_different_dois_are_different_works() -> None:
    one = {"type": "article", "title": "Introduction", "date": "2019", "doi": "10.5555/a.1",
           "authors": [{"family": "Kim"}]}
    two = {**one, "doi": "10.5555/b.2"}
    verdict = DuplicateIndex({"one": one}).judge(two)
    assert verdict == Verdict(None, (PossibleDuplicate("one", "same title, different DOIs"),))


def test_a_placeholder_isbn_is_no_evidence() -> None:
    assert is_placeholder_isbn("978-0-00-000000-2") and is_placeholder_isbn("0000000000")
    assert not is_placeholder_isbn("9780306406157")
    one = {"type": "book", "title": "Collected papers", "isbn": "9780000000002",
           "authors": [{"family": "Kim"}], "date": "2001"}
    two = {"type": "book", "title": "Collected papers", "isbn": "9780000000002",
           "authors": [{"family": "Choi"}], "date": "2001"}
    verdict = DuplicateIndex({"one": one}).judge(two)
    assert verdict.match is None
    assert [p.reason for p in verdict.possible] == [
        "same title and year, authors differ or are missing"]


def test_a_shared_url_alone_is_no_match() -> None:
    proceedings = "https://proceedings.example.org/2019"
    one = {"type": "inproceedings", "title": "Talks and signals", "url": proceedings,
           "authors": [{"family": "Kim"}]}
    two = {"type": "inproceedings", "title": "Missiles and markets", "url": proceedings,
           "authors": [{"family": "Lee"}]}
    verdict = DuplicateIndex({"one": one}).judge(two)
    assert verdict.match is None
    assert [p.reason for p in verdict.possible] == ["same URL, different titles or authors"]


def test_same_url_and_title_after_normalisation() -> None:
    match = find_duplicate({"type": "online", "title": "Summit Timeline.",
                            "url": "http://www.news.example.kr/timeline?utm_source=x#top"},
                           EXISTING)
    assert match is not None
    assert (match.key, match.by) == ("news2019timeline", "url")
    assert find_duplicate({"type": "online", "title": "Timeline of the summits",
                           "url": "https://news.example.kr/timeline/"}, EXISTING) is None


def test_near_identical_title_needs_the_same_year_and_authors() -> None:
    existing = {"kim": {**EXISTING["kim2020sanctions"], "authors": [
        {"family": "Kim", "given": "Min-ji"}, {"family": "Müller"}]}}
    incoming = {"type": "article", "title": "Sanctions, signals, and the North-Korean economy",
                "date": "2020", "authors": [{"family": "Kim", "given": "M."},
                                            {"family": "Muller"}]}
    match = find_duplicate(incoming, existing)
    assert match is not None
    assert (match.key, match.by) == ("kim", "title")
    # "and others": the shorter list's names all in the longer
    assert find_duplicate({**incoming, "authors": [{"family": "Kim"}]}, existing) is not None
    assert find_duplicate({**incoming, "date": "2021"}, existing) is None
    assert find_duplicate({**incoming, "authors": [{"family": "Lee"}]}, existing) is None
    assert find_duplicate({k: v for k, v in incoming.items() if k != "authors"}, existing) is None
    assert find_duplicate({**incoming, "title": "Sanctions and the economy"}, existing) is None


def test_a_carried_key_with_a_matching_title_is_the_same_work() -> None:
    index = DuplicateIndex(EXISTING, aliases={"old-timeline": "news2019timeline"})
    page = {"type": "online", "title": "Summit timeline"}
    assert index.find(page, "news2019timeline") == Match("news2019timeline", "key", ())
    assert index.find(page, "old-timeline") == Match("news2019timeline", "key", ())
    assert index.find({"type": "online", "title": "Another page"}, "news2019timeline") is None


def test_title_lookups_stay_bounded_on_a_library_of_one_title() -> None:
    same = {f"k{i}": {"type": "article", "title": "Introduction", "date": "2019",
                      "authors": [{"family": f"a{i}"}]} for i in range(2000)}
    index = DuplicateIndex(same)
    verdict = index.judge({"type": "article", "title": "Introduction", "date": "2019",
                           "authors": [{"family": "nobody"}]})
    assert verdict.match is None and len(verdict.possible) == 3


def test_an_index_grows_with_the_records_of_one_import() -> None:
    index = DuplicateIndex(EXISTING)
    new = {"type": "misc", "title": "A new work", "doi": "10.5555/new"}
    assert index.find(new) is None
    index.add("new2022work", new)
    assert index.find({"type": "misc", "title": "A New Work.", "doi": "10.5555/NEW"}) == Match(
        "new2022work", "doi", (FieldDifference("title", "A new work", "A New Work."),))


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
