"""Golden scores: the check-worthiness scorer gives the bundled essay's sentences and a
1,000-sentence sample the scores and reasons pinned in tests/fixtures/worthiness/ (written by
make_sample.py there from the scorer as it was before it was made faster)."""

from __future__ import annotations

import json

import pytest

from conftest import TESTS
from refmap.sentences import split_sentences
from refmap.worthiness import score_sentence

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
