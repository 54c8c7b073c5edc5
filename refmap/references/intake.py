"""Values from outside (a DOI answer, a page's metadata) held to the rules `refmap check`
applies to a map, before they become a source.

A value that breaks a rule is left out with a warning naming the field and the reason; the
record is written without it, so the map still passes `check`. The title, without which
there is no source, is not left out: a title that breaks a rule is a reason to refuse.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from refmap.values import control_character, parse_date

URL_FIELDS = ("url", "archive")
DATE_FIELDS = ("date", "accessed", "archived")
NUMBER_WORDS = re.compile(r"[+-]?(nan|inf|infinity)\Z", re.IGNORECASE)
"""What a JSON NaN or Infinity, or a float's str(), turns into: never a volume or a page."""
SURROGATE = re.compile(r"[\ud800-\udfff]")
MAX_TEXT = 10_000
"""Characters a value from outside may have: longer is a page's body, not a field."""


def text_problem(value: str) -> str | None:
    """Why text from outside cannot be written (a control character, a lone surrogate,
    runaway length), or None."""
    found = SURROGATE.search(value)
    if found is not None:
        return f"it holds a lone surrogate ({found.group()!r}), which is no character"
    at = control_character(value)
    if at is not None:
        return f"it holds a control character ({value[at]!r})"
    if len(value) > MAX_TEXT:
        return f"it is {len(value)} characters long (at most {MAX_TEXT})"
    return None


def value_problem(name: str, value: object) -> tuple[object, str | None]:
    """The value as it may be written (a URL in browser form), and why not when it may not."""
    if isinstance(value, float) and not math.isfinite(value):
        return value, "it is not a number"
    if isinstance(value, str):
        problem = text_problem(value)
        if problem is not None:
            return value, problem
        if name in URL_FIELDS:
            from refmap.net.urls import UnusableURL, browser_url

            try:
                return browser_url(value), None
            except UnusableURL as error:
                return value, str(error)
        if name in DATE_FIELDS and parse_date(value) is None:
            return value, "it is not a date YYYY[-MM[-DD]] in ASCII digits"
        if NUMBER_WORDS.match(value.strip()):
            return value, "it is not a number"
        return value, None
    if isinstance(value, Mapping):
        for part in value.values():
            _, problem = value_problem("", part)
            if problem is not None:
                return value, problem
        return value, None
    if isinstance(value, list):
        for item in value:
            _, problem = value_problem("", item)
            if problem is not None:
                return value, problem
    return value, None


def checked_fields(fields: Mapping[str, object]) -> tuple[dict[str, object], list[str], str | None]:
    """(fields that may be written, a warning per field left out, why the title is refused)."""
    kept: dict[str, object] = {}
    warnings: list[str] = []
    refused: str | None = None
    for name, value in fields.items():
        value, problem = value_problem(name, value)
        if problem is None:
            kept[name] = value
        elif name == "title":
            refused = f"'title' {problem.removeprefix('it ')}"
        else:
            warnings.append(f"'{name}' left out: {problem}")
    return kept, warnings, refused


def unwritable(fields: Mapping[str, object], where: str = "") -> str | None:
    """Why a map could not hold these fields (a control character in a value), or None."""
    texts: list[str] = []
    _texts(fields.values(), texts)
    if control_character("\n".join(texts)) is None:  # one search for a whole record ("\n" passes)
        return None
    for name, value in fields.items():
        label = f"{where}{name}"
        if isinstance(value, str):
            at = control_character(value)
            if at is not None:
                what = ("a lone surrogate" if "\ud800" <= value[at] <= "\udfff"
                        else "a control character")
                return f"'{label}' holds {what} ({value[at]!r})"
        elif isinstance(value, Mapping):
            found = unwritable(value, f"{label}: ")
            if found is not None:
                return found
        elif isinstance(value, list):  # names (mappings) or tags (text)
            items = {f"{label} item {n}": item for n, item in enumerate(value, 1)}
            found = unwritable(items, where="")
            if found is not None:
                return found
    return None


def _texts(values: Iterable[object], into: list[str]) -> None:
    """Every text `unwritable` looks at: the values, and those in mappings and lists."""
    for value in values:
        if isinstance(value, str):
            into.append(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    into.append(item)
                elif isinstance(item, dict) and all(isinstance(v, str) for v in item.values()):
                    into.extend(item.values())  # a name
                elif isinstance(item, (Mapping, list)):
                    _texts([item], into)
        elif isinstance(value, Mapping):
            _texts(value.values(), into)
