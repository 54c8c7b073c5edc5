"""Re-finding reworded quotes word by word: the word index, spans at word boundaries, edges
moved over replaced words but not across sentences, and alignment kept within its budget."""

from __future__ import annotations

import random

from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from refmap.essay import fuzzy
from refmap.essay.fuzzy import Words, candidates

TEXT = (
    "We met the envoy in Vienna. Then talks resumed on the eastern border after a long "
    "winter. Prices rose by 4 percent in March."
)


def best(quote: str, text: str = TEXT) -> str:
    found = candidates(Words(text), quote)
    return text[found[0].start:found[0].end]


def test_words_fold_case_and_keep_offsets():
    words = Words("The cat, THE dog.")
    assert words.vocab == {"the": 0, "cat": 1, "dog": 2}
    assert list(words.ids) == [0, 1, 0, 2]
    assert list(words.starts) == [0, 4, 9, 13]
    assert [words.end(i) for i in range(4)] == [3, 7, 12, 16]
    assert [list(found) for found in words.where] == [[0, 2], [1], [3]]
    assert words.quote_ids("the Bird dog") == [0, -1, 2]


def test_a_letter_that_lower_cases_to_two_does_not_shift_offsets():
    words = Words("\u0130stanbul and Ankara")
    assert [words.end(i) for i in range(3)] == [8, 12, 19]
    assert words.quote_ids("\u0130stanbul ankara") == [0, 2]


def test_replaced_words_inside_the_sentence():
    assert best("talks resumed on the northern border after a cold winter") == (
        "talks resumed on the eastern border after a long winter")


def test_replaced_first_and_last_words_are_taken_over_up_to_the_sentence():
    assert best("Soon talks resumed on the eastern border after a long spring") == (
        "Then talks resumed on the eastern border after a long winter")


def test_a_replacement_word_found_in_the_sentence_before_is_not_joined_to_the_span():
    # "Vienna" replaced "Then": the earlier sentence has it, but the quote has no sentence end
    assert best("Vienna talks resumed on the northern border after a long winter") == (
        "Then talks resumed on the eastern border after a long winter")


def test_punctuation_follows_the_quote():
    assert best("Prices rose by 5 percent in March.") == "Prices rose by 4 percent in March."
    assert best("Prices rose by 5 percent in March") == "Prices rose by 4 percent in March"


def test_score_is_character_similarity_and_share_counts_words():
    quote = "talks resumed on the northern border after a cold winter"
    [cand, *_] = candidates(Words(TEXT), quote)
    now = "talks resumed on the eastern border after a long winter"
    assert cand.score == fuzz.ratio(quote, now)
    assert round(cand.score, 1) == 88.3
    assert cand.words == 2 * 8 / 20
    assert cand.span_words == 10


def test_words_found_nowhere_give_no_candidate():
    assert candidates(Words(TEXT), "Bananas are an excellent source of potassium") == []


def long_essay(words: int, seed: int = 3) -> tuple[str, list[str]]:
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghij") for _ in range(7)) for _ in range(5000)]
    tokens = [rng.choice(vocab) for _ in range(words)]
    return " ".join(tokens), tokens


def test_a_long_quote_too_big_to_align_whole_is_aligned_at_head_and_tail(monkeypatch):
    text, tokens = long_essay(20_000)
    quote = tokens[5000:8000]
    for k in range(3, 3000, 10):
        quote[k] = "reworded"
    cells: list[int] = []
    real = LCSseq.opcodes

    def counting(a, b):  # the spy records how much each alignment is asked to do
        cells.append(len(a) * len(b))
        return real(a, b)

    monkeypatch.setattr(fuzzy.LCSseq, "opcodes", counting)
    monkeypatch.setattr(fuzzy, "ALIGN_BUDGET", 1_000_000)
    found = candidates(Words(text), " ".join(quote))
    assert text[found[0].start:found[0].end] == " ".join(tokens[5000:8000])
    assert cells and max(cells) <= fuzzy.EDGE_WORDS * 3 * fuzzy.EDGE_WORDS


def test_votes_stop_at_the_budget(monkeypatch):
    text, tokens = long_essay(5000)
    monkeypatch.setattr(fuzzy, "VOTE_BUDGET", 0)
    assert candidates(Words(text), " ".join(tokens[100:120])) == []
