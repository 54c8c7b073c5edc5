"""The CLI as a whole: every command has help with an example and is documented in README.md;
the README's Quickstart and the test command of .ci/run agree; `python -m refmap` works."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from pathlib import Path

import click
import pytest

from conftest import ROOT
from refmap.cli import cli

README = (ROOT / "README.md").read_text("utf-8")


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name)


COMMANDS = sorted(_commands(cli))


def test_there_are_commands():
    assert len(COMMANDS) >= 14


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_an_example(path, run):
    result = run([*path, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert f"refmap {' '.join(path)}" in result.stdout  # the example uses the command itself


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_is_documented_in_readme(path):
    name = path[-1]
    if path[0] == "export":
        assert re.search(rf"`refmap export [^`]*\b{re.escape(name)}\b", README)
    elif len(path) > 1:  # a subcommand of another group is documented with its group
        assert f"`refmap {' '.join(path)}" in README
    else:
        assert f"`refmap {name}" in README


def test_quickstart_is_two_commands_and_ci_runs_the_readme_test_command():
    quick = README.split("## Quickstart", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line for line in quick.splitlines() if line.strip()]
    assert lines == [
        "python3 -m venv .venv && .venv/bin/pip install -q . && .venv/bin/refmap coverage"
        " && .venv/bin/refmap unsourced",
        "bash .ci/run",
    ]
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    test_command = re.search(r"the test\s+command, `([^`]+)`", README).group(1)
    assert ci.rstrip().splitlines()[-1] == test_command


def test_python_dash_m_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "refmap", "--version"], capture_output=True,
                            text=True, cwd=ROOT)
    assert (result.returncode, result.stdout) == (0, "refmap, version 0.1.0\n")


def test_usage_errors_exit_2(run):
    assert run(["check", "--format", "xml"]).exit_code == 2
    assert run(["no-such-command"]).exit_code == 2
    result = run(["show", "poll-80-percentt"], cwd=ROOT)
    assert result.exit_code == 2
    assert "did you mean 'poll-80-percent'?" in result.stderr


def test_bundled_map_checks_clean_and_shows_its_gaps(run):
    result = run(["check"], cwd=ROOT)
    assert result.exit_code == 0
    assert " error" not in result.stdout
    coverage = run(["coverage", "--min", "80"], cwd=ROOT)
    assert coverage.exit_code == 0


def test_bundled_essay_is_the_published_text_byte_for_byte():
    """The claim quotes anchor in the essay exactly as published: typos, curly quotes and all."""
    import hashlib

    data = (ROOT / "essay.txt").read_bytes()
    assert len(data.decode("utf-8")) == 5946
    assert hashlib.sha256(data).hexdigest() == (
        "2ad0c12a4def995dc4f7e748b1324b893520ddd10e4d31d19245a53224daadce")
    shared = ROOT.parent / "shared" / "essay" / "essay.txt"
    if shared.exists():  # beside the repository in CI and in the workspace
        assert shared.read_bytes() == data


def test_help_keeps_multi_line_examples_as_lines(run):
    out = run(["annotate", "--help"]).stdout
    assert ("      refmap export csl-json -o references.json\n"
            "      refmap annotate -o annotated.md\n") in out
    export = run(["export", "--help"]).stdout
    assert "Examples:" in export and "      refmap export bibtex -o refs.bib\n" in export


@pytest.mark.parametrize("where", ["before", "after", "env"])
def test_map_before_or_after_the_command_or_from_the_environment(where, bundled, run, monkeypatch):
    (bundled / "sub").mkdir()
    for name in ("claims.yaml", "essay.txt"):
        (bundled / name).rename(bundled / "sub" / name)
    args = {"before": ["--map", "sub/claims.yaml", "coverage"],
            "after": ["coverage", "--map", "sub/claims.yaml"], "env": ["coverage"]}[where]
    if where == "env":
        monkeypatch.setenv("REFMAP_MAP", "sub/claims.yaml")
    result = run(args, cwd=bundled)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Coverage of sub/essay.txt by sub/claims.yaml\n")


@pytest.mark.parametrize("args,message", [
    (["check", "--ignore", "undated-sources"],
     "Error: --ignore: unknown value 'undated-sources'; did you mean 'undated-source'?\n"),
    (["list", "--status", "verified"],
     "Error: --status: unknown value 'verified'; did you mean 'sourced'?\n"),
    (["list", "--kind", "polls"], "Error: --kind: unknown value 'polls'; did you mean 'poll'?\n"),
    (["coverage", "--min", "nan"],
     "Error: Invalid value for '--min': 'nan' is not a percentage from 0 to 100\n"),
    (["check", "--format", "xml"],
     "Error: Invalid value for '--format': 'xml' is not one of 'text', 'json', 'github'.\n"),
])
def test_typed_values_are_checked_with_one_line_errors(args, message, run):
    result = run(args, cwd=ROOT)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


def test_export_strict_refuses_while_check_has_errors(tmp_path, run):
    (tmp_path / "essay.txt").write_text("In 2018, 80 percent agreed.", "utf-8")
    (tmp_path / "claims.yaml").write_text(
        "version: 1\nessay:\n  path: essay.txt\nsources:\n  s:\n    type: misc\n"
        "    title: T\n    date: 2019\nclaims:\n  - id: c\n    quote: 80 percent agreed\n"
        "    kind: poll\n    citations:\n      - {source: s, excerpt: 75 percent agreed}\n",
        "utf-8")
    refused = run(["export", "bibtex", "--strict", "-o", "out.bib"], cwd=tmp_path)
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[-1] == (
        "refusing to export with --strict: refmap check finds 1 error; nothing written")
    assert not (tmp_path / "out.bib").exists()
    assert run(["export", "bibtex", "-o", "out.bib"], cwd=tmp_path).exit_code == 0


@pytest.mark.parametrize(("command", "flag"), [
    (["anchors", "--dry-run"], "--fix"),
    (["links", "--dry-run"], "--fix"),
    (["verify", "--dry-run"], "--fix-accessed"),
])
def test_dry_run_never_implies_a_fix(command: list[str], flag: str, bundled: Path, run):
    before = (bundled / "claims.yaml").read_bytes()
    result = run(command, cwd=bundled)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"Error: --dry-run shows what {flag} would write: add {flag} "
                             f"(refmap ... {flag} --dry-run)\n")
    assert (bundled / "claims.yaml").read_bytes() == before


# -- init on essays as people write them (issue 17 item 3) -------------------------------------

ESSAYS_AS_WRITTEN = Path(__file__).resolve().parents[1] / "fixtures" / "essays-as-written"


@pytest.mark.parametrize("name, essay_lines, quotes", [
    ("hugo-post.md",
     ['  title: "Restoring the Old Mill"', "  authors:", '    - {literal: "Jo Writer"}',
      '  date: "2023-04-05"'],
     ["The mill was built in 1847 by the Harker family.",
      "By 1911 it employed 40 people, according to the parish register.",
      "register. A fire destroyed the roof in 1911.",
      "This post was updated in 2024 with new photographs.",
      "Restoration cost £2.5 million and took 6 years (Mortimer 2017, 10).",
      "10). A fire destroyed the roof in 1911."]),
    ("article.md",
     ['  title: "Polls and the Summit"', "  authors:", '    - {literal: "Ana Lee"}',
      '    - {literal: "Bo Kim"}', '  date: "2019-06-12"'],
     ["Support for the talks rose to 80 percent in 2018.",
      "2018. Critics said the summit achieved nothing, according to Reuters.",
      "Missile tests resumed in May 2019, as the agency reported.",
      "A definition that mentions 12 agreements signed in 2018.",
      "By 2019 support had fallen to 45 percent.",
      "percent. Critics said the summit achieved nothing, according to Reuters."]),
])
def test_init_drafts_prose_only_with_unique_quotes_and_the_front_matter(
        name: str, essay_lines: list[str], quotes: list[str], tmp_path: Path, run):
    """No shortcode, caption, heading, table, code, raw HTML or Works Cited entry is drafted;
    the sentence written twice gets a longer quote each time; the map's only errors are the
    unsourced claims a draft is made of."""
    import yaml

    shutil.copy(ESSAYS_AS_WRITTEN / name, tmp_path / name)
    assert run(["init", name, "-o", "claims.yaml"], cwd=tmp_path).exit_code == 0
    drafted = (tmp_path / "claims.yaml").read_text("utf-8")
    essay_block = drafted.split("essay:\n", 1)[1].split("sources:", 1)[0].splitlines()
    assert essay_block == [f'  path: "{name}"', *essay_lines]
    assert [c["quote"] for c in yaml.safe_load(drafted)["claims"]] == quotes
    result = run(["check", "--errors-only", "--format", "json"], cwd=tmp_path)
    import json

    codes = {f["code"] for f in json.loads(result.stdout)}
    assert codes == {"unsourced"}
