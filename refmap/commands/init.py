"""`refmap init`: draft a claims map for a new essay from its check-worthy sentences."""

from __future__ import annotations

import os
import re
from pathlib import Path

from refmap.mapfile.editor import double_quoted
from refmap.essay.text import Essay
from refmap.essay.sentences import Sentence, split_sentences
from refmap.values import control_character
from refmap.essay.worthiness import score_sentence

_STOPWORDS = frozenset(
    "a an the and or but of in on at by for to from with as is was are were be been it its this "
    "that these those he she they we i you his her their our there here which who whom".split()
)


def claim_id(text: str, taken: set[str]) -> str:
    """A readable id from a sentence's first significant words, unique among taken."""
    words = [w.lower() for w in re.findall(r"[A-Za-z0-9]+", text)]
    significant = [w for w in words if w not in _STOPWORDS] or words or ["claim"]
    base = "-".join(significant[:5])[:48].strip("-") or "claim"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def guess_kind(reasons: tuple[str, ...]) -> str:
    if "percentage" in reasons or "amount" in reasons or "figure" in reasons or "number in words" in reasons:
        return "figure"
    if "named source with a reporting verb" in reasons:
        return "statement"
    if "biographical detail" in reasons:
        return "bio"
    if "year or date" in reasons or "event" in reasons:
        return "event"
    return "background"


REFERENCE_SECTIONS = frozenset({
    "references", "reference list", "works cited", "bibliography", "notes", "endnotes",
    "sources", "further reading", "literature cited", "citations", "literature", "footnotes",
})
"""Headings of sections made of entries, not claims: nothing under them is drafted."""
_HEADING_WORDS = re.compile(r"[^\W\d_]+")
MAX_QUOTE_GROWTH = 40
"""Most words a repeated sentence's quote grows by to become unique."""


def prose_sentences(essay: Essay) -> list[Sentence]:
    """The essay's sentences that are running prose: not in a heading, a table cell, a caption
    or a definition term, and not under a reference-section heading ("References", "Works
    Cited", "Notes" ...), up to the next heading."""
    headings = _headings(essay)
    skipped = [(start, end) for start, end, _ in essay.regions] + headings
    for i, (start, end) in enumerate(headings):
        words = " ".join(_HEADING_WORDS.findall(essay.text[start:end].lower()))
        if words in REFERENCE_SECTIONS:
            skipped.append((start, headings[i + 1][0] if i + 1 < len(headings) else len(essay.text)))
    return [sentence for sentence in split_sentences(essay.text)
            if not any(start < sentence.end and sentence.start < end for start, end in skipped)]


def _headings(essay: Essay) -> list[tuple[int, int]]:
    """Where headings are: the reader's, or in plain text a short line of its own that ends
    in no punctuation ("References", "Part two")."""
    if essay.format != "txt":
        return sorted((start, end) for start, end, kind in essay.regions if kind == "heading")
    found = []
    for line in re.finditer(r"[^\n]+", essay.text):
        words = line.group().split()
        if 0 < len(words) <= 6 and line.group().rstrip()[-1] not in ".!?:;,\"\u201d)":
            found.append((line.start(), line.end()))
    return found


def unique_quote(text: str, sentence: Sentence) -> str | None:
    """The sentence's text if it occurs once in the essay; otherwise the sentence grown word by
    word into what follows it in its paragraph (then into what precedes it) until it does. None
    when no such stretch is unique (a paragraph written twice)."""
    start, end = sentence.start, sentence.end
    if _occurrences(text, text[start:end]) == 1:
        return text[start:end]
    limit = text.find("\n", end)
    limit = len(text) if limit < 0 else limit
    first = text.rfind("\n", 0, start) + 1
    for _ in range(MAX_QUOTE_GROWTH):
        grown = _next_word_end(text, end, limit)
        if grown == end:
            grown_start = _previous_word_start(text, start, first)
            if grown_start == start:
                return None
            start = grown_start
        else:
            end = grown
        if _occurrences(text, text[start:end]) == 1:
            return text[start:end]
    return None


def _occurrences(text: str, quote: str) -> int:
    """How often quote occurs, counting at most two."""
    first = text.find(quote)
    return 0 if first < 0 else 1 if text.find(quote, first + 1) < 0 else 2


def _next_word_end(text: str, end: int, limit: int) -> int:
    found = re.compile(r"\s*\S+").match(text, end, limit)
    return end if found is None else found.end()


def _previous_word_start(text: str, start: int, first: int) -> int:
    at = start
    while at > first and text[at - 1].isspace():
        at -= 1
    while at > first and not text[at - 1].isspace():
        at -= 1
    return at if at < start else start


def draft_map(essay: Essay, essay_ref: str, record: dict[str, object] | None = None
              ) -> tuple[str, int]:
    """YAML text of a new map for the essay, and how many claims it drafts. Each check-worthy
    sentence of running prose becomes an unsourced claim whose quote is the sentence as
    written (grown until it is unique, when the sentence is written more than once). record:
    the essay's title, authors, date and url, from its front matter."""
    lines = [
        "# Drafted by `refmap init`: each check-worthy sentence of the essay is an unsourced claim.",
        "# Split compound sentences into atomic claims, shorten quotes to the span that states the",
        "# claim, set each kind, and add citations; `refmap unsourced` lists what is left.",
        "# `draft: true` marks a claim as not reviewed yet; remove it once a person has checked",
        "# the claim. `machine_note` is refmap's reasoning for you: it is never published.",
        "version: 1",
        "essay:",
        f"  path: {double_quoted(essay_ref)}",
        *essay_record_lines(record or {}),
        "sources: {}",
        "claims:",
    ]
    taken: set[str] = set()
    count = 0
    for sentence in prose_sentences(essay):
        score = score_sentence(sentence.text)
        if not score.worthy or control_character(sentence.text) is not None:
            continue
        quote = unique_quote(essay.text, sentence)
        if quote is None:
            continue
        count += 1
        lines += [
            f"  - id: {claim_id(sentence.text, taken)}",
            f"    quote: {double_quoted(quote)}",
            f"    kind: {guess_kind(score.reasons)}",
            f"    machine_note: {double_quoted(_draft_note(score.value, score.reasons))}",
            "    draft: true",
            "",
        ]
    if count == 0:
        lines[-1] = "claims: []"
    return "\n".join(lines).rstrip("\n") + "\n", count


def _draft_note(value: float, reasons: tuple[str, ...]) -> str:
    return f"check-worthiness {value:.2f}: {', '.join(reasons)}"


def _exists(path: str) -> bool:
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:  # a name too long, a loop: it cannot be written either
        from refmap.errors import WriteError

        raise WriteError(f"cannot write: {exc.strerror}", path=path) from None
    return True


def write_draft(essay_path: str, output: str, max_bytes: int | None = None,
                fmt: str | None = None) -> int:
    """Draft a map for the essay at essay_path into output (never overwritten); returns how
    many claims it drafted. The draft is loaded as a map before it is written, so refmap never
    writes a map it cannot read. max_bytes caps the essay (None: the default cap). fmt: the
    essay's format, recorded as essay.format (None: from the extension)."""
    from refmap.mapfile import yamlio
    from refmap.errors import WriteError
    from refmap.essay.text import read_essay
    from refmap.fileio import atomic_write
    from refmap.mapfile.schema import build_map

    if _exists(output):
        raise WriteError("already exists; refmap init never overwrites a map", path=output)
    essay = read_essay(Path(essay_path), essay_path, fmt=fmt, max_bytes=max_bytes)
    record = front_matter_record(Path(essay_path), essay_path, essay.format)
    if fmt is not None:
        record["format"] = fmt
    text, count = draft_map(essay, essay_reference(essay_path, output), record)
    build_map(yamlio.compose(text, output), output)
    atomic_write(output, text, protect=(Path(essay_path),), create_only=True)
    return count


def essay_reference(essay_path: str, map_path: str) -> str:
    """The essay's path as the map must record it: relative to the map's directory."""
    base = os.path.dirname(os.path.abspath(map_path))
    return os.path.relpath(os.path.abspath(essay_path), base)


def front_matter_record(path: Path, display: str, fmt: str) -> dict[str, object]:
    """title, authors, date and url from a Markdown essay's front matter: a YAML block (pandoc,
    Jekyll, Quarto, Hugo) or Hugo's TOML (`+++`). Values that do not fit the map's fields are
    left out; a front matter that cannot be read is an error at its line."""
    if fmt != "markdown":
        return {}
    from refmap.mapfile import yamlio
    from refmap.essay.readers import frontmatter

    from refmap.fileio import ESSAY_MAX_BYTES

    source = yamlio.decode_utf8(yamlio.read_bytes(path, display, ESSAY_MAX_BYTES), display)
    fields = frontmatter.parse(source, display)
    if fields is None:
        fields = _toml_front_matter(source, display)
    return essay_record(fields or {})


def _toml_front_matter(source: str, display: str) -> dict[str, object] | None:
    import tomllib

    from refmap.errors import LoadError
    from refmap.spans import Span

    found = re.match(r"\+\+\+[ \t]*\r?\n(.*?)\r?\n\+\+\+[ \t]*(?:\r?\n|\Z)", source, re.DOTALL)
    if found is None:
        return None
    try:
        return tomllib.loads(found.group(1))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", 1) or 1
        raise LoadError(f"front matter is not valid TOML: {str(exc).split(' (at')[0]}",
                        span=Span(display, line + 1, 1)) from None


def essay_record(fields: dict[str, object]) -> dict[str, object]:
    """The map's essay fields from front-matter fields, each checked as `check` would."""
    from refmap.values import is_web_url, parse_date

    record: dict[str, object] = {}
    title = fields.get("title")
    if isinstance(title, str) and title.strip() and control_character(title) is None:
        record["title"] = " ".join(title.split())
    authors = [name for name in _names(fields.get("author", fields.get("authors"))) if name]
    if authors:
        record["authors"] = authors
    date = str(fields.get("date") or "")[:10]
    if date and parse_date(date) is not None:
        record["date"] = date
    for key in ("canonical_url", "canonicalURL", "url", "permalink"):
        url = fields.get(key)
        if isinstance(url, str) and is_web_url(url) and control_character(url) is None:
            record["url"] = url
            break
    return record


def _names(value: object) -> list[str]:
    """Author names as written: a string, a list of strings, or Quarto's {name: ...} entries."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    names = []
    for item in value[:50]:
        if isinstance(item, dict):
            item = item.get("name")
            if isinstance(item, dict):  # Quarto: name: {given: .., family: ..}
                item = " ".join(str(item.get(k) or "") for k in ("given", "family")).strip()
        if isinstance(item, str) and item.strip() and control_character(item) is None:
            names.append(" ".join(item.split()))
    return names


def essay_record_lines(record: dict[str, object]) -> list[str]:
    """The essay record's lines of YAML. A name is written whole ({literal: ...}): how a
    name from front matter splits into family and given names is not known."""
    lines = []
    if "title" in record:
        lines.append(f"  title: {double_quoted(str(record['title']))}")
    authors = record.get("authors")
    if isinstance(authors, list) and authors:
        lines.append("  authors:")
        lines += [f"    - {{literal: {double_quoted(str(name))}}}" for name in authors]
    for key in ("date", "url", "format"):
        if key in record:
            lines.append(f"  {key}: {double_quoted(str(record[key]))}")
    return lines
