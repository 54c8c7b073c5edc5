"""The CLI as a whole: every command has help with an example and is documented in README.md;
the README's Quickstart and the test command of .ci/run agree; `python -m refmap` works."""

from __future__ import annotations

import re
import subprocess
import sys

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
    else:
        assert f"`refmap {name}" in README


def test_quickstart_is_two_commands_and_ci_runs_the_readme_test_command():
    quick = README.split("## Quickstart", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line for line in quick.splitlines() if line.strip()]
    assert lines == ["pip install . && refmap coverage && refmap unsourced", "bash .ci/run"]
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
