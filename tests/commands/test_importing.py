"""Import planning in the library: keys, duplicates within one run, what the map cannot hold."""

from __future__ import annotations

from pathlib import Path

from editcheck import COMMENTED, small_project

import refmap
from refmap.references.importers import ImportBatch, ImportedRecord
from refmap.commands.importing import invalid, plan_import, summary, unwritable
from refmap.spans import Span


def record(key: str | None, line: int, **fields: object) -> ImportedRecord:
    return ImportedRecord(key, dict(fields), Span("refs.bib", line, 1))


def test_a_record_repeated_in_one_run_matches_the_first(tmp_path: Path) -> None:
    project = refmap.load(small_project(tmp_path, COMMENTED))
    first = record("a1", 1, type="misc", title="One Study", doi="10.5555/one")
    again = record(None, 9, type="misc", title="One study!", doi="10.5555/ONE")
    report = plan_import(project.cmap, [ImportBatch("refs.bib", "bibtex", (first, again))])
    assert [a.key for a in report.added] == ["a1"]
    assert [(m.match.key, m.match.by, m.new) for m in report.matched] == [("a1", "doi", True)]
    assert summary(report) == "1 added, 1 matched, 0 skipped (1 file)"


def test_generated_keys_avoid_the_maps_and_each_other(tmp_path: Path) -> None:
    project = refmap.load(small_project(tmp_path, COMMENTED))
    records = (record(None, 1, type="misc", title="Time to talk", date="2019",
                      authors=[{"family": "Fuchs"}]),
               record(None, 5, type="misc", title="Time again", date="2019",
                      authors=[{"family": "Fuchs"}]),
               record("dw2018", 9, type="misc", title="Not the DW page"))
    report = plan_import(project.cmap, [ImportBatch("refs.bib", "bibtex", records)])
    assert [a.key for a in report.added] == ["fuchs2019time", "fuchs2019timea", "dw2018a"]


def test_unwritable_names_the_field_and_the_character() -> None:
    assert unwritable({"title": "fine", "tags": ["ok", "b\x1bad"]}) == (
        "'tags item 2' holds a control character ('\\x1b')")
    assert unwritable({"authors": [{"family": "Kim"}, {"given": "\x7f"}]}) == (
        "'authors item 2: given' holds a control character ('\\x7f')")
    assert unwritable({"title": "tab\tand\nnewline are text"}) is None


def test_invalid_applies_the_maps_own_rules_to_a_record() -> None:
    assert invalid({"type": "book", "title": "x", "date": "2019-13"}) == (
        "malformed date '2019-13' in 'date' (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    assert invalid({"type": "bok", "title": "x"}) == "'type': unknown value 'bok'; did you mean 'book'?"
    assert invalid({"type": "book", "title": "x", "ids": ["a b"]}).startswith(
        "'ids': invalid citekey 'a b'")
    assert invalid({"type": "book", "title": "x", "colour": "red"}) == (
        "unknown key 'colour' in source 'record' is ignored")
    assert invalid({"type": "book", "title": "x", "authors": [{"family": "Kim"}]}) is None
