"""Citations inserted into the author's own Markdown file, every other byte unchanged.

Each anchored claim's citations go after the sentence its quote ends in, before the sentence's
closing punctuation, as pandoc's citation guidance writes them ("... in 2018 [@a, p. 4]."):
claims sharing a sentence share one citation group `[@a; @b]`. Positions come from the
Markdown reader's map back to the file, so emphasis, links and wrapping stay as written. A key
the sentence already cites (`[@a]` or `@a says`) is not added again, which also makes a second
run add nothing; so is a source the sentence cites in author-date form ("(Mortimer 2017, 10)",
"Mortimer (2017)": first author's family name and year), and no group names a key twice.
The essay is read again here, as bytes: the write is checked against them, and
its text must be the one the claims were anchored in.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from refmap.mapfile import yamlio
from refmap.exporters.annotate.plain import citation, cited_by_author_date, merged
from refmap.errors import UsageError, WriteError
from refmap.essay.text import Essay
from refmap.values import inert
from refmap.essay.located import Found
from refmap.essay.readers import frontmatter, markdown
from refmap.essay.sentences import Sentence, split_sentences
from refmap.spans import Span

if TYPE_CHECKING:
    from refmap.project import Project

BOM = "\ufeff"
_TERMINAL = ".!?\u2026"
_CITED_KEY = re.compile(r"(?<![\w@])-?@(?:\{([^{}\s]+)\}|(\w(?:[\w:.#$%&+?<>~/-]*\w)?))")
_FRONT_MATTER_OPEN = re.compile(r"---[ \t]*\r?\n(?=[ \t]*\S)")
_BIBLIOGRAPHY_KEY = re.compile(r"^[\"']?bibliography[\"']?[ \t]*:", re.MULTILINE)
_FRONT_MATTER_CLOSE = re.compile(r"^---[ \t]*(?:\r?\n|\Z)", re.MULTILINE)


@dataclass(frozen=True)
class Insertion:
    """Text added to the essay at one offset of its source (BOM excluded)."""

    offset: int
    text: str
    """What is inserted: " [@a, p. 4; @b]", or a front-matter line."""
    claims: tuple[str, ...] = ()
    """Ids of the claims the citation is for (none for front matter)."""


@dataclass(frozen=True)
class AnnotatedEssay:
    """The annotated essay and what it takes to write it back safely."""

    path: Path
    """The essay file."""
    original: bytes
    """Its bytes as read: an in-place write is refused if the file holds anything else."""
    text: str
    """The annotated file's text, with the original's BOM and line endings."""
    insertions: tuple[Insertion, ...]
    """What was added, in file order."""


def require_annotatable(project: Project) -> None:
    """Refuse essays refmap cannot write citations into (HTML, Word)."""
    fmt = project.essay.format
    if fmt in ("markdown", "txt"):
        return
    raise UsageError(f"annotate writes Markdown or plain text essays; convert this {fmt} "
                     "essay to Markdown first (pandoc -t markdown) and point essay.path at it",
                     path=project.essay.path)


def annotate_markdown(project: Project, bibliography: str | None = None) -> AnnotatedEssay:
    """The project's Markdown essay with a pandoc citation after each cited claim's sentence,
    and `bibliography:` in its front matter when a bibliography is given."""
    data = yamlio.read_bytes(project.essay_path, project.essay.path)
    source = yamlio.decode_utf8(data, project.essay.path)
    essay = Essay.from_model(project.essay.path, markdown.read(source, project.essay.path))
    if essay.text != project.essay.text:
        raise WriteError("changed on disk since it was read; nothing written, run again",
                         path=project.essay.path)
    insertions = citation_insertions(project, essay, source)
    if bibliography is not None:
        libraries = tuple(ref.path for ref in project.cmap.bibliography)
        insertions += front_matter_insertions(source, bibliography, project.essay.path,
                                              libraries)
    insertions.sort(key=lambda ins: ins.offset)
    bom = BOM if data.startswith(BOM.encode("utf-8")) else ""
    return AnnotatedEssay(project.essay_path, data, bom + apply(source, insertions),
                          tuple(insertions))


def apply(source: str, insertions: Iterable[Insertion]) -> str:
    """The source with each insertion's text put in at its offset (insertions sorted)."""
    pieces: list[str] = []
    last = 0
    for ins in insertions:
        pieces += [source[last:ins.offset], ins.text]
        last = ins.offset
    pieces.append(source[last:])
    return "".join(pieces)


def citation_insertions(project: Project, essay: Essay, source: str) -> list[Insertion]:
    """One citation group per sentence that holds the end of a cited claim's quote."""
    sentences = split_sentences(essay.text)
    starts = [s.start for s in sentences]
    groups: dict[int, tuple[list[tuple[str, str | None]], list[str]]] = {}
    for lc in project.in_essay_order():
        anchor = lc.anchor
        if not isinstance(anchor, Found):
            continue
        index = max(bisect.bisect_right(starts, max(anchor.end - 1, anchor.start)) - 1, 0)
        items, claims = groups.setdefault(index, ([], []))
        for cit in lc.claim.citations:
            key = project.cmap.resolve(cit.source)  # an alias under its source's key
            if key is not None and (key, cit.locator) not in items:
                items.append((key, cit.locator))
                if lc.claim.id not in claims:
                    claims.append(lc.claim.id)
    insertions = []
    for index, (items, claims) in groups.items():
        start, end = _sentence_source_span(essay, source, sentences, index)
        cited, written = cited_keys(source, start, end), source[start:end]
        new = [(key, locator) for key, locator in merged(items) if key not in cited
               and not cited_by_author_date(project.cmap.sources[key], written)]
        if new:
            offset = insertion_offset(essay, sentences[index])
            space = "" if offset > 0 and source[offset - 1] in " \t" else " "
            insertions.append(Insertion(offset, space + citation(new), tuple(claims)))
    return insertions


def insertion_offset(essay: Essay, sentence: Sentence) -> int:
    """Where a sentence's citation goes in the source: before its closing punctuation
    ("in 2018 [@a]."), or after the sentence when closing quotes or brackets follow it or it
    has no punctuation (a heading, a list item)."""
    text = sentence.text
    if text and text[-1] in _TERMINAL:
        run = len(text) - len(text.rstrip(_TERMINAL))
        return essay.source_offset(sentence.end - run)
    return essay.source_end(sentence.end)


def _sentence_source_span(essay: Essay, source: str, sentences: list[Sentence],
                          index: int) -> tuple[int, int]:
    """The stretch of source a sentence is written in, up to the next sentence of its
    paragraph or the end of its last line (so a citation after its full stop counts)."""
    sentence = sentences[index]
    start = essay.source_offset(sentence.start)
    following = sentences[index + 1] if index + 1 < len(sentences) else None
    if following is not None and "\n" not in essay.text[sentence.end:following.start]:
        return start, essay.source_offset(following.start)
    end = essay.source_end(sentence.end)
    line_end = source.find("\n", end)
    return start, len(source) if line_end < 0 else line_end


def cited_keys(source: str, start: int, end: int) -> set[str]:
    """Citekeys pandoc reads as citations in source[start:end] (`[@a]`, `@a says`)."""
    return {m.group(1) or m.group(2) for m in _CITED_KEY.finditer(source, start, end)}


def front_matter_insertions(source: str, bibliography: str, display: str,
                            libraries: tuple[str, ...] = ()) -> list[Insertion]:
    """`bibliography: FILE` added to the front matter, or a front matter made for it; nothing
    if it already names that file. The map's linked libraries (as the map names them) follow
    FILE as a list, so keys the essay's own text cites from them are found too."""
    if not bibliography.strip() or any(ch < " " or ch in "\x7f\u2028\u2029" for ch in bibliography):
        raise UsageError(f"--bibliography: not a usable file name: '{inert(bibliography)}'")
    newline = "\r\n" if "\r\n" in source else "\n"
    others = [path for path in libraries if path != bibliography]
    value: str | list[str] = [bibliography, *others] if others else bibliography
    line = yaml.safe_dump({"bibliography": value}, allow_unicode=True,
                          width=2**30).rstrip("\n").replace("\n", newline) + newline
    opening = _FRONT_MATTER_OPEN.match(source)
    closing = _FRONT_MATTER_CLOSE.search(source, opening.end()) if opening else None
    if opening is None or closing is None:
        return [Insertion(0, f"---{newline}{line}---{newline}{newline}")]
    existing = _front_matter_value(source[opening.end():closing.start()], display)
    if existing is None:
        return [Insertion(closing.start(), line)]
    if existing in (bibliography, [bibliography], value):
        return []
    key = _BIBLIOGRAPHY_KEY.search(source, opening.end(), closing.start())
    row = source.count("\n", 0, key.start() if key else opening.end()) + 1
    raise UsageError("the front matter already names a bibliography "
                     f"({inert(str(existing))}); edit it there or leave out --bibliography",
                     span=Span(display, row, 1))


def _front_matter_value(body: str, display: str) -> object:
    """The front matter's `bibliography` value (None when it has none); the front matter is
    read with the bounds of any outside YAML (no aliases, limited nesting)."""
    return frontmatter.parse_block(body, display, 2).get("bibliography")


def write_in_place(result: AnnotatedEssay, project: Project) -> None:
    """Write the annotated essay over the essay file, atomically, refused if the file changed
    since it was read (mode, symlinks and read-only protection as for the map)."""
    from refmap.fileio import atomic_write

    atomic_write(result.path, result.text, protect=(project.map_path,),
                 expect_unchanged=result.original)
