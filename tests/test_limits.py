"""Size caps on the map and the essay, and the --max-size option that raises them for a run.

The default caps (64 MiB map, 32 MiB essay) are replaced by small ones through monkeypatch, so
no test writes a large file."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import snapshot
from refmap import fileio
from refmap.project import load


@pytest.fixture
def small_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileio, "MAP_MAX_BYTES", 1000)
    monkeypatch.setattr(fileio, "ESSAY_MAX_BYTES", 2000)


def test_map_over_the_cap_is_refused_naming_the_option(bundled: Path, small_caps, run):
    before = snapshot(bundled)
    result = run(["check"], cwd=bundled)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("Error: claims.yaml: is larger than the 1000 bytes limit; "
                             "raise it with --max-size\n")
    assert snapshot(bundled) == before


def test_essay_over_the_cap_is_refused_naming_the_option(tmp_path: Path, small_caps, run):
    (tmp_path / "essay.txt").write_text("Word. " * 400, "utf-8")  # 2,400 bytes
    (tmp_path / "claims.yaml").write_text("version: 1\nessay:\n  path: essay.txt\n", "utf-8")
    result = run(["check"], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == ("Error: essay.txt: is larger than the 2000 bytes limit; "
                             "raise it with --max-size\n")


def test_max_size_raises_both_caps_for_the_run(bundled: Path, small_caps, run):
    result = run(["--max-size", "1", "coverage"], cwd=bundled)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Coverage of essay.txt by claims.yaml\n")


def test_max_size_from_the_environment(bundled: Path, small_caps, run,
                                       monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("REFMAP_MAX_SIZE", "1")
    assert run(["check"], cwd=bundled).exit_code == 0


def test_max_size_can_also_lower_the_cap(bundled: Path, run):
    (bundled / "claims.yaml").write_bytes((bundled / "claims.yaml").read_bytes() * 12)
    result = run(["--max-size", "1", "check"], cwd=bundled)
    assert result.exit_code == 2
    assert result.stderr == ("Error: claims.yaml: is larger than the 1 MiB limit; "
                             "raise it with --max-size\n")


@pytest.mark.parametrize("value", ["0", "-3", "lots", "nan"])
def test_max_size_must_be_a_positive_whole_number(bundled: Path, run, value: str):
    result = run(["--max-size", value, "check"], cwd=bundled)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: Invalid value for '--max-size': ")
    assert result.stderr.count("\n") == 1


def test_library_load_takes_the_cap(bundled: Path, small_caps):
    project = load(bundled / "claims.yaml", max_bytes=200_000)
    assert project.cmap.claims
    with pytest.raises(fileio.LoadError) as caught:
        load(bundled / "claims.yaml", max_bytes=50_000)
    assert caught.value.message == ("is larger than the 50000 bytes limit; raise it with "
                                    "--max-size")


def test_library_load_caps_the_essay_too(tmp_path: Path):
    (tmp_path / "essay.txt").write_text("Word. " * 20, "utf-8")  # 120 bytes
    (tmp_path / "claims.yaml").write_text("version: 1\nessay:\n  path: essay.txt\n", "utf-8")
    assert load(tmp_path / "claims.yaml", max_bytes=120).essay.text.startswith("Word.")
    with pytest.raises(fileio.LoadError) as caught:
        load(tmp_path / "claims.yaml", max_bytes=119)
    assert (caught.value.path, caught.value.message) == (
        str(tmp_path / "essay.txt"), "is larger than the 119 bytes limit; raise it with --max-size")


def test_init_reads_the_essay_under_the_same_caps(tmp_path: Path, small_caps, run):
    (tmp_path / "essay.txt").write_text("In 2018, 80 percent of voters agreed. " * 60, "utf-8")
    refused = run(["init", "essay.txt"], cwd=tmp_path)
    assert (refused.exit_code, refused.stderr) == (
        2, "Error: essay.txt: is larger than the 2000 bytes limit; raise it with --max-size\n")
    assert not (tmp_path / "claims.yaml").exists()
    accepted = run(["--max-size", "1", "init", "essay.txt"], cwd=tmp_path)
    assert accepted.exit_code == 0, accepted.stderr
    drafted = load(tmp_path / "claims.yaml", max_bytes=fileio.MIB)
    assert drafted.essay.text.startswith("In 2018, 80 percent")
