"""Identity without loss in `refmap import`: the traps that merged different works, the merge
that keeps the other key as an alias, and the alias resolving in check, annotate and exports."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from editcheck import COMMENTED, small_project

import refmap
from conftest import ROOT

SMITH = """\
  smith2019:
    type: book
    title: "Deterrence and Its Discontents"
    authors:
      - {family: Smith, given: Jane}
    date: "2019"
    publisher: "Example Press"
"""

CHAPTERS = """\
@book{essays,
  title = {Essays on Deterrence},
  editor = {Kim, Min-ji},
  isbn = {9780306406157},
  year = {2001},
  publisher = {Example Press},
}

@incollection{lee2001,
  title = {Deterrence in Theory},
  author = {Lee, Ann},
  booktitle = {Essays on Deterrence},
  isbn = {9780306406157},
  pages = {1--20},
  year = {2001},
}

@incollection{park2001,
  title = {Deterrence in Practice},
  author = {Park, Bo},
  booktitle = {Essays on Deterrence},
  isbn = {9780306406157},
  pages = {21--40},
  year = {2001},
}
"""


def project(tmp_path: Path, extra_sources: str = "") -> Path:
    text = COMMENTED.replace("  # the one source\n", "  # the one source\n" + extra_sources)
    return small_project(tmp_path, text)


def import_(run, tmp_path: Path, *args: str):
    result = run(["import", *args], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def keys(path: Path) -> list[str]:
    return list(refmap.load(path).cmap.sources)


def test_chapters_sharing_their_books_isbn_stay_three_works(tmp_path: Path, run) -> None:
    path = project(tmp_path)
    (tmp_path / "book.bib").write_text(CHAPTERS, "utf-8")
    lines = import_(run, tmp_path, "book.bib")
    assert lines[-1] == "3 added, 0 matched, 0 skipped, 2 possible duplicates (1 file)"
    assert ("book.bib:18:1:   possible duplicate of 'essays' (same ISBN; a part of a book is "
            "not the book (different works?)); added under its own key; if they are one work: "
            "--merge park2001=essays") in lines
    assert keys(path) == ["dw2018", "essays", "lee2001", "park2001"]


def test_same_title_with_different_dois_stays_two_works(tmp_path: Path, run) -> None:
    path = project(tmp_path)
    (tmp_path / "two.json").write_text(json.dumps([
        {"id": "kim2019", "type": "article-journal", "title": "Introduction",
         "DOI": "10.5555/one.1", "author": [{"family": "Kim"}], "issued": {"date-parts": [[2019]]}},
        {"id": "kim2019b", "type": "article-journal", "title": "Introduction",
         "DOI": "10.5555/two.2", "author": [{"family": "Kim"}], "issued": {"date-parts": [[2019]]}},
    ]), "utf-8")
    lines = import_(run, tmp_path, "two.json")
    assert lines[-1] == "2 added, 0 matched, 0 skipped, 1 possible duplicate (1 file)"
    assert any("possible duplicate of 'kim2019' (same title, different DOIs)" in line
               for line in lines)
    assert keys(path) == ["dw2018", "kim2019", "kim2019b"]


def test_a_placeholder_isbn_and_a_shared_url_merge_nothing(tmp_path: Path, run) -> None:
    path = project(tmp_path)
    (tmp_path / "cat.ris").write_text(
        "TY  - BOOK\nID  - first1\nTI  - Collected Papers\nAU  - Choi, Eun\nSN  - 9780000000002\n"
        "PY  - 2001\nER  - \n"
        "TY  - BOOK\nID  - second1\nTI  - Other Papers\nAU  - Han, Jo\nSN  - 9780000000002\n"
        "PY  - 2001\nER  - \n"
        "TY  - CONF\nID  - talk1\nTI  - Talks and Signals\nAU  - Kim, A\n"
        "UR  - https://proceedings.example.org/2019\nPY  - 2019\nER  - \n"
        "TY  - CONF\nID  - talk2\nTI  - Missiles and Markets\nAU  - Lee, B\n"
        "UR  - https://proceedings.example.org/2019\nPY  - 2019\nER  - \n", "utf-8")
    lines = import_(run, tmp_path, "cat.ris")
    assert lines[-1] == "4 added, 0 matched, 0 skipped, 1 possible duplicate (1 file)"
    assert any("possible duplicate of 'talk1' (same URL, different titles or authors)" in line
               for line in lines)
    assert keys(path) == ["dw2018", "first1", "second1", "talk1", "talk2"]


def test_one_key_twice_in_a_file_names_both_places(tmp_path: Path, run) -> None:
    path = project(tmp_path)
    (tmp_path / "dup.bib").write_text(
        "@article{kim2019,\n  title = {One},\n  author = {Kim, A},\n  journal = {J},\n}\n\n"
        "@article{kim2019,\n  title = {Two},\n  author = {Kim, B},\n  journal = {J},\n}\n\n"
        "@article{kim2019,\n  title = {One.},\n  author = {Kim, A},\n  journal = {J},\n}\n",
        "utf-8")
    lines = import_(run, tmp_path, "dup.bib")
    assert lines == [
        "dup.bib:1:1: added 'kim2019'",
        "dup.bib:7:1: added 'kim2019a'",
        "dup.bib:7:1:   the file's key 'kim2019' already names a different work (at "
        "dup.bib:1:1); added as 'kim2019a'",
        "dup.bib:13:1: matched 'kim2019': same key and title as 'kim2019' (added earlier in "
        "this import); not added",
        "dup.bib:13:1:   title: kept 'One', file has 'One.'",
        "2 added, 1 matched, 0 skipped (1 file)"]
    sources = refmap.load(path).cmap.sources
    assert (sources["kim2019"].title, sources["kim2019a"].title) == ("One", "Two")


def aliased(tmp_path: Path, run) -> Path:
    """The map's smith2019 and a library's smithBook, one work: merged, smithBook an alias,
    and a claim citing the alias."""
    path = project(tmp_path, SMITH)
    (tmp_path / "lib.bib").write_text(
        "@book{smithBook,\n  title = {Deterrence and its Discontents},\n"
        "  author = {Smith, Jane},\n  year = {2019},\n}\n", "utf-8")
    lines = import_(run, tmp_path, "lib.bib")
    assert lines[0] == ("lib.bib:1:1: matched 'smithBook': same title, year and authors as "
                        "'smith2019' (in the map); not added; 'smithBook' kept as an alias of "
                        "'smith2019'")
    assert lines[-1] == "0 added, 1 matched, 0 skipped, 1 alias kept (1 file)"
    assert "    ids:\n      - smithBook\n" in path.read_text("utf-8")
    result = run(["cite", "hanoi-stalled", "smithBook", "--excerpt", "stalled"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    return path


def test_a_merged_key_is_an_alias_that_resolves_everywhere(tmp_path: Path, run) -> None:
    path = aliased(tmp_path, run)
    cmap = refmap.load(path).cmap
    assert cmap.sources["smith2019"].ids == ("smithBook",)
    assert cmap.resolve("smithBook") == "smith2019"
    check = run(["check", "--format", "json"], cwd=tmp_path)
    codes = {f["code"] for f in json.loads(check.stdout)}
    assert "dangling-source" not in codes and "alias-conflict" not in codes
    assert "unused-source" not in {f["code"] for f in json.loads(check.stdout)
                                   if f.get("source") == "smith2019"}
    biblatex = run(["export", "bibtex"], cwd=tmp_path).stdout
    assert "@book{smith2019,\n  ids = {smithBook}," in biblatex
    bibtex = run(["export", "bibtex", "--dialect", "bibtex"], cwd=tmp_path).stdout
    assert "@book{smith2019," in bibtex and "@book{smithBook," in bibtex
    csl = json.loads(run(["export", "csl-json", "--cited-only"], cwd=tmp_path).stdout)
    assert {item["id"] for item in csl} >= {"smith2019", "smithBook"}
    reading = run(["export", "markdown"], cwd=tmp_path).stdout
    assert "Talks stalled after the Hanoi summit" in reading
    annotated = run(["annotate", "--bibliography", "refs.json"], cwd=tmp_path).stdout
    assert "[@smith2019]" in annotated and "smithBook" not in annotated


def test_pandoc_renders_a_citation_under_the_alias(tmp_path: Path, run) -> None:
    aliased(tmp_path, run)
    assert run(["export", "csl-json", "-o", "refs.json"], cwd=tmp_path).exit_code == 0
    (tmp_path / "doc.md").write_text("Old key [@smithBook], new key [@smith2019].\n", "utf-8")
    done = subprocess.run(["pandoc", "--citeproc", "--bibliography", "refs.json", "doc.md",
                           "-t", "plain"], cwd=tmp_path, capture_output=True, text=True,
                          check=True)
    assert "WARNING" not in done.stderr and "?" not in done.stdout
    assert "Smith" in done.stdout


def test_biber_resolves_the_alias_in_the_biblatex_export(tmp_path: Path, run) -> None:
    aliased(tmp_path, run)
    assert run(["export", "bibtex", "-o", "refs.bib"], cwd=tmp_path).exit_code == 0
    done = subprocess.run(["biber", "--tool", "--validate-datamodel", "--output-file",
                           "out.bib", "refs.bib"], cwd=tmp_path, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ERROR" not in done.stdout


def test_importing_again_keeps_the_alias_and_adds_nothing(tmp_path: Path, run) -> None:
    path = aliased(tmp_path, run)
    before = path.read_bytes()
    lines = import_(run, tmp_path, "lib.bib")
    assert lines[0].endswith("same key and title as 'smith2019' (in the map); not added")
    assert run(["export", "bibtex", "-o", "refs.bib"], cwd=tmp_path).exit_code == 0
    assert import_(run, tmp_path, "refs.bib")[-1] == "0 added, 2 matched, 0 skipped (1 file)"
    assert path.read_bytes() == before


def test_merge_option_forces_a_merge_and_keeps_the_key(tmp_path: Path, run) -> None:
    path = project(tmp_path)
    (tmp_path / "book.bib").write_text(CHAPTERS, "utf-8")
    lines = import_(run, tmp_path, "book.bib", "--merge", "park2001=lee2001")
    assert ("book.bib:18:1: matched 'park2001': merged as asked (--merge) into 'lee2001' "
            "(added earlier in this import); not added; 'park2001' kept as an alias of "
            "'lee2001'") in lines
    cmap = refmap.load(path).cmap
    assert cmap.sources["lee2001"].ids == ("park2001",)
    assert cmap.resolve("park2001") == "lee2001"


@pytest.mark.parametrize("merge, message", [
    ("nope=essays", "Error: --merge nope=essays: no record of the files carries the key 'nope'"),
    ("lee2001=nothing", "Error: --merge lee2001=nothing: no source 'nothing' in the map or the "
                        "files"),
    ("lee2001", "Error: --merge 'lee2001': expected KEY=KEY, the key of a record in the files, "
                "'=', and the key of the source it is the same work as"),
])
def test_a_bad_merge_is_a_usage_error(tmp_path: Path, run, merge: str, message: str) -> None:
    path = project(tmp_path)
    before = path.read_bytes()
    (tmp_path / "book.bib").write_text(CHAPTERS, "utf-8")
    result = run(["import", "book.bib", "--merge", merge], cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message + "\n")
    assert path.read_bytes() == before


def test_every_decision_is_in_the_json_and_the_dry_run_diff(tmp_path: Path, run) -> None:
    path = project(tmp_path, SMITH)
    before = path.read_bytes()
    (tmp_path / "lib.bib").write_text(
        CHAPTERS + "\n@book{smithBook,\n  title = {Deterrence and its Discontents},\n"
        "  author = {Smith, Jane},\n  year = {2019},\n}\n", "utf-8")
    result = run(["import", "lib.bib", "--dry-run", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    schema = json.loads((ROOT / "docs" / "json" / "import.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert [a["key"] for a in data["added"]] == ["essays", "lee2001", "park2001"]
    assert data["added"][2]["possible_duplicates"][0]["key"] == "essays"
    assert [(m["carried"], m["key"], m["by"], m["alias"]) for m in data["matched"]] == [
        ("smithBook", "smith2019", "title", "smithBook")]
    assert data["summary"] == {"added": 3, "matched": 1, "skipped": 0, "aliases": 1,
                               "possible_duplicates": 2}
    assert "+    ids:\n+      - smithBook\n" in data["diff"]
    assert path.read_bytes() == before
    text = run(["import", "lib.bib", "--dry-run"], cwd=tmp_path)
    assert "+    ids:\n+      - smithBook\n" in text.stdout
    assert "kept as an alias of 'smith2019'" in text.stdout
    assert path.read_bytes() == before


def test_no_carried_key_disappears(tmp_path: Path, run) -> None:
    """Every key the files carry names a source afterwards (as its key or an alias), except a
    skipped record's."""
    path = project(tmp_path, SMITH)
    fixtures = ROOT / "tests" / "fixtures" / "import"
    names = ["better-bibtex.bib", "jabref.bib", "better-csl.json", "zotero.json", "catalogue.ris"]
    for name in names:
        shutil.copy(fixtures / name, tmp_path / name)
    (tmp_path / "book.bib").write_text(CHAPTERS, "utf-8")
    result = run(["import", *names, "book.bib", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    skipped = {s["key"] for s in data["skipped"]}
    carried = {r["carried"] for r in data["added"] + data["matched"]} - {None} - skipped
    cmap = refmap.load(path).cmap
    assert carried and all(cmap.resolve(key) is not None for key in carried)


def test_an_alias_that_names_another_source_is_an_error(tmp_path: Path, run) -> None:
    path = project(tmp_path, SMITH.replace('    date: "2019"\n',
                                           '    date: "2019"\n    ids: [dw2018]\n'))
    result = run(["check"], cwd=tmp_path)
    assert result.exit_code == 1
    assert (f"{path.name}:13:10: error: source 'smith2019': alias 'dw2018' is the key of another "
            "source, 'dw2018' [alias-conflict]") in result.stdout


def test_an_alias_must_be_a_valid_citekey(tmp_path: Path, run) -> None:
    project(tmp_path, SMITH.replace('    date: "2019"\n', '    date: "2019"\n    ids: ["a b"]\n'))
    result = run(["check"], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: claims.yaml:13:11: source 'smith2019': 'ids': invalid citekey 'a b'")
