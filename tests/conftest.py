from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings
from hypothesis.database import DirectoryBasedExampleDatabase

# By default (the README's test command, and so CI) property tests run the same examples every
# time (a red run must be a regression, not a new random draw) and without per-example
# deadlines on a shared machine, whether or not the machine sets $CI.
# REFMAP_HYPOTHESIS=explore runs every property test with 20 times its examples, a
# fresh random draw each run, and keeps what fails in .hypothesis/examples so the next run
# replays it first; pin each such failure as an @example before fixing it.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True, database=None)
settings.register_profile("explore", deadline=None, print_blob=True,
                          database=DirectoryBasedExampleDatabase(
                              str(Path(__file__).resolve().parent.parent / ".hypothesis" / "examples")))
PROFILE = os.environ.get("REFMAP_HYPOTHESIS", "ci")
settings.load_profile(PROFILE)
EXAMPLES_SCALE = 20 if PROFILE == "explore" else 1


def examples(count: int) -> int:
    """A property test's number of examples: as written, or 20 times it when exploring."""
    return count * EXAMPLES_SCALE

from refmap.cli import cli

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent


def snapshot(directory: Path) -> dict[str, str]:
    """Hash of every file under a directory, to prove a command changed nothing. The findings
    `check` keeps under .refmap/check/ are left out: a cache, not a file of the user's (its own
    tests are in tests/commands/test_check_cache.py)."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and p.parent.parts[-2:] != (".refmap", "check")
    }


@pytest.fixture
def run():
    """Run the CLI in a directory: run(args, cwd=...) -> click Result (stdout/stderr apart)."""

    def invoke(args: list[str], cwd: Path | None = None, input: str | None = None):
        runner = CliRunner()
        old = os.getcwd()
        if cwd is not None:
            os.chdir(cwd)
        try:
            return runner.invoke(cli, args, input=input, catch_exceptions=False, prog_name="refmap")
        finally:
            os.chdir(old)

    return invoke


@pytest.fixture
def bundled(tmp_path: Path) -> Path:
    """A copy of the bundled essay and claims map in a scratch directory."""
    for name in ("essay.txt", "claims.yaml"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    return tmp_path
