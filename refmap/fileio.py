"""File I/O that cannot hang, exhaust memory or lose data.

Reads: every input (map, essay, imported file) goes through read_input, which reads only
regular files (a FIFO never blocks, a device is never read), at most a documented number of
bytes, and turns every OSError into a one-line LoadError.

Writes: atomic_write puts the text in a temporary file beside the real target, fsyncs it,
renames it over the target and fsyncs the directory, so a reader never sees a half-written
file and a failed or interrupted write leaves the old file as it was.
"""

from __future__ import annotations

import errno
import gc
import os
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from refmap.errors import LoadError, WriteError
from refmap.values import inert

if TYPE_CHECKING:
    import signal

MIB = 1024 * 1024
MAP_MAX_BYTES = 64 * MIB
"""Default cap on a claims map: about 50 times a 10,000-claim map, far below what exhausts memory."""
ESSAY_MAX_BYTES = 32 * MIB
"""Default cap on an essay: a few thousand times a long essay."""
IMPORT_MAX_BYTES = 64 * MIB
"""Default cap on an imported reference file (.bib, CSL-JSON, RIS)."""

_NOT_REGULAR = (
    (stat.S_ISDIR, "is a directory, not a file"),
    (stat.S_ISFIFO, "is a FIFO, not a regular file"),
    (stat.S_ISCHR, "is a character device, not a regular file"),
    (stat.S_ISBLK, "is a block device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
)

before_rename: Callable[[Path], None] | None = None
"""Test hook: called with the temporary file's path just before it is renamed over the target."""

_recorded: list[dict[str, tuple[object, ...]]] = []
"""The open `recording_inputs` blocks, innermost last."""


@contextmanager
def recording_inputs() -> Iterator[dict[str, tuple[object, ...]]]:
    """Within the block, every file read_input reads is noted in the dict this yields: its
    absolute path -> ("blake2b", digest of the very bytes read). A cache of results computed
    from those files (commands/check_cache.py) is valid exactly while each still has them."""
    seen: dict[str, tuple[object, ...]] = {}
    _recorded.append(seen)
    try:
        yield seen
    finally:
        del _recorded[next(i for i, d in enumerate(_recorded) if d is seen)]


def note_input(path: Path | str, token: tuple[object, ...]) -> None:
    """Note that a result depends on path as token says (see recording_inputs); for a file
    whose parse is cached by its stat (commands/library.py), the stat it was cached by."""
    for seen in _recorded:
        seen[os.path.abspath(path)] = token


def digest(data: bytes) -> bytes:
    """The fingerprint recording_inputs notes for a file's bytes. BLAKE2 from the module
    hashlib itself takes it from: importing hashlib loads OpenSSL, a tenth of the start-up of
    a `refmap check` answered from its cache."""
    from _blake2 import blake2b

    return blake2b(data, digest_size=20).digest()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while large trees of objects are built.

    Composing a 10,000-claim map creates a few hundred thousand nodes, each one a chance for a
    collection pass over everything alive: with the collector on, composing takes about eight
    times as long. The trees hold no reference cycles, so nothing is lost by waiting. The
    Markdown reader pauses it too: a parse's tokens live until it returns, and on a file of
    50,000 headings the collector's passes over them took a third of the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def size_limit(max_bytes: int) -> str:
    """A byte cap as people say it: '64 MiB', or a byte count where it is not whole MiB."""
    if max_bytes >= MIB and max_bytes % MIB == 0:
        return f"{max_bytes // MIB} MiB"
    return f"{max_bytes} bytes"


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode cannot be read or replaced as a regular file, or None."""
    for test, message in _NOT_REGULAR:
        if test(mode):
            return message
    return None if stat.S_ISREG(mode) else "is not a regular file"


def _read_error(exc: OSError, path: Path, display: str) -> LoadError:
    if exc.errno == errno.ENOENT:
        return LoadError("no such file", path=display)
    if exc.errno == errno.EISDIR:
        return LoadError("is a directory, not a file", path=display)
    if exc.errno == errno.ENXIO:  # opening a socket; say what the path is
        try:
            reason = _not_regular(os.stat(path).st_mode)
        except OSError:
            reason = None
        if reason is not None:
            return LoadError(reason, path=display)
    return LoadError(f"cannot read: {exc.strerror}", path=display)


def read_input(path: Path, display: str, max_bytes: int = MAP_MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most max_bytes; anything else is a one-line LoadError.

    The file is opened non-blocking, so a FIFO cannot hang the run, and checked with fstat on
    the open descriptor (no race between the check and the read) before a byte is read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise _read_error(exc, path, display) from None
    except ValueError:  # an embedded NUL cannot name a file
        raise LoadError("cannot read: the name contains a NUL character", path=display) from None
    try:
        reason = _not_regular(os.fstat(fd).st_mode)
        if reason is not None:
            raise LoadError(reason, path=display)
        data = _read_at_most(fd, max_bytes + 1)
    except OSError as exc:
        raise _read_error(exc, path, display) from None
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise LoadError(
            f"is larger than the {size_limit(max_bytes)} limit; raise it with --max-size",
            path=display,
        )
    if _recorded:
        note_input(path, ("blake2b", digest(data)))
    return data


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0:
        chunk = os.read(fd, min(remaining, MIB))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


# -- writing ------------------------------------------------------------------------------


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except (OSError, ValueError):
        return False


def _existing_stat(path: Path, display: str) -> os.stat_result | None:
    """The target's stat (following links), None if it does not exist yet."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return None
    except ValueError:
        raise WriteError("cannot write: the name contains a NUL character", path=display) from None
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror}", path=display) from None


def _check_target(real: Path, display: str) -> os.stat_result | None:
    """Refuse a target that is not a regular file, or that is read-only."""
    existing = _existing_stat(real, display)
    if existing is None:
        return None
    if stat.S_ISDIR(existing.st_mode):
        raise WriteError("is a directory", path=display)
    reason = _not_regular(existing.st_mode)
    if reason is not None:
        raise WriteError(f"{reason}; nothing written", path=display)
    if not existing.st_mode & 0o222 or not os.access(real, os.W_OK):
        raise WriteError("is read-only; nothing written (make it writable to let refmap "
                         "replace it)", path=display)
    return existing


def _unchanged(real: Path, expected: bytes) -> bool:
    try:
        return read_input(real, str(real), len(expected)) == expected
    except LoadError:
        return False


def atomic_write(path: str | Path, text: str, protect: tuple[Path, ...] = (),
                 expect_unchanged: bytes | None = None, prefix_bytes: bytes = b"",
                 create_only: bool = False) -> None:
    """Write text (UTF-8) to path atomically.

    protect: files this write must never replace (the map, the essay).
    expect_unchanged: the bytes the file held when it was read; if it holds anything else now,
    another process changed it and the write is refused.
    prefix_bytes: written before the text (a byte-order mark the file had).
    create_only: refuse if the target exists, even if it appeared while writing.

    A symlink is written through: its real target is replaced and the link stays a link. An
    existing target that is not a regular file (directory, FIFO, device, socket) is refused,
    and so is a read-only one (no write permission for anyone): refmap does not override
    a file someone protected. The target's mode (and, where allowed, owner) is kept. A
    temporary file has a random name, so one left by a killed run never blocks a later run
    (it is left alone: another process may still be writing it).
    """
    display = str(path)
    target = Path(path)
    for guarded in protect:
        if _same_file(target, guarded):
            raise WriteError(f"refusing to overwrite {inert(str(guarded))}, an input of this "
                             "command", path=display)
    real = target if create_only else Path(os.path.realpath(target))
    existing = _check_target(real, display)
    data = prefix_bytes + text.encode("utf-8")
    directory = real.parent if str(real.parent) else Path(".")
    with _removed_on_signal() as temporaries:
        tmp = _temporary(real, directory, display)
        temporaries.append(tmp)
        try:
            _fill(tmp, data, existing)
            if expect_unchanged is not None and not _unchanged(real, expect_unchanged):
                raise WriteError("changed on disk since it was read; nothing written, run again",
                                 path=display)
            if before_rename is not None:
                before_rename(tmp)
            _put_in_place(tmp, real, display, create_only)
            _fsync_directory(directory)
        except OSError as exc:
            raise WriteError(f"cannot write: {exc.strerror}", path=display) from None
        finally:
            _remove(tmp)


def replace_with_bytes(target: Path, data: bytes, sync: bool = False) -> None:
    """Put data at target through a temporary file in its folder and one os.replace, so a
    reader sees the old file or the new one, never half of one; no temporary file is left
    behind. For refmap's own stores (the HTTP cache, captures), whose files no person edits:
    OSError on failure, for the caller to say what could not be written."""
    import tempfile  # only writes pay for it (with shutil and random, a tenth of start-up)

    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if sync:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def make_writable_folder(directory: Path) -> None:
    """Create directory (and its parents) if missing and prove a file can be made in it, so a
    store (the HTTP cache, captures) fails before any request is sent, not after. OSError when
    it cannot, for the caller to say which store."""
    import tempfile  # only writes pay for it

    directory.mkdir(parents=True, exist_ok=True)
    fd, probe = tempfile.mkstemp(prefix=".probe-", dir=directory)
    os.close(fd)
    os.unlink(probe)


def _temporary(real: Path, directory: Path, display: str) -> Path:
    # a short prefix: a target whose name is at the length limit must still get a temp file
    import tempfile  # only writes pay for it

    try:
        fd, name = tempfile.mkstemp(prefix=f".{real.name[:64]}.", suffix=".tmp", dir=directory)
    except FileNotFoundError:
        shown = Path(display).parent  # as the user named it, not resolved
        raise WriteError(f"cannot write: directory '{inert(str(shown))}' does not exist",
                         path=display) from None
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror}", path=display) from None
    os.close(fd)
    return Path(name)


def _fill(tmp: Path, data: bytes, existing: os.stat_result | None) -> None:
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    if existing is not None:
        os.chmod(tmp, existing.st_mode & 0o7777)
        if (existing.st_uid, existing.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.chown(tmp, existing.st_uid, existing.st_gid)
            except PermissionError:  # only root may give a file away; keep ours
                pass
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)


def _put_in_place(tmp: Path, real: Path, display: str, create_only: bool) -> None:
    if not create_only:
        os.replace(tmp, real)
        return
    try:
        os.link(tmp, real)  # fails if the target exists: no check-then-write race
    except FileExistsError:
        raise WriteError("already exists; nothing written", path=display) from None


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; a file system that cannot fsync a directory is let be."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(tmp: Path) -> None:
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass


class _Interrupted(BaseException):
    """A SIGINT/SIGTERM that arrived during a write; re-delivered once the write is undone."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _removed_on_signal() -> Iterator[list[Path]]:
    """Around a write: SIGINT and SIGTERM remove the temporary files, then act as they would.

    Handlers can only be installed from the main thread; elsewhere the write goes ahead
    without them (the finally clause still removes the file on any exception).
    """
    import signal  # only a write pays for importing it, not every command's start-up

    temporaries: list[Path] = []
    if threading.current_thread() is not threading.main_thread():
        yield temporaries
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def interrupted(signum: int, frame: FrameType | None) -> None:
        raise _Interrupted(signum)

    for sig, handler in previous.items():
        if handler is not signal.SIG_IGN and handler is not None:
            signal.signal(sig, interrupted)
    try:
        yield temporaries
    except _Interrupted as stop:
        for tmp in temporaries:
            _remove(tmp)
        _restore(previous)
        os.kill(os.getpid(), stop.signum)  # now handled as it would have been without us
        raise WriteError("interrupted; nothing written") from None
    finally:
        _restore(previous)


def _restore(previous: dict[signal.Signals, signal._HANDLER]) -> None:
    import signal

    for sig, handler in previous.items():
        if handler is not None:
            signal.signal(sig, handler)
