"""A plain-text essay as a new Markdown document with pandoc citations placed right after each
claim's quote, one Markdown paragraph per paragraph of the essay.

`pandoc --citeproc annotated.md -o essay.html` then renders the essay with its citations and
a bibliography, reading the sources from the exported bibliography the YAML header names.
A Markdown essay is annotated in its own file instead (refmap.exporters.annotate.markdown).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from refmap.exporters.markdown import md
from refmap.essay.figures import author_date_citations
from refmap.inert import BACKTICK, markdown_text, yaml_metadata
from refmap.essay.located import Found
from refmap.mapfile.model import ClaimsMap, Source
from refmap.essay.sentences import split_sentences

if TYPE_CHECKING:
    from refmap.project import Project
    from refmap.essay.sentences import Sentence

_PARAGRAPH = re.compile(r"[^\n]*\S[^\n]*")
"""A paragraph of a reader's text: a line with something on it."""
_LOCATOR_SEPARATOR = re.compile("(?<!" + re.escape(BACKTICK[:-1]) + ");")
"""A ";" in a locator, which would end the citation, but not the one closing a backtick's entity."""


def citation(keys_and_locators: list[tuple[str, str | None]]) -> str:
    """A pandoc citation group: [@a, p. 4; @b]. A locator is Markdown to pandoc, so it is
    escaped like any text, and its ";" too (the separator between citations)."""
    items = []
    for key, locator in keys_and_locators:
        suffix = ", " + _LOCATOR_SEPARATOR.sub(r"\\;", markdown_text(locator, False)) if locator else ""
        items.append(f"@{key}" + suffix)
    return "[" + "; ".join(items) + "]"


def merged(items: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """One item per key, in first-cited order: a group never names a key twice; a key cited
    with several locators keeps them all ("@a, p. 4, p. 9")."""
    locators: dict[str, list[str]] = {}
    for key, locator in items:
        kept = locators.setdefault(key, [])
        if locator and locator not in kept:
            kept.append(locator)
    return [(key, ", ".join(kept) or None) for key, kept in locators.items()]


def _name_words(source: Source) -> frozenset[str]:
    """The first author's (else editor's) family name, or an organisation's name, as the
    lower-cased words an author-date citation writes it with."""
    people = source.authors or source.editors
    if not people:
        return frozenset()
    first = people[0]
    name = first.literal if first.literal is not None else first.family
    return frozenset(word.lower().rstrip(".") for word in (name or "").split())


def cited_by_author_date(source: Source, text: str) -> bool:
    """Whether text holds an author-date citation of the source: "(Mortimer 2017, 10)" or
    "Mortimer (2017)" where the source's first author is Mortimer and its year 2017."""
    words, year = _name_words(source), (source.date or "")[:4]
    if not words or not year:
        return False
    return any(words <= names and year in years
               for citation in author_date_citations(text) for names, years in citation.cites)


def yaml_header(cmap: ClaimsMap, bibliography: str) -> str:
    """The metadata block, written by a YAML emitter. pandoc reads metadata strings as
    Markdown, so the title and authors are escaped to render as written. The map's linked
    libraries (`bibliography:`, as the map names them) follow the given bibliography, so a key
    the essay's own text cites from a library, which no claim cites, is found too."""
    fields: dict[str, object] = {"title": md(cmap.essay.title or cmap.essay.path)}
    if cmap.essay.authors:
        fields["author"] = [md(a.display()) for a in cmap.essay.authors]
    libraries = [ref.path for ref in cmap.bibliography if ref.path != bibliography]
    fields["bibliography"] = [bibliography, *libraries] if libraries else bibliography
    fields["link-citations"] = True
    return yaml_metadata(fields)


def annotate(project: Project, bibliography: str) -> str:
    """Markdown of the whole essay with a citation after each anchored, cited claim, leaving out
    sources the claim's sentence already cites in author-date form."""
    cmap, essay = project.cmap, project.essay
    inserts: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    sentences = split_sentences(essay.text)
    starts = [sentence.start for sentence in sentences]
    for lc in project.located:
        anchor, claim = lc.anchor, lc.claim
        if not isinstance(anchor, Found):
            continue
        written = _sentence_text(essay.text, sentences, starts, anchor.end)
        for cit in claim.citations:
            key = cmap.resolve(cit.source)  # an alias is cited under its source's key
            source = cmap.sources.get(key) if key is not None else None
            if (key is not None and source is not None
                    and not cited_by_author_date(source, written)
                    and (key, cit.locator) not in inserts[anchor.end]):
                inserts[anchor.end].append((key, cit.locator))
    spans = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(essay.text)]
    inserts = _within_paragraphs(inserts, spans)
    positions = sorted(inserts)
    paragraphs = [md_paragraph(essay.text, start, end, inserts, positions)
                  for start, end in spans]
    return yaml_header(cmap, bibliography) + "\n" + "\n\n".join(paragraphs) + "\n"


def _sentence_text(text: str, sentences: list[Sentence], starts: list[int], end: int) -> str:
    """The sentence a quote ends in, up to where the next one starts (so a citation after
    its full stop belongs to it)."""
    import bisect

    if not sentences:
        return text
    i = max(bisect.bisect_right(starts, max(end - 1, 0)) - 1, 0)
    stop = sentences[i + 1].start if i + 1 < len(sentences) else len(text)
    return text[sentences[i].start:stop]


def _within_paragraphs(inserts: dict[int, list[tuple[str, str | None]]],
                       spans: list[tuple[int, int]]) -> dict[int, list[tuple[str, str | None]]]:
    """Citations placed where a paragraph has text: one after a paragraph's last character
    (in the line break that follows it) goes at that paragraph's end, one before the first
    paragraph's text at its start; never lost."""
    import bisect

    starts = [start for start, _ in spans]
    placed: dict[int, list[tuple[str, str | None]]] = defaultdict(list)
    for pos, group in sorted(inserts.items()):
        i = bisect.bisect_left(starts, pos) - 1
        if i >= 0:
            target = min(pos, spans[i][1])
        else:
            target = starts[0] if starts else pos
        placed[target] = merged(placed[target] + group)
    return placed


def md_paragraph(text: str, start: int, end: int,
                 inserts: dict[int, list[tuple[str, str | None]]],
                 positions: list[int] | None = None) -> str:
    """One paragraph of essay text (a line of the reader's text) as one Markdown paragraph,
    with its citations: the essay's paragraphs are the document's, one blank line apart.
    Text after a citation goes on where no block can start. `positions`, the inserts'
    positions sorted, lets a caller with many paragraphs find each one's by bisection rather
    than by a scan of every insert (which made annotating quadratic in the claims)."""
    import bisect

    if positions is None:
        positions = sorted(inserts)
    pieces, last = [], start
    # (start, end]; and start itself, where a citation before the essay's first text stands
    lo, hi = bisect.bisect_left(positions, start), bisect.bisect_right(positions, end)
    for pos in positions[lo:hi]:
        pieces += [md(text[last:pos], block_start=last == start), " " + citation(inserts[pos])]
        last = pos
    if last < end:
        pieces.append(md(text[last:end], block_start=last == start))
    return "".join(pieces).rstrip()
