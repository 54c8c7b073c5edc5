"""Drafting helpers of `refmap init`: which sentences are prose, and quotes made unique."""

from __future__ import annotations

from refmap.commands.init import essay_record, prose_sentences, unique_quote
from refmap.essay.text import Essay
from refmap.essay.readers import html
from refmap.essay.sentences import split_sentences


def test_plain_text_reference_sections_and_headings_are_not_prose():
    essay = Essay.from_text("e.txt", "Part one\nIt rose 5 percent in 2018.\nWorks Cited\n"
                                     "Kim, J. 2018. Polls. Seoul: Press.\n")
    assert [s.text for s in prose_sentences(essay)] == ["It rose 5 percent in 2018."]


def test_html_headings_captions_and_cells_are_not_prose():
    essay = Essay.from_model("e.html", html.read(
        "<article><h2>Rose 5 percent in 2018</h2><p>It rose 5 percent in 2018.</p><figure>"
        "<figcaption>Chart of 2018.</figcaption></figure><table><tr><td>In 2018.</td></tr>"
        "</table><h2>Notes</h2><p>1. Kim 2018, p. 4.</p></article>", "e.html"))
    assert [s.text for s in prose_sentences(essay)] == ["It rose 5 percent in 2018."]


def test_a_repeated_sentence_grows_until_it_is_unique():
    text = "Talks stalled. Then it rained.\nAgain. Talks stalled. Then snow.\nTalks stalled."
    sentences = split_sentences(text)
    assert [unique_quote(text, s) for s in sentences] == [
        "Talks stalled. Then it", "Then it rained.", "Again.", "Talks stalled. Then snow.",
        "Then snow.", None]  # the last one is a paragraph of its own: nothing to grow into


def test_a_paragraph_written_twice_gives_no_quote():
    text = "Talks stalled.\nTalks stalled."
    assert unique_quote(text, split_sentences(text)[0]) is None


def test_essay_record_keeps_only_values_check_accepts():
    assert essay_record({"title": " A  title ", "author": ["Ana Lee", {"name": "Bo Kim"}, 3],
                         "date": "2019-06-12T10:00:00Z", "url": "/posts/x/",
                         "canonical_url": "javascript:alert(1)"}) == {
        "title": "A title", "authors": ["Ana Lee", "Bo Kim"], "date": "2019-06-12"}
