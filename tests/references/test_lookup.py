"""Identifiers for `refmap add`: what is accepted, in what canonical form, and what is refused."""

from __future__ import annotations

import pytest

from refmap.errors import UsageError
from refmap.references.lookup import Identifier, parse_identifier


@pytest.mark.parametrize("text, scheme, value", [
    ("doi:10.1080/00396338.2018.1495429", "doi", "10.1080/00396338.2018.1495429"),
    ("DOI: 10.5555/x ", "doi", "10.5555/x"),
    ("10.5555/bare", "doi", "10.5555/bare"),
    ("https://doi.org/10.5555/resolver", "doi", "10.5555/resolver"),
    ("isbn:0-306-40615-2", "isbn", "9780306406157"),
    ("isbn:978-0-306-40615-7", "isbn", "9780306406157"),
    ("url:https://example.org/a?b=1", "url", "https://example.org/a?b=1"),
    ("https://example.org/page", "url", "https://example.org/page"),
])
def test_accepted_identifiers(text: str, scheme: str, value: str) -> None:
    assert parse_identifier(text) == Identifier(scheme, value)


@pytest.mark.parametrize("text, message", [
    ("arxiv:1234.5678", "'arxiv:1234.5678' is not an identifier refmap can look up: write "
                        "doi:10.NNNN/..., isbn:978... or url:https://..."),
    ("just words", "'just words' is not an identifier refmap can look up: write "
                   "doi:10.NNNN/..., isbn:978... or url:https://..."),
    ("isbn:123", "'isbn:123': ISBN '123' is not 10 or 13 digits (the last of an ISBN-10 may "
                 "be X)"),
    ("url:example.org", "'url:example.org': not an absolute http(s) URL"),
])
def test_refused_identifiers(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_identifier(text)
    assert caught.value.message == message
