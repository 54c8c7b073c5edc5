"""A source as a readable reference, in parts, so each output format escapes it its own way."""

from __future__ import annotations

from dataclasses import dataclass

from refmap.mapfile.model import EssayRecord, Name, Source

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def human_date(text: str | None) -> str | None:
    """2019-06-12 -> "12 June 2019"; 2019-06 -> "June 2019"; 2019 -> "2019"."""
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return f"{parts[2]} {_MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def sort_name(name: Name) -> str:
    """A name as a reference list shows it: "Family, Given", so that family-name-first names
    ("Kim Min-ji") and given-name-first ones read the same way; organisations as written."""
    if name.literal is not None:
        return name.literal
    family = name.family or ""
    return f"{family}, {name.given}" if name.given else family


def name_list(names: tuple[Name, ...], inverted: bool = False) -> str | None:
    shown = [sort_name(n) if inverted else n.display() for n in names]
    if not shown:
        return None
    if len(shown) == 1:
        return shown[0]
    separator = "; " if inverted else ", "
    return separator.join(shown[:-1]) + " and " + shown[-1]


def essay_byline(essay: EssayRecord) -> str:
    """The essay's authors, publisher and venue, joined by commas; a venue that is also the
    publisher (a magazine publishing its own piece) is named once."""
    venue = None if essay.venue == essay.publisher else essay.venue
    return ", ".join(p for p in (name_list(essay.authors), essay.publisher, venue) if p)


@dataclass(frozen=True)
class Reference:
    """The parts of a reference, unescaped: "Authors. Title. Container, Publisher, Date."""

    authors: str | None
    title: str
    container: str | None
    publisher: str | None
    date: str | None
    url: str | None
    accessed: str | None


def _ordinal(text: str) -> str:
    if not text.isdigit():
        return text
    n = int(text)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _container(source: Source) -> str | None:
    """Where the source appeared, with what places it there: "In Book, edited by Editors,
    Series, vol. 2, no. 3, pp. 12–34"."""
    from refmap.identifiers import render_pages

    if source.booktitle:
        head = f"In {source.booktitle}"
        if source.editors and source.authors:
            head += f", edited by {name_list(source.editors)}"
    else:
        head = source.journal or source.maintitle or source.site or source.eventtitle or ""
    parts = [head, source.series or ""]
    if source.edition:
        parts.append(f"{_ordinal(source.edition)} ed.")
    if source.volume:
        parts.append(f"vol. {source.volume}")
    if source.number:
        parts.append(f"no. {source.number}")
    if source.chapter:
        parts.append(f"ch. {source.chapter}")
    if source.pages:
        parts.append(f"pp. {render_pages(source.pages, 'csl')}")
    return ", ".join(p for p in parts if p) or None


def _publisher(source: Source) -> str | None:
    """"Genre, Location: Publisher" ("PhD thesis, Seoul: Example University")."""
    body = source.publisher or source.institution
    if body and source.location:
        body = f"{source.location}: {body}"
    genre = {"phdthesis": "PhD thesis", "mathesis": "Master's thesis",
             "techreport": "Technical report", "resreport": "Research report"}.get(
        source.genre or "", source.genre)
    return ", ".join(p for p in (genre, body) if p) or None


def reference(source: Source) -> Reference:
    container = _container(source)
    publisher = _publisher(source)
    if publisher == container:
        publisher = None
    authors = source.authors or source.editors
    names = name_list(authors, inverted=True)
    if names and not source.authors:
        names += " (ed.)" if len(authors) == 1 else " (eds.)"
    return Reference(
        authors=names,
        title=source.title or f"[untitled: {source.key}]",
        container=container,
        publisher=publisher,
        date=human_date(source.date),
        url=source.url,
        accessed=human_date(source.accessed),
    )
