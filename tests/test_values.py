"""refmap.values: the one place that says what a date, a web URL and an echoable value are."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from refmap.values import control_character, has_visible, inert, is_web_url, parse_date


@pytest.mark.parametrize("text,parts", [
    ("2019", (2019,)), ("2019-06", (2019, 6)), ("2019-06-12", (2019, 6, 12)),
    ("2020-02-29", (2020, 2, 29)), ("2019-02-29", None), ("2019-13", None), ("2019-6", None),
    ("\u0662\u0660\u0661\u0669", None),  # Arabic-Indic digits are digits to \d, not to us
    ("２０１９", None), ("2019-06-12T10:00", None), ("", None),
])
def test_dates_are_iso_and_ascii(text, parts):
    assert parse_date(text) == parts


@pytest.mark.parametrize("url,ok", [
    ("https://example.org/a?b=c#d", True), ("http://example.org", True),
    ("javascript:alert(1)", False), ("file:///etc/passwd", False), ("ftp://example.org/", False),
    ("https://", False), ("example.org/page", False), ("https://exa mple.org/", False),
    ("https://example.org/\x1b[31m", False), ("https://example.org/\u0085", False),
    ("https://example.org/a\nb", False), ("https://[::1/", False),
])
def test_web_urls_are_http_and_clean(url, ok):
    assert is_web_url(url) is ok


@pytest.mark.parametrize("value,offset", [
    ("plain", None), ("tab\tand\nnewline", None), ("nul\x00", 3), ("esc \x1b[31m", 4),
    ("c1 \x85", 3), ("del\x7f", 3), ("nonchar \ufffe", 8), ("cr\r", 2),
])
def test_control_characters(value, offset):
    assert control_character(value) == offset


def test_a_visible_letter_or_digit():
    assert has_visible("\u200b\u00ad a") and has_visible("٣")
    assert not has_visible("\u200b\u200d\u2060 ... —")


@pytest.mark.parametrize("raw,shown", [
    ("ok é 한", "ok é 한"), ("two\nlines", "two\\nlines"), ("\x1b[31mred", "\\x1b[31mred"),
    ("rtl \u202e", "rtl \\u202e"), ("c1 \x9b", "c1 \\x9b"), ("tab\t", "tab\\t"),
])
def test_inert_keeps_a_message_on_one_harmless_line(raw, shown):
    assert inert(raw) == shown


_ODD = "\t\n\r\x00\x1b\x7f\x85\x9b\xa0\u00ad\u061c\u200b\u200e\u2028\u2029\u202e\u2060\u2066" \
       "\ud800\udfff\ufeff\ufffe\uffff\U0001f600é한 a"


@given(st.text(alphabet=st.sampled_from(_ODD) | st.characters(), max_size=12))
@example("\u00a0\x00")  # not printable, yet nothing to find but the NUL
@example("\u00a0")  # not printable, and nothing to find
def test_the_printable_fast_paths_answer_as_the_full_classes_do(text: str) -> None:
    """control_character and inert skip their regexes for printable text (every character
    they look for is outside str.isprintable()); the answers stay those of the classes."""
    import re

    from refmap.values import _CONTROL, _UNSAFE_ECHO, _escape_char

    found = re.search(_CONTROL, text)
    assert control_character(text) == (found.start() if found else None)
    assert inert(text) == re.sub(_UNSAFE_ECHO, _escape_char, text)
