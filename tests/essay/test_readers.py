"""Essay readers: the bundled essay in four forms gives the same results, positions point at
the author's own file, and each format's markup, breaks and bad input are handled."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, TESTS, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from refmap.essay.anchoring import anchor_claims
from refmap.errors import LoadError
from refmap.essay.text import Essay, read_essay
from refmap.project import load_project
from refmap.essay.readers import docx, html, markdown, plain
from refmap.essay.readers.offsets import TextBuilder, line_starts
from refmap.commands.uncovered import sentence_reports

FORMS = TESTS / "fixtures" / "essay-forms"
FORM_NAMES = ("essay.txt", "essay.md", "essay.html", "essay.docx")


def with_essay(directory: Path, essay_name: str, essay_bytes: bytes, extra: str = "") -> Path:
    """The bundled map in directory, pointed at an essay written there."""
    (directory / essay_name).write_bytes(essay_bytes)
    text = (ROOT / "claims.yaml").read_text("utf-8")
    text = text.replace("  path: essay.txt\n", f"  path: {essay_name}\n{extra}", 1)
    (directory / "claims.yaml").write_text(text, "utf-8")
    return directory / "claims.yaml"


@pytest.fixture(params=FORM_NAMES)
def form(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The bundled map pointed at one form of the bundled essay."""
    name = request.param
    return with_essay(tmp_path, name, (FORMS / name).read_bytes())


def source_lines(name: str) -> list[str]:
    """The form's lines as positions count them (for .docx: its paragraphs)."""
    if name.endswith(".docx"):
        return docx.paragraphs(docx._document_xml((FORMS / name).read_bytes(), name), name)
    return re.split(r"\r\n?|\n", (FORMS / name).read_text("utf-8"))


# -- the four forms -------------------------------------------------------------------------

def test_forms_are_the_bundled_essay_rewrapped():
    wrapped = (FORMS / "essay.txt").read_text("utf-8")
    assert wrapped.count("\n\n") == 11
    assert max(len(line) for line in wrapped.splitlines()) <= 72
    assert " ".join(wrapped.split()) == " ".join((ROOT / "essay.txt").read_text("utf-8").split())


def test_every_claim_anchors_exactly_in_every_form(form: Path):
    project = load_project(form)
    assert len(project.located) == 65
    assert {lc.anchor.state for lc in project.located} == {"exact"}


def test_sentence_reports_are_the_bundled_ones(form: Path):
    bundled = load_project(ROOT / "claims.yaml")
    project = load_project(form)

    def reports(p):  # type: ignore[no-untyped-def]
        return [(r.text, r.score, r.covered_by) for r in sentence_reports(p.essay, p.located)]

    expected = reports(bundled)
    assert len(expected) == 38
    assert reports(project) == expected


def test_coverage_prints_the_same_table(form: Path, run):
    bundled = run(["coverage"], cwd=ROOT)
    result = run(["coverage"], cwd=form.parent)
    assert result.exit_code == bundled.exit_code == 0
    essay_name = load_project(form).cmap.essay.path
    assert result.stdout.splitlines()[0] == f"Coverage of {essay_name} by claims.yaml"
    assert result.stdout.splitlines()[1:-1] == bundled.stdout.splitlines()[1:-1]


def test_every_claim_is_placed_where_its_quote_starts_in_the_file(form: Path):
    project = load_project(form)
    lines = source_lines(project.essay.path.rsplit("/", 1)[-1])
    for lc in project.located:
        assert lc.start is not None
        span = project.essay.span(lc.start)
        first_word = lc.claim.quote.split()[0]
        assert lines[span.line - 1][span.col - 1:].startswith(first_word), (lc.claim.id, span)
        assert span.path == str(form.parent / project.essay.path.rsplit("/", 1)[-1])


@pytest.mark.parametrize("name, claim_id, line, col", [
    ("essay.txt", "singapore-summit", 1, 1),
    ("essay.md", "singapore-summit", 6, 1),
    ("essay.html", "singapore-summit", 13, 4),
    ("essay.docx", "singapore-summit", 1, 1),
    ("essay.md", "missile-tests-resumed", 9, 92),  # after a link with a title
    ("essay.html", "prediction-window-wont-last", 20, 60),
    ("essay.docx", "missile-tests-2017", 2, 82),  # paragraph 2, character 82
])
def test_show_prints_the_position_in_the_authors_file(name, claim_id, line, col, tmp_path, run):
    with_essay(tmp_path, name, (FORMS / name).read_bytes())
    result = run(["show", claim_id], cwd=tmp_path)
    assert result.exit_code == 0
    assert f"{name}:{line}:{col}" in result.stdout


# -- plain text ------------------------------------------------------------------------------

def test_bundled_essay_text_is_the_file_byte_for_byte():
    source = (ROOT / "essay.txt").read_text("utf-8")
    essay = read_essay(ROOT / "essay.txt", "essay.txt")
    assert essay.text == source
    assert essay.offsets is None and essay.format == "txt"
    assert essay.text.count("\n") == 11


def test_wrapped_paragraphs_join_lines_with_spaces_and_keep_offsets():
    source = "One line\nwraps here.\n\nAnother para-\ngraph.\n"
    model = plain.read(source)
    assert model.text == "One line wraps here.\n\nAnother para- graph. "
    assert len(model.text) == len(source)


def test_lines_without_blank_lines_are_paragraphs_even_with_trailing_blank_lines():
    assert plain.read("First.\nSecond.\n\n\n").text == "First.\nSecond.\n\n\n"
    assert plain.read("\n\nFirst.\nSecond.").text == "\n\nFirst.\nSecond."


@pytest.mark.parametrize("break_, text", [
    ("\r", "A first paragraph runs on.\n\nThen the second one."),
    ("\r\n", "A first paragraph  runs on. \n \nThen the second  one."),
])
def test_cr_and_crlf_lines_are_counted(break_: str, text: str):
    source = f"A first paragraph{break_}runs on.{break_}{break_}Then the second{break_}one."
    essay = Essay.from_text("e.txt", source)
    assert essay.text == text
    assert essay.span(essay.text.index("Then")) == ("e.txt", 4, 1)
    assert essay.span(essay.text.index("one.")) == ("e.txt", 5, 1)
    assert essay.span(essay.text.index("runs")) == ("e.txt", 2, 1)


def test_a_sentence_wrapped_over_lines_is_one_sentence():
    from refmap.essay.sentences import split_sentences

    essay = Essay.from_text("e.txt", "It was said in\r\nSeoul. The talks\r\nended.\r\n\r\nNew part.")
    assert [s.text for s in split_sentences(essay.text)] == [
        "It was said in Seoul.", "The talks ended.", "New part."]


# -- Markdown --------------------------------------------------------------------------------

def md_essay(source: str) -> Essay:
    return Essay.from_model("e.md", markdown.read(source, "e.md"))


def test_markdown_markup_is_invisible_to_matching():
    from refmap.mapfile.model import Claim

    essay = md_essay("Here the *politics* are [aligned](u) now.\n")
    assert essay.text == "Here the politics are aligned now."
    claim = Claim(id="c", kind="opinion", status="opinion", quote="the politics are aligned")
    anchor = anchor_claims((claim,), essay)[0]
    assert anchor.state == "exact"
    assert essay.span(anchor.start) == ("e.md", 1, 6)
    assert essay.source_end(anchor.end) == len("Here the *politics* are [aligned")


def test_markdown_blocks_are_paragraphs_and_code_and_metadata_are_not_text():
    source = ("---\ntitle: T\n---\n\n# A heading\n\n- one item\n- two\n\n> quoted\n> on.\n\n"
              "```\ncode block\n```\n\n    indented code\n\nLast `inline code` here.\n")
    essay = md_essay(source)
    assert essay.text == "A heading\none item\ntwo\nquoted on.\nLast inline code here."
    assert essay.span(essay.text.index("quoted")) == ("e.md", 10, 3)
    assert essay.span(essay.text.index("on.")) == ("e.md", 11, 3)
    assert essay.span(essay.text.index("inline")) == ("e.md", 19, 7)


def test_pandoc_citations_and_footnotes_are_not_text():
    source = ("A claim [@key]. Another [@key, p. 4; @other] one.[^n] Mail a@b.c [see x].\n\n"
              "[^n]: The note.\n")
    assert md_essay(source).text == "A claim. Another one. Mail a@b.c [see x]."


def test_escapes_and_entities_map_to_where_they_are_written():
    essay = md_essay("Tom \\& Jerry &amp; caf&eacute; *x*\n")
    assert essay.text == "Tom & Jerry & café x"
    amp = essay.text.index("&")
    assert (essay.source_offset(amp), essay.source_end(amp + 1)) == (4, 6)
    cafe = essay.text.index("café")
    assert essay.position(cafe) == (1, 20)
    assert essay.source_end(cafe + 4) == len("Tom \\& Jerry &amp; caf&eacute;")


def test_markdown_with_crlf_lines():
    essay = md_essay("First line\r\nwraps.\r\n\r\nSecond *para*.\r\n")
    assert essay.text == "First line wraps.\nSecond para."
    assert essay.span(essay.text.index("para")) == ("e.md", 4, 9)


# -- HTML ------------------------------------------------------------------------------------

def html_essay(source: str) -> Essay:
    return Essay.from_model("e.html", html.read(source, "e.html"))


def test_html_reads_the_article_and_skips_page_furniture():
    source = ("<html><head><title>Site</title><style>p{}</style></head><body>\n"
              "<header><nav><a href='/'>Home</a></nav></header>\n"
              "<article><header><h1>The title</h1></header>\n"
              "<p>First &amp; <em>only</em>\n   paragraph.<script>x()</script></p>\n"
              "<template><p>hidden</p></template><ul><li>One<li>Two</ul></article>\n"
              "<footer>Footer</footer></body></html>\n")
    essay = html_essay(source)
    assert essay.text == "The title\nFirst & only paragraph.\nOne\nTwo"
    assert essay.span(essay.text.index("&")) == ("e.html", 4, 10)
    assert essay.span(essay.text.index("paragraph")) == ("e.html", 5, 4)
    assert essay.span(essay.text.index("Two")) == ("e.html", 6, 50)


def test_html_without_article_reads_the_body_but_not_its_header_and_footer():
    source = "<body><header>Menu</header><p>Text&nbsp;here<br>and there.</p><footer>F</footer>"
    assert html_essay(source).text == "Text\u00a0here and there."


def test_html_with_cr_lines():
    essay = html_essay("<p>One\rtwo</p>\r<p>Three</p>")
    assert essay.text == "One two\nThree"
    assert essay.span(essay.text.index("Three")) == ("e.html", 3, 4)


# -- Word ------------------------------------------------------------------------------------

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def make_docx(path: Path, body: str) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", f"<w:document {W}><w:body>{body}</w:body></w:document>")
    path.write_bytes(buffer.getvalue())


def test_docx_positions_are_paragraph_and_character(tmp_path: Path):
    make_docx(tmp_path / "e.docx",
              "<w:p><w:r><w:t>Title</w:t></w:r></w:p><w:p/>"
              "<w:p><w:r><w:t xml:space='preserve'>It was </w:t></w:r><w:r><w:tab/>"
              "<w:t>said</w:t><w:delText>gone</w:delText></w:r><w:r><w:br/><w:t>here.</w:t></w:r></w:p>")
    essay = read_essay(tmp_path / "e.docx", "e.docx")
    assert essay.text == "Title\n\nIt was  said here."
    assert essay.format == "docx"
    assert essay.span(essay.text.index("said")) == ("e.docx", 3, 9)


# -- bad input -------------------------------------------------------------------------------

BAD_ESSAYS = [
    ("essay.rtf", b"{\\rtf1 Some text.}", "",
     ("claims.yaml:6:9: cannot tell the format of essay 'essay.rtf' from its extension: set "
      "essay.format to one of txt, markdown, html, docx, txt-wrapped, txt-lines")),
    ("essay.docx", b"PK not really a zip", "",
     "essay.docx:1:1: not a Word document: a .docx is a zip archive and this file is not one"),
    ("essay.html", b"<html><body><nav><p>Home</p></nav><script>go()</script></body></html>", "",
     ("essay.html:1:1: no essay text in the HTML: no paragraphs, headings or list items with "
      "words inside article, main or body")),
    ("essay.md", b"---\ntitle: An essay\n\nThe text.\n", "",
     "essay.md:1:1: front matter opened here is never closed: add a '---' line after it"),
    ("essay.txt", b"One line.\nTwo \x07lines.\n", "",
     "essay.txt:2:5: control character \\x07 in the essay: remove it"),
    ("essay.md", "Text\r\n\r\nwith a C1 \u0085 control.".encode(), "",
     "essay.md:3:11: control character \\x85 in the essay: remove it"),
    ("essay.text", b"Text with an escape \x1b[31m.", "  format: markdown\n",
     "essay.text:1:21: control character \\x1b in the essay: remove it"),
    ("essay.txt", b"Plain.", "  format: word\n",
     "claims.yaml:7:11: essay: 'format': unknown value 'word' (one of: txt, markdown, html, docx, txt-wrapped, txt-lines)"),
]


@pytest.mark.parametrize("name, content, extra, message", BAD_ESSAYS)
def test_bad_essays_fail_with_one_located_line(name, content, extra, message, tmp_path, run):
    from conftest import snapshot

    with_essay(tmp_path, name, content, extra)
    before = snapshot(tmp_path)
    result = run(["check"], cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")
    assert snapshot(tmp_path) == before


def test_docx_without_a_document_part(tmp_path: Path):
    with zipfile.ZipFile(tmp_path / "e.docx", "w") as archive:
        archive.writestr("other.xml", "<x/>")
    with pytest.raises(LoadError) as caught:
        read_essay(tmp_path / "e.docx", "e.docx")
    assert str(caught.value) == "e.docx:1:1: not a Word document: no word/document.xml in the archive"


def test_essay_format_overrides_the_extension(tmp_path: Path, run):
    with_essay(tmp_path, "essay.rtf", (FORMS / "essay.md").read_bytes(), "  format: markdown\n")
    result = run(["show", "singapore-summit"], cwd=tmp_path)
    assert result.exit_code == 0
    assert "essay: essay.rtf:6:1 (exact)" in result.stdout


# -- the offset map --------------------------------------------------------------------------

def test_builder_merges_copied_runs_and_maps_stand_ins_to_their_source():
    builder = TextBuilder()
    builder.space(0, 1)  # a space before any text is dropped
    builder.copy("ab", 1)
    builder.copy("cd", 3)  # continues the run: one piece
    builder.stand_in("&", 5, 10)
    builder.space(10, 13)
    builder.space(13, 14)  # a run of spaces is one
    builder.copy("e", 14)
    builder.paragraph_break(15)
    builder.paragraph_break(16)  # no empty paragraph
    builder.copy("f", 20)
    text, offsets = builder.build()
    assert text == "abcd& e\nf"
    assert offsets.text_starts == (0, 4, 5, 6, 7, 8)
    assert [offsets.to_source(i) for i in range(len(text))] == [1, 2, 3, 4, 5, 10, 14, 15, 20]
    assert [offsets.end_to_source(i) for i in range(1, len(text) + 1)] == [2, 3, 4, 5, 10, 13, 15, 15, 21]


def test_line_starts_know_cr_lf_and_crlf():
    assert line_starts("a\rb\r\nc\nd") == (0, 2, 5, 7)


@settings(max_examples=examples(300))
@given(st.text(alphabet="a\r\n \u2028\x85", max_size=40))
def test_line_starts_are_the_ends_of_cr_lf_and_crlf(source: str):
    """Only CRLF, CR and LF end a line (not U+2028 or NEL, which str.splitlines takes)."""
    assert line_starts(source) == (0, *(m.end() for m in re.finditer(r"\r\n?|\n", source)))


@pytest.mark.parametrize("name", FORM_NAMES)
def test_init_drafts_whole_sentences_from_every_form(name: str, tmp_path: Path, run):
    shutil.copy(ROOT / "essay.txt", tmp_path / "bundled.txt")
    shutil.copy(FORMS / name, tmp_path / name)
    assert run(["init", "bundled.txt", "-o", "bundled.yaml"], cwd=tmp_path).exit_code == 0
    result = run(["init", name, "-o", "drafted.yaml"], cwd=tmp_path)
    assert result.exit_code == 0
    expected = (tmp_path / "bundled.yaml").read_text("utf-8").replace("bundled.txt", name)
    drafted = (tmp_path / "drafted.yaml").read_text("utf-8")
    assert drafted.split("sources:", 1)[1] == expected.split("sources:", 1)[1]
    if name == "essay.md":  # the front matter's title and authors
        assert ('  title: "One Year After the Singapore Summit, It’s Time for a US-North '
                'Korea Deal"\n  authors:\n    - {literal: "Michael Fuchs"}\n'
                '    - {literal: "Abigail Bard"}\nsources:') in drafted


# -- every word maps back to where it is written ---------------------------------------------

WORDS = st.text("abcdefghij", min_size=1, max_size=6)
MARKUP = {
    "markdown": ["{}", "*{}*", "**{}**", "[{}](https://example.org/x)", "`{}`", "{}[^1]"],
    "html": ["{}", "<em>{}</em>", "<a href='u'>{}</a>", "<b>{}</b><!-- c -->"],
}


@settings(max_examples=examples(60), deadline=None)
@given(paragraphs=st.lists(st.lists(st.tuples(WORDS, st.integers(0, 5), st.booleans()),
                                    min_size=1, max_size=12), min_size=1, max_size=4),
       fmt=st.sampled_from(["markdown", "html"]), crlf=st.booleans())
def test_every_word_maps_to_its_written_place(paragraphs, fmt, crlf):
    """Words with random markup and line breaks: the text is the words, each word's span in
    the source holds exactly that word."""
    forms = MARKUP[fmt]
    blocks = []
    for words in paragraphs:
        written = ""
        for word, markup, wrap in words:
            written += forms[markup % len(forms)].format(word) + ("\n" if wrap else " ")
        blocks.append(written.strip() if fmt == "markdown" else f"<p>{written.strip()}</p>")
    source = "\n\n".join(blocks) + ("\n\n[^1]: A note.\n" if fmt == "markdown" else "\n")
    if crlf:
        source = source.replace("\n", "\r\n")
    model = markdown.read(source, "e") if fmt == "markdown" else html.read(source, "e")
    essay = Essay.from_model("e", model)
    assert essay.text == "\n".join(" ".join(w for w, _, _ in words) for words in paragraphs)
    for match in re.finditer(r"\w+", essay.text):
        start, end = essay.source_offset(match.start()), essay.source_end(match.end())
        assert source[start:end] == match.group()


# -- hard-wrapped plain text without blank lines (issue 17 item 3) -----------------------------

def folded(text: str, width: int) -> str:
    """What `fold -s -w WIDTH` makes of text: lines of at most WIDTH bytes, broken after a
    space that stays on the line."""
    out = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line}{word} "
            if line and len(candidate.encode()) > width:
                out.append(line)
                line = f"{word} "
            else:
                line = candidate
        out.append(line.rstrip(" "))
    return "\n".join(out)


@pytest.mark.parametrize("width", [60, 72])
def test_a_folded_essay_reads_as_its_sentences_not_its_lines(width: int, tmp_path: Path, run):
    bundled = read_essay(ROOT / "essay.txt", "essay.txt")
    source = folded((ROOT / "essay.txt").read_text("utf-8").rstrip("\n"), width)
    assert "\n\n" not in source and source.count("\n") > 60
    model = plain.read(source)
    from refmap.essay.sentences import split_sentences

    def words(text: str) -> list[str]:  # fold keeps the space before each break
        return [" ".join(s.text.split()) for s in split_sentences(text)]

    assert words(model.text) == words(bundled.text)
    assert plain.read(source, wrapped=False).text == source  # --lines: one paragraph a line


def test_one_paragraph_per_line_is_not_taken_for_wrapping():
    assert not plain.looks_hard_wrapped((ROOT / "essay.txt").read_text("utf-8"))
    assert not plain.looks_hard_wrapped("A title\nFirst short line.\nSecond one.\n")


def test_init_records_how_plain_text_is_wrapped(tmp_path: Path, run):
    (tmp_path / "e.txt").write_text(folded((ROOT / "essay.txt").read_text("utf-8"), 72), "utf-8")
    result = run(["init", "--lines", "e.txt", "-o", "lines.yaml"], cwd=tmp_path)
    assert result.exit_code == 0
    assert '  path: "e.txt"\n  format: "txt-lines"\n' in (tmp_path / "lines.yaml").read_text()
    assert run(["init", "e.txt", "-o", "auto.yaml"], cwd=tmp_path).exit_code == 0
    shutil.copy(ROOT / "essay.txt", tmp_path / "bundled.txt")
    assert run(["init", "bundled.txt", "-o", "bundled.yaml"], cwd=tmp_path).exit_code == 0
    import yaml

    def quotes(name: str) -> list[str]:  # fold keeps the space before each break
        return [" ".join(c["quote"].split())
                for c in yaml.safe_load((tmp_path / name).read_text())["claims"]]

    assert quotes("auto.yaml") == quotes("bundled.yaml")
    assert run(["check", "--errors-only", "--map", "auto.yaml", "--format", "json"],
               cwd=tmp_path).stdout.count('"code": "unsourced"') == len(quotes("auto.yaml"))
