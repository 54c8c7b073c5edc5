"""Reading references: exact fields from real-shaped exports, round trips of refmap's own
exports, and bad input refused with its position."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples

from refmap.errors import LoadError
from refmap.exporters import bibtex as bibtex_export
from refmap.exporters import csljson as csljson_export
from refmap.references.importers import ImportBatch, read_references
from refmap.references.importers import bibtex as bibtex_reader
from refmap.references.importers import csljson as csljson_reader
from refmap.references.importers.csljson import csl_item_to_fields
from refmap.references.importers.record import SkippedEntry, source_to_fields
from refmap.mapfile.model import ClaimsMap, EssayRecord, Name, Source
from refmap.mapfile.schema import load_map
from refmap.spans import Span

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
ROOT = Path(__file__).resolve().parents[2]

KIM_2020 = {
    "type": "article",
    "title": "Sanctions, Signals and the North Korean Economy: Evidence from Border Trade, "
             "2016\u20132019",
    "authors": [{"family": "Kim", "given": "Min-ji"}, {"family": "Müller", "given": "Jörg"},
                {"literal": "World Health Organization"}],
    "journal": "Journal of Example Studies",
    "date": "2020-03",
    "url": "https://example.org/jes/7/2/12",
    "accessed": "2026-11-25",
    "doi": "10.5555/jes.2020.0007",
    "issn": "0378-5955",
    "volume": "7",
    "number": "2",
    "pages": "12-34",
}
WHO_2021 = {
    "type": "book",
    "title": "Global Report on Health in Crisis Settings",
    "authors": [{"literal": "World Health Organization"}],
    "publisher": "World Health Organization",
    "location": "Geneva",
    "date": "2021",
    "isbn": "9780306406157",
    "edition": "2",
}


def read(name: str) -> ImportBatch:
    return read_references(FIXTURES / name, name)


def summary(batch: ImportBatch) -> list[tuple[str | None, int, int, dict[str, object]]]:
    return [(r.key, r.span.line, r.span.col, r.fields) for r in batch.records]


def test_better_bibtex_biblatex_export() -> None:
    batch = read("better-bibtex.bib")
    assert batch.format == "bibtex"
    assert summary(batch) == [
        ("kim2020sanctions", 2, 1,
         {**KIM_2020, "publisher": "Example & Sons", "language": "english",
          "extra": {"keywords": "sanctions,trade",
                    "file": "/home/user/Zotero/storage/ABCD1234/kim2020.pdf"}}),
        ("worldhealthorganization2021global", 20, 1, {**WHO_2021, "language": "english"}),
        ("choi2019pyeongyang", 31, 1, {
            "type": "online", "title": "평양 회담 이후의 남북 관계",
            "authors": [{"family": "최", "given": "은영"}, {"family": "Park", "given": "Ji-hoon"}],
            "site": "Example News Korea", "date": "2019-09-19",
            "url": "https://news.example.kr/articles/2019/09/19/summit?utm_source=rss",
            "accessed": "2026-11-24", "language": "korean",
        }),
        ("lee2021deterrence", 41, 1, {
            "type": "misc", "title": "Deterrence under Uncertainty",
            "authors": [{"family": "Lee", "given": "Soo-jin"}], "date": "2021-01-04",
            "eprint": "2101.00001", "eprinttype": "arxiv",
            "extra": {"eprintclass": "physics.soc-ph"},
        }),
    ]
    assert [r.warnings for r in batch.records] == [
        ("kept under extra (refmap has no field for them): file, keywords",), (), (),
        ("kept under extra (refmap has no field for them): eprintclass",
         "ISBN check digit is 3, expected 7; left out")]
    assert batch.skipped == ()


def test_jabref_bibtex_with_strings_crossref_and_latex_accents() -> None:
    assert summary(read("jabref.bib")) == [
        ("Mueller2018", 6, 1, {
            "type": "article", "title": "Deterrence on the Korean Peninsula \u2013 a Reassessment",
            "authors": [{"family": "Müller", "given": "Jörg"}, {"family": "Kim", "given": "Min-ji"}],
            "journal": "Journal of Example Studies", "date": "2018-09",
            "doi": "10.5555/jes.2018.0042", "volume": "55", "number": "4", "pages": "501-517",
        }),
        ("Park2019", 18, 1, {
            "type": "inproceedings", "title": "Sanctions and Signals",
            "authors": [{"family": "Park", "given": "Ji-hoon"}],
            "editors": [{"family": "Ngô", "given": "Thị Lan"},
                        {"family": "Østergaard", "given": "Søren"}],
            "booktitle": "Proceedings of the Example Studies Convention",
            "publisher": "Example Press", "location": "Seoul", "date": "2019", "pages": "45-60",
        }),
        ("ESC2019", 25, 1, {
            "type": "proceedings", "title": "Proceedings of the Example Studies Convention",
            "editors": [{"family": "Ngô", "given": "Thị Lan"},
                        {"family": "Østergaard", "given": "Søren"}],
            "publisher": "Example Press", "location": "Seoul", "date": "2019",
        }),
        ("EIP2019", 33, 1, {
            "type": "report",
            "title": "Humanitarian Access in North Korea: 50% of Requests Unanswered",
            "authors": [{"literal": "Example Institute for Peace"},
                        {"family": "Çelik", "given": "Ayşe"}],
            "institution": "Example Institute for Peace", "date": "2019-03",
            "url": "https://example.org/reports/eip-2019-3", "number": "EIP/2019/3",
        }),
    ]


def test_better_csl_json_keeps_citation_keys_and_skips_an_untitled_item() -> None:
    batch = read("better-csl.json")
    assert batch.format == "csl-json"
    assert summary(batch) == [
        ("kim2020sanctions", 2, 3, {**KIM_2020, "language": "en"}),
        ("choi2019pyeongyang", 23, 3, {
            "type": "online", "title": "평양 회담 이후의 남북 관계",
            "authors": [{"family": "최", "given": "은영"},
                        {"family": "van den Berg", "given": "Jan"}],
            "site": "Example News Korea", "date": "2019-09-19",
            "url": "https://news.example.kr/articles/2019/09/19/summit",
        }),
        ("worldhealthorganization2021global", 36, 3, WHO_2021),
    ]
    assert batch.skipped == (
        SkippedEntry("untitled2020", Span("better-csl.json", 48, 3), "has no title"),)


def test_plain_zotero_csl_json_carries_no_key() -> None:
    assert summary(read("zotero.json")) == [(None, 2, 3, {
        "type": "report", "title": "The State of Example Studies",
        "authors": [{"family": "Çelik", "given": "Ayşe"}],
        "institution": "Example Institute for Peace", "date": "2022-05-17",
        "number": "EIP/2022/1",
    })]


def test_library_catalogue_ris_with_crlf_lines() -> None:
    batch = read("catalogue.ris")
    assert batch.format == "ris"
    assert summary(batch) == [
        (None, 1, 1, {
            "type": "book", "title": "Diplomacy after the summits : Korea, 2018\u20132020",
            "authors": [{"family": "Kim", "given": "Min-ji"}, {"family": "Lee", "given": "Soo-jin"}],
            "publisher": "Example University Press", "location": "Seoul", "date": "2021",
            "url": "https://catalogue.example.org/record/123", "language": "kor",
            "note": "Includes bibliographical references and index.", "isbn": "9788991234567",
        }),
        (None, 15, 1, {
            "type": "article", "title": "Health security on the Korean peninsula",
            "authors": [{"family": "Müller", "given": "Jörg"},
                        {"literal": "World Health Organization"}],
            "journal": "Journal of Example Studies", "date": "2019-06-12",
            "doi": "10.5555/jes.2019.012", "issn": "0378-5955", "volume": "12", "number": "3",
            "pages": "101-118",
        }),
        (None, 30, 1, {
            "type": "incollection", "title": "Families divided",
            "authors": [{"family": "최", "given": "은영"}],
            "editors": [{"family": "Ngô", "given": "Thị Lan"}],
            "booktitle": "Korea after the Cold War", "publisher": "Example Press",
            "date": "2015", "pages": "77-95",
        }),
        (None, 40, 1, {
            "type": "online", "title": "Summit timeline", "site": "Example News Korea",
            "date": "2019-06", "url": "https://news.example.kr/timeline", "accessed": "2026-11-25",
        }),
    ]


def test_csl_item_to_fields_for_one_content_negotiation_answer() -> None:
    item = {
        "type": "article-journal", "title": "A Study", "DOI": "10.5555/ABC",
        "author": [{"family": "King", "given": "Martin", "suffix": "Jr."}],
        "container-title": "Example Journal", "issued": {"date-parts": [[2019, 13]]},
        "volume": 4, "PMID": "31452104",
    }
    fields = csl_item_to_fields(item)
    assert fields == {
        "type": "article", "title": "A Study",
        "authors": [{"family": "King, Jr.", "given": "Martin"}], "journal": "Example Journal",
        "date": "2019", "doi": "10.5555/ABC", "volume": "4", "eprint": "31452104",
        "eprinttype": "pubmed",
    }
    assert list(fields) == ["type", "title", "authors", "journal", "date", "doi", "volume",
                            "eprint", "eprinttype"]
    assert csl_item_to_fields({"type": "book", "title": "T", "ISBN": "978-0-306-40615-3"}) == {
        "type": "book", "title": "T"}


# -- round trips of refmap's own exports -------------------------------------------------------

def _round_trip(batch: ImportBatch) -> None:
    cmap = load_map(ROOT / "claims.yaml")
    assert [r.key for r in batch.records] == list(cmap.sources)
    assert batch.skipped == ()
    for record in batch.records:
        assert (record.key, record.fields) == (record.key, source_to_fields(cmap.sources[record.key]))
        assert record.warnings == ()


def test_biblatex_export_of_the_bundled_map_reads_back_the_same_sources(tmp_path: Path) -> None:
    path = tmp_path / "export.bib"
    path.write_text(bibtex_export.export(load_map(ROOT / "claims.yaml")), encoding="utf-8")
    _round_trip(read_references(path, "export.bib"))


def test_csl_json_export_of_the_bundled_map_reads_back_the_same_sources(tmp_path: Path) -> None:
    path = tmp_path / "export.json"
    path.write_text(csljson_export.export(load_map(ROOT / "claims.yaml")), encoding="utf-8")
    _round_trip(read_references(path, "export.json"))


# -- bad input ---------------------------------------------------------------------------------

def refused(tmp_path: Path, name: str, data: bytes | str, fmt: str | None = None) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    with pytest.raises(LoadError) as info:
        read_references(path, name, fmt)
    return str(info.value)


def test_bib_with_unbalanced_braces(tmp_path: Path) -> None:
    text = "@book{a,\n  title = {Broken {title},\n  year = {2019}\n}\n\n@misc{b, title = {ok}}\n"
    assert refused(tmp_path, "bad.bib", text) == (
        "bad.bib:1:1: @book entry is not closed (unbalanced braces or quotes): "
        "a new entry starts on line 6")


def test_bib_with_unbalanced_braces_at_the_end(tmp_path: Path) -> None:
    text = "@misc{ok, title = {Fine}}\n\n  @book{a,\n  title = {Broken {title},\n}\n"
    assert refused(tmp_path, "bad.bib", text) == (
        "bad.bib:3:3: @book entry is not closed (unbalanced braces or quotes) "
        "at the end of the file")


def test_bib_with_a_duplicate_key_reads_both_entries_in_file_order(tmp_path: Path) -> None:
    """The import decides whether the second is the same work (tests/test_import_identity.py)."""
    path = tmp_path / "dup.bib"
    path.write_text("@string{j = {Journal}}\n@misc{a, title = {One}}\n@misc{b, title = {Two}}\n"
                    "@book{a, title = {Three}, publisher = j}\n", "utf-8")
    records = read_references(path, "dup.bib").records
    assert [(r.key, r.span.line, r.fields["title"]) for r in records] == [
        ("a", 2, "One"), ("b", 3, "Two"), ("a", 4, "Three")]
    assert records[2].fields["publisher"] == "Journal"


def test_bib_with_a_duplicate_string_is_refused(tmp_path: Path) -> None:
    text = "@string{j = {A}}\n@misc{b, title = {Two}}\n@string{j = {B}}\n"
    assert refused(tmp_path, "dup.bib", text) == "dup.bib:3:1: duplicate key 'j' (first on line 1)"


def test_bib_entry_syntax_error_is_escaped_into_one_line(tmp_path: Path) -> None:
    text = "@misc{a, title {x}}\n"
    message = refused(tmp_path, "syntax.bib", text)
    assert message.startswith("syntax.bib:1:1: cannot parse @misc entry: 'Expected")
    assert "\n" not in message


def test_csl_json_that_is_not_an_array(tmp_path: Path) -> None:
    assert refused(tmp_path, "one.json", '\n  {"id": "a", "title": "x"}\n') == (
        "one.json:2:3: CSL-JSON must be an array of items, not an object")


def test_csl_json_with_an_item_that_is_not_an_object(tmp_path: Path) -> None:
    assert refused(tmp_path, "items.json", '[{"title": "x"},\n "y"]') == (
        "items.json:2:2: CSL-JSON item must be an object, not a string")


def test_csl_json_syntax_error_has_its_position(tmp_path: Path) -> None:
    assert refused(tmp_path, "broken.json", '[\n  {"title": "x",}\n]') == (
        "broken.json:2:17: invalid JSON: Expecting property name enclosed in double quotes")
    assert refused(tmp_path, "open.json", '[{"title": "x"}') == (
        "open.json:1:16: invalid JSON: the array is not closed with ']'")


def test_ris_record_without_er(tmp_path: Path) -> None:
    text = "TY  - BOOK\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\n"
    assert refused(tmp_path, "cut.ris", text) == (
        "cut.ris:5:1: RIS record has no end tag 'ER  -' before the end of the file")
    text = "TY  - BOOK\nTI  - One\nTY  - JOUR\nTI  - Two\nER  - \n"
    assert refused(tmp_path, "cut.ris", text) == (
        "cut.ris:1:1: RIS record has no end tag 'ER  -' before the next 'TY' on line 3")


def test_a_file_in_another_encoding(tmp_path: Path) -> None:
    latin1 = "@misc{a,\n  title = {Caf\u00e9}\n}\n".encode("latin-1")
    assert refused(tmp_path, "latin1.bib", latin1) == (
        "latin1.bib:2:15: not valid UTF-8: byte 0xe9 cannot be decoded")
    assert refused(tmp_path, "latin1.ris", "TY  - BOOK\nTI  - Caf\u00e9\nER  - \n".encode("latin-1")) == (
        "latin1.ris:2:10: not valid UTF-8: byte 0xe9 cannot be decoded")


def test_format_from_extension_or_named(tmp_path: Path) -> None:
    assert refused(tmp_path, "refs.txt", "") == (
        "refs.txt: cannot tell the format from the extension '.txt': use .bib, .json or .ris, "
        "or name the format")
    assert refused(tmp_path, "refs.txt", "", fmt="endnote") == (
        "refs.txt: unknown import format 'endnote' (one of: bibtex, csl-json, ris)")
    path = tmp_path / "refs.txt"
    path.write_text("TY  - BOOK\nTI  - Named\nER  - \n", encoding="utf-8")
    assert read_references(path, "refs.txt", "ris").records[0].fields == {
        "type": "book", "title": "Named"}


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError) as info:
        read_references(tmp_path / "none.bib", "none.bib")
    assert str(info.value) == "none.bib: no such file"


# -- names and records in detail ---------------------------------------------------------------

def test_bibtex_name_forms(tmp_path: Path) -> None:
    path = tmp_path / "names.bib"
    path.write_text(
        "@book{names,\n  title = {Names},\n  author = {Jong Un Kim and van der Berg, Jan and "
        "King, Jr, Martin Luther and {Lloyd Parry}, Richard and {{Gallup Korea}} and "
        "Moon Jae-in AND others},\n}\n", encoding="utf-8")
    assert read_references(path, "names.bib").records[0].fields["authors"] == [
        {"family": "Kim", "given": "Jong Un"},
        {"family": "van der Berg", "given": "Jan"},
        {"family": "King, Jr", "given": "Martin Luther"},
        {"family": "Lloyd Parry", "given": "Richard"},
        {"literal": "Gallup Korea"},
        {"family": "Jae-in", "given": "Moon"},
    ]


def test_bibtex_warnings_for_a_missing_crossref_and_a_bad_doi(tmp_path: Path) -> None:
    path = tmp_path / "warn.bib"
    path.write_text("@inproceedings{p,\n  title = {Part},\n  crossref = {nowhere},\n"
                    "  doi = {11.1/x},\n  year = {2019},\n  month = {13},\n}\n", encoding="utf-8")
    record = read_references(path, "warn.bib").records[0]
    assert record.fields == {"type": "inproceedings", "title": "Part", "date": "2019"}
    assert record.warnings == ("crossref 'nowhere' is not in the file; nothing inherited",
                               "DOI '11.1/x' does not start with '10.'; left out")


def test_ris_tags_outside_records(tmp_path: Path) -> None:
    assert refused(tmp_path, "stray.ris", "TI  - Loose\nTY  - BOOK\nER  - \n") == (
        "stray.ris:1:1: tag 'TI' outside a record (a record starts with 'TY  - ')")
    assert refused(tmp_path, "stray.ris", "TY  - BOOK\nER  - \nER  - \n") == (
        "stray.ris:3:1: 'ER' end tag without a 'TY' record start")
    assert refused(tmp_path, "empty.ris", "\n") == (
        "empty.ris:1:1: no RIS records (a record starts with 'TY  - ')")


_TEXT = st.text(alphabet="abcXYZ 019-'`\"&%$#_{}~^\\,.:;éÖ김–—“”@=()/", min_size=1, max_size=30)
_TEXT = _TEXT.map(lambda t: " ".join(t.split())).filter(bool)
_NAME = st.one_of(
    st.builds(Name, family=_TEXT, given=_TEXT),
    # A given-less family name with LaTeX specials is braced whole by the exporter, the same
    # as an organisation: that form cannot tell the two apart, so it is left out here.
    st.builds(Name, family=st.text(alphabet="abcXYZé김", min_size=1, max_size=8)),
    st.builds(Name, literal=_TEXT),
)


@settings(max_examples=examples(150), deadline=None)
@given(title=_TEXT, authors=st.lists(_NAME, max_size=3), site=st.one_of(st.none(), _TEXT),
       note=st.one_of(st.none(), _TEXT))
def test_any_exported_source_reads_back_the_same(title: str, authors: list[Name],
                                                 site: str | None, note: str | None) -> None:
    source = Source(key="k1", type="online", title=title, authors=tuple(authors), site=site,
                    note=note, url="https://example.org/a?b=1&c=%20")
    cmap = ClaimsMap(path="m", version=1, essay=EssayRecord(path="e"), sources={"k1": source},
                     claims=())
    for text, reader in ((bibtex_export.export(cmap), bibtex_reader.read),
                         (csljson_export.export(cmap), csljson_reader.read)):
        batch = reader(text, "export")
        assert [r.fields for r in batch.records] == [source_to_fields(source)]


_MACRO_CASES = r"""@String{a = {Studies}}
@String{b = a # { of Examples}}
@String{bad = undefinedthing # {x}}
@String{q = "Quoted {Value}"}
@Article{k1, title = "A quoted {Title} here", journal = b, year = 2019, month = "jun",
  note = {x} # " y" # q, pages = {{1}--{2}}, number = {{braced} twice}, volume = " 7 "}
@Article{k2, title = {Concat } # b # " tail", journal = bad, publisher = nosuchmacro,
  year = {2020}, series = {a \{ b}, edition = {}, doi = "x {"} y"}
@Article{k1, title = {{Braced} twice} and {odd}, journal = q, year = jun}
"""


@pytest.mark.parametrize("text", [
    _MACRO_CASES,
    (Path(__file__).parent.parent / "fixtures" / "import" / "jabref.bib").read_text("utf-8"),
    (Path(__file__).parent.parent / "fixtures" / "import" / "better-bibtex.bib")
    .read_text("utf-8"),
])
def test_one_pass_resolution_equals_the_two_middlewares(text: str) -> None:
    """resolve_library leaves each entry's fields, the problems noted and the @string values
    as ResolveMacrosMiddleware then RemoveEnclosingMiddleware leave them."""
    from bibtexparser.entrypoint import parse_string
    from bibtexparser.middlewares import RemoveEnclosingMiddleware

    from refmap.references.bibmacros import PROBLEMS, ResolveMacrosMiddleware, resolve_library

    def shape(library: object) -> object:
        return ([(e.key, [(f.key, f.value) for f in e.fields], e.parser_metadata.get(PROBLEMS))
                 for e in library.entries],  # type: ignore[attr-defined]
                [(s.key, s.value) for s in library.strings])  # type: ignore[attr-defined]

    two = parse_string(text, parse_stack=[ResolveMacrosMiddleware(),
                                          RemoveEnclosingMiddleware()])
    one = resolve_library(parse_string(text, parse_stack=[]))
    assert shape(one) == shape(two)
    assert one.entries  # the cases parse


def test_a_record_names_the_identifiers_it_checked_and_only_those() -> None:
    # the import trusts these as canonical and does not check them again (plainly_valid)
    batch = bibtex_reader.read("@article{k, title = {T}, doi = {https://doi.org/10.1000/X},\n"
                               "  pages = {12--34}, isbn = {nope}, volume = {3}}\n", "x.bib")
    (record,) = batch.records
    assert record.checked == {"doi", "pages"}
    assert record.fields["doi"] == "10.1000/X" and record.fields["pages"] == "12-34"
    assert "isbn" not in record.fields
