"""Did-you-mean: the suggestions difflib made, for any iterable of choices, without difflib's
quadratic cost."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples

from refmap.mapfile.model import ClaimKind, SourceType

CLAIM_KINDS = [str(k) for k in ClaimKind]
SOURCE_TYPES = [str(t) for t in SourceType]
from refmap.suggest import did_you_mean


def test_the_suggestions_messages_rely_on():
    assert did_you_mean("pol", CLAIM_KINDS) == "poll"
    assert did_you_mean("onlne", SOURCE_TYPES) == "online"
    assert did_you_mean("ttile", ("title", "type", "url", "date")) == "title"
    assert did_you_mean("reprot", {"report": 1, "poll": 2}, cutoff=0.7) == "report"


def test_nothing_close_enough_is_none():
    assert did_you_mean("bananas", CLAIM_KINDS) is None
    assert did_you_mean("anything", []) is None



def test_any_iterable_of_choices():
    keys = [f"src{i}" for i in range(3000)]
    assert difflib.get_close_matches("scr12x", keys, n=1, cutoff=0.7) == ["src12"]
    assert did_you_mean("scr12x", iter(keys), cutoff=0.7) == "src12"
    assert did_you_mean("scr12x", dict.fromkeys(keys), cutoff=0.7) == "src12"


def test_the_cutoff_is_difflibs():
    # difflib's ratio of these is 2 * 3 / 8 = 0.75
    assert did_you_mean("abcd", ["abce"], cutoff=0.75) == "abce"
    assert did_you_mean("abcd", ["abce"], cutoff=0.76) is None


def test_thousands_of_choices_still_find_the_close_one():
    keys = [f"source{i}" for i in range(5000)] + ["politico2018"]
    assert did_you_mean("politico2108", keys, cutoff=0.7) == "politico2018"


words = st.text(alphabet="abcde", min_size=0, max_size=8)


@settings(max_examples=examples(300), deadline=None)
@given(words, st.lists(words, max_size=20), st.sampled_from([0.6, 0.7]))
def test_same_answer_as_difflib(word, choices, cutoff):
    expected = difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)
    assert did_you_mean(word, choices, cutoff) == (expected[0] if expected else None)
