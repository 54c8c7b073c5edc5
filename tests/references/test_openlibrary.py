from __future__ import annotations

import json
from pathlib import Path

import pytest

from refmap.errors import RefmapError
from refmap.references.openlibrary import openlibrary_fields

ANSWER = Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "openlibrary.json"
ISBN = "9780306406157"


def test_books_api_answer() -> None:
    assert openlibrary_fields(json.loads(ANSWER.read_text()), ISBN) == {
        "type": "book",
        "title": "Harbours of the North: A Field Guide",
        "authors": [{"family": "Example", "given": "Ada"}, {"family": "Sample", "given": "Ben"}],
        "publisher": "Example House",
        "date": "1998-03",
        "isbn": ISBN,
    }


def test_minimal_record_keeps_the_isbn_asked_for() -> None:
    assert openlibrary_fields({"ISBN:0306406152": {"title": "Tides"}}, "0306406152") == {
        "type": "book", "title": "Tides", "isbn": "0306406152",
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Open Library: Open Library has no book with ISBN '9780306406157'"),
        ([], "Open Library: malformed Open Library answer for ISBN '9780306406157': "
             "the answer is a list, not an object"),
        ({f"ISBN:{ISBN}": "x"}, "Open Library: malformed Open Library answer for ISBN "
                                "'9780306406157': the record is text, not an object"),
        ({f"ISBN:{ISBN}": {"authors": []}}, "Open Library: malformed Open Library answer for "
                                            "ISBN '9780306406157': the record has no title"),
        ({f"ISBN:{ISBN}": {"title": "T", "publishers": {"name": "P"}}},
         "Open Library: malformed Open Library answer for ISBN '9780306406157': "
         "'publishers' is an object, not a list"),
    ],
)
def test_malformed_answers_raise_one_line(data: object, message: str) -> None:
    with pytest.raises(RefmapError) as caught:
        openlibrary_fields(data, ISBN)
    assert str(caught.value) == message


def test_isbn_in_messages_is_escaped() -> None:
    with pytest.raises(RefmapError) as caught:
        openlibrary_fields({}, "978\n\x1b[31m", origin="https://books.example/api")
    assert str(caught.value) == (
        "https://books.example/api: Open Library has no book with ISBN '978\\n\\x1b[31m'"
    )
