"""`refmap ignore`: a sentence that is not a claim, recorded in the map's `ignore` list,
anchored like a quote; `uncovered`, coverage and the report honour it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import refmap

ESSAY = ("The council approved a $4.7 billion budget on Tuesday. Read the full report at our "
         "site in 2019.\nThe mayor said 40 percent of it goes to schools.\n")
MAP = "version: 1\nessay:\n  path: essay.txt\n\nclaims:\n  - id: budget\n    quote: \"The council approved a $4.7 billion budget\"\n    kind: figure\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "essay.txt").write_text(ESSAY, "utf-8")
    (tmp_path / "claims.yaml").write_text(MAP, "utf-8")
    return tmp_path


def uncovered(run, folder: Path) -> list[str]:
    result = run(["uncovered", "--format", "json"], cwd=folder)
    assert result.exit_code == 0, result.stderr
    return [r["text"] for r in json.loads(result.stdout)]


def test_ignore_by_position_adds_the_list_and_uncovered_stops_listing_it(folder: Path,
                                                                        run) -> None:
    assert uncovered(run, folder) == ["The mayor said 40 percent of it goes to schools.",
                                      "Read the full report at our site in 2019."]
    result = run(["ignore", "--sentence", "1:60"], cwd=folder)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "essay.txt:1:56: ignored 'Read the full report at our site in 2019.'\n"
    assert (folder / "claims.yaml").read_text("utf-8") == MAP + (
        'ignore:\n  - quote: "Read the full report at our site in 2019."\n')
    assert uncovered(run, folder) == ["The mayor said 40 percent of it goes to schools."]
    everything = json.loads(run(["uncovered", "--all", "--format", "json"], cwd=folder).stdout)
    assert [r["ignored"] for r in everything] == [False, True, False]


def test_ignore_by_text_appends_and_survives_edits_elsewhere(folder: Path, run) -> None:
    assert run(["ignore", "Read the full report at our site in 2019."], cwd=folder).exit_code == 0
    assert run(["ignore", "The mayor said 40 percent of it goes to schools."],
               cwd=folder).exit_code == 0
    assert (folder / "claims.yaml").read_text("utf-8").endswith(
        'ignore:\n  - quote: "Read the full report at our site in 2019."\n'
        '  - quote: "The mayor said 40 percent of it goes to schools."\n')
    essay = folder / "essay.txt"
    essay.write_text("A new first line.\n" + ESSAY, "utf-8")
    assert uncovered(run, folder) == []
    check = run(["check"], cwd=folder)
    assert "ignore-not-found" not in check.stdout


def test_coverage_and_the_report_leave_ignored_text_out(folder: Path, run) -> None:
    before = json.loads(run(["coverage", "--format", "json"], cwd=folder).stdout)
    assert run(["ignore", "--sentence", "2:1"], cwd=folder).exit_code == 0
    after = json.loads(run(["coverage", "--format", "json"], cwd=folder).stdout)
    assert after["ignored_chars"] == len("The mayor said 40 percent of it goes to schools.")
    assert after["covered_chars"] == before["covered_chars"]
    assert after["percent_text_covered"] == round(
        100 * after["covered_chars"] / (len(ESSAY) - after["ignored_chars"]), 1)
    project = refmap.load(folder / "claims.yaml")
    assert f'{project.coverage().percent_text:.1f}% of the essay' in run(
        ["report"], cwd=folder).stdout


@pytest.mark.parametrize("args, message", [
    (["ignore", "Nothing like this is in it."],
     "Error: quote not found in essay.txt"),
    (["ignore", "--sentence", "9:1"], "Error: --sentence: no sentence of essay.txt at 9:1"),
    (["ignore", "The council approved a $4.7 billion budget on Tuesday."],
     "Error: claims.yaml:7:12: claim 'budget' quotes this sentence; remove the claim first "
     "(`refmap claim remove budget`)"),
    (["ignore"], "Error: give either a sentence's TEXT or --sentence LINE:COL"),
])
def test_bad_input_is_one_line_and_the_map_unchanged(folder: Path, run, args, message) -> None:
    old = (folder / "claims.yaml").read_bytes()
    result = run(args, cwd=folder)
    assert (result.exit_code, result.stderr) == (2, message + "\n")
    assert (folder / "claims.yaml").read_bytes() == old


def test_ignoring_twice_is_refused(folder: Path, run) -> None:
    assert run(["ignore", "--sentence", "2:1"], cwd=folder).exit_code == 0
    result = run(["ignore", "--sentence", "2:5"], cwd=folder)
    assert (result.exit_code, result.stderr) == (
        2, "Error: claims.yaml:10:12: this sentence is already ignored\n")
