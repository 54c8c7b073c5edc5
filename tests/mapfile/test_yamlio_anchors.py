"""The cheap scan for anchor and alias candidates that decides whether the parser looks."""

from __future__ import annotations

import pytest

from refmap.mapfile.yamlio import _ANCHOR_CANDIDATE, _may_hold_anchors


@pytest.mark.parametrize("text", [
    "&a x", "*a", "key: &a value", "- *ref\n", "a:\n*b", "[&x 1]", "{a: *b}", "? &k a",
    "x,*y", "a\u2028&b", "a\t*b", "a-&b", "AT&T &x", "a*b *c",
])
def test_a_sign_where_a_token_starts_is_a_candidate(text: str) -> None:
    assert _ANCHOR_CANDIDATE.search(text)
    assert _may_hold_anchors(text)


@pytest.mark.parametrize("text", [
    "AT&T", "a*b", "title: R&D", "& alone", "* ", "x: 5 * 3", "&", "a: [&]", "2*3=6", "",
])
def test_a_sign_inside_a_word_or_alone_is_not(text: str) -> None:
    assert not _ANCHOR_CANDIDATE.search(text)
    assert not _may_hold_anchors(text)
