"""Figures in text: the numbers a fact-checker looks for ("80 percent", "2018", "25 years")."""

from __future__ import annotations

import re

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
