"""check, coverage and unsourced over several maps (paths or globs): per map and in total."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from editcheck import COMMENTED, small_project

from conftest import ROOT


def two_essays(tmp_path: Path) -> None:
    """Two essays with a map each; the second cites a source it lacks."""
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
    small_project(tmp_path / "one", COMMENTED)
    small_project(tmp_path / "two", COMMENTED.replace("source: dw2018", "source: nosuch"))


def test_check_reports_each_map_and_the_total(tmp_path: Path, run) -> None:
    two_essays(tmp_path)
    result = run(["check", "*/claims.yaml"], cwd=tmp_path)
    assert result.exit_code == 1  # the worst of the two
    lines = result.stdout.splitlines()
    assert "one/claims.yaml: 1 error, 2 warnings" in lines
    assert "two/claims.yaml: 2 errors, 3 warnings" in lines
    assert lines[-1] == "total (2 maps): 3 errors, 5 warnings"
    assert any(line.startswith("two/claims.yaml:") and "[dangling-source]" in line
               for line in lines)
    data = json.loads(run(["check", "one/claims.yaml", "two/claims.yaml", "--format", "json"],
                          cwd=tmp_path).stdout)
    assert {f["position"]["file"] for f in data} == {"one/claims.yaml", "two/claims.yaml"}


def test_coverage_and_unsourced_total_over_the_maps(tmp_path: Path, run) -> None:
    two_essays(tmp_path)
    text = run(["coverage", "*/claims.yaml"], cwd=tmp_path).stdout
    assert text.splitlines()[-1] == (
        "Total over 2 maps: checkable claims sourced: 2 of 4 (50.0%); sourced or marked "
        "unverified/disputed: 50.0%")
    assert run(["coverage", "*/claims.yaml", "--min", "60"], cwd=tmp_path).exit_code == 1
    assert run(["coverage", "*/claims.yaml", "--min", "50"], cwd=tmp_path).exit_code == 0
    data = json.loads(run(["coverage", "*/claims.yaml", "--format", "json"], cwd=tmp_path).stdout)
    schema = json.loads((ROOT / "docs" / "json" / "coverage.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert [m["map"] for m in data["maps"]] == ["one/claims.yaml", "two/claims.yaml"]
    assert data["total"]["claims"] == 4
    lines = run(["unsourced", "*/claims.yaml"], cwd=tmp_path).stdout.splitlines()
    assert lines[1::2] == ["one/claims.yaml: 1 unsourced claim",
                           "two/claims.yaml: 1 unsourced claim"]
    assert lines[-1] == "total (2 maps): 2 unsourced claims"
    rows = json.loads(run(["unsourced", "*/claims.yaml", "--format", "json"],
                          cwd=tmp_path).stdout)
    assert [r["map_position"]["file"] for r in rows] == ["one/claims.yaml", "two/claims.yaml"]


def test_a_glob_that_matches_nothing_is_a_usage_error(tmp_path: Path, run) -> None:
    result = run(["check", "nothing/*.yaml"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (2, "Error: no map matches 'nothing/*.yaml'\n")
