"""What links --fix, verify --fix-accessed and archive record on the map editor."""

from __future__ import annotations

from pathlib import Path

from sourcemaps import write_map

from refmap.net.archiving import ArchiveAction, sources_to_archive
from refmap.mapfile.editor import MapEditor
from refmap.net.archive import Snapshot
from refmap.net.links import LinkResult, LinkState, LinkTarget
from refmap.mapfile.schema import load_map
from refmap.net.source_fixes import apply_accessed, apply_redirects, apply_snapshots


def sample(tmp_path: Path) -> Path:
    return write_map(tmp_path, {"a": {"url": "http://a.example/old"},
                                "b": {"url": "http://b.example/", "archive": "http://b.example/old"}},
                     [("a", "x")])


def test_only_permanent_redirects_are_written(tmp_path: Path) -> None:
    path = sample(tmp_path)
    editor = MapEditor(path)
    done = apply_redirects(editor, [
        LinkResult(LinkTarget("http://a.example/old", "a", "url"), LinkState.REDIRECTED, 200, "301",
                   "http://a.example/new"),
        LinkResult(LinkTarget("http://b.example/old", "b", "archive"), LinkState.REDIRECTED, 200,
                   "308", "http://b.example/new"),
        LinkResult(LinkTarget("http://b.example/", "b", "url"), LinkState.DEAD, 404, "404")])
    assert done == ["a: url updated to 'http://a.example/new'",
                    "b: archive updated to 'http://b.example/new'"]
    assert editor.save()
    sources = load_map(path).sources
    assert (sources["a"].url, sources["b"].archive, sources["b"].url) == (
        "http://a.example/new", "http://b.example/new", "http://b.example/")


def test_accessed_and_snapshots(tmp_path: Path) -> None:
    path = sample(tmp_path)
    cmap = load_map(path)
    assert [s.key for s in sources_to_archive(cmap)] == ["a"]
    editor = MapEditor(path)
    snap = Snapshot("https://web.archive.org/web/20240101000000/http://a.example/old", "2024-01-01",
                    "20240101000000")
    done = apply_snapshots(editor, [ArchiveAction("a", "http://a.example/old", snap),
                                    ArchiveAction("b", "http://b.example/", None)])
    done += apply_accessed(editor, {"a": "2026-11-26"})
    assert done == [f"a: snapshot of 2024-01-01: {snap.url}", "a: accessed set to 2026-11-26"]
    assert editor.save()
    a = load_map(path).sources["a"]
    assert (a.archive, a.archived, a.accessed) == (snap.url, "2024-01-01", "2026-11-26")
    assert ArchiveAction("b", "http://b.example/", None).describe() == (
        "b: no archived copy of 'http://b.example/'")
