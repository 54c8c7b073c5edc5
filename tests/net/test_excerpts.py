from __future__ import annotations

from pathlib import Path

import pytest

from pdfbytes import make_pdf
from refmap.net.excerpts import ExcerptFinder, ExcerptMatch, ExcerptState, find_excerpt
from refmap.net.pages import PageText, page_text

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def article(name: str = "article-utf8.html", content_type: str = "text/html") -> PageText:
    page = page_text((PAGES / name).read_bytes(), content_type)
    assert isinstance(page, PageText)
    return page


def found_text(excerpt: str, page: PageText) -> str:
    match = find_excerpt(excerpt, page)
    assert match.state == ExcerptState.FOUND and match.score == 100.0
    assert match.offset is not None and match.end is not None
    return page.text[match.offset:match.end]


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("article-utf8.html", "text/html"), ("article-cp1252.html", "text/html"),
     ("article-wrong-header.html", "text/html; charset=ISO-8859-1")],
)
def test_excerpt_present_in_every_encoding(name: str, content_type: str) -> None:
    page = article(name, content_type)
    excerpt = ("Critics on the council caf\u00e9 committee noted that the figures had not yet "
               "been audited")
    assert found_text(excerpt, page) == excerpt


def test_excerpt_with_other_typography_is_found() -> None:
    excerpt = ('"We have never seen a year like it," said the board\'s chair, Maria L\u00f3pez -- '
               "who took office in 2019 - in a statement")
    assert found_text(excerpt, article()) == (
        "\u201cWe have never seen a year like it,\u201d said the board\u2019s chair, "
        "Maria L\u00f3pez \u2014 who took office in 2019 \u2014 in a statement"
    )


@pytest.mark.parametrize(
    "excerpt",
    [
        "the new terminal would open ahead of schedule in the autumn",  # <em>
        "and that dredging of the outer channel had been completed without incident.",  # <a>
        "The report lists three causes: lower fees for feeder ships, a longer quay",  # <br>
    ],
)
def test_excerpt_split_by_markup_is_found(excerpt: str) -> None:
    assert " ".join(found_text(excerpt, article()).split()) == excerpt


def test_one_reworded_word_is_changed() -> None:
    excerpt = ("The harbour board said on Tuesday that container traffic had tripled since last "
               "spring, the fastest growth recorded at the port")
    match = find_excerpt(excerpt, article())
    assert match == ExcerptMatch(
        ExcerptState.CHANGED, 96.9,
        "The harbour board said on Tuesday that container traffic had doubled since last "
        "spring, the fastest growth recorded at the port",
        34, 161,
    )


def test_excerpt_gone_is_missing() -> None:
    excerpt = "The mayor resigned on Friday after losing a vote of confidence in the chamber."
    assert find_excerpt(excerpt, article()) == ExcerptMatch(ExcerptState.MISSING)


def test_blank_excerpt_is_missing() -> None:
    assert find_excerpt(" \n", article()).state == ExcerptState.MISSING


def test_repeated_excerpt_is_found_at_its_first_occurrence() -> None:
    page = PageText("Tides rise twice a day. Elsewhere: tides rise twice a day.", "text", "utf-8")
    assert find_excerpt("tides rise twice a day", page) == ExcerptMatch(
        ExcerptState.FOUND, 100.0, None, 35, 57
    )


def test_excerpt_in_a_pdf() -> None:
    page = page_text(make_pdf([["Annual report of the harbour board", "Container traffic doubled",
                                "since last spring, the fastest growth in decades."]]), None)
    assert isinstance(page, PageText)
    assert find_excerpt("Container traffic doubled since last spring", page).state == (
        ExcerptState.FOUND
    )


def test_finder_answers_several_excerpts_for_one_page() -> None:
    finder = ExcerptFinder(article())
    states = [finder.find(e).state for e in (
        "container traffic had doubled",
        "container traffic had halved since last spring, the fastest",
        "nothing of the kind appears here at all, not even close to it",
    )]
    assert states == [ExcerptState.FOUND, ExcerptState.CHANGED, ExcerptState.MISSING]


def test_excerpt_differing_in_letter_case_only_is_found() -> None:
    page = PageText("The harbour board said traffic doubled.", "html", "utf-8")
    assert find_excerpt("THE harbour board said", page) == ExcerptMatch(
        ExcerptState.FOUND, 100.0, None, 0, 22
    )


@pytest.mark.parametrize(
    ("excerpt", "expected"),
    [
        ("The harbour board said on Tuesday \u2026 the fastest growth recorded at the port",
         ExcerptMatch(ExcerptState.FOUND, 100.0, None, 34, 161)),
        ("The harbour board said on Tuesday [...] the fastest growth recorded at the port",
         ExcerptMatch(ExcerptState.FOUND, 100.0, None, 34, 161)),
        ("The harbour board said on Monday ... the fastest growth recorded at the port",
         ExcerptMatch(ExcerptState.CHANGED, 89.2,
                      "The harbour board said on Tuesday that container traffic had doubled since "
                      "last spring, the fastest growth recorded at the port", 34, 161)),
        ("The harbour board said on Tuesday ... the mayor resigned after losing a vote",
         ExcerptMatch(ExcerptState.MISSING)),
    ],
)
def test_elided_excerpt_is_matched_passage_by_passage(excerpt: str, expected: ExcerptMatch) -> None:
    assert find_excerpt(excerpt, article()) == expected


def test_excerpt_with_dots_that_the_page_has_is_found_whole() -> None:
    page = PageText("He paused... then spoke.", "text", "utf-8")
    assert find_excerpt("He paused\u2026 then spoke.", page) == ExcerptMatch(
        ExcerptState.FOUND, 100.0, None, 0, 24
    )
