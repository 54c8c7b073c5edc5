"""What pages add to their words is taken out before excerpts are matched (issue 18, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from httpserver import LocalServer, http_server  # noqa: F401
from pdfbytes import make_pdf
from sourcemaps import write_map

from refmap.net.excerpts import ExcerptState, find_excerpt
from refmap.net.pages import PageText, drop_footnote_sups, join_hyphenated_lines, matching_text, page_text

@pytest.fixture(autouse=True)
def _loopback_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local test server is on 127.0.0.1, which refmap refuses unless allowed."""
    monkeypatch.setenv("REFMAP_ALLOW_PRIVATE", "1")


HTML = "text/html; charset=utf-8"


def html_page(paragraph: str) -> bytes:
    return (f"<html><body><article><h1>Shipping</h1><p>{paragraph}</p>"
            "<p>Another paragraph so that the article has a body.</p></article></body></html>"
            ).encode("utf-8")


@pytest.mark.parametrize(("page", "text"), [
    ("1703[1], Daniel", "1703, Daniel"),
    ("1703[12], Daniel", "1703, Daniel"),
    ("the port[2][3] opened", "the port opened"),
    ("the port[2\u20134] opened", "the port opened"),
    ("the port[a] opened", "the port opened"),
    ("the port[note 3] opened", "the port opened"),
    ("the port opened[citation needed] in May", "the port opened in May"),
    ("the port opened[better source needed] in May", "the port opened in May"),
    ("the port opened[who?] in May", "the port opened in May"),
    ("1703\u00b9, Daniel", "1703, Daniel"),
    ("1703\u00b9\u2070, Daniel", "1703, Daniel"),
    ("infor\u00admation", "information"),
    ("zero\u200bwidth\u2060joined\ufeff", "zerowidthjoined"),
    ("of\ufb01ce \ufb02ow \ufb00ort \ufb03x \ufb04e", "office flow ffort ffix ffle"),
    ("he wrote [sic] and [the board] agreed", "he wrote [sic] and [the board] agreed"),
])
def test_matching_text(page: str, text: str) -> None:
    assert matching_text(page) == text
    assert matching_text(text) == text  # idempotent


def _matching_text_in_full(text: str) -> str:
    """matching_text's rule with every step taken on every text."""
    from refmap.net import pages

    text = text.translate(pages._INVISIBLE_CHARS).translate(pages._LIGATURES)
    return pages._SUPERSCRIPTS.sub("", pages._NOTE_MARK.sub("", text))


@given(st.text(alphabet=st.sampled_from(list("ab1 [2]?who\u00b9\u00ad\u200b\ufb01\u00e9-")),
               max_size=30))
@example("[1\u00b9]")
@example("1703[\ufb01]")
def test_matching_text_skips_only_steps_that_cannot_apply(text: str) -> None:
    assert matching_text(text) == _matching_text_in_full(text)


@pytest.mark.parametrize(("html", "kept"), [
    ('1703<sup class="reference"><a href="#cite_note-1">[1]</a></sup>, Daniel', "1703, Daniel"),
    ("1703<sup>1</sup>, Daniel", "1703, Daniel"),
    ("Daniel<sup><a href='#fn2'>2</a></sup> left", "Daniel left"),
    ("the claim<sup>&#8224;</sup> stands", "the claim stands"),
    ('opened<sup class="noprint"><i>[<a href="/w">citation needed</a>]</i></sup> in May',
     "opened in May"),
    ("E = mc<sup>squared</sup>", "E = mc<sup>squared</sup>"),
])
def test_footnote_sups_are_dropped_from_html(html: str, kept: str) -> None:
    assert drop_footnote_sups(html) == kept


def test_pdf_words_broken_across_lines_are_joined() -> None:
    assert join_hyphenated_lines("the infor-\nmation was\nwell-\nknown") == (
        "the information was\nwellknown")
    assert join_hyphenated_lines("pages 12-\n34 and North-\nEast") == "pages 12-\n34 and North-\nEast"


@pytest.mark.parametrize(("paragraph", "excerpt"), [
    ('born in 1703<sup class="reference"><a href="#n1">[1]</a></sup>, Daniel Defoe wrote',
     "born in 1703, Daniel Defoe wrote"),
    ("born in 1703[1], Daniel Defoe wrote", "born in 1703, Daniel Defoe wrote"),
    ("born in 1703<sup>1</sup>, Daniel Defoe wrote", "born in 1703, Daniel Defoe wrote"),
    ("born in 1703\u00b9, Daniel Defoe wrote", "born in 1703, Daniel Defoe wrote"),
    ("the port opened[citation needed] in May of that year", "the port opened in May of that year"),
    ("the harbour infor\u00admation of\ufb01ce opened", "the harbour information office opened"),
    ("the harbour&shy;master&#8203;s office opened", "the harbourmasters office opened"),
    ("the harbour information office opened", "the harbour infor\u00admation of\ufb01ce opened"),
])
def test_excerpts_are_found_not_changed_with_similarity_100(paragraph: str, excerpt: str) -> None:
    page = page_text(html_page(paragraph), HTML)
    assert isinstance(page, PageText)
    match = find_excerpt(excerpt, page)
    assert (match.state, match.score) == (ExcerptState.FOUND, 100.0)


def test_a_pdf_hyphenated_across_lines_is_found() -> None:
    body = make_pdf([["The harbour board kept the infor-", "mation about the well-",
                      "known ships in a register."]])
    page = page_text(body, "application/pdf")
    assert isinstance(page, PageText)
    for excerpt in ("kept the information about the well-known ships",
                    "kept the information about the wellknown ships"):
        assert find_excerpt(excerpt, page).state is ExcerptState.FOUND


def test_verify_reports_a_footnoted_page_as_found(http_server: LocalServer, tmp_path: Path,
                                                   run) -> None:
    http_server.route("/a", body=html_page(
        'The society was founded in 1703<sup class="reference"><a href="#n1">[1]</a></sup>, '
        "Daniel Defoe wrote, and it met\u00ad weekly."), headers={"Content-Type": HTML})
    write_map(tmp_path, {"s": {"url": http_server.url("/a")}},
              [("s", "founded in 1703, Daniel Defoe wrote, and it met weekly")])
    result = run(["verify", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (
        0, "no problems found\n1 excerpt verified: 1 found\n")
