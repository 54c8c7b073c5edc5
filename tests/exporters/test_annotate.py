"""refmap annotate: citations in the author's own Markdown file (every other byte unchanged,
rendered by pandoc with every citation resolved, idempotent, written in place through the
guarded write), plain text with its paragraphs kept, and the essays it refuses."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, TESTS, snapshot

from refmap.exporters.annotate.markdown import annotate_markdown, write_in_place
from refmap.errors import WriteError
from refmap.project import load
from refmap.essay.readers import markdown

FORMS = TESTS / "fixtures" / "essay-forms"
GROUP = re.compile(r" ?\[(?:[^\[\]\\]|\\.)*?@(?:[^\[\]\\]|\\.)*\]")
"""A pandoc citation group, with the space before it."""


def pandoc(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["pandoc", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def with_essay(directory: Path, name: str, data: bytes) -> Path:
    """The bundled map in directory, pointed at an essay written there."""
    (directory / name).write_bytes(data)
    text = (ROOT / "claims.yaml").read_text("utf-8").replace("  path: essay.txt\n",
                                                             f"  path: {name}\n", 1)
    (directory / "claims.yaml").write_text(text, "utf-8")
    return directory / "claims.yaml"


@pytest.fixture
def md_form(tmp_path: Path) -> Path:
    """The bundled map pointed at the hard-wrapped Markdown form of the bundled essay."""
    with_essay(tmp_path, "essay.md", (FORMS / "essay.md").read_bytes())
    return tmp_path


def inserted_groups(before: str, after: str) -> list[str]:
    """The citation groups `after` has that `before` has not, proving that `after` is `before`
    with only those groups added (an assertion fails at the first other difference)."""
    i = j = 0
    inserted = []
    while j < len(after):
        group = GROUP.match(after, j)
        if group and not before.startswith(group.group(), i):
            inserted.append(group.group())
            j = group.end()
            continue
        assert i < len(before) and before[i] == after[j], (i, j, after[j - 40:j + 40])
        i, j = i + 1, j + 1
    assert i == len(before)
    return inserted


# -- the Markdown form of the bundled essay ---------------------------------------------------


def test_markdown_output_is_the_input_with_only_citations_added(md_form: Path, run):
    result = run(["annotate"], cwd=md_form)
    assert (result.exit_code, result.stderr) == (0, "")
    before = (md_form / "essay.md").read_text("utf-8")
    groups = inserted_groups(before, result.stdout)
    assert len(groups) == 25  # sentences with cited claims, essay order
    assert all(g.startswith(" [@") for g in groups)
    # the citation sits before the sentence's full stop, after the claim's sentence
    assert ("negotiations seem to have stalled [@cnas2019oneyear] [@dw2018asithappened, "
            "opening bullet points; @npr2018highlights, para. 2;") in result.stdout
    assert "faulty process [@theweek2019hanoi, para. 1; @wapo2019walk, para. 5; " \
           "@voa2019keypoints, bullet 2].\n" in result.stdout
    # the key the essay already cites in that sentence is not cited again
    assert result.stdout.count("@cnas2019oneyear]") == 1


def test_annotated_markdown_renders_with_every_citation_resolved(md_form: Path, run):
    assert run(["export", "csl-json", "-o", "references.json"], cwd=md_form).exit_code == 0
    result = run(["annotate", "--bibliography", "references.json", "-o", "annotated.md"],
                 cwd=md_form)
    assert (result.exit_code, result.stderr) == (0, "")
    text = (md_form / "annotated.md").read_text("utf-8")
    assert text.startswith("---\ntitle: ")
    assert "\nbibliography: references.json\n---\n" in text
    rendered = pandoc(["--citeproc", "annotated.md", "-t", "plain", "--wrap=none"], md_form)
    assert (rendered.returncode, rendered.stderr) == (0, "")
    assert "???" not in rendered.stdout
    assert ("stalled (Hotham 2019) (“Trump-Kim Meeting — As It Happened” 2018, opening bullet "
            "points;") in rendered.stdout
    assert rendered.stdout.count("@") == 0


def test_annotating_the_annotated_essay_adds_nothing(md_form: Path, run):
    assert run(["annotate", "--bibliography", "refs.json", "--in-place"], cwd=md_form).exit_code == 0
    once = (md_form / "essay.md").read_bytes()
    again = run(["annotate", "--bibliography", "refs.json"], cwd=md_form)
    assert again.stdout.encode("utf-8") == once
    assert run(["annotate", "--bibliography", "refs.json", "--in-place"], cwd=md_form).exit_code == 0
    assert (md_form / "essay.md").read_bytes() == once


def test_in_place_writes_the_essay_and_nothing_else(md_form: Path, run):
    before = snapshot(md_form)
    original = (md_form / "essay.md").read_text("utf-8")
    stdout = run(["annotate"], cwd=md_form).stdout
    result = run(["annotate", "--in-place"], cwd=md_form)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert (md_form / "essay.md").read_text("utf-8") == stdout != original
    after = snapshot(md_form)
    assert sorted(after) == sorted(before)
    assert [k for k in after if after[k] != before[k]] == ["essay.md"]


def test_an_essay_changed_after_it_was_read_is_not_written(md_form: Path):
    project = load(md_form / "claims.yaml")
    result = annotate_markdown(project)
    (md_form / "essay.md").write_text("Someone else's edit.\n", "utf-8")
    with pytest.raises(WriteError) as caught:
        write_in_place(result, project)
    assert str(caught.value) == (f"{md_form / 'essay.md'}: changed on disk since it was read; "
                                 "nothing written, run again")
    assert (md_form / "essay.md").read_text("utf-8") == "Someone else's edit.\n"


def test_an_essay_changed_before_annotating_is_refused(md_form: Path):
    project = load(md_form / "claims.yaml")
    project.located  # anchored in the text as first read
    path = md_form / "essay.md"
    path.write_text(path.read_text("utf-8").replace("stalled", "stopped"), "utf-8")
    with pytest.raises(WriteError, match="changed on disk since it was read"):
        annotate_markdown(project)


def test_bom_and_crlf_are_kept(md_form: Path, run):
    path = md_form / "essay.md"
    original = b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n")
    path.write_bytes(original)
    result = run(["annotate", "--bibliography", "refs.json", "--in-place"], cwd=md_form)
    assert (result.exit_code, result.stderr) == (0, "")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf---\r\n")
    assert data.count(b"\n") == data.count(b"\r\n") == original.count(b"\n") + 1
    assert b"\r\nbibliography: refs.json\r\n---\r\n" in data
    groups = inserted_groups(original.decode("utf-8"), data.decode("utf-8").replace(
        "bibliography: refs.json\r\n", "", 1))
    assert len(groups) == 25  # sentences with cited claims, essay order


# -- placement, grouping and existing citations in a small essay -------------------------------

SMALL_MAP = """\
version: 1
essay:
  path: essay.md
  title: A small essay
sources:
  pew: {type: report, title: Poll, institution: Pew, date: "2018"}
  gallup: {type: report, title: Poll, institution: Gallup, date: "2018"}
  nyt: {type: online, title: Report, site: NYT, date: "2018"}
  reuters: {type: online, title: Talks, site: Reuters, date: "2019"}
claims:
  - id: support
    quote: 80 percent support
    kind: figure
    citations:
      - {source: pew, locator: p. 4, excerpt: 80 percent}
      - {source: gallup, excerpt: 80 percent}
  - id: year
    quote: in 2018
    kind: event
    citations:
      - {source: nyt, locator: "para. 1 (caption)", excerpt: in 2018}
  - id: stalled
    quote: Talks stalled in Hanoi
    kind: event
    citations:
      - {source: reuters, locator: para. 2, excerpt: stalled}
  - id: over
    quote: it is over
    kind: quote
    citations:
      - {source: reuters, excerpt: over}
  - id: heading
    quote: Where things stand
    kind: event
    citations:
      - {source: nyt, excerpt: stand}
"""

SMALL_ESSAY = """\
# Where things stand

The poll found 80 percent
support in 2018 [@pew]. Talks stalled in *Hanoi*.
He said “it is over.” Then nothing.
"""


def small(tmp_path: Path, essay: str = SMALL_ESSAY) -> Path:
    (tmp_path / "claims.yaml").write_text(SMALL_MAP, "utf-8")
    (tmp_path / "essay.md").write_text(essay, "utf-8")
    return tmp_path


def test_claims_sharing_a_sentence_share_one_group_and_cited_keys_are_not_repeated(
        tmp_path: Path, run):
    result = run(["annotate"], cwd=small(tmp_path))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "# Where things stand [@nyt]\n"
        "\n"
        "The poll found 80 percent\n"
        "support in 2018 [@pew] [@gallup; @nyt, para. 1 \\(caption\\)]. Talks stalled in "
        "*Hanoi* [@reuters, para. 2].\n"
        "He said “it is over.” [@reuters] Then nothing.\n")


def test_front_matter_is_made_when_the_essay_has_none(tmp_path: Path, run):
    result = run(["annotate", "--bibliography", "my refs.json"], cwd=small(tmp_path))
    assert result.stdout.startswith("---\nbibliography: my refs.json\n---\n\n# Where things")


def test_front_matter_naming_another_bibliography_is_an_error(tmp_path: Path, run):
    small(tmp_path, "---\ntitle: T\nbibliography: other.bib\n---\n\n" + SMALL_ESSAY)
    before = snapshot(tmp_path)
    result = run(["annotate", "--bibliography", "refs.json", "--in-place"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (
        2, "Error: essay.md:3:1: the front matter already names a bibliography (other.bib); "
           "edit it there or leave out --bibliography\n")
    assert snapshot(tmp_path) == before
    same = run(["annotate", "--bibliography", "other.bib"], cwd=tmp_path)
    assert same.exit_code == 0 and same.stdout.startswith(
        "---\ntitle: T\nbibliography: other.bib\n---\n")


# -- plain text ------------------------------------------------------------------------------


def paragraphs(markdown_body: str) -> list[str]:
    return [p for p in re.split(r"\n[ \t]*\n", markdown_body.strip()) if p.strip()]


def test_wrapped_plain_text_keeps_its_paragraphs(tmp_path: Path, run):
    with_essay(tmp_path, "essay.txt", (FORMS / "essay.txt").read_bytes())
    result = run(["annotate"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (0, "")
    body = result.stdout.split("\n---\n", 1)[1]
    essay = (FORMS / "essay.txt").read_text("utf-8")
    assert len(paragraphs(body)) == len(paragraphs(essay)) == 12
    assert "\n\n\n" not in result.stdout
    assert "bibliography: references.json\n" in result.stdout


def test_bundled_plain_text_keeps_the_golden_output(bundled: Path, run):
    result = run(["annotate"], cwd=bundled)
    expected = (TESTS / "cases" / "clean" / "expected" / "annotated.md").read_text("utf-8")
    case = run(["annotate", "--bibliography", "refs.json"], cwd=TESTS / "cases" / "clean")
    assert case.stdout == expected
    lines = (bundled / "essay.txt").read_text("utf-8").strip().split("\n")
    assert len(paragraphs(result.stdout.split("\n---\n", 1)[1])) == len(lines)


def test_in_place_is_refused_for_plain_text(bundled: Path, run):
    before = snapshot(bundled)
    result = run(["annotate", "--in-place"], cwd=bundled)
    assert (result.exit_code, result.stderr) == (
        2, "Error: --in-place writes citations into a Markdown essay; a plain-text essay "
           "becomes a new Markdown document: use -o FILE\n")
    assert snapshot(bundled) == before


# -- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), [("essay.html", "html"), ("essay.docx", "docx")])
def test_html_and_word_essays_are_refused(tmp_path: Path, run, name: str, fmt: str):
    with_essay(tmp_path, name, (FORMS / name).read_bytes())
    before = snapshot(tmp_path)
    for args in (["annotate"], ["annotate", "--in-place"], ["annotate", "-o", "out.md"]):
        result = run(args, cwd=tmp_path)
        assert (result.exit_code, result.stdout, result.stderr) == (
            2, "", f"Error: {name}: annotate writes Markdown or plain text essays; convert this "
                   f"{fmt} essay to Markdown first (pandoc -t markdown) and point essay.path at it\n")
    assert snapshot(tmp_path) == before


def test_unwritable_output_is_one_line(md_form: Path, run):
    before = snapshot(md_form)
    result = run(["annotate", "-o", "missing/dir/out.md"], cwd=md_form)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: missing/dir/out.md: ") and result.stderr.count("\n") == 1
    assert snapshot(md_form) == before


def test_output_over_the_essay_is_refused(md_form: Path, run):
    before = snapshot(md_form)
    result = run(["annotate", "-o", "essay.md"], cwd=md_form)
    assert (result.exit_code, result.stderr) == (
        2, "Error: essay.md: refusing to overwrite essay.md, an input of this command\n")
    assert snapshot(md_form) == before


def test_in_place_on_a_read_only_essay_is_refused(md_form: Path, run):
    path = md_form / "essay.md"
    os.chmod(path, 0o444)
    before = snapshot(md_form)
    result = run(["annotate", "--in-place"], cwd=md_form)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: essay.md: ") and result.stderr.count("\n") == 1
    assert "read-only" in result.stderr
    assert snapshot(md_form) == before and (path.stat().st_mode & 0o777) == 0o444


def test_in_place_and_output_together_are_a_usage_error(md_form: Path, run):
    result = run(["annotate", "--in-place", "-o", "x.md"], cwd=md_form)
    assert (result.exit_code, result.stderr) == (
        2, "Error: --in-place and -o both name where to write: give one\n")
    assert not (md_form / "x.md").exists()


def test_a_bibliography_name_with_a_line_break_is_refused(tmp_path: Path, run):
    result = run(["annotate", "--bibliography", "a\nb.json"], cwd=small(tmp_path))
    assert (result.exit_code, result.stderr) == (
        2, "Error: --bibliography: not a usable file name: 'a\\nb.json'\n")


# -- what makes a second run add nothing: the reader skips every citation it wrote ------------


@pytest.mark.parametrize(("source", "text"), [
    ("stalled [@a] [@b, p. 1 \\(caption\\); @c]. And yet", "stalled. And yet"),
    ("stalled [@b, \\*p.\\* 4 \\[x\\]]. And yet", "stalled. And yet"),
    ("see [@a] and [@b]\nthen", "see and then"),
    ("mail a@b.org or \\[not @cited\\] here", "mail a@b.org or [not @cited] here"),
])
def test_the_markdown_reader_skips_citation_groups_with_escapes(source: str, text: str):
    model = markdown.read(source, "essay.md")
    assert model.text == text
    assert model.offsets is not None
    last_word = text.rsplit(" ", 1)[1]
    assert model.offsets.to_source(len(text) - len(last_word)) == source.rindex(last_word)


# -- the author's own citations (issue 17 item 7) ----------------------------------------------

AUTHOR_DATE_MAP = """\
version: 1
essay:
  path: essay.md
sources:
  mortimer2017restoration:
    type: book
    title: Restoration
    authors: [{family: Mortimer, given: Ian}]
    date: "2017"
  kim2019:
    type: article
    title: Polls
    authors: [{family: Kim, given: Ji}, {family: Lee, given: Su}]
    journal: J
    date: "2019"
claims:
  - id: restored
    quote: Mortimer counted 53 restorations
    kind: figure
    citations:
      - {source: mortimer2017restoration, locator: p. 10, excerpt: 53 restorations}
  - id: polls
    quote: support rose to 80 percent
    kind: figure
    citations:
      - {source: kim2019, locator: p. 4, excerpt: 80 percent}
      - {source: mortimer2017restoration, excerpt: 80 percent}
  - id: polls-again
    quote: and stayed there
    kind: figure
    citations:
      - {source: kim2019, locator: p. 9, excerpt: stayed}
"""


def test_annotate_adds_nothing_next_to_a_matching_author_date_citation(tmp_path: Path, run):
    (tmp_path / "claims.yaml").write_text(AUTHOR_DATE_MAP, "utf-8")
    (tmp_path / "essay.md").write_text(
        "Mortimer counted 53 restorations (Mortimer 2017, 10).\n\n"
        "By 2019 support rose to 80 percent and stayed there, as Kim and Lee (2019) found.\n",
        "utf-8")
    result = run(["annotate"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "Mortimer counted 53 restorations (Mortimer 2017, 10).\n\n"
        "By 2019 support rose to 80 percent and stayed there, as Kim and Lee (2019) found "
        "[@mortimer2017restoration].\n")


def test_annotate_names_a_key_once_per_group_with_its_locators(tmp_path: Path, run):
    (tmp_path / "claims.yaml").write_text(AUTHOR_DATE_MAP, "utf-8")
    (tmp_path / "essay.md").write_text(
        "Mortimer counted 53 restorations.\n\nBy 2019 support rose to 80 percent and stayed "
        "there.\n", "utf-8")
    result = run(["annotate"], cwd=tmp_path)
    assert result.stdout == (
        "Mortimer counted 53 restorations [@mortimer2017restoration, p. 10].\n\n"
        "By 2019 support rose to 80 percent and stayed there "
        "[@kim2019, p. 4, p. 9; @mortimer2017restoration].\n")


def test_plain_text_annotate_respects_author_date_citations_too(tmp_path: Path, run):
    (tmp_path / "claims.yaml").write_text(AUTHOR_DATE_MAP.replace("essay.md", "essay.txt"),
                                          "utf-8")
    (tmp_path / "essay.txt").write_text(
        "Mortimer counted 53 restorations (Mortimer 2017, 10). By 2019 support rose to 80 "
        "percent and stayed there.\n", "utf-8")
    result = run(["annotate"], cwd=tmp_path)
    assert result.exit_code == 0
    body = result.stdout.split("\n---\n", 1)[1]
    assert "@mortimer2017restoration, p. 10" not in body
    assert "80 percent [@kim2019, p. 4; @mortimer2017restoration]" in body
    assert body.count("@kim2019") == 2


# -- pandoc's Markdown structure (issue 22 item 6) ---------------------------------------------

STRUCTURES = TESTS / "fixtures" / "pandoc-structures"


def pandoc_ast(path: Path) -> dict[str, object]:
    import json

    result = pandoc(["-f", "markdown", "-t", "json", path.name], path.parent)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def without_citations(node: object, cites: list[object]) -> object:
    """The AST with every Cite (and the space pandoc reads before it) taken out into cites,
    the words on both sides joined again ("1918 [@a]." reads as "1918", Cite, ".")."""
    if isinstance(node, list):
        kept: list[object] = []
        for item in node:
            if isinstance(item, dict) and item.get("t") == "Cite":
                cites.append(item)
                if kept and kept[-1] == {"t": "Space"}:
                    kept.pop()
                continue
            item = without_citations(item, cites)
            last = kept[-1] if kept else None
            if (isinstance(item, dict) and item.get("t") == "Str" and isinstance(last, dict)
                    and last.get("t") == "Str" and cites):
                kept[-1] = {"t": "Str", "c": str(last["c"]) + str(item["c"])}
                continue
            kept.append(item)
        return kept
    if isinstance(node, dict):
        return {key: without_citations(value, cites) for key, value in node.items()}
    return node


def test_annotate_keeps_tables_divs_spans_notes_and_definition_lists(tmp_path: Path, run):
    for name in ("essay.md", "claims.yaml"):
        (tmp_path / name).write_bytes((STRUCTURES / name).read_bytes())
    before = pandoc_ast(tmp_path / "essay.md")
    result = run(["annotate", "--in-place"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (0, "")
    cites: list[object] = []
    assert without_citations(pandoc_ast(tmp_path / "essay.md"), cites) == before
    assert len(cites) == 8  # every claim's citation, none in the grid table
    annotated = (tmp_path / "essay.md").read_text("utf-8")
    assert "| 2019 | Talks stalled in Hanoi in February [@b] |\n" in annotated
    assert "Missile tests resumed in May 2019 [@b].\n:::\n" in annotated
    assert "| 2017          | Tests peaked. |\n" in annotated
