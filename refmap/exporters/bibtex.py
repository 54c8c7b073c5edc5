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

BIBLATEX_TYPES = {
    "online": "online", "article": "article", "report": "report", "book": "book",
    "inproceedings": "inproceedings", "dataset": "dataset", "misc": "misc",
}
BIBTEX_TYPES = {
    "online": "misc", "article": "article", "report": "techreport", "book": "book",
    "inproceedings": "inproceedings", "dataset": "misc", "misc": "misc",
}


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


BIBLATEX_FIELDS = {
    "online": {"author", "editor", "title", "organization"},
    "article": {"author", "editor", "title", "journaltitle"},
    "book": {"author", "editor", "title", "publisher"},
    "report": {"author", "title", "institution"},
    "inproceedings": {"author", "editor", "title", "booktitle", "publisher", "organization"},
    "dataset": {"author", "editor", "title", "organization", "publisher"},
    "misc": {"author", "editor", "title", "organization"},
}
"""Per BibLaTeX type, the text fields biber's data model allows (date, url, urldate, note and
langid are allowed everywhere). Writing any other field makes biber warn."""


def _text_fields(source: Source, dialect: str) -> list[tuple[str, str]]:
    """(field, escaped value) pairs; for biblatex, only the fields the entry type allows, with
    the site or issuing body as the organization where the type has no better field."""
    organization = source.site or source.institution or source.publisher
    fields: list[tuple[str, str | None]] = [
        ("author", format_names(source.authors) if source.authors else None),
        ("editor", format_names(source.editors) if source.editors else None),
        ("title", protect_capitals(escape(source.title)) if source.title else None),
    ]
    if dialect == "biblatex":
        fields += [
            ("journaltitle", source.journal and escape(source.journal)),
            ("booktitle", source.booktitle and protect_capitals(escape(source.booktitle))),
            ("institution", source.institution and one_name(source.institution)),
            ("publisher", source.publisher and one_name(source.publisher)),
        ]
        allowed = BIBLATEX_FIELDS[source.type]
        if not any(name in allowed and value for name, value in fields[3:]):
            fields.append(("organization", organization and one_name(organization)))
    else:
        fields += [
            ("journal", source.journal and escape(source.journal)),
            ("booktitle", source.booktitle and escape(source.booktitle)),
            ("institution", source.institution and one_name(source.institution)),
            ("publisher", source.publisher and one_name(source.publisher)),
        ]
        allowed = {name for name, _ in fields}
    return [(name, value) for name, value in fields if value and name in allowed]


def _note(source: Source, dialect: str) -> str | None:
    parts = []
    if dialect == "bibtex":
        if source.site and source.type in ("online", "misc", "dataset"):
            parts.append(escape(source.site))
        if source.accessed:
            parts.append(f"Accessed {escape(source.accessed)}")
    if source.note:
        parts.append(escape(source.note))
    if source.archive:
        parts.append(r"Archived at \url{" + safe_url(source.archive) + "}")
    return ". ".join(parts) if parts else None


SCHOLARLY_FIELDS = {
    "article": ("volume", "number", "pages", "issn"),
    "book": ("edition", "volume", "number", "pages", "isbn"),
    "inproceedings": ("volume", "number", "pages", "isbn"),
    "report": ("number", "pages"),
    "dataset": ("edition", "number"),
    "online": (),
    "misc": (),
}
"""Per BibLaTeX type, the scholarly fields biber's data model allows besides doi and eprint
(which every type may have). Classic BibTeX styles ignore fields they do not know, so the
bibtex dialect writes them all."""
_ALL_SCHOLARLY = ("edition", "volume", "number", "pages", "isbn", "issn")


def _scholarly_fields(source: Source, dialect: str) -> list[Field]:
    """Volume, number, pages (an en-dash range), edition, ISBN, ISSN, DOI and e-print."""
    from refmap.identifiers import render_pages

    names = SCHOLARLY_FIELDS[source.type] if dialect == "biblatex" else _ALL_SCHOLARLY
    fields = []
    for name in names:
        value = getattr(source, name)
        if value:
            text = render_pages(value, "bibtex") if name == "pages" else escape(value)
            fields.append(Field(name, text))
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


def source_entry(source: Source, dialect: str = "biblatex") -> Entry:
    """One bibtexparser Entry for a source, its values already escaped for LaTeX."""
    types = BIBLATEX_TYPES if dialect == "biblatex" else BIBTEX_TYPES
    fields = [Field(k, v) for k, v in _text_fields(source, dialect)]
    parts = parse_date(source.date) if source.date else None
    if dialect == "biblatex":
        if source.type == "report":
            fields.append(Field("type", "Report"))
        if source.date:
            fields.append(Field("date", escape(source.date)))
        if source.url:
            fields.append(Field("url", safe_url(source.url)))
        if source.accessed:
            fields.append(Field("urldate", escape(source.accessed)))
        if source.language:
            fields.append(Field("langid", escape(source.language)))
    else:
        if parts:
            fields.append(Field("year", str(parts[0])))
            if len(parts) > 1:
                fields.append(Field("month", _MONTHS[parts[1] - 1], enclosing="no-enclosing"))
        if source.url:
            # once, as `url`: natbib styles, biber and pandoc read it (a second copy in
            # howpublished would print the address twice in styles that show both)
            fields.append(Field("url", safe_url(source.url)))
    fields += _scholarly_fields(source, dialect)
    note = _note(source, dialect)
    if note:
        fields.append(Field("note", note))
    return Entry(types[source.type], source.key, fields)


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
