"""The pre-commit hook: every essay format and any *claims*.yaml trigger it; it checks every map
(or those .refmap.toml / pyproject.toml list); unsourced drafts are warnings there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from refmap.essay.readers import EXTENSIONS

HOOK = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))[0]
ESSAY = "The talks resumed in May 2019. We think that was wise.\n"
MAP = """\
version: 1
essay:
  path: essay.txt
claims:
  - id: resumed
    quote: The talks resumed in May 2019
    kind: event
{draft}"""


@pytest.mark.parametrize("path", [f"essays/essay{ext}" for ext in EXTENSIONS] + [
    "claims.yaml", "docs/essay-claims.yml", "my_claims_2.yaml", ".refmap.toml",
    "pyproject.toml"])
def test_the_hook_runs_for_every_essay_format_and_any_claims_map(path: str) -> None:
    assert re.search(HOOK["files"], path)


@pytest.mark.parametrize("path", ["refmap/cli.py", "claims.json", "notes.yaml"])
def test_the_hook_does_not_run_for_other_files(path: str) -> None:
    assert not re.search(HOOK["files"], path)


def pair(folder: Path, name: str = "claims.yaml", draft: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "essay.txt").write_text(ESSAY, "utf-8")
    (folder / name).write_text(MAP.format(draft="    draft: true\n" if draft else ""), "utf-8")
    return folder / name


def test_hook_checks_every_map_and_drafts_are_warnings(tmp_path: Path, run) -> None:
    pair(tmp_path / "one", draft=True)
    pair(tmp_path / "two", "essay-claims.yml", draft=True)
    pair(tmp_path / ".hidden")
    result = run(["hook"], cwd=tmp_path)
    assert result.exit_code == 0, result.stdout
    assert result.stdout == (
        "one/claims.yaml:\n"
        "one/claims.yaml:5:5: warning: claim 'resumed' cites no source [unsourced]\n"
        "1 warning\n"
        "two/essay-claims.yml:\n"
        "two/essay-claims.yml:5:5: warning: claim 'resumed' cites no source [unsourced]\n"
        "1 warning\n")
    pair(tmp_path / "two", "essay-claims.yml", draft=False)
    result = run(["hook", "--format", "github"], cwd=tmp_path)
    assert result.exit_code == 1
    assert ("::error file=two/essay-claims.yml,line=5,col=5,title=unsourced::claim 'resumed' "
            "cites no source\n") in result.stdout


@pytest.mark.parametrize("config, text", [
    (".refmap.toml", 'maps = ["listed/*.yaml"]\n'),
    ("pyproject.toml", '[project]\nname = "x"\n\n[tool.refmap]\nmaps = ["listed/claims.yaml"]\n'),
])
def test_hook_checks_only_the_maps_the_settings_list(tmp_path: Path, run, config: str,
                                                     text: str) -> None:
    pair(tmp_path / "listed", draft=True)
    pair(tmp_path / "unlisted")  # would fail the commit if checked
    (tmp_path / config).write_text(text, "utf-8")
    result = run(["hook"], cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "listed/claims.yaml:"
    assert "unlisted" not in result.stdout


def test_a_map_that_does_not_load_fails_the_hook_with_one_line(tmp_path: Path, run) -> None:
    path = pair(tmp_path / "one", draft=True)
    path.write_text(path.read_text("utf-8").replace("kind: event", "kind: evnt"), "utf-8")
    result = run(["hook"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (
        2, "Error: one/claims.yaml:7:11: claim 'resumed': 'kind': unknown value 'evnt'; "
           "did you mean 'event'?\n")
