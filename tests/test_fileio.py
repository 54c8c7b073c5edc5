"""Reads that cannot hang or exhaust memory, writes that cannot lose data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

from refmap import fileio
from refmap.errors import LoadError, WriteError
from refmap.fileio import atomic_write, read_input
from refmap.mapfile.yamlio import read_bytes

ROOT = Path(__file__).resolve().parent.parent


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def load_message(path: Path | str, display: str, max_bytes: int = fileio.MAP_MAX_BYTES) -> str:
    with pytest.raises(LoadError) as caught:
        read_input(Path(path), display, max_bytes)
    return str(caught.value)


# -- reads --------------------------------------------------------------------------------


def test_reads_a_regular_file(tmp_path: Path):
    (tmp_path / "a.yaml").write_bytes(b"version: 1\n")
    assert read_input(tmp_path / "a.yaml", "a.yaml") == b"version: 1\n"
    assert read_bytes(tmp_path / "a.yaml", "a.yaml") == b"version: 1\n"


def test_fifo_is_refused_without_blocking(tmp_path: Path):
    os.mkfifo(tmp_path / "pipe")
    assert load_message(tmp_path / "pipe", "pipe") == "pipe: is a FIFO, not a regular file"


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_device_is_refused_unread(device: str):
    assert load_message(device, device) == f"{device}: is a character device, not a regular file"


def test_directory_missing_file_and_long_name(tmp_path: Path):
    assert load_message(tmp_path, "maps") == "maps: is a directory, not a file"
    assert load_message(tmp_path / "gone.yaml", "gone.yaml") == "gone.yaml: no such file"
    long = "x" * 300 + ".yaml"
    assert load_message(tmp_path / long, "long.yaml") == "long.yaml: cannot read: File name too long"
    assert load_message("a\0b", "a\\x00b") == "a\\x00b: cannot read: the name contains a NUL character"


def test_symlink_loop_is_a_read_error(tmp_path: Path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    assert load_message(tmp_path / "loop", "loop") == \
        "loop: cannot read: Too many levels of symbolic links"


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    # we run as root, where the OS grants every read: make os.open say what it says to a user
    def denied(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fileio.os, "open", denied)
    assert load_message(tmp_path / "claims.yaml", "claims.yaml") == \
        "claims.yaml: cannot read: Permission denied"


def test_size_cap_reads_no_more_than_one_byte_past_it(tmp_path: Path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * (2 * fileio.MIB + 1))
    assert load_message(big, "big.yaml", 2 * fileio.MIB) == \
        "big.yaml: is larger than the 2 MiB limit; raise it with --max-size"
    assert len(read_input(big, "big.yaml", 3 * fileio.MIB)) == 2 * fileio.MIB + 1
    assert load_message(big, "big.yaml", 100) == \
        "big.yaml: is larger than the 100 bytes limit; raise it with --max-size"


def test_socket_is_refused(tmp_path: Path):
    import socket

    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        assert load_message(path, "sock") == "sock: is a socket, not a regular file"
    finally:
        server.close()


# -- writes -------------------------------------------------------------------------------


def write_message(path: Path, text: str = "new\n", **kwargs: object) -> str:
    with pytest.raises(WriteError) as caught:
        atomic_write(path, text, **kwargs)  # type: ignore[arg-type]
    return str(caught.value)


def test_symlinked_target_is_written_through(tmp_path: Path):
    real = tmp_path / "real" / "claims.yaml"
    real.parent.mkdir()
    real.write_text("old\n", "utf-8")
    real.chmod(0o640)
    link = tmp_path / "claims.yaml"
    link.symlink_to(Path("real") / "claims.yaml")
    atomic_write(link, "new\n", expect_unchanged=b"old\n")
    assert link.is_symlink() and os.readlink(link) == "real/claims.yaml"
    assert real.read_text("utf-8") == "new\n"
    assert real.stat().st_mode & 0o7777 == 0o640
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


def test_non_regular_targets_are_refused(tmp_path: Path):
    os.mkfifo(tmp_path / "pipe")
    assert write_message(tmp_path / "pipe") == f"{tmp_path / 'pipe'}: is a FIFO, not a regular file; nothing written"
    assert write_message(Path("/dev/null")) == "/dev/null: is a character device, not a regular file; nothing written"
    (tmp_path / "adir").mkdir()
    assert write_message(tmp_path / "adir") == f"{tmp_path / 'adir'}: is a directory"
    assert leftovers(tmp_path) == []


def test_read_only_target_is_refused(tmp_path: Path):
    target = tmp_path / "claims.yaml"
    target.write_text("old\n", "utf-8")
    target.chmod(0o444)
    assert write_message(target) == (
        f"{target}: is read-only; nothing written (make it writable to let refmap replace it)")
    assert target.read_text("utf-8") == "old\n"


def test_mode_is_kept_and_new_files_follow_the_umask(tmp_path: Path):
    target = tmp_path / "out.bib"
    target.write_text("old", "utf-8")
    target.chmod(0o604)
    atomic_write(target, "new")
    assert (target.read_text("utf-8"), target.stat().st_mode & 0o7777) == ("new", 0o604)
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "fresh.bib", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "fresh.bib").stat().st_mode & 0o7777 == 0o640


def test_write_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def denied(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    assert write_message(tmp_path / "out.bib") == f"{tmp_path / 'out.bib'}: cannot write: Permission denied"


def test_over_long_name_is_a_write_error(tmp_path: Path):
    target = tmp_path / ("x" * 300)
    assert write_message(target) == f"{target}: cannot write: File name too long"


def test_name_at_the_length_limit_still_gets_a_temporary_file(tmp_path: Path):
    target = tmp_path / ("x" * 255)
    atomic_write(target, "fits")
    assert target.read_text("utf-8") == "fits" and leftovers(tmp_path) == []


def test_map_replaced_since_read_is_not_clobbered(tmp_path: Path):
    target = tmp_path / "claims.yaml"
    target.write_text("as read\n", "utf-8")
    replacement = tmp_path / "other.yaml"
    replacement.write_text("someone else's\n", "utf-8")
    os.replace(replacement, target)
    assert write_message(target, "edited\n", expect_unchanged=b"as read\n") == (
        f"{target}: changed on disk since it was read; nothing written, run again")
    assert target.read_text("utf-8") == "someone else's\n" and leftovers(tmp_path) == []


def test_stale_temporary_file_does_not_block(tmp_path: Path):
    target = tmp_path / "claims.yaml"
    target.write_text("old\n", "utf-8")
    stale = tmp_path / ".claims.yaml.k1ll3d.tmp"
    stale.write_text("half a map", "utf-8")
    atomic_write(target, "new\n", expect_unchanged=b"old\n")
    assert target.read_text("utf-8") == "new\n"
    assert leftovers(tmp_path) == [stale.name]  # another run's file is left alone


def test_create_only_refuses_an_existing_file(tmp_path: Path):
    target = tmp_path / "claims.yaml"
    target.write_text("mine\n", "utf-8")
    assert write_message(target, create_only=True) == f"{target}: already exists; nothing written"
    assert target.read_text("utf-8") == "mine\n" and leftovers(tmp_path) == []


PAUSED_WRITE = textwrap.dedent("""
    import signal, sys, time
    from pathlib import Path
    from refmap import fileio

    # as in a terminal: a runner that starts tests in the background passes SIGINT ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def pause(tmp: Path) -> None:
        print(tmp, flush=True)
        time.sleep(60)

    fileio.before_rename = pause
    fileio.atomic_write(Path(sys.argv[1]), "half-done edit\\n", expect_unchanged=b"original\\n")
""")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_signal_during_write_leaves_original_and_no_temporary(tmp_path: Path, signum: int):
    target = tmp_path / "claims.yaml"
    target.write_text("original\n", "utf-8")
    child = subprocess.Popen([sys.executable, "-c", PAUSED_WRITE, str(target)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    tmp = Path(child.stdout.readline().strip())
    assert tmp.parent == tmp_path and tmp.exists()
    child.send_signal(signum)
    _, err = child.communicate(timeout=30)
    # ends as the signal would have ended it (Python re-raises an uncaught KeyboardInterrupt
    # as SIGINT, so the parent sees the signal either way)
    assert child.returncode == -signum
    assert ("KeyboardInterrupt" in err) == (signum == signal.SIGINT)
    assert target.read_text("utf-8") == "original\n"
    assert leftovers(tmp_path) == []


# -- through the CLI: one line, exit 2, nothing hangs ----------------------------------------


def test_cli_refuses_a_fifo_map_and_a_device_essay(bundled: Path, run):
    os.mkfifo(bundled / "pipe.yaml")
    result = run(["check", "--map", "pipe.yaml"], cwd=bundled)
    assert (result.exit_code, result.stderr) == (2, "Error: pipe.yaml: is a FIFO, not a regular file\n")
    text = (bundled / "claims.yaml").read_text("utf-8").replace("path: essay.txt", "path: /dev/zero\n  format: txt")
    (bundled / "zero.yaml").write_text(text, "utf-8")
    result = run(["check", "--map", "zero.yaml"], cwd=bundled)
    assert (result.exit_code, result.stderr) == (2, (
        "Error: zero.yaml:6:9: essay '/dev/zero' is outside the map's folder; pass "
        "--essay-outside to read it anyway\n"))
    result = run(["check", "--map", "zero.yaml", "--essay-outside"], cwd=bundled)
    assert (result.exit_code, result.stderr) == (
        2, "Error: /dev/zero: is a character device, not a regular file\n")


def test_directory_is_fsynced_after_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        import stat

        synced.append("dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(fileio.os, "fsync", recording_fsync)
    atomic_write(tmp_path / "out.bib", "x")
    assert synced == ["file", "dir"]


def test_signal_handlers_are_restored_after_a_write(tmp_path: Path):
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    atomic_write(tmp_path / "out.bib", "x")
    with pytest.raises(WriteError):
        atomic_write(tmp_path / "out.bib", "y", expect_unchanged=b"not what it holds")
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
