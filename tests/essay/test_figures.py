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


# -- figures that are not claims -------------------------------------------------------------

import pytest  # noqa: E402

from refmap.essay.figures import author_date_citations, claim_figures  # noqa: E402


@pytest.mark.parametrize("quote, wanted", [
    ("Mortimer counted 53 restorations (Mortimer 2017, 10).", ["53"]),
    ("As Mortimer (2017, p. 10) shows, 53 were restored.", ["53"]),
    ("Support rose to 80 percent (see Kim and Lee 2019; Park 2020a, pp. 4-6) in 2018.",
     ["80", "2018"]),
    ("Support was 80 percent (Smith et al. 2015: 23).", ["80"]),
    ("It took 12 years [3] and 4 more[^2], as noted on p. 117 and in § 4.", ["12", "4"]),
    ("In 2018 (the year of the summit) 12 leaders met (in 2019 too).", ["2018", "12", "2019"]),
    ("The census (2019) counted 40 million.", ["2019", "40"]),
])
def test_citations_marks_and_locators_are_not_claimed_figures(quote: str, wanted: list[str]):
    assert claim_figures(quote) == wanted


def test_author_date_citations_name_their_authors_and_years():
    text = "Shown before (Mortimer 2017, 10; Gallup Korea 2018) and by Lee (2019a)."
    assert [(text[c.start:c.end], c.cites) for c in author_date_citations(text)] == [
        ("(Mortimer 2017, 10; Gallup Korea 2018)",
         ((frozenset({"mortimer"}), frozenset({"2017"})),
          (frozenset({"gallup", "korea"}), frozenset({"2018"})))),
        ("(2019a)", ((frozenset({"lee"}), frozenset({"2019"})),)),
    ]


@pytest.mark.parametrize("text", ["(" + "Aa, " * 3000 + ")", "(" + "Aa Bb, " * 1500 + "and",
                                  "(Aa 2019; " * 2000, "(Aa 2019, " + "1, " * 3000])
def test_long_name_lists_do_not_backtrack(text: str):
    """Bounded repetitions: these took 15-20 s each with unbounded ones."""
    assert claim_figures(text + " 5") == ["5"] or claim_figures(text + " 5")[-1] == "5"
