"""BibTeX and BibLaTeX export through bibtexparser v2's model and writer.

bibtexparser's writer encloses values but does not escape them: "R&D: 50% of $5" would reach
LaTeX and pandoc as a comment and math, and a title holding "}, note = {x" would inject a field.
So every text field is escaped here (LaTeX specials, all braces), capitalised words in titles are
protected with braces for sentence-case styles, organisations are protected as one name, and
url/urldate stay raw. Keys are the map's citekeys, unchanged.
"""

from __future__ import annotations

import re

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library
from bibtexparser.middlewares import default_unparse_stack
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from refmap.inert import replace_unseen
from refmap.mapfile.vocabulary import (
    BIBTEX_TO_TYPE,
    DEFAULT_REPORT_TYPE,
    FIELDS,
    SOURCE_FIELDS,
    TYPES,
    SourceType,
    biblatex_allows,
    biblatex_field,
    biblatex_type,
)
from refmap.mapfile.model import ClaimsMap, Name, Source
from refmap.values import parse_date

DIALECTS = ("biblatex", "bibtex")

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "`": r"\`{}",  # a lone backtick is an opening quote to TeX and pandoc
}
_SPECIAL_RE = re.compile(r"[\\{}&%$#_~^`]")
# TeX ligatures that readers turn into other characters: "--" into a dash, "''" into a curly
# quote. An empty group between the two characters keeps them as typed.
_LIGATURE_RE = re.compile(r"(?<=-)(?=-)|(?<=')(?=')")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_URL_UNSAFE = {" ": "%20", "{": "%7B", "}": "%7D", "\\": "%5C", '"': "%22", "\n": "%0A"}

def _unmatched_braces(text: str) -> set[int]:
    """Positions of braces that have no partner."""
    opened: list[int] = []
    unmatched: set[int] = set()
    for i, ch in enumerate(text):
        if ch == "{":
            opened.append(i)
        elif ch == "}":
            if opened:
                opened.pop()
            else:
                unmatched.add(i)
    return unmatched.union(opened)


def escape(text: str) -> str:
    """Escape LaTeX's special characters for a BibTeX field value.

    BibTeX and biber count braces even after a backslash, so only braces that pair up are
    written as \\{ and \\}; an unpaired one becomes {\\textbraceleft} or {\\textbraceright},
    which keeps the entry balanced (LaTeX prints the brace; pandoc drops it, and only it: the
    form \\textbraceleft{} would make pandoc swallow the group that follows). Control
    characters become U+FFFD: a NUL or an ESC makes biber abort.
    """
    text = " ".join(replace_unseen(text).split())
    unmatched = _unmatched_braces(text) if ("{" in text or "}" in text) else set()

    def replace(m: re.Match[str]) -> str:
        ch = m.group()
        if m.start() in unmatched:
            return r"{\textbraceleft}" if ch == "{" else r"{\textbraceright}"
        return _SPECIALS[ch]

    return _LIGATURE_RE.sub("{}", _SPECIAL_RE.sub(replace, text))


def protect_capitals(escaped: str) -> str:
    """Brace every word whose capitals a sentence-case style must keep ("{Kim} {Jong} {Un}").

    The first word keeps an initial capital anyway, so it is braced only when it has capitals
    past its first letter ("{iPhone}", "{NATO}").
    """
    words = escaped.split(" ")
    out = []
    for i, word in enumerate(words):
        letters = re.sub(r"\\[a-zA-Z]+", "", word)  # command names are not words
        caps = [j for j, ch in enumerate(letters) if ch.isupper()]
        if caps and (i > 0 or any(j > 0 for j in caps)):
            out.append("{" + word + "}")
        else:
            out.append(word)
    return " ".join(out)


def safe_url(url: str) -> str:
    """A URL written raw, with only the characters that would break the entry (and any
    whitespace or control character) percent-encoded."""
    return "".join(_URL_UNSAFE.get(ch) or _url_byte(ch) for ch in url.strip())


def _url_byte(ch: str) -> str:
    if ch.isspace() or replace_unseen(ch) != ch:
        return "".join(f"%{b:02X}" for b in ch.encode("utf-8", "surrogatepass"))
    return ch


_ZERO_TOKEN = re.compile(r"(?<![^\s{])0(?=$|[\s}])")


def _keep_zero(escaped: str) -> str:
    """A name token that is exactly "0" is false to biber's Perl and dropped ("0 and Kim"
    loses its first author, braced or not); "0{}" is the same text to TeX and pandoc, and
    biber keeps it."""
    return _ZERO_TOKEN.sub("0{}", escaped) if "0" in escaped else escaped


def _name_part(text: str) -> str:
    escaped = _keep_zero(escape(text))
    # A part holding a comma or the word "and" would be split by BibTeX's name parser. One that
    # holds a command or an escape is braced too: bibtexparser's name splitter misreads a
    # backslash after " and " (it drops "\\%" and the first letter of "\\textbackslash").
    if "," in text or re.search(r"\band\b", text, re.IGNORECASE) or "\\" in escaped:
        return "{" + escaped + "}"
    return escaped


def one_name(text: str) -> str:
    """A publisher, institution or organisation: in BibLaTeX these are lists split at "and",
    so the whole name is braced ("{Research and Development Corp}")."""
    return "{" + escape(text) + "}"


def format_names(names: tuple[Name, ...]) -> str:
    """People as "Family, Given"; organisations in braces so they are never split or reordered.

    A blank part is left out: biber's parser crashes on a name such as ", Given"."""
    parts = []
    for name in names:
        if name.literal is not None:
            if escape(name.literal):
                parts.append("{" + _keep_zero(escape(name.literal)) + "}")
            continue
        family, given = (_name_part(p) if p else "" for p in (name.family, name.given))
        if family and given:
            parts.append(f"{family}, {given}")
        elif family or given:
            parts.append(family or given)
    return " and ".join(parts)


_LIST_FIELDS = frozenset({"organization", "publisher", "institution"})
"""BibLaTeX lists split at "and": an organisation's name is braced as one item."""
_CAPITALISED = frozenset({"title", "maintitle"})
_VERBATIM = frozenset({"url", "doi", "eprint"})
_SPECIAL = frozenset({"date", "accessed", "archive", "archived", "url", "doi", "eprint",
                      "eprinttype", "pages", "note", "tags", "extra", "entrysubtype", "genre"})
"""Fields written by their own rule below rather than as escaped text."""
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
EXTRA_EVERYWHERE = frozenset(
    "abstract addendum annotation file keywords library shorttitle shorthand titleaddon "
    "subtitle origtitle origlocation origpublisher pagination pubstate".split())
"""Fields kept under `extra` that biber's default data model allows in any entry type."""


_WRITE_ORDER = sorted(SOURCE_FIELDS, key=lambda spec: spec.kind != "names")
"""People first, as BibTeX files list them."""


def entry_type(source: Source, dialect: str = "biblatex") -> str:
    """The entry type a source is written as: BibLaTeX's own type, `@collection` for a book
    with editors and no authors (biber's type for an edited book), `@misc` for a type biber's
    default data model knows only by name; in classic BibTeX its nearest type."""
    kind = SourceType(source.type)
    if dialect == "biblatex":
        return biblatex_type(kind, bool(source.authors), bool(source.editors))
    if kind is SourceType.THESIS and (source.genre or "").lower() in ("mathesis", "masters"):
        return "mastersthesis"
    return TYPES[kind].bibtex


def _place(kind: SourceType, written: str, name: str, dialect: str,
           used: set[str]) -> str | None:
    """The field a value goes in (see refmap.mapfile.vocabulary.biblatex_field)."""
    if dialect == "biblatex":
        return biblatex_field(kind, written, name, used)
    own = FIELDS[name].bibtex
    if name == "site":  # where refmap's reader takes it back
        own = "howpublished" if kind is SourceType.ONLINE else "organization"
    return own if own and own not in used else None


def _text_value(name: str, field: str, value: object, dialect: str) -> str:
    if isinstance(value, tuple):
        return format_names(value)
    text = str(value)
    if field in _LIST_FIELDS:
        return one_name(text)
    if name in _CAPITALISED or (name == "booktitle" and dialect == "biblatex"):
        return protect_capitals(escape(text))
    return escape(text)


def _text_fields(source: Source, written: str, dialect: str) -> list[Field]:
    """Every plain field, in the table's order, under the name the format and type use."""
    used: set[str] = set()
    fields = []
    for spec in _WRITE_ORDER:
        value = getattr(source, spec.name)
        if not value or spec.name in _SPECIAL:
            continue
        field = _place(SourceType(source.type), written, spec.name, dialect, used)
        text = _text_value(spec.name, field, value, dialect) if field else ""
        if field is None or not text:  # nothing visible is left of the value
            continue
        used.add(field)
        fields.append(Field(field, text))
    return fields


def _note(source: Source, dialect: str) -> str | None:
    parts = []
    if dialect == "bibtex" and source.accessed:
        parts.append(f"Accessed {escape(source.accessed)}")
    if source.note:
        parts.append(escape(source.note))
    if source.archive:
        parts.append(r"Archived at \url{" + safe_url(source.archive) + "}")
    return ". ".join(parts) if parts else None


def _identifier_fields(source: Source, written: str, dialect: str) -> list[Field]:
    """Pages (an en-dash range), DOI and e-print."""
    from refmap.identifiers import render_pages

    fields = []
    if source.pages and (dialect == "bibtex" or biblatex_allows(written, "pages")):
        fields.append(Field("pages", render_pages(source.pages, "bibtex")))
    if source.doi:
        fields.append(Field("doi", safe_url(source.doi)))
    if source.eprint:
        fields.append(Field("eprint", safe_url(source.eprint)))
        if dialect == "biblatex" and source.eprinttype:
            fields.append(Field("eprinttype", source.eprinttype))
        elif source.eprinttype == "arxiv":
            fields.append(Field("archiveprefix", "arXiv"))
        elif source.eprinttype == "pubmed":
            fields[-1] = Field("pmid", safe_url(source.eprint))
    return fields


def _type_fields(source: Source, written: str, dialect: str) -> list[Field]:
    """`type` (refmap's genre), `entrysubtype`, and in classic BibTeX the BibLaTeX type where
    the entry type written reads back as another (`entrytype`, which BibTeX styles ignore)."""
    kind = SourceType(source.type)
    fields = []
    genre = source.genre or (DEFAULT_REPORT_TYPE if kind is SourceType.REPORT and dialect == "biblatex"
                             else None)
    if genre and (dialect == "bibtex" or biblatex_allows(written, "type")):
        fields.append(Field("type", escape(genre)))
    subtype = source.entrysubtype
    if dialect == "biblatex" and not kind.standard:
        subtype = kind.value
    elif dialect == "bibtex" and (BIBTEX_TO_TYPE.get(written) is not kind or (
            kind is SourceType.THESIS and not source.genre)):
        fields.append(Field("entrytype", kind.value))
    if subtype:
        fields.append(Field("entrysubtype", escape(subtype)))
    return fields


def _date_fields(source: Source, dialect: str) -> list[Field]:
    fields = []
    if dialect == "biblatex":
        if source.date:
            fields.append(Field("date", escape(source.date)))
        if source.url:
            fields.append(Field("url", safe_url(source.url)))
        if source.accessed:
            fields.append(Field("urldate", escape(source.accessed)))
        return fields
    parts = parse_date(source.date) if source.date else None
    if parts:
        fields.append(Field("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(Field("month", _MONTHS[parts[1] - 1], enclosing="no-enclosing"))
        if len(parts) > 2:
            fields.append(Field("day", str(parts[2])))
    if source.url:
        # once, as `url`: natbib styles, biber and pandoc read it (a second copy in
        # howpublished would print the address twice in styles that show both)
        fields.append(Field("url", safe_url(source.url)))
    return fields


def _extra_fields(source: Source, written: str, dialect: str, taken: set[str]) -> list[Field]:
    """Fields kept from an import, where the format has them: in BibLaTeX those biber's
    data model allows, in classic BibTeX every one with a field name BibTeX reads."""
    fields = []
    for name, value in source.extra:
        key = name.lower()
        if key in taken or not _FIELD_NAME.match(key):
            continue
        if dialect == "biblatex" and key not in EXTRA_EVERYWHERE and not biblatex_allows(
                written, key):
            continue
        taken.add(key)
        fields.append(Field(key, safe_url(value) if key in _VERBATIM else escape(value)))
    return fields


def source_entry(source: Source, dialect: str = "biblatex") -> Entry:
    """One bibtexparser Entry for a source, its values already escaped for LaTeX."""
    written = entry_type(source, dialect)
    fields = _text_fields(source, written, dialect)
    fields += _type_fields(source, written, dialect)
    fields += _date_fields(source, dialect)
    fields += _identifier_fields(source, written, dialect)
    note = _note(source, dialect)
    if note:
        fields.append(Field("note", note))
    fields += _extra_fields(source, written, dialect, {f.key for f in fields})
    return Entry(written, source.key, fields)


_ACCENTS = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u",
    "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0327": "c",
    "\u0328": "k",
}
"""Combining marks and the LaTeX accent command for each."""
_LETTERS = {
    "ß": r"{\ss}", "ø": r"{\o}", "Ø": r"{\O}", "æ": r"{\ae}", "Æ": r"{\AE}", "œ": r"{\oe}",
    "Œ": r"{\OE}", "ł": r"{\l}", "Ł": r"{\L}", "ı": r"{\i}",
}
"""Letters with a LaTeX macro of their own."""
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def latex_letter(ch: str) -> str:
    """A Latin letter with standard accents as LaTeX ("é" -> "{\\'{e}}"); any other character
    (Hangul, dashes, symbols) unchanged, rather than a macro that pandoc would drop.

    A fixed table instead of pylatexenc's encoder: that one writes "Ű" as "\\'{U}" (an acute,
    not the double acute), which every reader then decodes as "Ú".
    """
    if ch in _LETTERS:
        return _LETTERS[ch]
    import unicodedata

    parts = unicodedata.normalize("NFD", ch)
    base, marks = parts[0], parts[1:]
    if not marks or not (base.isascii() and base.isalpha()) or any(m not in _ACCENTS for m in marks):
        return ch
    out = base
    for mark in marks:
        out = f"\\{_ACCENTS[mark]}{{{out}}}"
    return "{" + out + "}"


def encode_accents(text: str) -> str:
    return _NON_ASCII.sub(lambda m: latex_letter(m.group()), text)


def _ascii_fields(entry: Entry) -> None:
    for field in entry.fields:
        if field.key not in ("url", "doi", "eprint", "pmid") and not field.value.isascii():
            enclosing = field.enclosing
            field.value = encode_accents(field.value)
            field.enclosing = enclosing


def _aliases_by_key(cmap: ClaimsMap) -> dict[str, list[str]]:
    """Each source's aliases that name it alone (see ClaimsMap.aliases)."""
    found: dict[str, list[str]] = {}
    for alias, key in cmap.aliases.items():
        found.setdefault(key, []).append(alias)
    return found


def export(cmap: ClaimsMap, dialect: str = "biblatex", cited_only: bool = False) -> str:
    """The map's sources as a .bib file: UTF-8 BibLaTeX, or classic BibTeX with accented Latin
    letters LaTeX-encoded (characters with no standard LaTeX form, such as Hangul, stay UTF-8)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}")
    cited = cmap.cited_keys() if cited_only else None
    aliases = _aliases_by_key(cmap)
    library = Library()
    for key, source in cmap.sources.items():
        if cited is not None and key not in cited:
            continue
        entry = source_entry(source, dialect)
        if dialect == "bibtex":
            _ascii_fields(entry)
        library.add(entry)
        if dialect == "biblatex" and aliases.get(key):
            entry.fields.insert(0, Field("ids", ", ".join(aliases[key])))
        elif aliases.get(key):  # BibTeX knows no aliases: the entry again under each
            library.add([Entry(entry.entry_type, alias, [Field(f.key, f.value)
                                                         for f in entry.fields])
                         for alias in aliases[key]])
    fmt = BibtexFormat()  # type: ignore[no-untyped-call]
    fmt.indent = "  "
    fmt.block_separator = "\n"
    # The library is thrown away after writing, so its blocks may be changed in place: the
    # default stack deep-copies every block (as slow as building them, and at 10,000 entries
    # bibtexparser warns about it on stderr).
    stack = default_unparse_stack(allow_inplace_modification=True)
    return write_string(library, unparse_stack=stack, bibtex_format=fmt)
