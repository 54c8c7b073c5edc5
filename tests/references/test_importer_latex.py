"""LaTeX decoding: the fast path gives what bibtexparser's middleware gives."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples

from refmap.references.importers.latex import _plain, decode_latex, decode_with_middleware

TOKENS = [
    "a", "Z", "Kim", " ", "  ", "-", "--", "---", "'", "''", "`", "``", "~", ",", ".", ":", "&",
    "\u2013", "\u00e9", "\uae40", "{}", '\\"u', '\\"{u}', '{\\"o}', "\\'e", "\\'{E}", "\\`a",
    "\\^{o}", "\\~n", "\\={a}", "\\.I", "\\c{c}", "\\c c", "\\v{S}", "\\H{o}", "\\k{a}",
    "\\u{a}", "\\r{a}", "\\d{a}", "\\'\\i", '\\"{\\i}', "\\ss", "{\\ss}", "\\o{}", "{\\O}",
    "\\ae", "\\l{}", "\\aa", "\\&", "\\%", "\\_", "\\#", "\\{", "\\}",
]

balanced = st.recursive(
    st.sampled_from(TOKENS),
    lambda inner: st.lists(inner, min_size=1, max_size=4).map(lambda parts: "{" + "".join(parts) + "}"),
    max_leaves=8,
)
values = st.lists(balanced, min_size=1, max_size=10).map("".join)


@settings(max_examples=examples(250), deadline=None)
@given(values)
def test_fast_path_agrees_with_the_middleware(text: str) -> None:
    plain = _plain(text)
    if plain is not None:
        assert " ".join(plain.split()) == decode_with_middleware(text)


@pytest.mark.parametrize("text, decoded", [
    ("On {NATO} -- a {\\\"O}resund study", "On NATO \u2013 a \u00d6resund study"),
    ("M{\\\"u}ller", "M\u00fcller"),
    ("50\\% of R\\&D", "50% of R&D"),
    ("50% off", "50% off"),
    ("a -{}- b", "a -- b"),
    ("``quoted''", "\u201cquoted\u201d"),
    ("Fig.~1", "Fig. 1"),
    ("\\textasciicircum{} \\textasciitilde{} {\\textbraceleft}x{\\textbraceright} \\`{}",
     "^ ~ {x} `"),
    ("\\emph{Big} data \\S 5", "Big data \u00a75"),
    ("$E=mc^2$ holds", "$E=mc^2$ holds"),
    ("multi\n   line", "multi line"),
])
def test_decoded_values(text: str, decoded: str) -> None:
    assert decode_latex(text) == decoded
