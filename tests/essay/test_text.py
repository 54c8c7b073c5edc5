"""refmap.essay.text: typographic normalisation skips its rewrites only where none can match."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from refmap.essay import text as T

_PIECES = [" ", "-", "  ", " - ", "--", "a", "é", "e\u0301", "\u00ad", "\u200b", "\u2026",
           "\u1100\u1161", "\u20d0", "\ufe20", "\u3099", "\u2014", "\u00a0", "\n", "x"]


@given(st.lists(st.sampled_from(_PIECES) | st.characters(), max_size=12).map("".join))
@example("caf\u00e9 d\u00e9tente")  # non-ASCII, yet nothing to rewrite
@example("e\u0301")  # a combining mark
@example("a \u2013 b")  # an en dash between spaces, a dash run once translated
def test_a_text_skipped_has_nothing_to_rewrite(text: str) -> None:
    """normalise returns a text unchanged (but for the one-for-one translation) without
    running its rewrites when _may_rewrite says none can match: then none does."""
    translated = text.translate(T._SAME_LENGTH)
    if not T._may_rewrite(translated):
        assert list(T._rewrites().finditer(translated)) == []
        assert T.normalise(text) == (translated, (), ())


def test_the_start_characters_are_the_lookaheads() -> None:
    import re

    starts = re.compile(T._REWRITE_STARTS.replace("(?=", "(?:", 1))
    found = {chr(c) for c in range(0x110000) if starts.match(chr(c))}
    assert found - {" ", "-"} == T._OTHER_STARTS
