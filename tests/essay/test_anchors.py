"""Anchoring quotes: every state, typography, fuzzy matching bounds, offsets back to the
original text, and `refmap anchors [--fix]` end to end."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import snapshot
from refmap.essay import anchoring as A
from refmap.essay.anchoring import Anchorer
from refmap.essay.text import Essay, normalise
from refmap.mapfile.model import Claim

ESSAY = (
    "The treaty was signed in Vienna after nine days of talks. Critics said the treaty was weak.\n"
    "Supporters said the treaty was strong. Observers said the treaty was weak.\n"
    "The minister announced a new round of negotiations on Friday. Prices rose by 4 percent."
)


def anchor(quote: str, text: str = ESSAY, **kw):
    return Anchorer(Essay.from_text("essay.txt", text)).anchor(
        Claim("c", quote, "event", "sourced", **kw))


def test_exact():
    a = anchor("signed in Vienna after nine days")
    assert (a.state, ESSAY[a.start:a.end]) == (A.EXACT, "signed in Vienna after nine days")


def test_typography_is_normalised_and_offsets_point_at_the_original():
    text = "He said: \u201cWe won\u2019t\u00a0give   up\u201d\u2014and meant it."
    a = anchor('He said: "We won\'t give up" - and meant it.', text)
    assert a.state == A.NORMALISED
    assert (a.start, a.end) == (0, len(text))
    assert a.current == text


def test_ambiguous_without_context_and_resolved_with_prefix():
    assert anchor("the treaty was weak").state == A.AMBIGUOUS
    a = anchor("the treaty was weak", prefix="Observers said")
    assert a.state == A.EXACT
    assert ESSAY[:a.start].endswith("Observers said ")


def test_moved_when_context_no_longer_fits():
    a = anchor("the treaty was strong", prefix="Opponents said")
    assert a.state == A.MOVED


@pytest.mark.parametrize("quote,expected", [
    ("The minister announced another round of negotiations on Friday.",
     "The minister announced a new round of negotiations on Friday."),
    ("The treaty was signed in Geneva after nine days of talks.",
     "The treaty was signed in Vienna after nine days of talks."),
    ("Prices rose by 5 percent.", "Prices rose by 4 percent."),
])
def test_changed_by_a_word_or_two_comes_back_with_the_right_span(quote, expected):
    a = anchor(quote)
    assert a.state == A.CHANGED
    assert a.current == expected
    assert ESSAY[a.start:a.end] == expected
    assert 80 <= a.score < 100


def test_a_replaced_last_word_stays_in_the_changed_span():
    from conftest import ROOT

    text = (ROOT / "essay.txt").read_text("utf-8")
    a = anchor("81 percent of members of the Democratic Party of Korea believe Moon’s North Korea "
               "policy is going badly", text)
    assert a.state == A.CHANGED
    assert a.current.endswith("policy is going well")


@pytest.mark.parametrize("quote", [
    "Bananas are an excellent source of potassium and fibre.",
    "The committee rejected the budget proposal on Tuesday night.",
])
def test_unrelated_sentence_is_missing(quote):
    assert anchor(quote).state == A.MISSING


def test_changed_quote_in_a_long_essay_is_found_in_its_paragraph():
    rng = random.Random(3)
    words = ["alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "theta"]
    filler = [" ".join(rng.choice(words) for _ in range(12)) + "." for _ in range(3000)]
    target = "The harbour authority approved the expansion of the northern pier in March."
    filler.insert(1700, target)
    text = " ".join(filler)
    a = anchor("The harbour authority approved an expansion of the northern pier in May.", text)
    assert a.state == A.CHANGED
    assert text[a.start:a.end] == target


def test_offset_map_round_trips_every_position():
    text = "a \u2014 b\u2026c\u00ad d  e\u2019s"
    norm = normalise(text)
    assert norm.text == "a-b...c d e's"
    for i, ch in enumerate(norm.text):
        if ch.isalnum():  # letters are never rewritten: each maps to itself in the original
            assert text[norm.to_original(i)] == ch
            assert text[norm.to_original(i):norm.end_to_original(i + 1)] == ch
    assert text[norm.to_original(1):norm.end_to_original(2)] == " \u2014 "  # the dash run
    assert text[norm.to_original(3):norm.end_to_original(6)] == "\u2026"  # "..." from one char
    assert norm.end_to_original(len(norm.text)) == len(text)


# -- CLI ---------------------------------------------------------------------------------

MAP = """\
version: 1
essay:
  path: essay.txt
sources:
  s1: {type: misc, title: A record, date: 2020}
claims:
  # the quote below drifted: the essay now says "a new round"
  - id: reworded
    quote: The minister announced another round of negotiations on Friday.
    kind: event
    citations: [{source: s1, excerpt: "A new round."}]
  - id: fine
    quote: Prices rose by 4 percent.
    kind: figure
    citations: [{source: s1, excerpt: "4 percent"}]
"""


@pytest.fixture
def drifted(tmp_path: Path) -> Path:
    (tmp_path / "essay.txt").write_text(ESSAY, "utf-8")
    (tmp_path / "claims.yaml").write_text(MAP, "utf-8")
    return tmp_path


def test_anchors_lists_states_and_exits_1_while_a_quote_changed(drifted: Path, run):
    result = run(["anchors"], cwd=drifted)
    assert result.exit_code == 1
    assert result.stdout == (
        "essay.txt:3:1: reworded: changed (95.2%) now "
        "'The minister announced a new round of negotiations on Friday.'\n"
        "essay.txt:3:63: fine: exact\n"
    )


def test_dry_run_prints_diff_and_writes_nothing(drifted: Path, run):
    before = snapshot(drifted)
    result = run(["anchors", "--fix", "--dry-run"], cwd=drifted)
    assert result.exit_code == 0
    assert "-    quote: The minister announced another round of negotiations on Friday.\n" in result.stdout
    assert "+    quote: The minister announced a new round of negotiations on Friday.\n" in result.stdout
    assert snapshot(drifted) == before


def test_fix_rewrites_only_the_changed_quote(drifted: Path, run):
    result = run(["anchors", "--fix"], cwd=drifted)
    assert result.exit_code == 0
    assert result.stdout == ("essay.txt:3:1: reworded: quote updated to "
                             "'The minister announced a new round of negotiations on Friday.'\n")
    assert (drifted / "claims.yaml").read_text("utf-8") == MAP.replace("another round", "a new round")
    again = run(["anchors", "--fix"], cwd=drifted)
    assert (again.exit_code, again.stdout) == (0, "nothing to fix\n")
    assert run(["check"], cwd=drifted).exit_code == 0


def test_fix_refuses_a_map_that_does_not_load(drifted: Path, run):
    (drifted / "claims.yaml").write_text(MAP.replace("kind: figure", "kind: figure\n    kind: event"))
    before = snapshot(drifted)
    result = run(["anchors", "--fix"], cwd=drifted)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: claims.yaml:15:5: duplicate key 'kind'")
    assert snapshot(drifted) == before


def test_fix_refuses_when_map_changes_during_the_run(drifted: Path, run, monkeypatch):
    from refmap.mapfile import editor as edit

    real_validate = edit.MapEditor.validate

    def meddle(self):  # another process writes the map between read and write
        (drifted / "claims.yaml").write_text(MAP + "# edited elsewhere\n", "utf-8")
        return real_validate(self)

    monkeypatch.setattr(edit.MapEditor, "validate", meddle)
    result = run(["anchors", "--fix"], cwd=drifted)
    assert result.exit_code == 2
    assert result.stderr == "Error: claims.yaml: changed on disk since it was read; nothing written, run again\n"
    assert (drifted / "claims.yaml").read_text("utf-8") == MAP + "# edited elsewhere\n"


def test_fix_refreshes_the_context_of_a_moved_quote(tmp_path: Path, run):
    (tmp_path / "essay.txt").write_text(ESSAY, "utf-8")
    moved = MAP.replace(
        "    quote: Prices rose by 4 percent.\n",
        "    quote: Prices rose by 4 percent.\n    prefix: on Monday.\n")
    (tmp_path / "claims.yaml").write_text(moved, "utf-8")
    assert "fine: moved" in run(["anchors"], cwd=tmp_path).stdout
    result = run(["anchors", "--fix"], cwd=tmp_path)
    assert "fine: prefix/suffix updated" in result.stdout
    text = (tmp_path / "claims.yaml").read_text("utf-8")
    assert "    prefix: on Friday.\n" in text
    assert "fine: exact" in run(["anchors"], cwd=tmp_path).stdout


# -- context, rewording and long quotes ------------------------------------------------------

REPEATED = (
    "the cat sat on the mat and the dog sat on the log. " * 2000
    + "Then the owl sat on the mat at last."
)
OWL = REPEATED.index("sat on the mat at last")


@pytest.mark.parametrize("prefix,suffix,state", [
    ("the owl", None, A.EXACT),
    (None, "at last", A.EXACT),
    ("Then the  owl", "at\nlast.", A.EXACT),  # context is normalised like the quote
    ("the cat", None, A.AMBIGUOUS),  # fits 2,000 places
    ("a bird", None, A.AMBIGUOUS),  # fits none: nothing to choose by
])
def test_context_is_checked_next_to_each_of_thousands_of_places(prefix, suffix, state):
    a = anchor("sat on the mat", REPEATED, prefix=prefix, suffix=suffix)
    assert a.state == state
    if state == A.EXACT:
        assert (a.start, a.end) == (OWL, OWL + len("sat on the mat"))
    else:
        assert a.places == 2001
        assert len(a.candidates) == 20  # the first places, listed; the rest counted


def test_a_prefix_longer_than_the_text_before_the_quote_does_not_fit():
    assert anchor("Alpha beta", "Alpha beta gamma.", prefix="Before").state == A.MOVED
    assert anchor("beta", "Alpha beta gamma.", prefix="Alpha").state == A.EXACT
    assert anchor("beta", "Alpha beta gamma.", suffix="gamma. And more").state == A.MOVED


def synthetic_essay(sentences: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghijklmnop") for _ in range(rng.randint(3, 9)))
             for _ in range(3000)]
    return [" ".join(rng.choice(vocab) for _ in range(12)).capitalize() + "."
            for _ in range(sentences)]


@pytest.mark.parametrize("replaced", [(0, 4), (2, 8), (0, 3, 8), (1, 4, 6)])
def test_a_sentence_that_keeps_most_of_its_words_is_changed_at_its_words(replaced):
    sentences = synthetic_essay(2000)
    text = " ".join(sentences)
    words = sentences[1234].split(" ")[:9]
    original = " ".join(words)
    for k in replaced:
        words[k] = "reworded"
    a = anchor(" ".join(words), text)
    assert a.state == A.CHANGED
    assert (a.start, a.end) == (text.index(original), text.index(original) + len(original))
    assert a.score < 80 if len(replaced) == 3 else a.score >= 60


def test_a_sentence_that_lost_most_of_its_words_is_missing():
    sentences = synthetic_essay(2000)
    words = sentences[1234].split(" ")[:9]
    for k in (0, 2, 4, 6, 8):
        words[k] = "reworded"
    assert anchor(" ".join(words), " ".join(sentences)).state == A.MISSING


def test_a_long_reworded_quote_is_changed_at_word_boundaries():
    sentences = synthetic_essay(3000)
    text = " ".join(sentences)
    original = " ".join(sentences[1000:1180])  # about 2,000 words
    words = original.split(" ")
    for k in range(5, len(words), 7):
        words[k] = "reworded"
    a = anchor(" ".join(words), text)
    assert a.state == A.CHANGED
    assert text[a.start:a.end] == original


def test_a_quote_is_looked_up_by_its_rarest_word_start():
    text = "Rates rose 5 percent in spring. " * 500 + "Zebras rose 5 percent in Kenya."
    anchorer = Anchorer(Essay.from_text("essay.txt", text))
    quote = "Zebras rose 5 percent in Kenya."
    offset, places = anchorer._rarest_key(quote)
    assert (quote[offset:offset + 8], len(places)) == ("in Kenya", 1)  # not "rose 5 p": 501
    assert anchorer.occurrences(quote) == [text.index("Zebras")]
    assert len(anchorer.occurrences("rose 5 percent in spring.")) == 500


def test_a_reworded_quote_that_fits_two_places_is_ambiguous_unless_context_picks_one():
    sentence = "The harbour authority approved the expansion of the northern pier in March."
    text = f"First, {sentence} Later, {sentence}"
    quote = "The harbour authority approved an expansion of the southern pier in May."
    a = anchor(quote, text)
    assert a.state == A.AMBIGUOUS
    assert [text[s:e] for s, e in a.candidates] == [sentence, sentence]
    a = anchor(quote, text, prefix="Later,")
    assert (a.state, a.start, a.current) == (A.CHANGED, text.rindex(sentence), sentence)


_TRICKY = list("ab1 -\u2014\u2013\u2026\u00ad\u200b\ufeffe\u0301\u0308\u1100\u1161\t\n'\u2019\u00a0.")


@given(st.text(alphabet=st.sampled_from(_TRICKY), max_size=40))
@example("e\u0301 \u2014  b")
@example("a - - b\u2026")
def test_normalising_a_text_without_marks_skips_only_the_nfc_rewrite(text: str) -> None:
    """normalise takes a lighter pattern when the text has no combining mark or jamo: the
    result (text and offset map) is the one the full pattern gives."""
    from refmap.essay import text as module

    fast = normalise(text)
    saved = module._rewrites_without_marks
    module._rewrites_without_marks = module._rewrites  # the full pattern always
    try:
        full = normalise(text)
    finally:
        module._rewrites_without_marks = saved
    assert fast == full


@given(st.lists(st.sampled_from(["the", "poll", "of", "80", "percent", "the poll", ", ", ". ",
                                 " ", "-", "a"]), max_size=40).map("".join),
       st.integers(0, 40), st.integers(1, 30))
@example("the poll of the poll of the poll", 4, 20)  # overlapping occurrences
def test_a_short_essay_is_scanned_with_the_places_its_index_finds(text: str, at: int,
                                                                 size: int) -> None:
    """Below A._SCAN_BELOW each quote is found with str.find; the word-start index, used for
    longer essays, finds the same places: every place the quote starts."""
    anchorer = Anchorer(Essay.from_text("essay.txt", text))
    norm = anchorer.norm
    quote = norm[at:at + size]
    if not quote.strip():
        return
    every = [i for i in range(len(norm)) if norm.startswith(quote, i)]
    assert anchorer.occurrences(quote) == every
    key = anchorer._rarest_key(quote)
    if key is not None:
        q, places = key
        assert [p - q for p in places if p >= q and norm.startswith(quote, p - q)] == every
