"""Golden scores: the check-worthiness scorer gives the bundled essay's sentences and a
1,000-sentence sample the scores and reasons pinned in tests/fixtures/worthiness/ (written by
make_sample.py there from the scorer as it was before it was made faster)."""

from __future__ import annotations

import itertools
import json
import re
import string
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import TESTS
from refmap.essay import worthiness
from refmap.essay.sentences import split_sentences
from refmap.essay.worthiness import fold, score_sentence

GOLDEN = TESTS / "fixtures" / "worthiness"


def rows(name: str) -> list[dict[str, object]]:
    loaded: list[dict[str, object]] = json.loads((GOLDEN / name).read_text("utf-8"))
    return loaded


def test_golden_files_cover_the_bundled_essay_and_a_varied_sample():
    bundled = rows("bundled.json")
    essay = (TESTS.parent / "essay.txt").read_text("utf-8")
    assert [r["sentence"] for r in bundled] == [s.text for s in split_sentences(essay)]
    sample = rows("sample.json")
    assert len(sample) == 1000
    reasons = {reason for row in sample for reason in row["reasons"]}  # type: ignore[attr-defined]
    assert len(reasons) == 14  # every cue, marker and ending counted somewhere


@pytest.mark.parametrize("name", ["bundled.json", "sample.json"])
def test_scores_and_reasons_are_the_pinned_ones(name: str):
    wrong = []
    for row in rows(name):
        score = score_sentence(str(row["sentence"]))
        if (score.value, list(score.reasons)) != (row["score"], row["reasons"]):
            wrong.append((row["sentence"], score))
    assert wrong == []


def test_fold_is_case_insensitive_regex_matching_letter_for_letter():
    """fold() turns a text into what a case-insensitive regex sees: the same length, the same
    words, and an ASCII letter exactly where the regex would match that letter."""
    every = "".join(map(chr, itertools.chain(range(0xD800), range(0xE000, sys.maxunicode + 1))))
    folded = fold(every)
    assert len(folded) == len(every)
    assert ([m.span() for m in re.finditer(r"\w+", folded)]
            == [m.span() for m in re.finditer(r"\w+", every)])
    for letter in string.ascii_lowercase:
        assert ([m.start() for m in re.finditer(letter, every, re.I)]
                == [m.start() for m in re.finditer(letter, folded)]), letter


WORD_CUES = [  # each fast cue with the regex it replaces, as it was written before
    (worthiness._EVENT_CUE, r"\b(?:" + worthiness._EVENT_VERBS + r")(?![\w'’-])"),
    (worthiness._REPORTING_CUE, r"\b(?:" + worthiness._REPORTING + r")(?![\w'’-])"),
    (worthiness._OPINION_CUE, r"\b(?:" + worthiness._OPINION + r")\b"),
    (worthiness._NUMBER_CUE, r"\b(?:" + worthiness._NUMBER_WORDS + r")\b"),
    (worthiness._SUPERLATIVE_CUE, r"\b(?:" + worthiness._SUPERLATIVES + r")\b"),
]
PIECES = ("said according to can't afford it's time let's first-ever took office was born will "
          "have need met won in a statement twice I think we cannot seem record-breaking "
          "ſaid İ ı K WON".split(" "))


@settings(max_examples=300)
@given(st.lists(st.one_of(st.sampled_from(PIECES), st.sampled_from(list(" '’-.,\u201cé_1"))),
                max_size=14))
@example(["wo", "n", "’", "t"])
@example(["met", "-", "met"])
@example(["let", "'", "s"])
def test_word_cues_match_where_their_regexes_do(pieces: list[str]):
    sentence = "".join(pieces)
    folded = worthiness.fold(sentence)
    words = frozenset(re.findall(r"\w+", folded))
    free = frozenset(re.findall(r"\b\w+(?![\w'’-])", folded))
    for cue, pattern in WORD_CUES:
        found = re.search(pattern, sentence, re.I) is not None
        assert cue.search(sentence, words, free) == found, pattern
