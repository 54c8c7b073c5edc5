"""Atomic file writes: a temporary file beside the target, fsync, rename.

A reader never sees a half-written file, and a failed write leaves the old file as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from refmap.errors import WriteError


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
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
    """
    target = Path(path)
    display = str(path)
    for guarded in protect:
        if _same_file(target, guarded):
            raise WriteError(f"refusing to overwrite {guarded}, an input of this command", path=display)
    if target.is_dir():
        raise WriteError("is a directory", path=display)
    directory = target.parent if str(target.parent) else Path(".")
    data = prefix_bytes + text.encode("utf-8")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except FileNotFoundError:
        raise WriteError(f"cannot write: directory '{directory}' does not exist", path=display) from None
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror}", path=display) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        if expect_unchanged is not None and target.read_bytes() != expect_unchanged:
            raise WriteError("changed on disk since it was read; nothing written, run again",
                             path=display)
        if create_only:
            try:
                os.link(tmp, target)  # fails if the target exists: no check-then-write race
            except FileExistsError:
                raise WriteError("already exists; nothing written", path=display) from None
        else:
            os.replace(tmp, target)
    except OSError as exc:
        raise WriteError(f"cannot write: {exc.strerror}", path=display) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
