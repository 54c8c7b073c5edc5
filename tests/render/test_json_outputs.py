"""Every JSON output follows its documented JSON Schema (docs/json/), and gives positions only
as {"file", "line", "col"} objects: never strings, never text-renderer fields."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from conftest import ROOT, TESTS

SCHEMAS = ROOT / "docs" / "json"
COMMANDS = {
    "check": ["check", "--format", "json"],
    "coverage": ["coverage", "--format", "json"],
    "unsourced": ["unsourced", "--format", "json"],
    "list": ["list", "--format", "json"],
    "show": None,
    "anchors": ["anchors", "--format", "json"],
    "uncovered": ["uncovered", "--all", "--format", "json"],
}


def _folders(tmp_path: Path) -> list[Path]:
    folders = []
    for case in ("clean", "problems", "drift"):
        target = tmp_path / case
        shutil.copytree(TESTS / "cases" / case, target, ignore=shutil.ignore_patterns("expected"))
        folders.append(target)
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    for name in ("claims.yaml", "essay.txt"):
        shutil.copy(ROOT / name, bundled / name)
    return [*folders, bundled]


def _strings_that_look_like_positions(data: object) -> list[str]:
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings_that_look_like_positions(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings_that_look_like_positions(v)]
    if isinstance(data, str) and data.count(":") == 2 and data.split(":")[-1].isdigit():
        return [data]
    return []


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_output_follows_its_schema(name: str, tmp_path: Path, run):
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for folder in _folders(tmp_path):
        if name == "show":
            ids = [c["id"] for c in json.loads(run(["list", "--format", "json"], cwd=folder).stdout)]
            outputs = [run(["show", ids[0], "--format", "json"], cwd=folder).stdout]
        else:
            outputs = [run(COMMANDS[name], cwd=folder).stdout]
        for out in outputs:
            data = json.loads(out)
            errors = [e.message for e in validator.iter_errors(data)]
            assert errors == [], (folder.name, errors[:3])
            assert _strings_that_look_like_positions(data) == []


def test_every_schema_is_documented():
    readme = (ROOT / "README.md").read_text("utf-8")
    for name in COMMANDS:
        assert (SCHEMAS / f"{name}.schema.json").exists()
        assert f"`{name}`" in readme
