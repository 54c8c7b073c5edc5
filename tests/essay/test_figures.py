"""Figures in text: digits and number words, as canonical strings in order of appearance."""

from __future__ import annotations

from refmap.essay.figures import digit_figures, figures


def test_digits_and_words_in_order() -> None:
    text = "In 2018, Eighty percent of 1,200 people (twenty-one groups) gave 2.50 points."
    assert figures(text) == ["2018", "80", "1200", "21", "2.5"]
    assert digit_figures(text) == ["2018", "1200", "2.5"]


def test_words_inside_other_words_are_not_figures() -> None:
    assert figures("someone often tension; anyone") == []
    assert figures("a1 b2, v1.2.3") == []


def test_case_and_unicode_digits() -> None:
    assert figures("SEVENTY-TWO and Nine") == ["72", "9"]
    assert figures("\u0663 items") == ["3"]
