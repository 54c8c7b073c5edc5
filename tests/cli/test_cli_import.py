"""`refmap import`: sources from reference files, deduplicated, keys kept, one write."""

from __future__ import annotations

from pathlib import Path

import pytest
from editcheck import COMMENTED, FLOW, only_added_lines, small_project

import refmap
from conftest import TESTS

FIXTURES = TESTS / "fixtures" / "import"


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def test_import_a_jabref_file_adds_its_sources_with_their_keys(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED)
    old = path.read_bytes()
    result = run(["import", fixture("jabref.bib")], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    shown = fixture("jabref.bib")
    assert result.stdout.splitlines() == [
        f"{shown}:6:1: added 'Mueller2018'", f"{shown}:18:1: added 'Park2019'",
        f"{shown}:25:1: added 'ESC2019'", f"{shown}:33:1: added 'EIP2019'",
        "4 added, 0 matched, 0 skipped (1 file)"]
    new = path.read_bytes()
    assert only_added_lines(old, new)
    sources = refmap.load(path).cmap.sources
    # the map's sources are in key order (one source is), so the new ones go in key order
    assert list(sources) == ["EIP2019", "ESC2019", "Mueller2018", "Park2019", "dw2018"]
    assert sources["Mueller2018"].authors[0].family == "Müller"
    assert sources["Mueller2018"].doi == "10.5555/jes.2018.0042"


def test_import_reports_matches_differences_skips_and_generated_keys(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED)
    result = run(["import", fixture("better-csl.json"), fixture("better-bibtex.bib")],
                 cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    bib = fixture("better-bibtex.bib")
    assert f"{bib}:2:1: matched 'kim2020sanctions': same DOI and title as 'kim2020sanctions' (added " \
           "earlier in this import); not added" in lines
    assert f"{bib}:2:1:   publisher: kept nothing, file has 'Example & Sons'" in lines
    assert f"{bib}:41:1:   ISBN check digit is 3, expected 7; left out" in lines
    assert f"{fixture('better-csl.json')}:48:3: skipped 'untitled2020': has no title" in lines
    assert lines[-1] == "4 added, 3 matched, 1 skipped (2 files)"
    keys = list(refmap.load(path).cmap.sources)
    assert keys == ["choi2019pyeongyang", "dw2018", "kim2020sanctions", "lee2021deterrence",
                    "worldhealthorganization2021global"]


def test_generated_keys_follow_the_formula(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED)
    result = run(["import", fixture("catalogue.ris"), fixture("zotero.json")], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "(generated key)" in result.stdout
    assert list(refmap.load(path).cmap.sources) == [
        "celik2022state", "choe2015families", "dw2018", "example2019summit",
        "kim2021diplomacy", "muller2019health"]


def test_importing_the_same_file_twice_adds_nothing_the_second_time(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED)
    assert run(["import", fixture("jabref.bib")], cwd=tmp_path).exit_code == 0
    once = path.read_bytes()
    result = run(["import", fixture("jabref.bib")], cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "0 added, 4 matched, 0 skipped (1 file)"
    assert path.read_bytes() == once


def test_a_carried_key_naming_a_different_source_gets_a_suffix(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED)
    bib = tmp_path / "other.bib"
    bib.write_text("@online{dw2018,\n  title = {Another page entirely},\n"
                   "  url = {https://example.org/other},\n  date = {2018}\n}\n", "utf-8")
    result = run(["import", "other.bib"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "other.bib:1:1: added 'dw2018a'")
    assert result.stdout.splitlines()[1] == (
        "other.bib:1:1:   the file's key 'dw2018' already names a different work (at "
        "claims.yaml:8:5); added as 'dw2018a'")
    sources = refmap.load(path).cmap.sources
    assert sources["dw2018"].title == "Trump-Kim meeting"
    assert sources["dw2018a"].title == "Another page entirely"


@pytest.mark.parametrize("dialect", ["biblatex", "bibtex"])
def test_round_trip_of_the_bundled_maps_bibtex_export_adds_nothing(bundled: Path, run,
                                                                   dialect: str) -> None:
    assert run(["export", "bibtex", "--dialect", dialect, "-o", "refs.bib"],
               cwd=bundled).exit_code == 0
    before = (bundled / "claims.yaml").read_bytes()
    result = run(["import", "refs.bib"], cwd=bundled)
    assert result.exit_code == 0, result.stderr
    count = len(refmap.load(bundled / "claims.yaml").cmap.sources)
    lines = result.stdout.splitlines()
    assert lines[-1] == f"0 added, {count} matched, 0 skipped (1 file)"
    matched = [line for line in lines if ": matched '" in line]
    assert len(matched) == count
    for line in matched:  # the file's key is the map's key
        carried, existing = line.split("'")[1], line.split("'")[3]
        assert carried == existing
    if dialect == "biblatex":
        assert not [line for line in lines if line.startswith(f"refs.bib:") and ":   " in line]
    assert (bundled / "claims.yaml").read_bytes() == before


def test_round_trip_of_the_bundled_maps_csl_json_export_adds_nothing(bundled: Path, run) -> None:
    assert run(["export", "csl-json", "-o", "refs.json"], cwd=bundled).exit_code == 0
    before = (bundled / "claims.yaml").read_bytes()
    result = run(["import", "refs.json"], cwd=bundled)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    count = len(refmap.load(bundled / "claims.yaml").cmap.sources)
    assert lines[-1] == f"0 added, {count} matched, 0 skipped (1 file)"
    assert len([line for line in lines if ":   " in line]) == 0  # no field differs
    assert all(line.split("'")[1] == line.split("'")[3] for line in lines[:-1])
    assert (bundled / "claims.yaml").read_bytes() == before


def test_dry_run_shows_the_diff_and_writes_nothing(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED)
    old = path.read_bytes()
    result = run(["import", fixture("zotero.json"), "--dry-run"], cwd=tmp_path)
    assert result.exit_code == 0
    out = result.stdout
    assert "--- a/claims.yaml\n+++ b/claims.yaml\n" in out
    assert "+  celik2022state:\n+    type: report\n" in out
    assert all(line.startswith(("+", " ", "@", "---")) for line in out.split("--- a/", 1)[1]
               .splitlines()[2:])
    assert path.read_bytes() == old


def test_import_keeps_crlf_and_flow_style(tmp_path: Path, run) -> None:
    crlf = small_project(tmp_path, COMMENTED, newline="\r\n")
    old = crlf.read_bytes()
    assert run(["import", fixture("jabref.bib")], cwd=tmp_path).exit_code == 0
    new = crlf.read_bytes()
    assert only_added_lines(old, new) and b"\n" not in new.replace(b"\r\n", b"")
    flow_dir = tmp_path / "flow"
    flow_dir.mkdir()
    flow = small_project(flow_dir, FLOW)
    old = flow.read_bytes()
    assert run(["import", fixture("zotero.json")], cwd=flow_dir).exit_code == 0
    new = flow.read_bytes()
    assert only_added_lines(old, new)
    assert b"  celik2022state: {type: report, title: " in new


BAD = {
    "unbalanced.bib": (b"@article{a,\n title={Unbalanced {braces},\n year=2019}\n",
                       "Error: unbalanced.bib:1:1: @article entry is not closed (unbalanced "
                       "braces or quotes) at the end of the file"),
    "dup.bib": (b"@string{x = {A}}\n@string{x = {B}}\n@article{a,\n title=x}\n",
                "Error: dup.bib:2:1: duplicate key 'x' (first on line 1)"),
    "object.json": (b'{"id": "x"}', "Error: object.json:1:1: CSL-JSON must be an array of "
                    "items, not an object"),
    "no-er.ris": (b"TY  - BOOK\nTI  - Title\n", "Error: no-er.ris:1:1: RIS record has no end "
                  "tag 'ER  -' before the end of the file"),
    "latin1.bib": (b"@article{a,\n title={M\xfcller},\n year=2019}\n",
                   "Error: latin1.bib:2:10: not valid UTF-8: byte 0xfc cannot be decoded"),
    "refs.txt": (b"", "Error: refs.txt: cannot tell the format from the extension '.txt': use "
                 ".bib, .json or .ris, or name the format"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_line_exit_2_and_the_map_unchanged(tmp_path: Path, run, name) -> None:
    path = small_project(tmp_path, COMMENTED)
    old = path.read_bytes()
    data, message = BAD[name]
    (tmp_path / name).write_bytes(data)
    result = run(["import", fixture("jabref.bib"), name], cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + "\n")
    assert path.read_bytes() == old


def test_a_missing_file_and_an_unknown_format(tmp_path: Path, run) -> None:
    small_project(tmp_path, COMMENTED)
    missing = run(["import", "nope.bib"], cwd=tmp_path)
    assert (missing.exit_code, missing.stderr) == (2, "Error: nope.bib: no such file\n")
    wrong = run(["import", "--from", "endnote", "x.bib"], cwd=tmp_path)
    assert wrong.exit_code == 2
    assert wrong.stderr.startswith("Error: Invalid value for '--from': 'endnote' is not one of")


def test_a_record_with_a_control_character_is_skipped_not_written(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED)
    (tmp_path / "ctl.json").write_text(
        '[{"id": "bell", "type": "book", "title": "Bad \\u0007 bell"},'
        ' {"id": "nul", "type": "book", "title": "Fine", "author": [{"literal": "X\\u0000Y"}]},'
        ' {"id": "ok", "type": "book", "title": "A clean title"}]', "utf-8")
    result = run(["import", "ctl.json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "ctl.json:1:147: added 'ok'",
        "ctl.json:1:2: skipped 'bell': 'title' holds a control character ('\\x07')",
        "ctl.json:1:62: skipped 'nul': 'authors item 1: literal' holds a control character "
        "('\\x00')",
        "1 added, 0 matched, 2 skipped (1 file)"]
    assert list(refmap.load(path).cmap.sources) == ["dw2018", "ok"]
