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


def reference(source: Source) -> Reference:
    container = source.journal or source.booktitle or source.site
    publisher = source.publisher or source.institution
    if publisher == container:
        publisher = None
    return Reference(
        authors=name_list(source.authors, inverted=True),
        title=source.title or f"[untitled: {source.key}]",
        container=container,
        publisher=publisher,
        date=human_date(source.date),
        url=source.url,
        accessed=human_date(source.accessed),
    )
