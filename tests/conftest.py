from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

# In CI, property tests run the same examples every time (a red CI run must be a regression,
# not a new random draw) and without per-example deadlines on a shared machine; locally they
# keep exploring.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

from refmap.cli import cli

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent


def snapshot(directory: Path) -> dict[str, str]:
    """Hash of every file under a directory, to prove a command changed nothing."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
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
