"""`source_problem` checks a large import's records on their values (a fast path) and hands
anything unusual to the loader's own rules: the two must never disagree."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from refmap.mapfile.schema import _built_problem, plainly_valid, source_problem
from refmap.references.intake import unwritable

TEXTS = st.one_of(st.sampled_from(["", "x", "Kim", "2019", "2019-02-30", "2019-02", "12--34",
                                   "10.1000/xyz", "978-0-306-40615-7", "0378-5955", "arxiv",
                                   "a\x07b", "\ud800", "null", "~", "2020-01-01 sha256:" + "a" * 64,
                                   "bad key", "ok:key"]),
                  st.text(max_size=8))
NAMES = st.lists(st.one_of(
    st.dictionaries(st.sampled_from(["family", "given", "literal", "middle"]), TEXTS,
                    max_size=3),
    TEXTS, st.none()), max_size=3)
VALUES = st.one_of(TEXTS, NAMES, st.lists(TEXTS, max_size=3),
                   st.dictionaries(TEXTS, st.one_of(TEXTS, st.integers()), max_size=2),
                   st.none(), st.integers(), st.booleans(), st.tuples(TEXTS))
FIELDS = st.dictionaries(
    st.sampled_from(["type", "title", "authors", "editors", "date", "url", "accessed", "doi",
                     "isbn", "issn", "pages", "eprint", "eprinttype", "tags", "ids", "extra",
                     "captured", "journal", "bogus", "author"]),
    VALUES, max_size=6)
TYPES = st.sampled_from(["article", "book", "misc", "Article", "journal"])


@given(st.sampled_from(["smith2019", "record", "2019", "a b"]), TYPES, FIELDS)
@example("record", "article", {"authors": [{"family": "Kim", "given": "J."}],
                               "date": "2019-02", "doi": "10.1000/xyz", "pages": "12--34"})
@example("record", "book", {"authors": [{"given": "J."}]})
@example("record", "book", {"authors": [{"literal": "WHO", "family": "W"}]})
@example("record", "book", {"date": "2019-02-30"})
@example("record", "book", {"tags": ["a", "b\x07"]})
def test_the_fast_path_accepts_only_what_the_loader_accepts(key: str, kind: str,
                                                            fields: dict[str, object]) -> None:
    fields = {"type": kind, **fields}
    built = _built_problem(key, fields)
    if plainly_valid(key, fields):
        assert built is None
    assert source_problem(key, fields) == built


def test_an_imported_record_takes_the_fast_path() -> None:
    fields = {"type": "article", "title": "A title", "date": "2019-02",
              "authors": [{"family": "Kim", "given": "Min-ji"}, {"literal": "WHO"}],
              "journal": "Journal of Examples", "volume": "3", "pages": "12-34",
              "doi": "10.5555/bench.1", "url": "https://example.org/a", "accessed": "2026-11-25",
              "language": "english", "ids": ["kim2019"], "extra": {"keywords": "a,b"}}
    assert plainly_valid("record", fields)
    assert _built_problem("record", fields) is None


@given(TYPES, FIELDS)
@example("article", {"authors": [{"family": "Kim\x07"}]})
@example("article", {"extra": {"keywords": "a\ud800"}})
@example("article", {"tags": ["a\x1b"]})
def test_what_the_fast_path_accepts_holds_no_control_character(
        kind: str, fields: dict[str, object]) -> None:
    # the import asks the fast path first and skips `unwritable` when it says yes
    fields = {"type": kind, **fields}
    if plainly_valid("record", fields):
        assert unwritable(fields) is None
