"""Golden CLI cases: each folder under tests/cases/ holds an essay, a claims map and case.yaml,
a list of {args, exit, stdout}; every command must exit as listed and print exactly the
expected file. REFMAP_UPDATE_GOLDEN=1 writes missing expected files (review them by hand)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import TESTS, snapshot

CASES = TESTS / "cases"


def _commands():
    for case in sorted(p for p in CASES.iterdir() if p.is_dir()):
        spec = yaml.safe_load((case / "case.yaml").read_text("utf-8"))
        for step in spec:
            yield pytest.param(case, step, id=f"{case.name}:{' '.join(step['args'])}")


@pytest.mark.parametrize("case,step", list(_commands()))
def test_golden(case: Path, step: dict, tmp_path: Path, run):
    work = tmp_path / case.name
    shutil.copytree(case, work, ignore=shutil.ignore_patterns("expected"))
    before = snapshot(work)
    result = run(step["args"], cwd=work)
    expected_file = case / "expected" / step["stdout"]
    if os.environ.get("REFMAP_UPDATE_GOLDEN") and not expected_file.exists():
        expected_file.parent.mkdir(exist_ok=True)
        expected_file.write_text(result.stdout, "utf-8")
    assert result.stdout == expected_file.read_text("utf-8")
    assert result.exit_code == step["exit"], result.stderr
    assert snapshot(work) == before
