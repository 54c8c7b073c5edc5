"""The findings cache: `check` prints kept findings only while every file they came from holds
what it held, and what it prints from the cache is what a fresh check prints."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refmap import fileio
from refmap.commands import check_cache
from refmap.project import Project

ESSAY = "The talks resumed in May 2019. Trade fell by 12 percent. We think that was wise.\n"
MAP = """\
version: 1
essay:
  path: essay.txt
claims:
  - id: resumed
    quote: The talks resumed in May 2019
    kind: event
    citations:
      - source: gazette
        excerpt: The talks resumed on 2 May 2019.
  - id: trade
    quote: Trade fell by 12 percent
    kind: figure
{extra}sources:
  gazette:
    type: online
    title: Talks resume
    url: https://news.example.org/a
    date: "2019-05-02"
"""
LIBRARY_CITATION = """\
    citations:
      - source: libsrc
        excerpt: Trade fell by 12 percent in 2019.
bibliography: lib.bib
"""
LIBRARY = """\
@online{libsrc,
  title = {Trade in 2019},
  url = {https://ledger.example.org/t},
  date = {2019-06-01},
}
"""


def make(folder: Path, extra: str = "") -> Path:
    (folder / "essay.txt").write_text(ESSAY, "utf-8")
    path = folder / "claims.yaml"
    path.write_text(MAP.format(extra=extra), "utf-8")
    return path


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The maps loaded in full (not answered from the cache), in order."""
    seen: list[str] = []
    real = Project.from_bytes.__func__  # type: ignore[attr-defined]

    def counting(cls, path, data, **options):  # type: ignore[no-untyped-def]
        seen.append(str(path))
        return real(cls, path, data, **options)

    monkeypatch.setattr(Project, "from_bytes", classmethod(counting))
    return seen


def fresh(run, folder: Path, *args: str):  # type: ignore[no-untyped-def]
    return run(["check", "--no-cache", *args], cwd=folder)


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_second_check_prints_the_same_without_loading_the_map(
        fmt: str, tmp_path: Path, run, loads: list[str]) -> None:
    make(tmp_path)
    first = run(["check", "--format", fmt], cwd=tmp_path)
    second = run(["check", "--format", fmt], cwd=tmp_path)
    assert loads == ["claims.yaml"]
    assert first.exit_code == second.exit_code == 1  # 'trade' cites nothing
    assert second.stdout == first.stdout
    assert "unsourced" in second.stdout
    assert len(list((tmp_path / ".refmap" / "check").iterdir())) == 1


def test_ignore_and_errors_only_apply_to_kept_findings(tmp_path: Path, run,
                                                       loads: list[str]) -> None:
    make(tmp_path)
    run(["check"], cwd=tmp_path)
    kept = run(["check", "--ignore", "unsourced"], cwd=tmp_path)
    assert len(loads) == 1
    assert kept.stdout == fresh(run, tmp_path, "--ignore", "unsourced").stdout
    assert "unsourced" not in kept.stdout


def _edit_essay(folder: Path) -> None:
    text = (folder / "essay.txt").read_text("utf-8")
    (folder / "essay.txt").write_text(text.replace("12 percent", "15 percent"), "utf-8")


def _edit_map(folder: Path) -> None:
    text = (folder / "claims.yaml").read_text("utf-8")
    (folder / "claims.yaml").write_text(text.replace("May 2019\n", "Mai 2019\n"), "utf-8")


@pytest.mark.parametrize("edit", [_edit_essay, _edit_map])
def test_an_edit_to_the_map_or_essay_is_seen_even_with_the_same_size_and_time(
        edit, tmp_path: Path, run, loads: list[str]) -> None:  # type: ignore[no-untyped-def]
    make(tmp_path)
    before = run(["check"], cwd=tmp_path).stdout
    stats = {p: p.stat() for p in tmp_path.iterdir() if p.is_file()}
    edit(tmp_path)
    for path, stat in stats.items():  # size and times as they were: only the bytes differ
        assert path.stat().st_size == stat.st_size
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = run(["check"], cwd=tmp_path)
    assert len(loads) == 2
    assert after.stdout != before
    assert after.stdout == fresh(run, tmp_path).stdout
    assert "changed" in after.stdout or "not found" in after.stdout


def test_a_changed_linked_library_is_seen(tmp_path: Path, run, loads: list[str]) -> None:
    make(tmp_path, extra=LIBRARY_CITATION)
    lib = tmp_path / "lib.bib"
    lib.write_text(LIBRARY, "utf-8")
    before = run(["check"], cwd=tmp_path)
    assert "undated-source" not in before.stdout and before.exit_code == 0
    run(["check"], cwd=tmp_path)
    assert len(loads) == 1
    lib.write_text(LIBRARY.replace("  date = {2019-06-01},\n", ""), "utf-8")
    after = run(["check"], cwd=tmp_path)
    assert len(loads) == 2
    assert "undated-source" in after.stdout
    assert after.stdout == fresh(run, tmp_path).stdout


def test_a_file_changed_while_the_check_reads_it_is_checked_again(
        tmp_path: Path, run, loads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The kept digest is of the bytes the check parsed, not of the file after it."""
    make(tmp_path)
    real = fileio.read_input

    def then_edit(path, display, max_bytes=fileio.MAP_MAX_BYTES):  # type: ignore[no-untyped-def]
        data = real(path, display, max_bytes)
        if str(path).endswith("essay.txt"):
            _edit_essay(tmp_path)
        return data

    monkeypatch.setattr(fileio, "read_input", then_edit)
    stale = run(["check"], cwd=tmp_path).stdout
    monkeypatch.setattr(fileio, "read_input", real)
    assert "claim-changed" not in stale  # the essay as it was read
    again = run(["check"], cwd=tmp_path).stdout
    assert len(loads) == 2
    assert "claim-changed" in again


def test_a_missing_essay_is_an_error_not_the_kept_findings(tmp_path: Path, run) -> None:
    make(tmp_path)
    run(["check"], cwd=tmp_path)
    (tmp_path / "essay.txt").unlink()
    result = run(["check"], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == "Error: claims.yaml:3:9: essay file 'essay.txt' not found\n"


def test_an_essay_become_a_fifo_is_its_error_not_a_hang(tmp_path: Path, run) -> None:
    """Checking the kept digests reads each file as every input is read: a FIFO never
    blocks the run."""
    make(tmp_path)
    run(["check"], cwd=tmp_path)
    (tmp_path / "essay.txt").unlink()
    os.mkfifo(tmp_path / "essay.txt")
    result = run(["check"], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ") and "FIFO" in result.stderr
    assert result.stderr.count("\n") == 1


def test_another_refmap_checks_again(tmp_path: Path, run, loads: list[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import refmap

    make(tmp_path)
    run(["check"], cwd=tmp_path)
    check_cache._made_by.cache_clear()
    monkeypatch.setattr(refmap, "__version__", "99.0")
    monkeypatch.setattr(check_cache, "__version__", "99.0")
    run(["check"], cwd=tmp_path)
    check_cache._made_by.cache_clear()
    assert len(loads) == 2


def test_an_edited_refmap_module_makes_another_refmap(tmp_path: Path) -> None:
    package = tmp_path / "refmap"
    (package / "essay").mkdir(parents=True)
    (package / "__init__.py").write_text("", "utf-8")
    module = package / "essay" / "anchoring.py"
    module.write_text("A = 1\n", "utf-8")
    stamp = check_cache._made_by(str(package))
    assert check_cache._made_by(str(package)) == stamp
    stat = module.stat()
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    check_cache._made_by.cache_clear()
    assert check_cache._made_by(str(package)) != stamp
    check_cache._made_by.cache_clear()
    (package / "essay" / "anchoring.py").rename(package / "anchoring.py")
    os.utime(package / "anchoring.py", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    moved = check_cache._made_by(str(package))
    check_cache._made_by.cache_clear()
    assert moved != stamp


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\x00" * 40, b"\xe9" * 3])
def test_a_damaged_cache_is_checked_again_never_an_error(damage: bytes, tmp_path: Path, run,
                                                         loads: list[str]) -> None:
    make(tmp_path)
    good = run(["check"], cwd=tmp_path).stdout
    (cache,) = (tmp_path / ".refmap" / "check").iterdir()
    cache.write_bytes(damage)
    result = run(["check"], cwd=tmp_path)
    assert result.stdout == good and result.stderr == ""
    assert len(loads) == 2
    assert cache.read_bytes() != damage  # kept anew


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path: Path, run) -> None:
    make(tmp_path)
    (tmp_path / ".refmap").write_text("not a folder", "utf-8")
    result = run(["check"], cwd=tmp_path)
    assert result.exit_code == 1 and result.stderr == ""
    assert result.stdout == fresh(run, tmp_path).stdout


@pytest.mark.parametrize("how", [["--no-cache"], ["REFMAP_NO_CACHE"]])
def test_no_cache_neither_reads_nor_keeps(how: list[str], tmp_path: Path, run,
                                          loads: list[str], monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    make(tmp_path)
    args = ["check"]
    if how == ["REFMAP_NO_CACHE"]:
        monkeypatch.setenv("REFMAP_NO_CACHE", "1")
    else:
        args += how
    run(args, cwd=tmp_path)
    run(args, cwd=tmp_path)
    assert len(loads) == 2
    assert not (tmp_path / ".refmap").exists()


def test_each_set_of_options_has_its_own_entry(tmp_path: Path, run, loads: list[str]) -> None:
    make(tmp_path)
    for args in (["check"], ["--max-size", "1", "check"], ["check", "--essay-outside"]):
        run(args, cwd=tmp_path)
        run(args, cwd=tmp_path)
    assert len(loads) == 3
    assert len(list((tmp_path / ".refmap" / "check").iterdir())) == 3


def test_a_map_that_does_not_load_keeps_nothing(tmp_path: Path, run) -> None:
    path = make(tmp_path)
    path.write_text("version: 1\nclaims: [\n", "utf-8")
    result = run(["check"], cwd=tmp_path)
    assert result.exit_code == 2
    assert not (tmp_path / ".refmap").exists()


def test_the_hook_reads_the_cache_and_keeps_drafts_as_warnings(tmp_path: Path, run,
                                                                loads: list[str]) -> None:
    make(tmp_path, extra="    draft: true\n")
    first = run(["hook"], cwd=tmp_path)
    second = run(["hook"], cwd=tmp_path)
    assert len(loads) == 1
    assert second.stdout == first.stdout
    assert "warning: claim 'trade' cites no source [unsourced]" in second.stdout
    assert second.exit_code == 0
    check = run(["check", "--format", "json"], cwd=tmp_path)  # the same entry: check's view
    assert len(loads) == 1
    assert [f["severity"] for f in json.loads(check.stdout) if f["code"] == "unsourced"] == \
        ["error"]


EDITS = st.lists(st.tuples(st.sampled_from(["essay.txt", "claims.yaml"]),
                           st.sampled_from(["2019", "12", "talks", "Trade", "wise"]),
                           st.sampled_from(["2018", "15", "walks", "", "Trade fell"])),
                 max_size=6)


@given(edits=EDITS)
def test_what_the_cache_prints_is_what_a_fresh_check_prints(edits, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from refmap.cli import cli

    folder = tmp_path_factory.mktemp("edits")
    make(folder)
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(folder)
    try:
        for name, old_word, new_word in [("essay.txt", "", ""), *edits]:
            path = folder / name
            path.write_text(path.read_text("utf-8").replace(old_word, new_word, 1)
                            if old_word else path.read_text("utf-8"), "utf-8")
            kept = runner.invoke(cli, ["check", "--format", "json"])
            anew = runner.invoke(cli, ["check", "--format", "json", "--no-cache"])
            assert (kept.exit_code, kept.stdout) == (anew.exit_code, anew.stdout)
    finally:
        os.chdir(old)


def test_a_check_from_the_cache_loads_neither_yaml_nor_the_model(tmp_path: Path) -> None:
    """What keeps a repeated check as quick to start as the command line itself (counted
    in modules, not timed)."""
    import subprocess
    import sys

    make(tmp_path)
    script = ("import sys; sys.argv = ['refmap', 'check']\n"
              "from refmap.cli import cli\n"  # the group: main() would end the process
              "try:\n    cli(prog_name='refmap')\n"
              "except SystemExit:\n    pass\n"
              "print(sorted(m for m in sys.modules if m == 'yaml' or m.startswith("
              "('refmap.mapfile', 'refmap.essay', 'refmap.project'))))")
    first = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                           text=True, check=True)
    second = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                            text=True, check=True)
    assert "'yaml'" in first.stdout.splitlines()[-1]
    assert second.stdout.splitlines()[-1] == "[]"
    assert second.stdout.splitlines()[:-1] == first.stdout.splitlines()[:-1]
