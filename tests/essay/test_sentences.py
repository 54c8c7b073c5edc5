"""Sentence splitting: abbreviations, initials, acronyms, decimals, quotes and paragraphs."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from refmap.essay.sentences import _word_before, split_sentences


@pytest.mark.parametrize("text,expected", [
    ("Dr. Smith met Mr. Lee in St. Louis. They talked.",
     ["Dr. Smith met Mr. Lee in St. Louis.", "They talked."]),
    ("J. R. R. Tolkien wrote it. It sold well.", ["J. R. R. Tolkien wrote it.", "It sold well."]),
    ("Prices rose 3.5 percent in the U.S. The Fed said no.",
     ["Prices rose 3.5 percent in the U.S.", "The Fed said no."]),
    ("He lives in the U.S. and works there. Fine.", ["He lives in the U.S. and works there.", "Fine."]),
    ("He wore No. 10 in the U.S. Open. Next.", ["He wore No. 10 in the U.S. Open.", "Next."]),
    ("\u201cIt is over,\u201d she said. \u201cNo.\u201d Then silence.",
     ["\u201cIt is over,\u201d she said.", "\u201cNo.\u201d", "Then silence."]),
    ("Was it fair? Yes! (It was.) The end", ["Was it fair?", "Yes!", "(It was.)", "The end"]),
    ("A line\nA second paragraph without a stop", ["A line", "A second paragraph without a stop"]),
    ("It rose 2 p.c. on Jan. 5. Then it fell.", ["It rose 2 p.c. on Jan. 5.", "Then it fell."]),
])
def test_split(text, expected):
    assert [s.text for s in split_sentences(text)] == expected


def test_offsets_point_into_the_text():
    text = "  One.  Two?\nThree!"
    for s in split_sentences(text):
        assert text[s.start:s.end] == s.text


def test_bundled_essay_keeps_us_together():
    from conftest import ROOT

    texts = [s.text for s in split_sentences((ROOT / "essay.txt").read_text("utf-8"))]
    assert any("their U.S. counterparts, avoiding" in t for t in texts)
    assert not any(t.endswith("U.S.") for t in texts)


@given(st.text(alphabet=st.sampled_from(list("ab. \t\u00a0\u2003(\"'\r")), max_size=30),
       st.integers(min_value=0, max_value=30))
@example("a b.", 3)
@example(" .", 1)
def test_word_before_a_full_stop_is_the_run_a_regex_would_find(text: str, end: int):
    """The walk back from a full stop finds what `(\\S+)$` searched up to it found (in a
    paragraph, which holds no newline), without trying every position before it."""
    end = min(end, len(text))
    match = re.search(r"(\S+)$", text[:end])
    assert _word_before(text, end) == (match.group(1) if match else "")
