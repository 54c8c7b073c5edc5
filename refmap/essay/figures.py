"""Figures in text: the numbers a fact-checker looks for ("80 percent", "2018", "25 years")."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}

_DIGITS = r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w])|(?<![\w.,])\d+(?:\.\d+)?(?!\w)"
_WORDS = (
    r"\b(?:" + "|".join(sorted(_TENS, key=len, reverse=True)) + r")(?:[-\s](?:"
    + "|".join(sorted(_UNITS, key=len, reverse=True)) + r"))?\b"
    r"|\b(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")\b"
)
_FIRST = "".join(sorted({word[0] for word in (*_UNITS, *_TENS)}))
_NUMBER = re.compile(rf"(?=[\d{_FIRST}])(?:{_DIGITS}|{_WORDS})", re.IGNORECASE)
"""A figure in digits or in words. The lookahead for a figure's first character (a digit or
the first letter of a number word) changes no match, but lets the engine give up at most
positions at once instead of trying every branch there: checks run it on every quote and
excerpt."""
# "one" is a figure in "one year after" but rarely something to check in an excerpt; numbers
# written as words are still compared, so "eighty percent" backs "80 percent".


def _value(token: str) -> str:
    lowered = token.lower()
    if lowered[0].isdigit():
        number = lowered.replace(",", "")
        if "." in number:
            return number.rstrip("0").rstrip(".")
        return str(int(number))
    parts = re.split(r"[-\s]", lowered)
    total = _TENS.get(parts[0], _UNITS.get(parts[0], 0))
    if len(parts) > 1:
        total += _UNITS.get(parts[1], 0)
    return str(total)


def figures(text: str) -> list[str]:
    """Numbers in text, as canonical strings ("80", "2018", "1.5"), in order of appearance."""
    return [_value(m.group()) for m in _NUMBER.finditer(text)]


def digit_figures(text: str) -> list[str]:
    """Numbers written with digits only: what a claim's quote asserts as a figure."""
    return [_value(m.group()) for m in _NUMBER.finditer(text) if m.group()[0].isdigit()]


# -- figures that are not claims -------------------------------------------------------------

_SURNAME = r"(?:[^\W\d_][\w'\u2019.\-]*)"
# Repetitions are bounded (six names before "and", ten years or locators): each is tried at
# every "(" of a sentence, and unbounded ones backtrack quadratically on long name lists.
_NAMES = (rf"{_SURNAME}(?:\s+{_SURNAME}){{0,2}}"
          rf"(?:(?:,\s*{_SURNAME}(?:\s+{_SURNAME}){{0,2}}){{0,5}},?\s+(?:and|&)\s+{_SURNAME}"
          rf"(?:\s+{_SURNAME}){{0,2}}|\s+et\s+al\.?)?")
_YEAR = r"(?:1[5-9]\d\d|20\d\d)[a-z]?|n\.\s?d\.|in\s+press|forthcoming"
_YEARS = rf"(?:{_YEAR})(?:\s*,\s*(?:{_YEAR})){{0,9}}"
_LOCATOR_LABEL = (r"(?:pp?|paras?|chaps?|ch|secs?|figs?|fns?|nn?|vols?|cols?|ll?|ff?|at)\.?"
                  r"|§{1,2}|page|pages|para")
_LOCATOR_VALUE = r"[\dIVXLCivxlc]+(?:\s*[-\u2013\u2014]\s*[\dIVXLCivxlc]+)?f{0,2}"
_LOCATOR = (rf"(?:,|:)\s*(?:(?:{_LOCATOR_LABEL})\s*)?{_LOCATOR_VALUE}"
            rf"(?:\s*,\s*(?:(?:{_LOCATOR_LABEL})\s*)?{_LOCATOR_VALUE}){{0,9}}")
_PREFIX = r"(?:see\s+also|see|cf\.|e\.g\.,?|also|as\s+in)\s+"
_ONE = rf"(?:{_PREFIX})?(?P<names>{_NAMES}),?\s+(?P<years>{_YEARS})(?:{_LOCATOR})?"


@functools.cache
def _citation_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The parenthetical, narrative and single-work patterns, compiled when a text first has
    a parenthesis: their Unicode name classes cost about 10 ms to compile, which a check of
    quotes without one (most) never pays."""
    parenthetical = re.compile(
        rf"\((?:{_ONE})(?:\s*;\s*(?:{_ONE.replace('?P<names>', '').replace('?P<years>', '')}))*\)")
    narrative = re.compile(rf"(?P<names>{_NAMES})\s+\((?P<years>{_YEARS})(?:{_LOCATOR})?\)")
    return parenthetical, narrative, re.compile(_ONE)


_YEAR_WORD = re.compile(r"1[5-9]\d\d|20\d\d")
_NOT_SURNAMES = frozenset({"and", "et", "al", "al.", "see", "also", "cf.", "e.g.", "as", "in",
                           "the", "a", "an", "this", "that", "these", "those", "since", "by",
                           "from", "until", "after", "before", "during", "of", "on"})
_MARKS = re.compile(
    r"\[\^?\d+(?:\s*[-\u2013,]\s*\d+)*\]"  # [12], [3, 4], [5-7], [^2]: reference and note marks
    r"|\^\d+"  # ^2
    rf"|(?<![\w.])(?:{_LOCATOR_LABEL})\s*{_LOCATOR_VALUE}(?!\w)"  # p. 10, pp. 10-12, § 4
)


class InTextCitation(NamedTuple):
    """An author-date citation written in the essay: "(Mortimer 2017, 10)", "Mortimer (2017)"."""

    start: int
    end: int
    """Where the citation is (for the narrative form, its parenthesis)."""
    cites: tuple[tuple[frozenset[str], frozenset[str]], ...]
    """Each work it cites: the surnames (lower-cased) and the years named."""


def author_date_citations(text: str) -> list[InTextCitation]:
    """The author-date citations in text, in order: parenthetical ("(Mortimer 2017, 10)",
    "(see Kim and Lee 2019; Park 2020a, p. 4)") and narrative ("Mortimer (2017, 10)")."""
    found: list[InTextCitation] = []
    if "(" not in text:  # both forms hold one
        return found
    parenthetical, narrative, one_citation = _citation_patterns()
    for match in parenthetical.finditer(text):
        cites = tuple(_work(one.group("names"), one.group("years"))
                      for one in one_citation.finditer(match.group()))
        if any(names for names, _ in cites):
            found.append(InTextCitation(match.start(), match.end(), cites))
    for match in narrative.finditer(text):
        if not match.group("names").split()[-1][0].isupper():  # "the census (2019)"
            continue
        work = _work(match.group("names"), match.group("years"))
        if work[0] and not any(c.start <= match.start("years") < c.end for c in found):
            found.append(InTextCitation(match.start("years") - 1, match.end(), (work,)))
    return sorted(found)


def _work(names: str, years: str) -> tuple[frozenset[str], frozenset[str]]:
    surnames = frozenset(
        word.group().lower().rstrip(".") for word in re.finditer(_SURNAME, names)
        if word.group()[0].isupper() and word.group().lower() not in _NOT_SURNAMES)
    return surnames, frozenset(_YEAR_WORD.findall(years))


def not_claimed(text: str) -> list[tuple[int, int]]:
    """Stretches of text whose numbers assert nothing: author-date citations, reference and
    footnote marks ("[12]", "^3"), and locators ("p. 10", "pp. 4-6", "§ 2")."""
    spans = [(c.start, c.end) for c in author_date_citations(text)]
    spans += [(m.start(), m.end()) for m in _MARKS.finditer(text)]
    return sorted(spans)


def claim_figures(text: str) -> list[str]:
    """The digit figures a claim's quote asserts: digit_figures, less those in citations,
    reference marks and locators, which the excerpts need not back."""
    if not any(map(str.isdigit, text)):
        return []
    masked = list(text)
    for start, end in not_claimed(text):
        masked[start:end] = " " * (end - start)
    return digit_figures("".join(masked))
