"""The on-disk response cache: hits, expiry, damaged entries, unwritable directories."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from refmap.errors import WriteError
from refmap.net.cache import MAGIC, Cache, default_cache_dir


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_hit_returns_meta_and_body(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "c", ttl=60)
    cache.put("GET http://a/", {"status": 200}, b"\x00body\xff")
    entry = cache.get("GET http://a/")
    assert entry is not None
    assert (entry.body, entry.meta["status"], entry.meta["key"]) == (b"\x00body\xff", 200, "GET http://a/")
    assert cache.get("GET http://b/") is None


def test_entry_expires(tmp_path: Path) -> None:
    clock = Clock()
    cache = Cache(tmp_path, ttl=60, clock=clock)
    cache.put("k", {}, b"x")
    clock.now += 60
    assert cache.get("k") is not None
    clock.now += 1
    assert cache.get("k") is None


@pytest.mark.parametrize("damage", [
    lambda data: data[:-1],                      # truncated body
    lambda data: data[: len(MAGIC) + 5],         # cut inside the metadata
    lambda data: b"",                            # empty file
    lambda data: b"garbage" + data,              # not an entry
    lambda data: data[:-1] + b"Y",               # same length, changed body
    lambda data: MAGIC + b"[1, 2]\n",            # metadata of the wrong shape
    lambda data: MAGIC + b"{not json\n",
])
def test_damaged_entry_is_a_miss(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cache = Cache(tmp_path)
    cache.put("k", {"status": 200}, b"body X")
    path = cache.path_for("k")
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get("k") is None
    cache.put("k", {"status": 200}, b"again")  # and it is simply replaced
    entry = cache.get("k")
    assert entry is not None and entry.body == b"again"


def test_entry_for_a_colliding_file_name_is_a_miss(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.put("one", {}, b"x")
    os.replace(cache.path_for("one"), cache.path_for("two"))
    assert cache.get("two") is None


def test_interrupted_write_leaves_the_old_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = Cache(tmp_path)
    cache.put("k", {}, b"old")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.put("k", {}, b"new")
    monkeypatch.undo()
    entry = cache.get("k")
    assert entry is not None and entry.body == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [cache.path_for("k").name]


def test_unwritable_directory_is_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(WriteError) as caught:
        Cache(blocker / "cache")
    assert str(caught.value) == f"{blocker / 'cache'}: cache directory is not writable: Not a directory"


def test_read_only_directory_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tmp_path.chmod(0o500)
    if os.geteuid() == 0:  # root writes anywhere: let the OS's answer come from a stand-in
        import errno
        import tempfile

        def denied(*args: object, **kwargs: object) -> tuple[int, str]:
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(tempfile, "mkstemp", denied)
    try:
        with pytest.raises(WriteError, match="cache directory is not writable: Permission denied"):
            Cache(tmp_path)
    finally:
        tmp_path.chmod(0o700)


def test_default_directory_follows_xdg() -> None:
    assert default_cache_dir({"XDG_CACHE_HOME": "/x/cache"}) == Path("/x/cache/refmap")
    assert default_cache_dir({"XDG_CACHE_HOME": ""}) == Path(os.path.expanduser("~/.cache/refmap"))
