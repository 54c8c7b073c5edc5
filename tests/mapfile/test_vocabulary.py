"""The type and field vocabulary: a generated library with every type and every field, in
BibLaTeX, BibTeX, CSL-JSON and RIS, survives import -> export -> import in every format, renders
through pandoc --citeproc without a warning, and passes biber's data-model validation."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bibtools import biber_validate, pandoc_render
from refmap.exporters import bibtex, csljson
from refmap.exporters import ris as ris_export
from refmap.references.importers import read_references
from refmap.references.importers.record import fields_to_source, source_to_fields
from refmap.mapfile.vocabulary import (
    BIBLATEX_ALLOWED,
    FIELDS,
    SOURCE_FIELDS,
    TYPES,
    SourceType,
    organization_field,
)
from refmap.mapfile.model import ClaimsMap, EssayRecord, Name, Source

VALUES: dict[str, object] = {
    "title": "A Title of the Work", "authors": (Name("Doe", "Jane"), Name(literal="Acme Group")),
    "editors": (Name("van der Berg", "Jan"),), "translators": (Name("Roe", "Richard"),),
    "bookauthors": (Name("Poe", "Edgar Allan"),), "site": "Example Site",
    "journal": "Journal of Examples", "booktitle": "The Containing Book",
    "maintitle": "Collected Works", "eventtitle": "Example Conference",
    "eventdate": "2019-05-06", "venue": "Seoul", "series": "Example Series",
    "publisher": "Example Press", "institution": "Example University", "location": "Paris",
    "date": "2020-03-04", "url": "https://example.org/work", "accessed": "2026-11-25",
    "archive": "https://web.archive.org/web/2026/https://example.org/work",
    "doi": "10.5555/example.1", "isbn": "9780306406157", "issn": "0378-5955", "volume": "7",
    "number": "3", "chapter": "4", "pages": "12-34", "pagetotal": "321", "edition": "2",
    "version": "1.2", "genre": "phdthesis", "howpublished": "Privately printed",
    "eprint": "1706.03762", "eprinttype": "arxiv", "language": "english",
    "note": "A note for readers.", "extra": (("abstract", "What the work says."),),
}
NOT_EXPORTED = {"tags", "archived", "entrysubtype", "captured", "ids"}
"""Fields the generated library leaves out: refmap's own (tags, the archive date, captures),
aliases (written from the map's `ids` by each export: tests/commands/test_import_identity.py),
and entrysubtype (set by type)."""
"""refmap's own fields (tags, the archive's snapshot date) and entrysubtype, set per type."""
_SPECIAL = {"date", "url", "accessed", "doi", "eprint", "eprinttype", "note", "archive",
            "language", "extra", "genre", "pages"}


def _carried(kind: SourceType, name: str, used: set[str]) -> bool:
    """Whether a BibLaTeX export of the type keeps the field, as refmap reads it back."""
    written = TYPES[kind].biblatex
    if name in _SPECIAL:
        field = {"genre": "type"}.get(name, name)
        return name not in ("genre", "pages") or bibtex.biblatex_allows(written, field)
    placed = bibtex._place(kind, written, name, "biblatex", used)
    if placed is None:
        return False
    own = FIELDS[name].biblatex
    reads_back = placed == own or (placed == "organization" and organization_field(kind) == name)
    if reads_back:
        used.add(placed)
    return reads_back


def generated_sources() -> list[Source]:
    sources = []
    for kind in SourceType:
        used: set[str] = set()
        values = {f.name: VALUES[f.name] for f in SOURCE_FIELDS
                  if f.name not in NOT_EXPORTED and _carried(kind, f.name, used)}
        if kind is SourceType.BOOK:
            values["editors"] = ()  # a book with only editors is written as a collection
        if kind is SourceType.ARTICLE:
            values["entrysubtype"] = "magazine"
        if kind.standard and kind is not SourceType.ARTICLE:
            values["entrysubtype"] = "special"
        values["title"] = f"The {kind.value} work"
        sources.append(Source(f"key-{kind.value}", kind, **values))  # type: ignore[arg-type]
    return sources


def library() -> ClaimsMap:
    sources = {s.key: s for s in generated_sources()}
    return ClaimsMap("gen.yaml", 1, EssayRecord("e.txt"), sources, ())


EXPORTS = {
    "biblatex": (".bib", lambda m: bibtex.export(m, "biblatex")),
    "bibtex": (".bib", lambda m: bibtex.export(m, "bibtex")),
    "csl-json": (".json", csljson.export),
    "ris": (".ris", ris_export.export),
}


def _write(tmp: Path, fmt: str, cmap: ClaimsMap, name: str) -> Path:
    suffix, export = EXPORTS[fmt]
    path = tmp / f"{name}-{fmt}{suffix}"
    path.write_text(export(cmap), "utf-8")
    return path


def _import(path: Path) -> dict[str, dict[str, object]]:
    batch = read_references(path, path.name)
    assert batch.skipped == ()
    return {r.key or "": r.fields for r in batch.records}


def test_the_generated_library_has_every_type_and_every_field():
    sources = generated_sources()
    assert {s.type for s in sources} == set(SourceType)
    present = {name for s in sources for name, v in source_to_fields(s).items() if v}
    assert present == {"type", *(f.name for f in SOURCE_FIELDS)} - {"tags", "archived",
                                                                     "captured", "ids"}


@pytest.mark.parametrize("first", list(EXPORTS))
def test_import_export_reimport_gives_the_same_records(first: str, tmp_path: Path):
    original = {s.key: source_to_fields(s) for s in generated_sources()}
    imported = _import(_write(tmp_path, first, library(), "library"))
    assert imported == original
    cmap = ClaimsMap("m.yaml", 1, EssayRecord("e.txt"),
                     {k: fields_to_source(k, f) for k, f in imported.items()}, ())
    for second in EXPORTS:
        assert _import(_write(tmp_path, second, cmap, f"again-{first}")) == imported, second


def test_biber_accepts_the_biblatex_export(tmp_path: Path):
    result = biber_validate(_write(tmp_path, "biblatex", library(), "library"))
    assert result.returncode == 0, result.stdout
    problems = [line for line in result.stdout.splitlines() if re.match(r"(WARN|ERROR)", line)]
    assert problems == []


@pytest.mark.parametrize("fmt", ["biblatex", "bibtex", "csl-json"])
def test_pandoc_renders_every_entry_without_a_warning(fmt: str, tmp_path: Path):
    cmap = library()
    result = pandoc_render(_write(tmp_path, fmt, cmap, "library"), keys=list(cmap.sources))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    entries = result.stdout.strip().split("\n\n")[1:]
    assert len(entries) == len(cmap.sources)
    # pandoc shows a volume under the title of the whole work (maintitle)
    shown = {k: str((s.maintitle if fmt != "csl-json" else None) or s.title).casefold()
             for k, s in cmap.sources.items()}
    rendered = result.stdout.casefold()
    assert [k for k, title in shown.items() if title not in rendered] == []


def test_the_allowed_fields_are_bibers_own():
    root = ET.parse("/usr/share/perl5/Biber/biber-tool.conf").getroot()
    model = root.find("datamodel")
    assert model is not None
    allowed: dict[str, set[str]] = {}
    for group in model.findall("entryfields"):
        for entry_type in group.findall("entrytype"):
            allowed.setdefault(str(entry_type.text), set()).update(
                str(f.text) for f in group.findall("field"))
    for entry_type, fields in BIBLATEX_ALLOWED.items():
        named = {"eventyear" if f == "eventdate" else f for f in fields.split()}
        assert named <= allowed[entry_type], entry_type


# -- the map: required fields, did-you-mean ---------------------------------------------------

def _map(sources: str) -> ClaimsMap:
    from refmap.mapfile.schema import build_map
    from refmap.mapfile.yamlio import compose

    return build_map(compose(f"version: 1\nessay: {{path: e.txt}}\nsources:\n{sources}", "m.yaml"),
                     "m.yaml")


def _missing(sources: str) -> list[str]:
    from refmap.commands.check import check_required_fields

    return [f.message for f in check_required_fields(_map(sources)) if f.code == "missing-field"]


def test_an_edited_book_needs_authors_or_editors_and_is_written_as_a_collection():
    edited = "  b: {type: book, title: T, date: '2020', editors: [{family: Roe}]}\n"
    assert _missing(edited) == []
    assert _missing("  b: {type: book, title: T}\n") == [
        "source 'b' of type book is missing 'authors' or 'editors'"]
    entry = bibtex.source_entry(_map(edited).sources["b"])
    assert entry.entry_type == "collection"


def test_required_fields_follow_bibers_data_model():
    assert _missing("  t: {type: thesis, title: T, authors: [{family: Doe}]}\n") == [
        "source 't' of type thesis is missing 'institution'",
        "source 't' of type thesis is missing 'genre'",
    ]
    assert _missing("  c: {type: incollection, title: T, authors: [{family: Doe}], "
                    "booktitle: B}\n") == [
        "source 'c' of type incollection is missing 'editors'"]


def test_names_other_formats_use_get_a_did_you_mean():
    from refmap.errors import SchemaErrors

    with pytest.raises(SchemaErrors) as caught:
        _map("  a: {type: chapter, title: T}\n")
    assert caught.value.lines() == [
        "m.yaml:4:13: source 'a': 'type': unknown value 'chapter'; did you mean 'incollection'?"]
    warned = [str(w) for w in _map("  a: {type: misc, title: T, journaltitle: J, "
                                    "address: Paris, editr: []}\n").warnings]
    assert [w.split(": warning: ")[1] for w in warned] == [
        "unknown key 'journaltitle' in source 'a' is ignored; did you mean 'journal'? "
        "[unknown-key]",
        "unknown key 'address' in source 'a' is ignored; did you mean 'location'? [unknown-key]",
        "unknown key 'editr' in source 'a' is ignored; did you mean 'editors'? [unknown-key]",
    ]


def test_extra_fields_load_and_are_written_back_where_the_format_has_them():
    cmap = _map("  a:\n    type: misc\n    title: T\n    extra:\n      abstract: Words.\n"
                "      timestamp: '2020'\n")
    source = cmap.sources["a"]
    assert source.extra == (("abstract", "Words."), ("timestamp", "2020"))
    biblatex = bibtex.export(cmap)
    assert "abstract = {Words.}" in biblatex and "timestamp" not in biblatex
    assert "timestamp = {2020}" in bibtex.export(cmap, "bibtex")
    item = csljson.source_item(source)
    assert item["abstract"] == "Words." and item["custom"] == {"timestamp": "2020"}
    assert "C8  - timestamp: 2020" in ris_export.export(cmap)


def test_the_reading_list_shows_a_chapters_book_editors_and_pages():
    from refmap.exporters import markdown

    chapter = Source("c", SourceType.INCOLLECTION, title="A Chapter",
                     authors=(Name("Doe", "Jane"),), editors=(Name("Roe", "Richard"),),
                     booktitle="The Book", publisher="Example Press", location="Paris",
                     pages="12-34", date="2001")
    edited = Source("e", SourceType.BOOK, title="The Book", editors=(Name("Roe", "Richard"),),
                    publisher="Example Press", date="2001")
    thesis = Source("t", SourceType.THESIS, title="A Thesis", authors=(Name("Doe", "Jane"),),
                    institution="Example University", genre="phdthesis", date="2001")
    cmap = ClaimsMap("m.yaml", 1, EssayRecord("e.txt"), {"c": chapter, "e": edited, "t": thesis},
                     ())
    text = markdown.export(cmap, group_by="none")
    assert "In The Book, edited by Richard Roe, pp. 12–34, Paris: Example Press, 2001" in text
    assert "Roe, Richard \\(ed\\.\\). *The Book*." in text  # escaped for Markdown
    assert "PhD thesis, Example University, 2001" in text


@pytest.mark.parametrize(("name", "text", "warning"), [
    ("u.bib", "@artikel{a, title={T}}\n",
     "unknown type 'artikel' imported as misc; did you mean 'article'?"),
    ("u.json", '[{"type": "artcle-journal", "title": "T"}]',
     "unknown type 'artcle-journal' imported as misc; did you mean 'article-journal'?"),
    ("u.ris", "TY  - JOURN\nTI  - T\nER  - \n",
     "unknown type 'JOURN' imported as misc; did you mean 'JOUR'?"),
])
def test_an_unknown_type_is_imported_as_misc_with_a_did_you_mean(name: str, text: str,
                                                                  warning: str, tmp_path: Path):
    path = tmp_path / name
    path.write_text(text, "utf-8")
    [record] = read_references(path, name).records
    assert record.fields["type"] == "misc"
    assert record.warnings[0] == warning


# -- property: any type, any carried fields, awkward text ---------------------------------------

from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_WORDS = st.sampled_from(["Kim", "détente", "Łódź", "R&D", "50%", "$5", "a_b", "x#y", "O'Neil",
                          "“quoted”", "Ñuñoa", "김정은", "and", "C++", "semi;colon", "a: b",
                          "{braced}", "tilde~", "hat^", "back\\slash", "12-34"])
_TEXT = st.lists(_WORDS, min_size=1, max_size=4).map(" ".join)
# A family name alone is one plain word: in BibTeX a braced family name alone ("{R\&D}") is
# what an organisation is, and an unbraced "Kim Jong" is a first and a last name.
_PEOPLE = st.builds(Name, family=_TEXT, given=_TEXT) | st.builds(
    Name, family=st.sampled_from(["Kim", "Łódź", "Ñuñoa", "김정은", "détente"])) | st.builds(
    lambda t: Name(literal=t), _TEXT)
_NAME_FIELDS = {f.name for f in SOURCE_FIELDS if f.kind == "names"}
_TEXT_FIELDS = {f.name for f in SOURCE_FIELDS if f.kind == "text"} - {
    "entrysubtype", "genre", "pages", "eprint"}


@st.composite
def awkward_sources(draw: st.DrawFn) -> Source:
    kind = draw(st.sampled_from(list(SourceType)))
    used: set[str] = set()
    carried = [f.name for f in SOURCE_FIELDS if f.name not in NOT_EXPORTED
               and _carried(kind, f.name, used)]
    chosen = draw(st.lists(st.sampled_from(carried), unique=True, max_size=8))
    if "eprint" in chosen or "eprinttype" in chosen:  # one identifier: both or neither
        chosen = list(dict.fromkeys([*chosen, "eprint", "eprinttype"]))
    values: dict[str, object] = {"title": draw(_TEXT)}
    for name in chosen:
        if name in _NAME_FIELDS:
            values[name] = tuple(draw(st.lists(_PEOPLE, min_size=1, max_size=3)))
        elif name in _TEXT_FIELDS:
            values[name] = draw(_TEXT)
        elif name != "title":
            values[name] = VALUES[name]
    if kind in (SourceType.BOOK, SourceType.MVBOOK) and values.get("editors") \
            and not values.get("authors"):  # an edited book is written as a collection
        values["authors"] = (Name("Doe", "Jane"),)
    return Source("k", kind, **values)  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(source=awkward_sources())
@example(source=Source("k", SourceType.ARTICLE, title="Kim",
                       authors=(Name("Kim"), Name(literal="Kim Kim"))))  # RIS AU would split it
@example(source=Source("k", SourceType.THESIS, title="Kim"))  # no genre: none read back

def test_awkward_records_survive_every_export(source: Source, tmp_path: Path):
    cmap = ClaimsMap("m.yaml", 1, EssayRecord("e.txt"), {"k": source}, ())
    for fmt in ("csl-json", "ris", "biblatex", "bibtex"):
        assert _import(_write(tmp_path, fmt, cmap, "awkward")) == {"k": source_to_fields(source)}, fmt


def test_a_value_with_nothing_left_to_write_is_not_written():
    # found by tests/test_output_safety.py: a title of only whitespace became `title = {}`
    entry = bibtex.source_entry(Source("k", SourceType.MISC, title=" \t ", site="Site"))
    assert [f.key for f in entry.fields] == ["organization"]
