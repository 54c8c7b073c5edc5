"""BibLaTeX's data model as refmap's source vocabulary, and the one table that maps it.

Every entry type and every field a source may have is one row here, saying what it is called
in BibLaTeX, in classic BibTeX, in CSL-JSON (and so Zotero's item types) and in RIS. The schema
validates against these rows, the importers read through them, every exporter writes through
them and docs/format.md shows them (a test keeps the two equal).

Where a format has no name for a type or a field, the value still travels: CSL-JSON carries it
in the item's `custom` object and RIS in `C8` lines (`name: value`), so a record read back from
any export is the record written. BibLaTeX and classic BibTeX carry every field by its BibLaTeX
name, and BibLaTeX's non-standard types (artwork, movie ...), which biber's default data model
knows only by name, are written as `@misc` with `entrysubtype` naming the type.
"""

from __future__ import annotations

import functools
from enum import StrEnum
from typing import NamedTuple


class SourceType(StrEnum):
    """BibLaTeX entry types a source can have: every standard type and the non-standard
    types that biblatex styles and CSL need."""

    ARTICLE = "article"
    BOOK = "book"
    MVBOOK = "mvbook"
    INBOOK = "inbook"
    BOOKINBOOK = "bookinbook"
    SUPPBOOK = "suppbook"
    BOOKLET = "booklet"
    COLLECTION = "collection"
    MVCOLLECTION = "mvcollection"
    INCOLLECTION = "incollection"
    SUPPCOLLECTION = "suppcollection"
    DATASET = "dataset"
    MANUAL = "manual"
    MISC = "misc"
    ONLINE = "online"
    PATENT = "patent"
    PERIODICAL = "periodical"
    PROCEEDINGS = "proceedings"
    MVPROCEEDINGS = "mvproceedings"
    INPROCEEDINGS = "inproceedings"
    REFERENCE = "reference"
    INREFERENCE = "inreference"
    REPORT = "report"
    SOFTWARE = "software"
    THESIS = "thesis"
    UNPUBLISHED = "unpublished"
    ARTWORK = "artwork"
    AUDIO = "audio"
    IMAGE = "image"
    JURISDICTION = "jurisdiction"
    LEGISLATION = "legislation"
    LETTER = "letter"
    MOVIE = "movie"
    MUSIC = "music"
    PERFORMANCE = "performance"
    REVIEW = "review"
    STANDARD = "standard"
    VIDEO = "video"

    @property
    def required(self) -> tuple[str, ...]:
        """Fields this type requires: biber's data model for the BibLaTeX type, so a map that
        passes `refmap check` exports entries that biber validates. `a|b` means either will
        do (an edited book has editors and no authors; it is written as a `@collection`). The
        date is left out: many pages show none, and an undated source is a warning."""
        return TYPES[self].required

    @property
    def standard(self) -> bool:
        """Whether biber's default data model gives the type fields of its own."""
        return TYPES[self].biblatex == self.value


class TypeSpec(NamedTuple):
    """One entry type: its names in each format, the fields it requires, what it is."""

    biblatex: str
    """The BibLaTeX entry type written (`misc` for a non-standard type)."""
    bibtex: str
    csl: str
    ris: str
    required: tuple[str, ...]
    doc: str


_AUTHORED = ("title", "authors")
_BOOKISH = ("title", "authors|editors")
_EDITED = ("title", "editors")
_PART = ("title", "authors", "booktitle")
_PART_EDITED = ("title", "authors", "editors", "booktitle")
_TITLE = ("title",)

TYPES: dict[SourceType, TypeSpec] = {
    SourceType.ARTICLE: TypeSpec("article", "article", "article-journal", "JOUR",
                                 ("title", "authors", "journal"),
                                 "article in a journal, magazine or newspaper (see `entrysubtype`)"),
    SourceType.BOOK: TypeSpec("book", "book", "book", "BOOK", _BOOKISH, "a book"),
    SourceType.MVBOOK: TypeSpec("mvbook", "book", "book", "BOOK", _BOOKISH,
                                "a multi-volume book as a whole"),
    SourceType.INBOOK: TypeSpec("inbook", "inbook", "chapter", "CHAP", _PART,
                                "a part of a book with one author"),
    SourceType.BOOKINBOOK: TypeSpec("bookinbook", "inbook", "chapter", "CHAP", _PART,
                                    "a book printed inside another (a novel in collected works)"),
    SourceType.SUPPBOOK: TypeSpec("suppbook", "inbook", "chapter", "CHAP", _PART,
                                  "supplementary material in a book (a foreword, an appendix)"),
    SourceType.BOOKLET: TypeSpec("booklet", "booklet", "pamphlet", "PAMP", _BOOKISH,
                                 "a printed work without a publisher"),
    SourceType.COLLECTION: TypeSpec("collection", "book", "book", "EDBOOK", _EDITED,
                                    "a book of contributions, with editors"),
    SourceType.MVCOLLECTION: TypeSpec("mvcollection", "book", "book", "EDBOOK", _EDITED,
                                      "a multi-volume collection as a whole"),
    SourceType.INCOLLECTION: TypeSpec("incollection", "incollection", "chapter", "CHAP",
                                      _PART_EDITED, "a chapter of an edited book"),
    SourceType.SUPPCOLLECTION: TypeSpec("suppcollection", "incollection", "chapter", "CHAP",
                                        _PART_EDITED, "supplementary material in a collection"),
    SourceType.DATASET: TypeSpec("dataset", "misc", "dataset", "DATA", _TITLE, "a data set"),
    SourceType.MANUAL: TypeSpec("manual", "manual", "report", "RPRT", _TITLE,
                                "technical or other documentation"),
    SourceType.MISC: TypeSpec("misc", "misc", "document", "GEN", _TITLE,
                              "anything no other type fits"),
    SourceType.ONLINE: TypeSpec("online", "misc", "webpage", "ELEC", ("title", "url"),
                                "a web page, a post, a web-only article"),
    SourceType.PATENT: TypeSpec("patent", "misc", "patent", "PAT",
                                ("title", "authors", "number"), "a patent or patent request"),
    SourceType.PERIODICAL: TypeSpec("periodical", "misc", "periodical", "JFULL", _EDITED,
                                    "a whole issue of a periodical"),
    SourceType.PROCEEDINGS: TypeSpec("proceedings", "proceedings", "book", "CONF", _TITLE,
                                     "the proceedings of a conference"),
    SourceType.MVPROCEEDINGS: TypeSpec("mvproceedings", "proceedings", "book", "CONF", _TITLE,
                                       "multi-volume proceedings as a whole"),
    SourceType.INPROCEEDINGS: TypeSpec("inproceedings", "inproceedings", "paper-conference",
                                       "CPAPER", _PART, "a paper in conference proceedings"),
    SourceType.REFERENCE: TypeSpec("reference", "book", "book", "ENCYC", _EDITED,
                                   "a reference work (an encyclopedia, a dictionary)"),
    SourceType.INREFERENCE: TypeSpec("inreference", "incollection", "entry-encyclopedia",
                                     "ENCYC", _PART_EDITED, "an entry of a reference work"),
    SourceType.REPORT: TypeSpec("report", "techreport", "report", "RPRT",
                                ("title", "authors", "institution"),
                                "a report by an institution (see `genre`)"),
    SourceType.SOFTWARE: TypeSpec("software", "misc", "software", "COMP", _TITLE,
                                  "computer software"),
    SourceType.THESIS: TypeSpec("thesis", "phdthesis", "thesis", "THES",
                                ("title", "authors", "institution", "genre"),
                                "a thesis (`genre`: `phdthesis`, `mathesis` ...)"),
    SourceType.UNPUBLISHED: TypeSpec("unpublished", "unpublished", "manuscript", "UNPB",
                                     _AUTHORED, "a work not formally published"),
    SourceType.ARTWORK: TypeSpec("misc", "misc", "graphic", "ART", _TITLE,
                                 "a work of visual art"),
    SourceType.AUDIO: TypeSpec("misc", "misc", "song", "SOUND", _TITLE, "an audio recording"),
    SourceType.IMAGE: TypeSpec("misc", "misc", "graphic", "FIGURE", _TITLE,
                               "an image or photograph"),
    SourceType.JURISDICTION: TypeSpec("misc", "misc", "legal_case", "CASE", _TITLE,
                                      "a court decision"),
    SourceType.LEGISLATION: TypeSpec("misc", "misc", "legislation", "STAT", _TITLE,
                                     "a law or regulation"),
    SourceType.LETTER: TypeSpec("misc", "misc", "personal_communication", "PCOMM", _TITLE,
                                "a letter or other correspondence"),
    SourceType.MOVIE: TypeSpec("misc", "misc", "motion_picture", "MPCT", _TITLE, "a film"),
    SourceType.MUSIC: TypeSpec("misc", "misc", "musical_score", "MUSIC", _TITLE,
                               "a musical work or recording"),
    SourceType.PERFORMANCE: TypeSpec("misc", "misc", "performance", "GEN", _TITLE,
                                     "a play, concert or other performance"),
    SourceType.REVIEW: TypeSpec("misc", "misc", "review", "JOUR", _TITLE,
                                "a review of another work"),
    SourceType.STANDARD: TypeSpec("misc", "misc", "standard", "STAND", _TITLE,
                                  "a standard (ISO, IEEE, IETF ...)"),
    SourceType.VIDEO: TypeSpec("misc", "misc", "broadcast", "VIDEO", _TITLE,
                               "a video or broadcast"),
}

ENTRYSUBTYPES = {"magazine": ("article-magazine", "MGZN"),
                 "newspaper": ("article-newspaper", "NEWS")}
"""An article's `entrysubtype` and the CSL type and RIS type that say the same."""

DEFAULT_REPORT_TYPE = "Report"
"""The BibLaTeX `type` written for a report that names no genre (biber requires one)."""
GENRES = ("phdthesis", "mathesis", "candthesis", "techreport", "resreport")
"""BibLaTeX's localised values of `type` (refmap's `genre`) for theses and reports."""


class FieldSpec(NamedTuple):
    """One field of a source record: its name, how its value is read, what it means, and what
    each format calls it (None: the format has no field for it, see the module docstring)."""

    name: str
    kind: str
    """text, date, url, names, tags, doi, isbn, issn, pages, eprinttype, extra, capture,
    citekeys."""
    doc: str
    biblatex: str | None = None
    bibtex: str | None = None
    csl: str | None = None
    ris: str | None = None


def _f(name: str, kind: str, doc: str, biblatex: str | None = "=", bibtex: str | None = "=",
       csl: str | None = None, ris: str | None = None) -> FieldSpec:
    """A row; "=" stands for the field's own name."""
    return FieldSpec(name, kind, doc, name if biblatex == "=" else biblatex,
                     (name if biblatex == "=" else biblatex) if bibtex == "=" else bibtex,
                     csl, ris)


SOURCE_FIELDS: tuple[FieldSpec, ...] = (
    _f("title", "text", "title as published", csl="title", ris="TI"),
    _f("authors", "names", "list of names (see Names)", "author", csl="author", ris="AU"),
    _f("editors", "names", "list of names (see Names)", "editor", csl="editor", ris="ED"),
    _f("translators", "names", "list of names (see Names)", "translator", csl="translator",
       ris="A4"),
    _f("bookauthors", "names", "authors of the book that holds a part (`inbook`)", "bookauthor",
       csl="container-author"),
    _f("site", "text", "the website an online source lives on (\"Reuters\", \"Yonhap\")",
       "organization", "howpublished", csl="container-title", ris="T2"),
    _f("journal", "text", "newspaper, magazine or journal of an `article`", "journaltitle",
       "journal", csl="container-title", ris="T2"),
    _f("booktitle", "text", "book or proceedings that holds a chapter or paper",
       csl="container-title", ris="T2"),
    _f("maintitle", "text", "title of the multi-volume work a volume belongs to"),
    _f("eventtitle", "text", "name of the conference or event", csl="event-title"),
    _f("eventdate", "date", "date of the event: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`",
       csl="event-date"),
    _f("venue", "text", "where the event took place", csl="event-place"),
    _f("series", "text", "series the work appeared in", csl="collection-title", ris="T3"),
    _f("publisher", "text", "publisher of a book", csl="publisher", ris="PB"),
    _f("institution", "text", "body that issued a report or thesis (think tank, agency, "
       "pollster, university)", "institution", "institution", csl="publisher", ris="PB"),
    _f("location", "text", "place of publication", "location", "address",
       csl="publisher-place", ris="CY"),
    _f("date", "date", "publication date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`", "date",
       "year", csl="issued", ris="DA"),
    _f("url", "url", "absolute http(s) URL", csl="URL", ris="UR"),
    _f("accessed", "date", "when you read it (`YYYY-MM-DD`)", "urldate", None, csl="accessed",
       ris="Y2"),
    _f("archive", "url", "http(s) URL of an archived copy", None, None),
    _f("archived", "date", "date of the archived copy's snapshot (`YYYY-MM-DD`)", None, None),
    _f("captured", "capture",
       "`YYYY-MM-DD sha256:HEX`: the page as captured by `refmap capture` (see Captures)",
       None, None),
    _f("doi", "doi", "DOI, `10.` + registrant + `/` + suffix, without `https://doi.org/`",
       csl="DOI", ris="DO"),
    _f("isbn", "isbn", "ISBN-10 or ISBN-13; the check digit is verified", csl="ISBN", ris="SN"),
    _f("issn", "issn", "ISSN (`NNNN-NNNC`); the check digit is verified", csl="ISSN", ris="SN"),
    _f("volume", "text", "volume of a journal or a multi-volume book", csl="volume", ris="VL"),
    _f("number", "text", "issue of a journal, number in a series, or a report's or patent's "
       "number", csl="number", ris="IS"),
    _f("chapter", "text", "chapter or section number", csl="chapter-number", ris="SE"),
    _f("pages", "pages", "page or page range (`12-34`; exported as an en-dash range)",
       csl="page", ris="SP"),
    _f("pagetotal", "text", "number of pages of the whole work", csl="number-of-pages"),
    _f("edition", "text", "edition of a book (`2`, `Revised`)", csl="edition", ris="ET"),
    _f("version", "text", "version of software, a data set or a manual", csl="version"),
    _f("genre", "text", "kind of thesis or report: `phdthesis`, `mathesis`, `techreport`, "
       "`resreport`, or words (BibLaTeX's `type`)", "type", "type", csl="genre", ris="M3"),
    _f("entrysubtype", "text", "finer type: `magazine` or `newspaper` for an `article`",
       csl=None),
    _f("howpublished", "text", "how an unusual work was published", csl="medium"),
    _f("eprint", "text", "identifier in an e-print archive (`1706.03762`, `31452104`)"),
    _f("eprinttype", "eprinttype",
       "the archive of `eprint`: `arxiv`, `pubmed`, `jstor`, `hdl` or `googlebooks`"),
    _f("language", "text", "language of the source (`english`, `korean`, ...)", "langid",
       csl="language", ris="LA"),
    _f("note", "text", "anything a reader should know (a mirror, a missing byline)",
       csl="note", ris="N1"),
    _f("tags", "tags", "list of words for grouping (refmap's own; not exported)", None, None),
    _f("ids", "citekeys",
       "other citekeys of this source (BibLaTeX's `ids`): kept when an import merges two "
       "records of one work, so a citation under either key still resolves (the BibLaTeX "
       "export writes them as `ids`, the others copy the entry under each)", None, None),
    _f("extra", "extra", "fields an import met that refmap has no place for, as "
       "`name: text`; written back where the format has them", None, None),
)
"""Every field a source may have besides `type`, in the order exports and the editor write them."""

FIELDS = {f.name: f for f in SOURCE_FIELDS}
_ORDER = {f.name: i for i, f in enumerate(SOURCE_FIELDS)}

BIBLATEX_FALLBACK = {
    "site": ("organization", "howpublished"),
    "institution": ("institution", "organization", "publisher"),
    "publisher": ("publisher", "organization"),
}
"""BibLaTeX fields to try, in order, where the entry type does not have the field's own."""

BIBLATEX_ALLOWED = {
    "article": "author editor translator title journaltitle series number volume pages "
               "version issn note",
    "book": "author editor translator title maintitle publisher location series number "
            "chapter volume pages pagetotal edition isbn note",
    "mvbook": "author editor translator title publisher location series number volume "
              "pagetotal edition isbn note",
    "inbook": "author editor translator bookauthor title booktitle maintitle publisher "
              "location series number chapter volume pages edition isbn note",
    "booklet": "author editor title location chapter pages pagetotal howpublished type note",
    "collection": "editor translator title maintitle publisher location series number chapter "
                  "volume pages pagetotal edition isbn note",
    "mvcollection": "author editor translator title publisher location number volume edition "
                    "isbn note",
    "incollection": "author editor translator title booktitle maintitle publisher location "
                    "series number chapter volume pages edition isbn note",
    "dataset": "author editor title organization publisher location series number edition "
               "type version note",
    "manual": "author editor title organization publisher location series number chapter "
              "pages pagetotal edition type version isbn note",
    "misc": "author editor title organization location howpublished type version note",
    "online": "author editor title organization version note",
    "patent": "author title location number type version note",
    "periodical": "editor title series number volume issn note",
    "proceedings": "editor title organization maintitle eventtitle eventdate venue publisher "
                   "location series number chapter volume pages pagetotal isbn note",
    "mvproceedings": "editor title organization eventtitle eventdate venue publisher location "
                     "series number pagetotal isbn note",
    "inproceedings": "author editor title organization booktitle maintitle eventtitle eventdate "
                     "venue publisher location series number chapter volume pages isbn note",
    "report": "author title institution location number chapter pages pagetotal type version "
              "note",
    "thesis": "author title institution location chapter pages pagetotal type note",
    "unpublished": "author title eventtitle eventdate venue location howpublished type note",
}
"""Per BibLaTeX entry type, the fields among those refmap writes that biber's default data
model allows (a test reads them from biber's own configuration). Every type may also have
date, url, urldate, doi, eprint, eprinttype, entrysubtype and langid."""
for _same, _as in (("bookinbook", "inbook"), ("suppbook", "inbook"), ("reference", "collection"),
                   ("suppcollection", "incollection"), ("inreference", "incollection"),
                   ("software", "misc")):
    BIBLATEX_ALLOWED[_same] = BIBLATEX_ALLOWED[_as]
BIBLATEX_EVERYWHERE = frozenset({"date", "url", "urldate", "doi", "eprint", "eprinttype", "ids",
                                 "entrysubtype", "langid"})


def biblatex_allows(entry_type: str, field: str) -> bool:
    """Whether biber's default data model allows the field in the entry type."""
    return field in BIBLATEX_EVERYWHERE or field in _allowed(entry_type)


@functools.cache
def _allowed(entry_type: str) -> frozenset[str]:
    return frozenset(BIBLATEX_ALLOWED.get(entry_type, "").split())


def biblatex_field(kind: SourceType, written: str, name: str, used: set[str]) -> str | None:
    """The BibLaTeX field a source's field is written in: its own where the entry type has
    it, else a fallback (`organization` for a site or an issuing body); None where biber's
    data model gives the type no place for it."""
    spec = FIELDS[name]
    for candidate in BIBLATEX_FALLBACK.get(name, (spec.biblatex or "",)):
        if candidate == "organization" and name in ("site", "institution") \
                and organization_field(kind) != name:
            continue
        if candidate and candidate not in used and biblatex_allows(written, candidate):
            return candidate
    return None


def biblatex_type(kind: SourceType, has_authors: bool, has_editors: bool) -> str:
    """The BibLaTeX entry type a source is written as: its own, `@collection` for a book with
    editors and no authors (biber's type for an edited book), `@misc` for a non-standard type."""
    if kind in (SourceType.BOOK, SourceType.MVBOOK) and has_editors and not has_authors:
        return "collection" if kind is SourceType.BOOK else "mvcollection"
    return TYPES[kind].biblatex


BIBLATEX_OWN_RULE = frozenset({"date", "accessed", "archive", "archived", "url", "doi",
                               "eprint", "eprinttype", "note", "tags", "extra", "entrysubtype",
                               "genre", "pages", "ids", "captured"})
"""Fields the BibLaTeX export writes by a rule of its own, not by `biblatex_field` (aliases as
`ids`; captures are refmap's own and not exported)."""


def biblatex_left_out(kind: SourceType, present: list[str], has_authors: bool,
                      has_editors: bool) -> list[str]:
    """The fields (of those present, in table order) that a BibLaTeX export leaves out because
    biber's data model gives the entry type no field for them."""
    written = biblatex_type(kind, has_authors, has_editors)
    used: set[str] = set()
    left = []
    for name in sorted(_ORDER.keys() & set(present), key=_ORDER.__getitem__):
        spec = FIELDS[name]
        if spec.name in ("pages", "genre"):
            if not biblatex_allows(written, "type" if spec.name == "genre" else "pages") \
                    and not (spec.name == "genre" and kind is SourceType.REPORT):
                left.append(spec.name)
            continue
        if spec.name in BIBLATEX_OWN_RULE:
            continue
        field = biblatex_field(kind, written, spec.name, used)
        if field is None:
            left.append(spec.name)
        else:
            used.add(field)
    return left


def _first_by(column: str, aliases: dict[str, str]) -> dict[str, SourceType]:
    found: dict[str, SourceType] = {}
    for kind, spec in TYPES.items():
        found.setdefault(getattr(spec, column), kind)
    found.update({k: SourceType(v) for k, v in aliases.items()})
    return found


CSL_TO_TYPE = _first_by("csl", {
    "chapter": "incollection", "book": "book", "report": "report", "graphic": "artwork",
    "article": "article", "article-magazine": "article", "article-newspaper": "article",
    "classic": "book", "collection": "collection", "entry": "inreference",
    "entry-dictionary": "inreference", "post": "online", "post-weblog": "online",
    "review-book": "review", "figure": "image", "map": "image", "song": "audio",
    "interview": "misc", "speech": "misc", "hearing": "legislation", "bill": "legislation",
    "regulation": "legislation", "treaty": "legislation", "event": "performance",
})
"""CSL type -> source type: the first type whose row names it, or the alias; else misc."""

RIS_TO_TYPE = _first_by("ris", {
    "JOUR": "article", "CHAP": "incollection", "BOOK": "book", "EDBOOK": "collection",
    "RPRT": "report", "CONF": "proceedings", "GEN": "misc", "ENCYC": "inreference",
    "EJOUR": "article", "INPR": "article", "MGZN": "article", "NEWS": "article",
    "EBOOK": "book", "CTLG": "book", "GOVDOC": "report", "BLOG": "online", "WEB": "online",
    "DBASE": "dataset", "AGGR": "dataset", "ABST": "article", "ADVS": "video", "BILL": "legislation",
    "CHART": "image", "MAP": "image", "HEAR": "legislation", "ICOMM": "letter",
    "SLIDE": "image", "UNBILL": "legislation", "MANSCPT": "unpublished", "DICT": "inreference",
})
"""RIS type -> source type: the first type whose row names it, or the alias; else misc."""

BIBTEX_TO_TYPE: dict[str, SourceType] = {
    **{k.value: k for k in SourceType},
    "techreport": SourceType.REPORT, "phdthesis": SourceType.THESIS,
    "mastersthesis": SourceType.THESIS, "conference": SourceType.INPROCEEDINGS,
    "www": SourceType.ONLINE, "electronic": SourceType.ONLINE, "webpage": SourceType.ONLINE,
    "data": SourceType.DATASET, "suppperiodical": SourceType.ARTICLE,
    "mvreference": SourceType.REFERENCE, "commentary": SourceType.BOOK,
}
"""BibTeX/BibLaTeX entry type -> source type (BibLaTeX's own names and their aliases)."""


TYPE_SYNONYMS: dict[str, SourceType] = {
    **{k.lower(): v for k, v in RIS_TO_TYPE.items()}, **CSL_TO_TYPE,
    **{k: v for k, v in BIBTEX_TO_TYPE.items() if k != v.value},
    "chapter": SourceType.INCOLLECTION, "web": SourceType.ONLINE, "website": SourceType.ONLINE,
    "newspaper": SourceType.ARTICLE, "magazine": SourceType.ARTICLE, "film": SourceType.MOVIE,
}
"""Names other formats give a type, and the source type refmap calls it (for did-you-mean)."""


_JOURNAL_TYPES = frozenset({SourceType.ARTICLE, SourceType.PERIODICAL, SourceType.REVIEW})
WEBLIKE = frozenset({SourceType.ONLINE, SourceType.DATASET, SourceType.MISC, SourceType.SOFTWARE})
"""Types whose container is the site they live on (BibLaTeX `organization`)."""
_ISSUER_TYPES = frozenset({SourceType.REPORT, SourceType.THESIS})


def container_field(kind: SourceType) -> str:
    """Which of refmap's fields is a type's container (CSL `container-title`, RIS `T2`)."""
    return "journal" if kind in _JOURNAL_TYPES else "site" if kind in WEBLIKE else "booktitle"


def organization_field(kind: SourceType) -> str:
    """Which of refmap's fields a BibLaTeX `organization` is: the site a web-like or
    non-standard (`@misc`) source lives on, else the issuing body."""
    return "site" if kind in WEBLIKE or not kind.standard else "institution"


def publisher_field(kind: SourceType) -> str:
    """Which of refmap's fields is a type's publisher (CSL `publisher`, RIS `PB`)."""
    return "institution" if kind in _ISSUER_TYPES else "publisher"


def _field_synonyms() -> dict[str, str]:
    found: dict[str, str] = {}
    for spec in SOURCE_FIELDS:
        for other in (spec.biblatex, spec.bibtex, spec.csl):
            if other and other not in FIELDS:
                found.setdefault(other.lower(), spec.name)
    found.update({"address": "location", "school": "institution", "issue": "number",
                  "type": "genre", "website": "site", "container-title": "journal",
                  "keywords": "tags", "urldate": "accessed", "year": "date",
                  "subtype": "entrysubtype", "langid": "language"})
    return found


FIELD_SYNONYMS = _field_synonyms()
"""What BibLaTeX, BibTeX and CSL call a field, and refmap's name for it (for did-you-mean)."""


def unknown_type_warning(name: str, known: dict[str, SourceType]) -> str | None:
    """The import warning for a type the format's vocabulary does not have (it becomes misc),
    with a did-you-mean; None for a known type."""
    if name in known:
        return None
    from refmap.suggest import did_you_mean

    close = did_you_mean(name, list(known))
    hint = f"; did you mean '{close}'?" if close else ""
    return f"unknown type '{name}' imported as misc{hint}"


def type_markdown() -> str:
    """The Markdown table of entry types that docs/format.md shows."""
    rows = ["| type | BibLaTeX | BibTeX | CSL | RIS | requires | what it is |",
            "| --- | --- | --- | --- | --- | --- | --- |"]
    for kind, spec in TYPES.items():
        written = spec.biblatex if kind.standard else f"{spec.biblatex} ({kind.value})"
        needs = ", ".join(r.replace("|", " or ") for r in spec.required)
        rows.append(f"| `{kind.value}` | {written} | {spec.bibtex} | {spec.csl} | {spec.ris} "
                    f"| {needs} | {spec.doc} |")
    return "\n".join(rows) + "\n"


def field_markdown() -> str:
    """The Markdown table of source fields that docs/format.md shows."""
    rows = ["| key | meaning | BibLaTeX | BibTeX | CSL | RIS |",
            "| --- | --- | --- | --- | --- | --- |",
            "| `type` | required: one of the types below | entry type | entry type | type "
            "| TY |"]
    for f in SOURCE_FIELDS:
        cells = [f"`{c}`" if c else "–" for c in (f.biblatex, f.bibtex, f.csl, f.ris)]
        rows.append(f"| `{f.name}` | {f.doc} | " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"
