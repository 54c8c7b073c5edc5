"""Hostile records in files to import: each one out of bounds is skipped at its own file:line:col
with the reason, the rest imported, and the map written still loads and passes `check` as it
did. Nothing from outside is reported at a position in the map."""

from __future__ import annotations

import json
from pathlib import Path

from editcheck import COMMENTED, small_project

import refmap


def imported(tmp_path: Path, run, name: str, text: str) -> tuple[list[str], Path]:
    path = small_project(tmp_path, COMMENTED)
    (tmp_path / name).write_text(text, "utf-8")
    result = run(["import", name], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "claims.yaml" not in result.stdout + result.stderr
    check = run(["check", "--format", "json"], cwd=tmp_path)
    assert check.exit_code in (0, 1), check.stderr
    assert "bad-url" not in check.stdout
    return result.stdout.splitlines(), path


def test_csl_json_too_deep_too_large_and_not_a_number(tmp_path: Path, run) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    text = ('[\n  {"id": "ok1", "type": "book", "title": "Fine one"},\n'
            f'  {{"id": "deep", "title": {deep}}},\n'
            f'  {{"id": "big", "title": "x", "volume": {"9" * 5000}}},\n'
            '  {"id": "nan", "type": "book", "title": "NaN volume", "volume": NaN,\n'
            '   "URL": "javascript:alert(1)"},\n'
            '  {"id": "sp", "type": "webpage", "title": "Spaced", '
            '"URL": "https://example.org/a b"}\n]')
    lines, path = imported(tmp_path, run, "bad.json", text)
    assert "bad.json:3:3: skipped: item nested too deeply to read" in lines
    assert "bad.json:4:3: skipped: item holds an integer of 5000 digits (at most 30)" in lines
    assert ("bad.json:5:3:   url 'javascript:alert(1)' is not an http(s) URL; left out"
            in lines)
    sources = refmap.load(path).cmap.sources
    assert sources["nan"].volume is None and sources["nan"].url is None
    assert sources["sp"].url == "https://example.org/a%20b"
    assert lines[-1] == "3 added, 0 matched, 2 skipped (1 file)"


def test_a_lone_surrogate_skips_its_record_not_the_run(tmp_path: Path, run) -> None:
    text = json.dumps([{"id": "bad", "type": "book", "title": "Bad \ud800 one"},
                       {"id": "good", "type": "book", "title": "Good one"}])
    lines, path = imported(tmp_path, run, "s.json", text)
    assert lines[0] == "s.json:1:60: added 'good'"
    assert lines[1] == "s.json:1:2: skipped 'bad': 'title' holds a lone surrogate ('\\ud800')"
    assert list(refmap.load(path).cmap.sources) == ["dw2018", "good"]


def test_a_ten_thousand_character_bib_key_skips_its_record(tmp_path: Path, run) -> None:
    key = "k" * 10_000
    text = (f"@book{{{key},\n  title = {{Long key}},\n}}\n\n"
            "@book{fine,\n  title = {Fine},\n  volume = {NaN},\n  url = {javascript:x()},\n}\n")
    lines, path = imported(tmp_path, run, "long.bib", text)
    assert lines[0] == "long.bib:5:1: added 'fine'"
    assert lines[-2] == (f"long.bib:1:1: skipped '{'k' * 40}...': its key is 10000 characters "
                         "long (at most 200)")
    fine = refmap.load(path).cmap.sources["fine"]
    assert fine.volume is None and fine.url is None


def test_ris_javascript_url_and_nan_volume_left_out(tmp_path: Path, run) -> None:
    text = ("TY  - JOUR\nID  - r1\nTI  - A paper\nAU  - Kim, A\nJO  - J\nVL  - nan\n"
            "UR  - javascript:alert(1)\nER  - \n")
    lines, path = imported(tmp_path, run, "r.ris", text)
    assert "r.ris:1:1:   volume 'nan' is not a number; left out" in lines
    source = refmap.load(path).cmap.sources["r1"]
    assert source.volume is None and source.url is None


def test_string_chains_resolve_and_undefined_macros_are_reported(tmp_path: Path, run) -> None:
    text = ("@string{a = {Journal}}\n@string{b = a # { of Examples}}\n"
            "@article{x, title = {One}, journal = b, author = {Kim, A}, year = 2019,\n"
            "  month = feb}\n"
            "@article{y, title = \"Two \" # a # {s}, journal = nowhere, author = {Kim, B}}\n")
    lines, path = imported(tmp_path, run, "m.bib", text)
    assert "m.bib:5:1:   journal: undefined macro 'nowhere'; left out" in lines
    sources = refmap.load(path).cmap.sources
    assert (sources["x"].journal, sources["x"].date) == ("Journal of Examples", "2019-02")
    assert (sources["y"].title, sources["y"].journal) == ("Two Journals", None)
    assert "a # " not in path.read_text("utf-8") and "nowhere" not in path.read_text("utf-8")
