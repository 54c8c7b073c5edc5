"""Linked reference libraries (`bibliography:`): entries read where they live, positioned in
their own file, never written; the map's entry wins; the parse is cached by size and mtime."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import refmap.commands.library as library_module
from httpserver import LocalServer, http_server  # noqa: F401
from refmap.errors import LoadError
from refmap.project import load

LIBRARY = """\
@online{gazette,
  title = {The Gazette},
  url = {URL},
  urldate = {2020-01-01},
  date = {2019},
}

@book{shared,
  author = {Lib, Author},
  title = {Library title},
  publisher = {P},
  date = {2001},
}

@artcle{typo,
  author = {Typo, T.},
  title = {Typo},
  jounral = {J},
  date = {2020},
}

@book{uncited,
  title = {Nobody cites this},
}

@book{undated,
  author = {Nodate, N.},
  title = {No date},
  publisher = {P},
}
"""

MAP = """\
version: 1
essay:
  path: essay.txt
bibliography: lib.bib
sources:
  shared:
    type: book
    title: Map title
    authors:
      - family: Mapper
    publisher: P
    date: "2001"
claims:
  - id: c1
    quote: The quote
    kind: event
    citations:
      - source: gazette
        excerpt: EXCERPT
      - source: shared
        excerpt: y
      - source: typo
        excerpt: z
      - source: undated
        excerpt: w
"""

NOTES = [
    "lib.bib:8:1: info: source 'shared' is in the map too (claims.yaml:7:5): the map's entry "
    "is used [library-shadowed]",
    "lib.bib:15:1: warning: library entry 'typo': unknown type 'artcle' read as misc; did you "
    "mean 'article'? [unknown-name]",
    "lib.bib:15:1: warning: library entry 'typo': unknown field 'jounral' kept under extra; did "
    "you mean 'journal'? [unknown-name]",
]


def make(folder: Path, url: str = "https://news.example.org/a", excerpt: str = "x") -> Path:
    (folder / "essay.txt").write_text("The quote.\n", "utf-8")
    (folder / "lib.bib").write_text(LIBRARY.replace("URL", url), "utf-8")
    path = folder / "claims.yaml"
    path.write_text(MAP.replace("EXCERPT", json.dumps(excerpt)), "utf-8")
    return path


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The library files parsed (not read from the cache), in order."""
    seen: list[str] = []
    real = library_module.read_references

    def counting(path, display, fmt=None):  # type: ignore[no-untyped-def]
        seen.append(display)
        return real(path, display, fmt)

    monkeypatch.setattr(library_module, "read_references", counting)
    return seen


# -- what the commands see -------------------------------------------------------------------


def test_findings_stand_in_the_library_file(tmp_path: Path, run) -> None:
    make(tmp_path)
    result = run(["check", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0
    found = {(f["code"], f["source"]): f["position"] for f in json.loads(result.stdout)}
    assert found[("undated-source", "undated")] == {"file": "lib.bib", "line": 26, "col": 1}
    assert found[("library-shadowed", "shared")] == {"file": "lib.bib", "line": 8, "col": 1}
    assert found[("unknown-name", "typo")] == {"file": "lib.bib", "line": 15, "col": 1}
    assert ("unused-source", "uncited") not in found  # a library is shared by many essays
    assert not any(source == "uncited" for _, source in found)  # nor checked at all


def test_check_text_and_github_name_the_library(tmp_path: Path, run) -> None:
    make(tmp_path)
    text = run(["check"], cwd=tmp_path).stdout.splitlines()
    assert text[:3] == NOTES
    assert ("lib.bib:26:1: warning: source 'undated' has no publication date (biber and most "
            "styles expect one) [undated-source]") in text
    github = run(["check", "--format", "github"], cwd=tmp_path).stdout
    assert "file=lib.bib,line=26,col=1" in github


def test_the_maps_entry_wins_and_only_cited_entries_are_exported(tmp_path: Path, run) -> None:
    make(tmp_path)
    project = load(tmp_path / "claims.yaml", with_essay=False)
    cmap = project.cmap
    assert cmap.sources["shared"].title == "Map title" and cmap.sources["shared"].library is None
    assert cmap.sources["gazette"].library == str(tmp_path / "lib.bib")
    assert "uncited" not in cmap.sources and cmap.source("uncited") is not None
    assert cmap.resolve("uncited") == "uncited"
    result = run(["export", "bibtex"], cwd=tmp_path)
    assert result.exit_code == 0
    keys = [line for line in result.stdout.splitlines() if line.startswith("@")]
    assert keys == ["@book{shared,", "@online{gazette,", "@misc{typo,", "@book{undated,"]
    assert "title = {Map title}" in result.stdout and "Library title" not in result.stdout
    for fmt in (["csl-json"], ["ris"], ["markdown"], ["bibtex", "--dialect", "bibtex"]):
        exported = run(["export", *fmt], cwd=tmp_path).stdout
        assert "Gazette" in exported and "Nobody cites this" not in exported, fmt


def test_a_library_with_a_relative_map_path(tmp_path: Path, run) -> None:
    (tmp_path / "essays").mkdir()
    make(tmp_path / "essays")
    result = run(["check", "--map", "essays/claims.yaml"], cwd=tmp_path)
    assert result.stdout.splitlines()[0].startswith("essays/lib.bib:8:1: info:")


def test_an_alias_of_a_library_entry_resolves(tmp_path: Path, run) -> None:
    make(tmp_path)
    lib = tmp_path / "lib.bib"
    lib.write_text(lib.read_text("utf-8").replace("@online{gazette,", "@online{gazette,\n"
                                                  "  ids = {oldgazette},"), "utf-8")
    (tmp_path / "claims.yaml").write_text(MAP.replace("source: gazette", "source: oldgazette")
                                          .replace("EXCERPT", "x"), "utf-8")
    cmap = load(tmp_path / "claims.yaml", with_essay=False).cmap
    assert cmap.resolve("oldgazette") == "gazette" and "gazette" in cmap.sources
    assert run(["check", "--format", "json"], cwd=tmp_path).exit_code == 0


def test_a_citation_of_a_key_no_library_has_dangles(tmp_path: Path, run) -> None:
    make(tmp_path)
    (tmp_path / "claims.yaml").write_text(MAP.replace("source: typo", "source: typos")
                                          .replace("EXCERPT", "x"), "utf-8")
    result = run(["check"], cwd=tmp_path)
    assert result.exit_code == 1
    assert ("claims.yaml:22:17: error: claim 'c1' cites unknown source 'typos'; did you mean "
            "'typo'? [dangling-source]") in result.stdout.splitlines()


def test_cite_a_library_key_writes_the_citation_in_the_map(tmp_path: Path, run) -> None:
    path = make(tmp_path)
    lib_before = (tmp_path / "lib.bib").read_bytes()
    result = run(["cite", "c1", "uncited", "--excerpt", "nobody"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert path.read_text("utf-8").endswith("      - source: uncited\n        excerpt: nobody\n")
    assert (tmp_path / "lib.bib").read_bytes() == lib_before
    assert "uncited" in load(path, with_essay=False).cmap.sources


# -- never written -----------------------------------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (["source", "set", "gazette", "volume", "4"],
     "Error: lib.bib:1:1: source 'gazette' is in the linked library 'lib.bib': update it in "
     "your reference manager"),
    (["source", "rename", "gazette", "gaz"],
     "Error: lib.bib:1:1: source 'gazette' is in the linked library 'lib.bib': update it in "
     "your reference manager"),
    (["source", "remove", "uncited"],
     "Error: lib.bib:22:1: source 'uncited' is in the linked library 'lib.bib': update it in "
     "your reference manager"),
])
def test_editing_a_library_entry_is_refused(args: list[str], message: str, tmp_path: Path,
                                            run) -> None:
    from conftest import snapshot

    make(tmp_path)
    run(["check"], cwd=tmp_path)  # the cache is written once, before the snapshot
    before = snapshot(tmp_path)
    result = run(args, cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == message
    assert snapshot(tmp_path) == before


def test_links_fix_reports_a_library_redirect_instead_of_writing_it(
        http_server: LocalServer, tmp_path: Path, run) -> None:
    http_server.route("/ok", body=b"<p>page</p>", headers={"Content-Type": "text/html"})
    http_server.redirect("/moved", "/ok", 301)
    path = make(tmp_path, http_server.url("/moved"))
    map_before, lib_before = path.read_bytes(), (tmp_path / "lib.bib").read_bytes()
    plain = run(["links", "--allow-private", "--no-cache"], cwd=tmp_path)
    result = run(["links", "--allow-private", "--no-cache", "--fix"], cwd=tmp_path)
    assert result.exit_code == plain.exit_code == 0
    assert result.stderr.splitlines()[-2:] == [
        "no redirects to fix",
        f"lib.bib:1:1: warning: source 'gazette' is in a linked library: url moved to "
        f"{http_server.url('/ok')} is not written; update it in your reference manager "
        "[read-only-source]"]
    assert plain.stdout.startswith("lib.bib:1:1: warning: source 'gazette': url has moved")
    assert path.read_bytes() == map_before
    assert (tmp_path / "lib.bib").read_bytes() == lib_before


def test_verify_fix_accessed_reports_a_library_entry(http_server: LocalServer, tmp_path: Path,
                                                     run) -> None:
    import datetime

    http_server.route("/a", body=b"<html><body><p>The council met on Monday.</p></body></html>",
                      headers={"Content-Type": "text/html; charset=utf-8"})
    path = make(tmp_path, http_server.url("/a"), "The council met on Monday")
    map_before, lib_before = path.read_bytes(), (tmp_path / "lib.bib").read_bytes()
    today = datetime.date.today().isoformat()
    result = run(["verify", "--allow-private", "--no-cache", "--fix-accessed"], cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == (
        f"lib.bib:1:1: warning: source 'gazette' is in a linked library: accessed {today} is "
        "not written; update it in your reference manager [read-only-source]")
    assert path.read_bytes() == map_before
    assert (tmp_path / "lib.bib").read_bytes() == lib_before


def test_archive_reports_a_library_entry(http_server: LocalServer, tmp_path: Path, run,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFMAP_WAYBACK_URL", http_server.url("/wayback/available"))
    page = "https://news.example.org/a"
    snapshot_url = f"http://web.archive.org/web/20240101120000/{page}"
    http_server.route("/wayback/available", headers={"Content-Type": "application/json"},
                      body=json.dumps({"url": page, "archived_snapshots": {"closest": {
                          "status": "200", "available": True, "timestamp": "20240101120000",
                          "url": snapshot_url}}}).encode())
    path = make(tmp_path)
    map_before, lib_before = path.read_bytes(), (tmp_path / "lib.bib").read_bytes()
    result = run(["archive", "--allow-private", "--no-cache"], cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == (
        f"lib.bib:1:1: warning: source 'gazette' is in a linked library: archive "
        f"{snapshot_url.replace('http:', 'https:')} (archived 2024-01-01) is not written; "
        "update it in your reference manager [read-only-source]")
    assert path.read_bytes() == map_before
    assert (tmp_path / "lib.bib").read_bytes() == lib_before


def test_no_command_writes_the_library(tmp_path: Path, run) -> None:
    make(tmp_path)
    lib_before = (tmp_path / "lib.bib").read_bytes()
    for args in (["check"], ["unsourced"], ["coverage"], ["export", "bibtex", "-o", "o.bib"],
                 ["export", "csl-json", "-o", "o.json"], ["report", "-o", "r.html"],
                 ["annotate", "-o", "a.md"], ["anchors", "--fix"], ["list"],
                 ["source", "set", "shared", "volume", "2"]):
        run(args, cwd=tmp_path)
        assert (tmp_path / "lib.bib").read_bytes() == lib_before, args


# -- two libraries -------------------------------------------------------------------------------


def test_two_libraries_defining_one_key_differently(tmp_path: Path, run) -> None:
    make(tmp_path)
    (tmp_path / "more.json").write_text(json.dumps([
        {"id": "gazette", "type": "webpage", "title": "Another gazette"},
        {"id": "typo", "type": "book", "title": "Typo", "author": [{"family": "Typo",
                                                                     "given": "T."}]},
    ], indent=1), "utf-8")
    (tmp_path / "claims.yaml").write_text(
        MAP.replace("bibliography: lib.bib", "bibliography:\n  - lib.bib\n  - more.json")
        .replace("EXCERPT", "x"), "utf-8")
    result = run(["check"], cwd=tmp_path)
    assert result.exit_code == 0
    assert ("more.json:2:2: warning: library entry 'gazette' differs from the one at "
            "lib.bib:1:1: the first is used [library-conflict]") in result.stdout.splitlines()
    cmap = load(tmp_path / "claims.yaml", with_essay=False).cmap
    assert cmap.sources["gazette"].title == "The Gazette"


def test_the_same_entry_in_two_libraries_is_no_conflict(tmp_path: Path, run) -> None:
    make(tmp_path)
    (tmp_path / "copy.bib").write_text(LIBRARY.replace("URL", "https://news.example.org/a"),
                                       "utf-8")
    (tmp_path / "claims.yaml").write_text(
        MAP.replace("bibliography: lib.bib", "bibliography: [lib.bib, copy.bib]")
        .replace("EXCERPT", "x"), "utf-8")
    result = run(["check"], cwd=tmp_path)
    assert "[library-conflict]" not in result.stdout


# -- the cache ---------------------------------------------------------------------------------


def test_a_second_load_reads_the_cache_and_gives_the_same_map(tmp_path: Path,
                                                              parses: list[str]) -> None:
    path = make(tmp_path)
    first = load(path, with_essay=False)
    second = load(path, with_essay=False)
    assert parses == [str(tmp_path / "lib.bib")]
    assert first.cmap == second.cmap
    assert list(first.cmap.sources) == list(second.cmap.sources)
    assert [s.span for s in first.cmap.sources.values()] == \
        [s.span for s in second.cmap.sources.values()]
    assert first.cmap.warnings == second.cmap.warnings
    assert first.check().findings == second.check().findings
    assert list((tmp_path / ".refmap" / "libraries").iterdir())


def test_the_cache_is_dropped_when_the_library_changes(tmp_path: Path,
                                                       parses: list[str]) -> None:
    path = make(tmp_path)
    lib = tmp_path / "lib.bib"
    load(path, with_essay=False)
    stat = lib.stat()
    lib.write_text(lib.read_text("utf-8").replace("The Gazette", "The Gazetta"), "utf-8")
    assert lib.stat().st_size == stat.st_size  # same size: only the mtime tells
    os.utime(lib, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    changed = load(path, with_essay=False)
    assert len(parses) == 2
    assert changed.cmap.sources["gazette"].title == "The Gazetta"
    lib.write_text(lib.read_text("utf-8") + "\n", "utf-8")  # another size
    os.utime(lib, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    load(path, with_essay=False)
    assert len(parses) == 3
    load(path, with_essay=False)
    assert len(parses) == 3


def test_the_cache_is_dropped_for_another_refmap_version(tmp_path: Path, parses: list[str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import refmap

    path = make(tmp_path)
    load(path, with_essay=False)
    monkeypatch.setattr(refmap, "__version__", "99.0")
    load(path, with_essay=False)
    assert len(parses) == 2


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\x00" * 40, b"\xe9" * 3])
def test_a_damaged_cache_is_rebuilt_never_an_error(damage: bytes, tmp_path: Path,
                                                   parses: list[str]) -> None:
    path = make(tmp_path)
    good = load(path, with_essay=False).cmap
    (cache,) = (tmp_path / ".refmap" / "libraries").iterdir()
    cache.write_bytes(damage)
    assert load(path, with_essay=False).cmap == good
    assert len(parses) == 2
    assert cache.read_bytes() != damage  # rebuilt


def test_an_unwritable_cache_folder_is_no_error(tmp_path: Path, parses: list[str]) -> None:
    path = make(tmp_path)
    (tmp_path / ".refmap").write_text("a file where the folder would be", "utf-8")
    assert load(path, with_essay=False).cmap.sources["gazette"].title == "The Gazette"
    load(path, with_essay=False)
    assert len(parses) == 2


# -- bad input ---------------------------------------------------------------------------------


def test_an_unreadable_library(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import snapshot

    make(tmp_path)
    real_open = os.open

    def guarded(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).name == "lib.bib":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", guarded)
    before = snapshot(tmp_path)
    result = run(["check"], cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", "Error: claims.yaml:4:15: bibliography 'lib.bib': cannot read: Permission denied\n")
    assert snapshot(tmp_path) == before


def test_outside_the_folder_with_the_opt_in(tmp_path: Path, run) -> None:
    (tmp_path / "essay").mkdir()
    make(tmp_path / "essay")
    (tmp_path / "essay" / "lib.bib").rename(tmp_path / "lib.bib")
    (tmp_path / "essay" / "claims.yaml").write_text(
        MAP.replace("bibliography: lib.bib", "bibliography: ../lib.bib")
        .replace("EXCERPT", "x"), "utf-8")
    refused = run(["check"], cwd=tmp_path / "essay")
    assert (refused.exit_code, refused.stderr) == (
        2, "Error: claims.yaml:4:15: bibliography '../lib.bib' is outside the map's folder; "
           "pass --essay-outside to read it anyway\n")
    allowed = run(["check", "--essay-outside"], cwd=tmp_path / "essay")
    assert allowed.exit_code == 0
    assert allowed.stdout.startswith("../lib.bib:8:1: info:")


def test_a_cited_entry_the_map_could_not_hold(tmp_path: Path, run) -> None:
    make(tmp_path)
    lib = tmp_path / "lib.bib"
    lib.write_text(lib.read_text("utf-8").replace("@book{undated,", "@book{undated,\n"
                                                  "  edition = {nan},"), "utf-8")
    result = run(["check"], cwd=tmp_path)
    assert result.exit_code == 0
    assert ("lib.bib:26:1: warning: library entry 'undated': edition 'nan' is not a number; "
            "left out [library-entry]") in result.stdout.splitlines()


def test_load_error_names_the_library_position(tmp_path: Path) -> None:
    path = make(tmp_path)
    (tmp_path / "lib.bib").write_text("@book{a,\n  title = {x},\n\n@book{b, title={y}}\n",
                                      "utf-8")
    with pytest.raises(LoadError) as caught:
        load(path, with_essay=False)
    assert str(caught.value) == (f"{tmp_path / 'lib.bib'}:1:1: cannot parse @book entry: "
                                 "'Expected a `=` after entry key, but found `@book`.'")


# -- import --link -------------------------------------------------------------------------------


def test_import_link_writes_only_the_bibliography_line(tmp_path: Path, run) -> None:
    path = make(tmp_path)
    text = MAP.replace("bibliography: lib.bib\n", "").replace("EXCERPT", "x")
    path.write_text(text, "utf-8")
    lib_before = (tmp_path / "lib.bib").read_bytes()
    dry = run(["import", "--link", "lib.bib", "--dry-run"], cwd=tmp_path)
    assert dry.exit_code == 0
    assert dry.stdout == (
        "linked 'lib.bib' (5 entries, read where it is, never copied or written)\n"
        "--- a/claims.yaml\n+++ b/claims.yaml\n@@ -1,6 +1,7 @@\n"
        " version: 1\n essay:\n   path: essay.txt\n+bibliography: lib.bib\n"
        " sources:\n   shared:\n     type: book\n")
    assert path.read_text("utf-8") == text
    result = run(["import", "--link", "lib.bib"], cwd=tmp_path)
    assert result.exit_code == 0
    assert path.read_text("utf-8") == text.replace("sources:\n", "bibliography: lib.bib\n"
                                                                 "sources:\n", 1)
    assert (tmp_path / "lib.bib").read_bytes() == lib_before
    again = run(["import", "--link", "lib.bib"], cwd=tmp_path)
    assert again.stdout == "'lib.bib' is already in bibliography: nothing to do\n"


def test_import_link_in_json_says_what_it_wrote(tmp_path: Path, run) -> None:
    """`import --link --format json` prints the object every writing command prints
    (docs/json/write.schema.json), and writes the map as the text run does."""
    import jsonschema
    from conftest import ROOT

    path = make(tmp_path)
    text = MAP.replace("bibliography: lib.bib\n", "").replace("EXCERPT", "x")
    path.write_text(text, "utf-8")
    result = run(["import", "--link", "lib.bib", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    schema = json.loads((ROOT / "docs" / "json" / "write.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data == {"map": "claims.yaml", "dry_run": False, "written": True, "changes": [
        "linked 'lib.bib' (5 entries, read where it is, never copied or written)"]}
    assert path.read_text("utf-8") == text.replace("sources:\n", "bibliography: lib.bib\n"
                                                                 "sources:\n", 1)


def test_import_link_a_second_library_makes_a_list(tmp_path: Path, run) -> None:
    path = make(tmp_path, excerpt="x")
    (tmp_path / "more.json").write_text('[{"id": "m", "type": "book", "title": "M"}]', "utf-8")
    before = path.read_text("utf-8")
    result = run(["import", "--link", "more.json"], cwd=tmp_path)
    assert result.exit_code == 0
    assert path.read_text("utf-8") == before.replace(
        "bibliography: lib.bib\n", "bibliography:\n  - lib.bib\n  - more.json\n")
    assert load(path, with_essay=False).cmap.resolve("m") == "m"


def test_import_link_refuses_a_bad_library_and_changes_nothing(tmp_path: Path, run) -> None:
    from conftest import snapshot

    make(tmp_path, excerpt="x")
    (tmp_path / "bad.bib").write_text("@book{a,\n  title = {x},\n\n@book{b, title={y}}\n",
                                      "utf-8")
    run(["check"], cwd=tmp_path)  # lib.bib's cache is written once, before the snapshot
    before = snapshot(tmp_path)
    result = run(["import", "--link", "bad.bib"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-1] == (
        "Error: bad.bib:1:1: cannot parse @book entry: 'Expected a `=` after entry key, but "
        "found `@book`.'")
    assert snapshot(tmp_path) == before
    merged = run(["import", "--link", "lib.bib", "--merge", "a=b"], cwd=tmp_path)
    assert merged.exit_code == 2


def test_an_export_never_overwrites_a_library(tmp_path: Path, run) -> None:
    make(tmp_path)
    lib_before = (tmp_path / "lib.bib").read_bytes()
    result = run(["export", "bibtex", "-o", "lib.bib"], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("Error: lib.bib: ")
    assert (tmp_path / "lib.bib").read_bytes() == lib_before


def test_capture_reports_a_library_entry(http_server: LocalServer, tmp_path: Path, run,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from refmap.net.capture import sha256

    monkeypatch.setenv("REFMAP_ALLOW_PRIVATE", "1")
    page = b"<html><body><p>The harbour board met on Tuesday.</p></body></html>"
    http_server.route("/a", body=page, headers={"Content-Type": "text/html; charset=utf-8"})
    path = make(tmp_path, http_server.url("/a"), "The harbour board met on Tuesday")
    map_before, lib_before = path.read_bytes(), (tmp_path / "lib.bib").read_bytes()
    result = run(["capture"], cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1].startswith(
        "lib.bib:1:1: warning: source 'gazette' is in a linked library: captured ")
    assert result.stderr.splitlines()[-1].endswith(
        f"sha256:{sha256(page)} is not written; update it in your reference manager "
        "[read-only-source]")
    assert path.read_bytes() == map_before
    assert (tmp_path / "lib.bib").read_bytes() == lib_before
    assert list((tmp_path / ".refmap" / "captures").glob("*.warc.gz"))  # the page is kept


def test_an_imported_record_without_a_key_never_takes_a_library_key(tmp_path: Path,
                                                                   run) -> None:
    path = make(tmp_path, excerpt="x")
    (tmp_path / "new.json").write_text(json.dumps([{
        "type": "book", "title": "Harbours of the north", "issued": {"date-parts": [[2020]]},
        "author": [{"family": "Roe", "given": "R"}]}]), "utf-8")
    alone = run(["import", "new.json", "--dry-run"], cwd=tmp_path)
    generated = alone.stdout.split("added '")[1].split("'")[0]
    lib = tmp_path / "lib.bib"
    lib.write_text(lib.read_text("utf-8") + f"\n@book{{{generated}, title = {{Other}}}}\n",
                   "utf-8")
    result = run(["import", "new.json"], cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert f"added '{generated}a'" in result.stdout
    assert f"  {generated}a:\n" in path.read_text("utf-8")


def test_completion_offers_library_keys(tmp_path: Path) -> None:
    from click.shell_completion import ShellComplete

    from refmap.cli import cli

    make(tmp_path)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        completer = ShellComplete(cli, {}, "refmap", "_REFMAP_COMPLETE")
        found = [item.value for item in completer.get_completions(["cite", "c1"], "un")]
    finally:
        os.chdir(old)
    assert found == ["uncited", "undated"]


def test_a_field_disabled_with_the_opt_prefix_is_no_misspelling(tmp_path: Path, run) -> None:
    """`OPTseries` (Emacs bibtex-mode's and JabRef's way to switch a field off) is kept under
    extra like any unknown field, but gets no "did you mean 'series'?" warning; a real
    misspelling still does."""
    (tmp_path / "essay.txt").write_text("The quote.\n", "utf-8")
    (tmp_path / "lib.bib").write_text(
        "@inproceedings{taint,\n author = {Enck, William},\n title = {TaintDroid},\n"
        " booktitle = {OSDI}, year = {2010},\n OPTseries = {OSDI'10},\n"
        " OPTurl = {http://dl.acm.org/citation.cfm?id=1924943},\n seires = {S},\n}\n", "utf-8")
    (tmp_path / "claims.yaml").write_text(
        "version: 1\nessay:\n  path: essay.txt\nbibliography: lib.bib\nsources: {}\nclaims:\n"
        "  - id: c1\n    quote: The quote\n    kind: event\n    citations:\n"
        "      - source: taint\n        excerpt: x\n", "utf-8")
    result = run(["check"], cwd=tmp_path)
    assert [line for line in result.stdout.splitlines() if "unknown-name" in line] == [
        "lib.bib:1:1: warning: library entry 'taint': unknown field 'seires' kept under extra; "
        "did you mean 'series'? [unknown-name]"]


ESSAY_MD = ("---\ntitle: Static analysis\n---\n\n"
            "Static analysis tools found real bugs in production code [@findbugs].\n"
            "Code-reuse attacks remain an arms race [@armsrace].\n")
LIBRARY_BIB = ("@article{findbugs, author = {Ayewah, N. and Pugh, W.}, title = {Using Static "
               "Analysis to Find Bugs}, journal = {IEEE Software}, year = {2008}}\n"
               "@book{armsrace, editor = {Larsen, Per and Sadeghi, Ahmad-Reza}, title = {The "
               "Continuing Arms Race}, publisher = {ACM}, year = {2018}}\n")


@pytest.mark.parametrize("essay_name", ["essay.md", "essay.txt"])
def test_annotate_names_the_linked_libraries_so_pandoc_finds_every_key(
        tmp_path: Path, run, essay_name: str) -> None:
    """Found on a real post: the essay's own text cites a library entry no claim cites
    ([@armsrace]); the exported bibliography holds only what claims cite, so pandoc reported
    the key missing. The annotated essay's bibliography now lists the linked libraries after
    it, and pandoc renders every citation without a warning."""
    import subprocess

    text = ESSAY_MD if essay_name == "essay.md" else ESSAY_MD.split("---\n\n", 1)[1]
    (tmp_path / essay_name).write_text(text, "utf-8")
    (tmp_path / "library.bib").write_text(LIBRARY_BIB, "utf-8")
    (tmp_path / "claims.yaml").write_text(
        f"version: 1\nessay:\n  path: {essay_name}\n  title: Static analysis\n"
        "bibliography: library.bib\nsources: {}\nclaims:\n"
        "  - id: bugs\n    quote: Static analysis tools found real bugs\n    kind: event\n"
        "    citations:\n      - source: findbugs\n        excerpt: Find Bugs\n", "utf-8")
    exported = run(["export", "csl-json", "-o", "refs.json"], cwd=tmp_path)
    assert exported.exit_code == 0, exported.stderr
    assert [item["id"] for item in json.loads((tmp_path / "refs.json").read_text("utf-8"))] == \
        ["findbugs"]  # only what claims cite
    result = run(["annotate", "--bibliography", "refs.json", "-o", "out.md"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    out = (tmp_path / "out.md").read_text("utf-8")
    assert "bibliography:\n- refs.json\n- library.bib\n" in out
    rendered = subprocess.run(["pandoc", "--citeproc", "-t", "plain", "out.md"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
    assert rendered.returncode == 0 and rendered.stderr == ""
    assert "Ayewah" in rendered.stdout
    # in Markdown [@armsrace] is the author's citation; in plain text it is text, kept inert
    assert ("Larsen" in rendered.stdout) is (essay_name == "essay.md")
