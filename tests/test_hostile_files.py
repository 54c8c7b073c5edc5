"""Hostile files through the commands: what a map or an essay may be on disk (FIFO, device,
socket, directory, symlink loop, over-long or hostile name, unreadable, outside the map's
folder), where an output may point (FIFO, device, directory, read-only file, symlink), and
what may happen while a command writes (the map replaced, SIGTERM).

Every refusal is one line `Error: ...`, exit 2, nothing on stdout, and no file changed."""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import ROOT, snapshot
from refmap import fileio
from refmap.project import load

ESSAY = ("One year after the summit came the poll. 80 percent of all the voters polled "
         "supported the new policy on trade; more words follow here.\n")
MAP = ("version: 1\nessay:\n  path: essay.txt\nclaims:\n  # the poll\n  - id: c1\n"
       "    quote: 80 percent of all the voters polled agreed with the new policy on trade\n"
       "    kind: poll\n    status: unverified\n")
"""A map whose one quote drifted: the essay now says 'supported' where it said 'agreed with'."""
FIXED_QUOTE = "80 percent of all the voters polled supported the new policy on trade"

Setup = Callable[[Path], list[str]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "essay.txt").write_text(ESSAY, "utf-8")
    (tmp_path / "claims.yaml").write_text(MAP, "utf-8")
    return tmp_path


def essay_at(path: str, extra: str = "") -> str:
    return f"version: 1\nessay:\n  path: {path}\n{extra}"


# -- reading: every kind of file a map or essay may be ---------------------------------------


def fifo_map(d: Path) -> list[str]:
    os.mkfifo(d / "pipe.yaml")
    return ["check", "--map", "pipe.yaml"]


def fifo_essay(d: Path) -> list[str]:
    os.mkfifo(d / "pipe.txt")
    (d / "m.yaml").write_text(essay_at("pipe.txt"), "utf-8")
    return ["check", "--map", "m.yaml"]


def socket_map(d: Path) -> list[str]:
    server = socket.socket(socket.AF_UNIX)
    old = os.getcwd()
    os.chdir(d)  # a socket path is limited to about 100 bytes: bind by a relative name
    try:
        server.bind("sock.yaml")
    finally:
        os.chdir(old)
    server.close()
    return ["check", "--map", "sock.yaml"]


def device_map(d: Path) -> list[str]:
    return ["check", "--map", "/dev/null"]


def device_essay_by_symlink(d: Path) -> list[str]:
    (d / "zero.txt").symlink_to("/dev/zero")
    (d / "m.yaml").write_text(essay_at("zero.txt"), "utf-8")
    return ["check", "--map", "m.yaml", "--essay-outside"]


def device_essay_outside(d: Path) -> list[str]:
    (d / "zero.txt").symlink_to("/dev/zero")
    (d / "m.yaml").write_text(essay_at("zero.txt"), "utf-8")
    return ["check", "--map", "m.yaml"]


def directory_map(d: Path) -> list[str]:
    (d / "dir.yaml").mkdir()
    return ["check", "--map", "dir.yaml"]


def directory_essay(d: Path) -> list[str]:
    (d / "sub").mkdir()
    (d / "m.yaml").write_text(essay_at("sub"), "utf-8")
    return ["check", "--map", "m.yaml"]


def symlink_loop_map(d: Path) -> list[str]:
    (d / "loop1.yaml").symlink_to("loop2.yaml")
    (d / "loop2.yaml").symlink_to("loop1.yaml")
    return ["check", "--map", "loop1.yaml"]


def dangling_symlink_map(d: Path) -> list[str]:
    (d / "dangling.yaml").symlink_to("nowhere.yaml")
    return ["check", "--map", "dangling.yaml"]


def overlong_map_name(d: Path) -> list[str]:
    return ["check", "--map", "a" * 300 + ".yaml"]


def overlong_essay_name(d: Path) -> list[str]:
    (d / "m.yaml").write_text(essay_at("e" * 300 + ".txt"), "utf-8")
    return ["check", "--map", "m.yaml"]


def hostile_map_name(d: Path) -> list[str]:
    return ["check", "--map", "a\nError: b\x1b[31m.yaml"]


def proc_essay(d: Path) -> list[str]:
    (d / "m.yaml").write_text(essay_at("/proc/self/environ"), "utf-8")
    return ["check", "--map", "m.yaml"]


def proc_essay_allowed(d: Path) -> list[str]:
    (d / "m.yaml").write_text(essay_at("/proc/self/environ", "  format: txt\n"), "utf-8")
    return ["check", "--map", "m.yaml", "--essay-outside"]


def symlink_escaping_folder(d: Path) -> list[str]:
    (d / "inner").mkdir()
    (d / "inner" / "essay.txt").symlink_to(d / "essay.txt")
    (d / "inner" / "m.yaml").write_text(essay_at("essay.txt"), "utf-8")
    return ["check", "--map", "inner/m.yaml"]


def oversize_essay(d: Path) -> list[str]:
    fileio.ESSAY_MAX_BYTES = 100  # restored by the test's monkeypatch
    return ["anchors", "--fix"]


READS: dict[str, tuple[Setup, str]] = {
    "fifo-map": (fifo_map, "pipe.yaml: is a FIFO, not a regular file"),
    "fifo-essay": (fifo_essay, "pipe.txt: is a FIFO, not a regular file"),
    "socket-map": (socket_map, "sock.yaml: is a socket, not a regular file"),
    "device-map": (device_map, "/dev/null: is a character device, not a regular file"),
    "device-essay": (device_essay_by_symlink,
                     "zero.txt: is a character device, not a regular file"),
    "device-essay-outside": (device_essay_outside,
                             "m.yaml:3:9: essay 'zero.txt' is outside the map's folder; pass "
                             "--essay-outside to read it anyway"),
    "directory-map": (directory_map, "dir.yaml: is a directory, not a file"),
    "directory-essay": (directory_essay, "sub: is a directory, not a file"),
    "symlink-loop": (symlink_loop_map, "loop1.yaml: cannot read: Too many levels of symbolic links"),
    "dangling-symlink": (dangling_symlink_map, "dangling.yaml: no such file"),
    "overlong-map-name": (overlong_map_name, "a" * 300 + ".yaml: cannot read: File name too long"),
    "overlong-essay-name": (overlong_essay_name,
                            "e" * 300 + ".txt: cannot read: File name too long"),
    "hostile-map-name": (hostile_map_name, "a\\nError: b\\x1b[31m.yaml: no such file"),
    "proc-essay": (proc_essay, "m.yaml:3:9: essay '/proc/self/environ' is outside the map's "
                               "folder; pass --essay-outside to read it anyway"),
    "proc-essay-allowed": (proc_essay_allowed, "/proc/self/environ:1:*: control character "
                                               "\\x00 in the essay: remove it"),
    "symlink-escaping-folder": (symlink_escaping_folder,
                                "inner/m.yaml:3:9: essay 'essay.txt' is outside the map's "
                                "folder; pass --essay-outside to read it anyway"),
    "oversize-essay": (oversize_essay,
                       "essay.txt: is larger than the 100 bytes limit; raise it with --max-size"),
}


def assert_refused(result, message: str) -> None:
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {message}\n"


@pytest.mark.parametrize("case", sorted(READS))
def test_hostile_input_files(case: str, project: Path, run, monkeypatch: pytest.MonkeyPatch):
    setup, message = READS[case]
    monkeypatch.setattr(fileio, "ESSAY_MAX_BYTES", fileio.ESSAY_MAX_BYTES)
    args = setup(project)
    before = snapshot(project)
    result = run(args, cwd=project)
    if "*" in message:  # the first NUL's column depends on the environment's first variable
        head, tail = message.split("*")
        assert (result.exit_code, result.stdout, result.stderr.count("\n")) == (2, "", 1)
        assert result.stderr.startswith(f"Error: {head}")
        assert result.stderr.endswith(f"{tail}\n")
        assert result.stderr[len(f"Error: {head}"):-len(f"{tail}\n")].isdigit()
    else:
        assert_refused(result, message)
    assert snapshot(project) == before


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[str]]:
    """Names that os.open refuses with EACCES (root reads anything, so the OS cannot)."""
    names: set[str] = set()
    real_open = os.open

    def guarded(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).name in names:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
    yield names


@pytest.mark.parametrize("name, message", [
    ("claims.yaml", "claims.yaml: cannot read: Permission denied"),
    ("essay.txt", "essay.txt: cannot read: Permission denied"),
])
def test_permission_denied(name: str, message: str, project: Path, run, unreadable: set[str]):
    unreadable.add(name)
    before = snapshot(project)
    assert_refused(run(["anchors", "--fix"], cwd=project), message)
    assert snapshot(project) == before


# -- writing: where the map or an output may point -------------------------------------------


def test_fix_through_a_symlinked_map_edits_the_target_and_keeps_the_link(project: Path, run):
    (project / "real").mkdir()
    (project / "claims.yaml").rename(project / "real" / "claims.yaml")
    (project / "real" / "essay.txt").write_text(ESSAY, "utf-8")
    (project / "link.yaml").symlink_to("real/claims.yaml")
    (project / "real" / "claims.yaml").chmod(0o640)
    result = run(["anchors", "--fix", "--map", "link.yaml", "--essay-outside"], cwd=project)
    assert result.exit_code == 0, result.stderr
    assert (project / "link.yaml").is_symlink()
    assert os.readlink(project / "link.yaml") == "real/claims.yaml"
    target = project / "real" / "claims.yaml"
    assert target.read_text("utf-8") == MAP.replace(
        "80 percent of all the voters polled agreed with the new policy on trade", FIXED_QUOTE)
    assert target.stat().st_mode & 0o777 == 0o640
    assert [c.quote for c in load(project / "link.yaml", essay_outside=True).cmap.claims] == [
        FIXED_QUOTE]


def test_fix_on_a_read_only_map_is_refused(project: Path, run):
    (project / "claims.yaml").chmod(0o444)
    before = snapshot(project)
    assert_refused(run(["anchors", "--fix"], cwd=project),
                   "claims.yaml: is read-only; nothing written (make it writable to let refmap "
                   "replace it)")
    assert snapshot(project) == before


@pytest.mark.parametrize("make, target, message", [
    (lambda d: os.mkfifo(d / "out.bib"), "out.bib", "out.bib: is a FIFO, not a regular file; "
                                                     "nothing written"),
    (lambda d: None, "/dev/null", "/dev/null: is a character device, not a regular file; "
                                  "nothing written"),
    (lambda d: (d / "out").mkdir(), "out", "out: is a directory"),
    (lambda d: (d / "out.bib").symlink_to("essay.txt"), "out.bib",
     "out.bib: refusing to overwrite essay.txt, an input of this command"),
    (lambda d: None, "x" * 300 + ".bib", "x" * 300 + ".bib: cannot write: File name too long"),
    (lambda d: None, "no/such/dir/out.bib",
     "no/such/dir/out.bib: cannot write: directory 'no/such/dir' does not exist"),
], ids=["fifo", "device", "directory", "symlink-to-essay", "overlong-name", "missing-folder"])
def test_output_onto_what_is_not_a_regular_file_is_refused(make, target: str, message: str,
                                                           project: Path, run):
    make(project)
    before = snapshot(project)
    assert_refused(run(["export", "csl-json", "-o", target], cwd=project), message)
    assert snapshot(project) == before
    assert not [p.name for p in project.iterdir() if p.name.endswith(".tmp")]


def test_map_replaced_between_load_and_write_is_refused(project: Path, run,
                                                        monkeypatch: pytest.MonkeyPatch):
    from refmap.commands import anchor_fixes as fixes

    plan_fixes = fixes.plan_fixes
    replaced = MAP.replace("status: unverified", "status: disputed")

    def replace_then_plan(loaded, *rest):  # type: ignore[no-untyped-def]
        (project / "claims.yaml").write_text(replaced, "utf-8")  # another editor saves
        return plan_fixes(loaded, *rest)

    monkeypatch.setattr(fixes, "plan_fixes", replace_then_plan)
    result = run(["anchors", "--fix"], cwd=project)
    assert_refused(result, "claims.yaml: changed on disk since it was read; nothing written, "
                           "run again")
    assert (project / "claims.yaml").read_text("utf-8") == replaced
    assert not [p.name for p in project.iterdir() if p.name.endswith(".tmp")]


PAUSED_FIX = textwrap.dedent("""
    import sys, time
    from refmap import fileio
    from refmap.cli import cli

    def pause(tmp):
        print(tmp, flush=True)
        time.sleep(60)

    fileio.before_rename = pause
    cli(["anchors", "--fix", "--map", sys.argv[1]], prog_name="refmap")
""")


def test_sigterm_during_fix_leaves_the_map_and_no_temporary(project: Path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", PAUSED_FIX, str(project / "claims.yaml")],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=env, preexec_fn=lambda: signal.signal(signal.SIGTERM,
                                                                       signal.SIG_DFL))
    assert child.stdout is not None
    tmp = Path(child.stdout.readline().strip())
    assert tmp.parent == project and tmp.exists()
    assert tmp.read_text("utf-8") == MAP.replace(
        "80 percent of all the voters polled agreed with the new policy on trade", FIXED_QUOTE)
    child.send_signal(signal.SIGTERM)
    child.communicate(timeout=30)
    assert child.returncode == -signal.SIGTERM
    assert (project / "claims.yaml").read_text("utf-8") == MAP
    assert sorted(p.name for p in project.iterdir()) == ["claims.yaml", "essay.txt"]


def test_a_temporary_left_by_a_killed_run_does_not_block_the_next(project: Path, run):
    (project / ".claims.yaml.abc123.tmp").write_text("half", "utf-8")
    result = run(["anchors", "--fix"], cwd=project)
    assert result.exit_code == 0, result.stderr
    assert load(project / "claims.yaml").cmap.claims[0].quote == FIXED_QUOTE
    assert (project / ".claims.yaml.abc123.tmp").read_text("utf-8") == "half"


# -- init: what it reads and where it writes -------------------------------------------------


@pytest.mark.parametrize("make, args, message", [
    (lambda d: (d / "c1.txt").write_bytes("In 2018, 80 percent \u009b agreed.\n".encode()),
     ["init", "c1.txt"], "c1.txt:1:21: control character \\x9b in the essay: remove it"),
    (lambda d: os.mkfifo(d / "p.txt"), ["init", "p.txt"], "p.txt: is a FIFO, not a regular file"),
    (lambda d: os.mkfifo(d / "out.yaml"), ["init", "essay.txt", "-o", "out.yaml"],
     "out.yaml: already exists; refmap init never overwrites a map"),
    (lambda d: None, ["init", "essay.txt", "-o", "/dev/null"],
     "/dev/null: already exists; refmap init never overwrites a map"),
    (lambda d: (d / "out").mkdir(), ["init", "essay.txt", "-o", "out"],
     "out: already exists; refmap init never overwrites a map"),
    (lambda d: (d / "dangling.yaml").symlink_to("nowhere.yaml"),
     ["init", "essay.txt", "-o", "dangling.yaml"],
     "dangling.yaml: already exists; refmap init never overwrites a map"),
    (lambda d: None, ["init", "essay.txt", "-o", "essay.txt"],
     "essay.txt: already exists; refmap init never overwrites a map"),
], ids=["c1-essay", "fifo-essay", "fifo-output", "device-output", "directory-output",
        "dangling-symlink-output", "essay-as-output"])
def test_init_refuses_hostile_files(make, args: list[str], message: str, project: Path, run):
    (project / "claims.yaml").unlink()
    make(project)
    before = snapshot(project)
    assert_refused(run(args, cwd=project), message)
    assert snapshot(project) == before
    assert not (project / "nowhere.yaml").exists()
