"""The console script ends the process without freeing its heap (refmap.cli.leave): what the
process wrote, its exit status, exit handlers and other threads fare as with sys.exit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from bench_import import make_bib  # noqa: E402  (the benchmark's generated library)


def console(args: list[str], cwd: Path = ROOT, before: str = "") -> subprocess.CompletedProcess[str]:
    """`refmap ARGS` through the console script's entry point, `before` run first."""
    script = f"import sys\n{before}\nsys.argv = ['refmap', *sys.argv[1:]]\n" \
             "from refmap.cli import main\nmain()\n"
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                          text=True, cwd=cwd, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_long_report_is_written_whole_to_a_pipe(tmp_path: Path) -> None:
    shutil.copy(ROOT / "claims.yaml", tmp_path / "claims.yaml")
    shutil.copy(ROOT / "essay.txt", tmp_path / "essay.txt")
    (tmp_path / "big.bib").write_text(make_bib(1500), "utf-8")
    done = console(["import", "big.bib"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    added = [line for line in lines if " added '" in line]
    assert len(added) == 1500
    assert lines[-1].startswith("1500 added, 0 matched, 0 skipped")
    last = added[-1].split(" added '")[1].split("'")[0]
    assert f"\n  {last}:\n" in (tmp_path / "claims.yaml").read_text("utf-8")


def test_the_exit_status_and_the_error_line_are_kept(tmp_path: Path) -> None:
    done = console(["check", "--map", "missing.yaml"], cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1
    assert console(["--version"]).returncode == 0


def test_exit_handlers_run() -> None:
    done = console(["--version"], before="import atexit\natexit.register(print, 'handler ran')")
    assert done.stdout == "refmap, version 0.1.0\nhandler ran\n"


def test_another_thread_is_waited_for() -> None:
    before = ("import threading, time\n"
              "threading.Thread(target=lambda: (time.sleep(0.3), print('thread done'))).start()")
    done = console(["--version"], before=before)
    assert done.returncode == 0
    assert done.stdout.splitlines() == ["refmap, version 0.1.0", "thread done"]


def test_no_collector_pass_walks_the_heap_after_the_command(tmp_path: Path) -> None:
    # Passes of the cyclic collector once the command's module is loaded (the command runs
    # with the collector paused): a pass after it would walk everything the command made.
    before = ("import gc\n"
              "gc.callbacks.append(lambda phase, info: phase == 'start' and "
              "'refmap.commands.check' in sys.modules and print('pass', file=sys.stderr))")
    done = console(["check"], before=before)
    assert done.returncode == 0, done.stderr
    assert "pass" not in done.stderr.splitlines()
