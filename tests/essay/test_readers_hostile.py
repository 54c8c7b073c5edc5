"""Essay readers under hostile input: nothing dropped or invented, limits refused with their
position, comments and raw text ending where the HTML standard ends them, damaged Word files
called damaged, and front matter read with bounds."""

from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, examples, snapshot
from hypothesis import example, given, settings
from hypothesis import strategies as st

from refmap.errors import LoadError
from refmap.essay.text import Essay
from refmap.essay.readers import docx, frontmatter, html, markdown

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def md_text(source: str) -> str:
    return Essay.from_model("e.md", markdown.read(source, "e.md")).text


def html_text(source: str) -> str:
    return Essay.from_model("e.html", html.read(source, "e.html")).text


def with_essay(directory: Path, name: str, data: bytes) -> Path:
    (directory / name).write_bytes(data)
    text = (ROOT / "claims.yaml").read_text("utf-8").replace("  path: essay.txt\n",
                                                             f"  path: {name}\n", 1)
    (directory / "claims.yaml").write_text(text, "utf-8")
    return directory


def refused(run, directory: Path, args: list[str]) -> str:  # type: ignore[no-untyped-def]
    """Run a command that must refuse: exit 2, one line, nothing changed. Returns the line."""
    before = snapshot(directory)
    result = run(args, cwd=directory)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert snapshot(directory) == before
    return result.stderr.rstrip("\n").removeprefix("Error: ")


# -- Markdown nesting ------------------------------------------------------------------------

def test_text_nested_deeper_than_markdown_its_limit_is_read():
    """markdown-it's CommonMark preset stops at 20 levels and drops the rest of the file."""
    source = "> " * 30 + "Deep text.\n\n" + "".join("  " * i + "- item\n" for i in range(20)) + \
        "\nShallow text.\n"
    assert md_text(source) == "Deep text.\n" + "item\n" * 20 + "Shallow text."


@pytest.mark.parametrize("source, position, what", [
    ("Intro.\n\n" + "> " * 60 + "Deep.\n", "3:101", "block quotes or lists"),
    ("".join("  " * i + "- x\n" for i in range(30)), "25:51", "block quotes or lists"),
    ("Text " + "[" * 30 + "a" + "]" * 30 + "(u)\n", "1:26", "links, images or emphasis"),
])
def test_nesting_past_the_limit_is_an_error_at_its_place(source: str, position: str, what: str):
    with pytest.raises(LoadError) as caught:
        markdown.read(source, "e.md")
    assert str(caught.value).startswith(f"e.md:{position}: {what} nested more than")


def test_deep_nesting_is_refused_by_check_with_one_line(tmp_path: Path, run):
    with_essay(tmp_path, "essay.md", (">" * 200 + " deep\n").encode())
    line = refused(run, tmp_path, ["check"])
    assert line.startswith("essay.md:1:51: block quotes or lists nested more than 50 levels")


@pytest.mark.parametrize("unit", ["[", "[@", "[^", "![", "[a](", "[\n", "a\n=\n", "_a", "<"])
def test_runs_of_markup_characters_are_read_as_written(unit: str):
    text = md_text(unit * 300)
    if unit == "a\n=\n":
        assert text == "\n".join(["a"] * 300)
    elif unit == "_a":
        assert text == unit * 300
    else:
        assert text.replace(" ", "") == (unit * 300).replace("\n", "")


@pytest.mark.parametrize("unit", ["[a]", "[a](", "[a]{", "`a`{", "[a]()x", "a_b_", "x@y=z~"])
def test_runs_the_text_rule_takes_whole_read_as_written(unit: str):
    """Runs the text rule now takes whole (no rule can start in them) still read as written."""
    assert md_text(unit * 200).replace(" ", "") == (unit * 200).replace("`", "").replace(
        "[a]()", "a")


def test_inline_note_then_a_note_marker_keep_the_words_between_in_place():
    """An inline note's marker is its own `^[`: looking for `[^` found the later `[^1]` and
    put the words between at the wrong place (and rescanned the block for each note)."""
    essay = Essay.from_model("e.md", markdown.read("Words x^[note] y and [^1] z.\n\n[^1]: n\n",
                                                   "e.md"))
    assert essay.text == "Words x y and  z."
    assert essay.span(essay.text.index("y")) == ("e.md", 1, 16)


def test_runs_of_escapes_read_unescaped_each_at_its_backslash():
    """A run of escapes is one token of the text rule (see markdown._text); each escaped
    character still maps to its own backslash, and the words between to themselves."""
    source = "Say a\\*b\\_c \\\\ d\\[e\\] " * 100 + "\n"
    essay = Essay.from_model("e.md", markdown.read(source, "e.md"))
    assert essay.text == ("Say a*b_c \\ d[e] " * 100).rstrip()
    unit = len("Say a\\*b\\_c \\\\ d\\[e\\] ")
    for n in (0, 57, 99):
        at = essay.text.index("*", n * len("Say a*b_c \\ d[e] "))
        assert essay.span(at) == ("e.md", 1, n * unit + 6)
        assert essay.span(at + 1) == ("e.md", 1, n * unit + 8)


@pytest.mark.parametrize("prefix, first", [("", ""), ("> ", "> "), ("   ", "- ")])
def test_every_line_of_a_long_paragraph_maps_to_its_place(prefix: str, first: str):
    """A paragraph of many lines (placed with one slice of line starts and copied with one
    TextBuilder.copy_lines call where its lines are written from their starts): each word
    maps to where it is written, quoted or in a list item too."""
    words = [f"w{n}" for n in range(40)]
    source = first + words[0] + "\n" + "".join(f"{prefix}{w}\n" for w in words[1:])
    essay = Essay.from_model("e.md", markdown.read(source, "e.md"))
    assert essay.text == " ".join(words)
    lines = source.split("\n")
    for n, word in enumerate(words):
        column = lines[n].index(word) + 1
        assert essay.span(essay.text.index(word + " " if n < 39 else word)) == ("e.md", n + 1, column)


def test_runs_of_inline_notes_leave_the_words_around_them():
    assert md_text("x^[a] " * 300) == "x " * 299 + "x"


@pytest.mark.parametrize("source", ["Some *text*.\n", "> " * 60 + "deep\n"])
def test_markdown_reading_leaves_the_garbage_collector_as_it_was(source: str):
    """The reader pauses the collector while it parses (see fileio.gc_paused), and
    puts it back as it found it, after a refusal too."""
    import gc

    for enabled in (True, False):
        gc.enable() if enabled else gc.disable()
        try:
            try:
                markdown.read(source, "e.md")
            except LoadError:
                pass
            assert gc.isenabled() is enabled
        finally:
            gc.enable()


@pytest.mark.parametrize("source, text", [
    ("\n> - \n> \n> ", ""),
    ("> 1. \n> \n> ", ""),
    ("x\n> - \n> \n> ", "x"),
])
def test_a_quoted_list_item_then_empty_quoted_lines_at_the_end_is_read(source: str, text: str):
    """The fenced-div rule, asked whether such a line ends the list, read past the end of the
    file (IndexError, a traceback)."""
    assert md_text(source) == text


def read_with(source: str, shortcuts: bool) -> object:
    """The text model (or the refusal) with or without the reader's shortcuts in markdown-it's
    inline rules (the text rule stopping only where a rule may start, links tried only where
    they can close)."""
    parser = markdown._parser
    markdown._parser = lambda: parser(shortcuts)  # type: ignore[assignment]
    try:
        return markdown.read(source, "e.md")
    except LoadError as refused:
        return str(refused)
    finally:
        markdown._parser = parser  # type: ignore[assignment]


PIECES = ["[", "]", "(", ")", "{", "}", "<", ">", "!", "^", "_", "*", "`", "\\", "&", "@", "#",
          "a", "b", " ", "\n", "\n\n", "-", "=", ":", "~", ".", "1", "é", "amp;", "x.org",
          "http://", "|", "[^1]", "[^1]: n\n", "[r]: u\n", "[a](u)", "![i](u)", "[s]{.c}", "{.c}",
          "^[n]", '"', "'", "%", "\t", "  \n", "> ", "- ", "1. ", "```", "<b>", "&amp;", "&#",
          "\n# ", "\n> ", "\n- ", "\n* ", "\n+ ", "\n2) ", "\n~~~", "\n<div>", "\n::: {.d}",
          "\n:   ", "\n|", "\n|-|-|", "\n---", "\n***", "\n___", "\n===", "\n[^1]: ", "\n    ",
          "\n  "]


@settings(max_examples=examples(400))
@given(st.lists(st.sampled_from(PIECES), max_size=50).map("".join))
@example("[[a]](u) [b [c] d](u) ![x [y] z](u)")
@example("[a [b] c]{.x} [d]( [e]")
@example("^[a [b] c] [^1] x_y_ z __w__")
@example("\n> - \n> \n> ")  # an IndexError in the fenced-div rule, before any shortcut
@example("a\\*b\\_ [@k\\_x] \\*  \nc \\[d](u) *e\\**  x\\\\\\`")  # escapes taken by the text rule
@example("a\nb\n\nc\n===\nd\n> e\n---\n[f\n[^1]: g\n  - h\n  ==")  # setext asked only before an underline
@example("a\nb\nc\nd\ne  \nf\\\ng *h*\ni")  # lines joined and copied in one go
def test_shortcuts_read_what_markdown_it_reads(source: str):
    """The shortcuts only skip work: with and without them the reader gives the same text,
    offsets and regions, or the same refusal."""
    assert read_with(source, True) == read_with(source, False)


@settings(max_examples=examples(200))
@given(st.lists(st.sampled_from(["a", " ", "\t", "\n", "  \t", "\n\n", "-", "\x0c", "\r"]),
                min_size=1, max_size=30).map("".join))
@example("a\n  \t")  # a last line of spaces and tabs, no line break after it: no line
@example("\t  a\t b-\n\n\t ")  # and its indentation is no other line's
@example("  ")
@example("\t a\n \t\tb\n")
def test_line_marks_are_markdown_its(source: str):
    """The parser's block state, its line marks found list by list, is the one markdown-it
    makes."""
    from markdown_it.rules_block import StateBlock

    parser = markdown._parser()
    ours, theirs = markdown._state_block(source, parser, {}, []), StateBlock(source, parser, {}, [])
    assert vars(ours) == vars(theirs)


LINES = ["a", "b c", "x", "=", "==", "===", "= =", "=\t", "== ", "=a", "a=", "-", "--", "---",
         "-- ", "- -", "***", "___", "+++", "", "", "", " ", "  ", "\t", ": d", "~ d", ":", "::: {.d}",
         ":::", "# h", "#", "> q", "* i", "- i", "+ i", "1. i", "1) i", "12. i", "2024 x", "| a |",
         "|-|-|", "a | b", "a|", "--|--", "    c", "   a", " a", "\ta", "a  ", "a ", "a\t", "a\\",
         "a  b", "[r]: u", "[^1]: n", "[a]", "[@k]", "@k", "<div>", "</div>", "```", "~~~",
         "Table: c", "Table:c", ": c", "a_b", "_a", "*e*", "`c`", "a&amp;", "{.c}", "![i](u)",
         "\x0c", "\u00a0a", "a\u00a0", "a\0b", "é", "\\a", "!a", "^a", "a]", "{{ t }}", "\u3000",
         "\x1fa\x85", "   # h", "   - i", "   ===", "   ---", "1 a", "12", "1234567890. x", "1.5",
         "a_", "a_b_", "a _b_", "a \t", "a\t "]
"""Lines of block-dense Markdown: plain words, setext underlines and what looks like them,
blank lines, and lines starting every block (or ending a paragraph, or indented)."""
DENSE_LINES = ["a", "b c", "", "", "", "=", "-", "===", "---"] * 6 + LINES
"""The same, mostly plain lines, underlines and blank lines: runs of plain blocks."""


@settings(max_examples=examples(400))
@given(st.lists(st.sampled_from(DENSE_LINES), max_size=40).map("\n".join))
@example("a\n\nb\n\nc")
@example("a\n=\nb\n-\n=\n=\n=")  # setext headings, "=" starting one and underlining it
@example("a\n\n: d\n\nb")  # a definition list's term, a blank line between
@example("a\n~ d\nb\n\n~ d")
@example("a | b\n--|--\n\nc | d\n\ne\n|-|-|\n\nf|\n---\n\ng|\n--")  # pipe tables under a line of words
@example("a\n---\n\n---\nb\n- i\n\nc\n-- ")  # a list item and a break, or underlines
@example("a\nb\nc\n===\nd\ne\n\nf")  # headings and paragraphs of many lines
@example("a  \nb\n\na\\\nb\n\na  \n\na\t\n\na ")  # hard breaks, trailing spaces
@example("a\n    b\n\n    c\n\nd\n   e")  # lazy continuations, code, indentation
@example("a\0b\n\n\x0c\n\n\u00a0a\n\na\u00a0\n\n\u3000\n=")  # NUL, whitespace markdown-it trims or not
@example("Table: c\n\n: c\n\nTable:c\n\na")  # captions
@example("---\nt: x\n---\na\n\nb\n=")  # front matter, then plain blocks
@example("[r]: u\n\na [r]\n\n> q\n\nb\n\n- i\n\nc\n\n[^1]: n\n\nd [^1]")
@example("::: {.d}\na\n\nb\n:::\n\nc\n\n```\nd\n\ne\n```\n\nf\n<div>\ng\n\nh")
@example("a\n\n  \n\t\nb\n\n  ")  # blank lines of spaces and tabs, one last without a line break
@example("a_b\n\n*e*\n\na  b\n\n[@k]\n\nx\n\n{{ t }}\n\ny")  # one-line blocks read the long way
@example("a\n# h\nb\n> q\nc\n1. i\nd\n2) i\ne\n* i\nf\n    g\n- h\ni\n<div>\n\nj\n[^1]: n\n\n"
         "k\n```\n\nl\n::: {.d}\nm\n: d\nn\n[a]\n[^b\no\n=x\n\t-\n")  # what ends a paragraph of many lines
@example("a\nb -\n\nc\n\nd\n=")  # a setext heading rule that fails (markdown-it's parentType stays "paragraph")
@example("a\n   # h\nb\n   > q\nc\n   ***\nd\n   ===\n\ne\n    # f")  # indented up to 3 spaces, or 4
@example("\x85a\nb\x1f\n\n\x1fc\x85\n\n\x1c\n=")  # what str.strip() trims and markdown-it does not
@example("1 a\n\n12\n=\n1234567890. x\n\n1.5\n\n2) b\n\nc")  # digits, and list items
@example("a  \n=\nb \t\n\nc\t\n\nd_e f_\n\na_\n\n_b\n\nc _d_\n\nc\u00a0 \n\nd \u00a0")  # trailing spaces, _
def test_shortcuts_read_block_dense_markdown_as_markdown_it_does(source: str):
    """Blocks of plain lines one after another (read a run at a time, see
    markdown._plain_run), and paragraphs and headings of many lines (read jumping from a line
    that may end them to the next, see markdown._jumping_lines): the same text, offsets and
    regions as markdown-it's own rules give."""
    assert read_with(source, True) == read_with(source, False)


def test_runs_of_plain_blocks_are_read_without_a_token_or_block_each(monkeypatch):
    """The run reading is really taken: one token for the whole run, no Block made."""
    made: list[object] = []

    class Counted(markdown.Block):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            made.append(self)
            super().__init__(*args, **kwargs)

    # (first a setext heading rule that fails, leaving markdown-it's parentType "paragraph")
    source = ("x\n[y -\n\n" + "a\n\n" * 500 + "b c\n=\n" * 500 + "=\n" * 500 + "d\n-\n" * 500
              + "e f\ng\n\n" * 500 + "h\ni\n-\n" * 500)
    assert [t.type for t in markdown._parser().parse(source, {})] == \
        ["paragraph_open", "inline", "paragraph_close", "refmap_plain"]
    monkeypatch.setattr(markdown, "Block", Counted)
    model = markdown.read(source, "e.md")
    assert len(made) == 1
    assert model.text == "\n".join(["x [y -"] + ["a"] * 500 + ["b c"] * 500 + ["="] * 250
                                   + ["d"] * 500 + ["e f g"] * 500 + ["h i"] * 500)
    assert len(model.regions) == 1750 and {kind for _, _, kind in model.regions} == {"heading"}
    assert model == read_with(source, False)


@pytest.mark.parametrize("before", ["", "merging copy", "pending space"])
@pytest.mark.parametrize("last_lines", [None, [1, 3], [3], [0, 1, 2, 3]])
def test_paragraphs_in_bulk_are_the_pieces_of_copy_space_and_paragraph_break(
        before: str, last_lines: list[int] | None):
    from refmap.essay.readers.offsets import TextBuilder

    source = "ab cd\nef\ngh ij\nkl"
    starts, ends = [0, 6, 9, 15], [5, 8, 14, 17]
    bulk, one_by_one = TextBuilder(), TextBuilder()
    for builder in (bulk, one_by_one):
        if before == "merging copy":
            builder.copy("zz", -2)  # ends where the first line starts: copy() merges
        elif before == "pending space":
            builder.copy("zz", 50)
            builder.space(52, 53)
    at = bulk.paragraphs(source, starts, ends, last_lines)
    expected = []
    for k, (start, end) in enumerate(zip(starts, ends)):
        # (where the line starts; for the first, where a block starting there starts)
        expected.append(one_by_one.length + (k > 0 and one_by_one.pending_space is not None))
        one_by_one.copy(source[start:end], start)
        if last_lines is None or k in last_lines:
            one_by_one.paragraph_break(end)
        else:
            one_by_one.space(end, starts[k + 1])
    assert bulk.build() == one_by_one.build()
    assert at == expected


def test_lines_of_a_long_paragraph_are_not_asked_about_one_by_one():
    """The paragraph and setext heading rules jump from a line that may end the block to the
    next (markdown._jumping_lines): a paragraph of 10,000 lines of words (not a plain block:
    the first starts with `[`) asks the rules that end paragraphs about a few lines only."""
    parser = markdown._parser()
    chain = parser.block.ruler.__cache__["paragraph"]
    asked: list[int] = []

    def counted(state, line, end_line, silent):  # type: ignore[no-untyped-def]
        asked.append(line)
        return chain[0](state, line, end_line, silent)

    parser.block.ruler.__cache__["paragraph"] = [counted]
    for source, kind in [("[" + "a b\n" * 10_000, "paragraph_open"),
                         ("[\n" * 10_000 + "===\n", "heading_open"),
                         ("a\n" * 10_000 + "> q\n", "paragraph_open")]:
        asked.clear()
        tokens = parser.parse(source, {})
        assert tokens[0].type == kind and tokens[1].content == source.split("\n=")[0].split("\n>")[0].strip()
        assert len(asked) <= 2


# -- HTML: where comments and raw text end ---------------------------------------------------

@pytest.mark.parametrize("source, text", [
    ("<p>Shown.</p><!-- never closed <p>hidden</p>", "Shown."),
    ("<p>Shown.</p><!--><p>also shown</p>", "Shown.\nalso shown"),
    ("<p>Shown.</p><!--->also<!-- c --!> shown", "Shown.\nalso shown"),
    ("<p>Shown.</p><![CDATA[x]> shown", "Shown.\nshown"),
    ("<p>Shown.</p><script>x<p>hidden</p>", "Shown."),
    ("<p>Shown.</p><textarea><!--</textarea><p>shown too</p>", "Shown.\nshown too"),
    ("<p>Shown.</p><title><p>hidden</p></title><p>too</p>", "Shown.\ntoo"),
    ("<p>Shown.</p><p title='x<p>hidden</p>", "Shown."),
    ("<p>Shown.</p><!doctype x<p>shown", "Shown.\nshown"),
    ("<p>Shown.</p><plaintext><p>shown as written", "Shown.\n<p>shown as written"),
    ("<p>a &#; b &#x; <<< c < d</p>", "a &#; b &#x; <<< c < d"),
    ("<p>a < b</p><p>c</p>", "a < b\nc"),
])
def test_html_ends_comments_and_raw_text_where_the_standard_does(source: str, text: str):
    assert html_text(source) == text


def test_html_text_after_an_unclosed_comment_is_not_essay_text(tmp_path: Path, run):
    with_essay(tmp_path, "essay.html", b"<p>Words.</p><!-- draft notes: <p>secret</p>")
    result = run(["uncovered"], cwd=tmp_path)
    assert "secret" not in result.stdout


def test_html_runs_of_text_characters_keep_their_positions():
    source = "<p>x\n" + "<" * 50 + " &#; y</p>"
    essay = Essay.from_model("e.html", html.read(source, "e.html"))
    at = essay.text.index("y")
    assert essay.span(at) == ("e.html", 2, 56)


# -- Word ------------------------------------------------------------------------------------

def docx_bytes(xml: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


GOOD = docx_bytes(f"<w:document {W}><w:body>" + "<w:p><w:r><w:t>Hello there.</w:t></w:r></w:p>" * 20
                  + "</w:body></w:document>")


def damaged(kind: str) -> bytes:
    data = bytearray(GOOD)
    directory = data.rfind(b"PK\x01\x02")
    if kind == "size":  # the central directory's uncompressed size lies
        data[directory + 24:directory + 28] = (7).to_bytes(4, "little")
    elif kind == "crc":
        data[directory + 16:directory + 20] = b"\0\0\0\0"
    elif kind == "truncated":
        data = data[:len(data) // 2]
    elif kind == "header":
        data[30:40] = b"\xff" * 10
    return bytes(data)


@pytest.mark.parametrize("kind, reason", [
    ("size", "Bad CRC-32 for file 'word/document.xml'"),
    ("crc", "Bad CRC-32 for file 'word/document.xml'"),
    ("truncated", "its central directory is missing (a truncated file?)"),
    ("header", "File name in directory 'word/document.xml' and header "),
])
def test_a_damaged_docx_is_called_damaged(kind: str, reason: str, tmp_path: Path, run):
    with_essay(tmp_path, "essay.docx", damaged(kind))
    line = refused(run, tmp_path, ["check"])
    assert line.startswith(f"essay.docx:1:1: damaged zip: {reason}")
    assert line.endswith("; save the document again from Word")


def test_a_file_that_is_no_zip_is_still_called_no_zip():
    with pytest.raises(LoadError, match="a .docx is a zip archive and this file is not one"):
        docx.read_data(b"plain text, not a zip at all", "e.docx")


def test_docx_xml_with_a_dtd_is_refused_before_it_can_expand():
    bomb = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
            + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'
                      for i in range(9))
            + f"]><w:document {W}><w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body>"
              "</w:document>")
    with pytest.raises(LoadError) as caught:
        docx.read_data(docx_bytes(bomb), "e.docx")
    assert str(caught.value) == ("e.docx:1:1: not a Word document: word/document.xml declares a "
                                 "DTD, which Word never writes; save the document again from Word")


def test_docx_xml_nested_too_deep_is_refused_at_its_paragraph():
    deep = "<w:r>" * 300 + "<w:t>x</w:t>" + "</w:r>" * 300
    xml = (f"<w:document {W}><w:body><w:p><w:r><w:t>One.</w:t></w:r></w:p>"
           f"<w:p>{deep}</w:p></w:body></w:document>")
    with pytest.raises(LoadError) as caught:
        docx.read_data(docx_bytes(xml), "e.docx")
    assert str(caught.value) == ("e.docx:2:1: word/document.xml nests elements more than 256 "
                                 "levels deep; Word documents never do")


# -- front matter ----------------------------------------------------------------------------

ALIAS_BOMB = ("---\ntitle: T\na: &a [x, x, x, x, x, x, x, x, x]\n"
              + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
                        for i in range(9))
              + "bibliography: *j\n---\n\nText.\n")


@pytest.mark.parametrize("front, message", [
    (ALIAS_BOMB, "essay.md:3:4: front matter uses an anchor (&a): write the value out"),
    ("---\nbibliography: " + "[" * 60 + "]" * 60 + "\n---\n\nText.\n",
     "essay.md:2:64: front matter nests more than 50 levels deep"),
    ("---\nbibliography:\n  " + "- " * 3000 + "x\n---\n\nText.\n",
     "essay.md:3:101: front matter nests more than 50 levels deep"),
    ("---\ntitle: [unclosed\n---\n\nText.\n",
     "essay.md:3:1: front matter is not valid YAML: did not find expected ',' or ']'"),
])
def test_annotate_reads_front_matter_with_bounds(front: str, message: str, tmp_path: Path, run):
    with_essay(tmp_path, "essay.md", front.encode())
    assert refused(run, tmp_path, ["annotate", "--bibliography", "refs.json", "--in-place"]) \
        == message


def test_front_matter_fields():
    source = "---\ntitle: An essay\nauthor: [A. Writer, B. Writer]\n...\n\nText.\n"
    assert frontmatter.parse(source, "e.md") == {"title": "An essay",
                                                  "author": ["A. Writer", "B. Writer"]}
    assert frontmatter.parse("Text.\n", "e.md") is None



# -- pandoc's Markdown structure -------------------------------------------------------------

def test_pandoc_structures_are_read_as_paragraphs_without_their_syntax():
    source = ("| Year | Event |\n|---|---|\n| 2019 | 2019 |\n\n::: {.note}\nIn a div.\n:::\n\n"
              "A [spanned]{.smallcaps} word.\n\nTerm\n:   Its definition.\n\n"
              "+------+\n| grid |\n+======+\n| cell |\n+------+\n")
    essay = Essay.from_model("e.md", markdown.read(source, "e.md"))
    assert essay.text == ("Year\nEvent\n2019\n2019\nIn a div.\nA spanned word.\nTerm\n"
                          "Its definition.")
    second = essay.text.index("2019", essay.text.index("2019") + 1)
    assert essay.span(second) == ("e.md", 3, 10)  # the second cell, not the first


# -- Markdown: emphasis and inline notes without an inline parse ----------------------------

INLINE_PIECES = ["*", "**", "***", "_", "__", "a", "b", "1", " ", "  ", ".", ",", "(", ")", "!",
                 "\u201c", "\u201d", "\u2014", "$", "\u00a0", "\u3000", "\u0301", "\u00e9", "^[",
                 "]", "[", "^", "\\", "\n", "  \n", "[@k]", "^[a]", "^[*a*]", "a_b", "<", ">",
                 "{", "&", "\t", "[x](u)"]
"""Emphasis and inline notes, dense, with what their flanking turns on (Unicode punctuation
and whitespace, marks, `_` inside words) and what takes a block off the reader's emphasis-only
path (brackets, escapes, line breaks, citations...)."""
EMPHASIS_PIECES = ["*", "**", "***", "_", "__", "a", "b", "1", " ", "  ", ".", "\u201c", "\u201d",
                   "\u2014", "$", "\u00a0", "\u3000", "\u0301", "\u00e9", "^[a]", "^[*a*]",
                   "^[_ *b", "a_b", "\n", "\t", "*a*", "_b_", "**c**", "x*", "*y", "(", ")"]
"""The same, mostly what the emphasis-only path reads (a block of it reaches the path)."""


@settings(max_examples=examples(600))
@given(st.one_of(st.lists(st.sampled_from(EMPHASIS_PIECES), max_size=60),
                 st.lists(st.sampled_from(INLINE_PIECES), max_size=60)).map("".join))
@example("*a**b*")  # a run that both opens and closes, in the middle
@example("***a***")  # runs of three: strong inside em, every delimiter taken
@example("*a **b** c* **d*")  # an opener left over
@example("*foo**bar**baz*")  # rule of 3 (spec example 413)
@example("foo*bar***baz* __x_ y**")  # rule of 3, unmatched runs
@example("*a*** **b *c* d")  # partial runs, an opener skipped
@example("**a** __b__ ***c*** ___d___ *e* **f**")  # openers and closers of one to three
@example("****a**** **b*** ***c** *d**")  # four, or lengths that differ: the long way
@example("**a*b***c*")  # a failed closer bounds later lookups (openers_bottom)
@example("a_b_ _c_d_ e__f__g __h__")  # `_` inside words neither opens nor closes
@example("_a_b_ c_ \u201c_d_\u201d \u2014*e*\u2014 $*f*$")  # Unicode punctuation and symbols
@example("a\u00a0*b*\u00a0c \u3000_d_ *e*\u0301")  # Unicode whitespace, a combining mark
@example("*" * 25 + "a" + "*" * 25)  # deep emphasis: no nesting limit applies
@example("x^[a] y^[*b* c] *d ^[e] f* ^[g")  # notes, one left open
@example("^[a ^[b] c] ^[d [e](u)] *f*")  # notes with brackets: the long way
@example("*a*\n*b* c  \nd *e*")  # lines, a hard break
@example("*a*  \n   *b*   \n\t_c_  \n^[n]  \n[see  \n@k] x\u00a0 \ny")  # hard breaks' spaces
@example("^[a  \nb] *c*")  # a note holding a hard break: the long way
@example("*a*  *b* [@k] *c* [@j, p. 2]")  # runs of spaces, citations
@example("^[a]{.c} *b* <c> ^[d]")  # attributes, an angle bracket before a `>`
@example("*a*" * 3 + "\n\n" + "_b_ " * 3 + "\n> *c*\n- ^[d] e")  # several blocks
def test_shortcuts_read_emphasis_and_notes_as_markdown_it_does(source: str):
    """The emphasis-only path (markdown_inline.segments) and the inline-note rule that skips
    the note's words read what markdown-it's own rules read."""
    assert read_with(source, True) == read_with(source, False)


def test_emphasis_path_classifies_runs_as_markdown_its_scan_delims():
    """Each expression of markdown_inline._flanking takes a run exactly where markdown-it's
    scanDelims says it only opens, only closes or does neither, for every class of the
    characters around it (the text's ends too), run by run of one to four markers."""
    import re

    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline

    from refmap.essay.readers import markdown_inline

    samples = {"": "", " ": " ", "\t": "\t", "\n": "\n", "s": "\u00a0", ".": "\u201c", "a": "\u00e9",
               "^": "^", "[": "[", "]": "]", "*": "*", "_": "_"}
    md = MarkdownIt()
    for marker in "*_":
        for before, after in itertools.product(samples, repeat=2):
            if marker in (before, after):
                continue
            for length in range(1, 5):
                written = samples[before] + marker * length + samples[after]
                scanned = StateInline(written, md, {}, []).scanDelims(len(samples[before]),
                                                                      marker == "*")
                classes = written.translate(markdown_inline._CLASSES)
                assert classes == before + marker * length + after
                at = len(before)
                opens, closes, neither = markdown_inline._flanking(marker, length)
                kind = (scanned.can_open, scanned.can_close)
                assert (re.compile(opens).match(classes, at) is not None) == (kind == (True, False))
                assert (re.compile(closes).match(classes, at) is not None) == (kind == (False, True))
                assert (re.compile(neither).match(classes, at) is not None) == (kind == (False, False))
                runs = re.compile(markdown_inline._RUN_OR_NOTE).match(classes, at)
                assert (runs is not None and runs.end() == at + length) == any(kind)


@pytest.mark.parametrize("unit, text", [("*a* ", "a"), ("x _y_ ", "x y"), ("^[a]b ", "b"),
                                        ("**a** ", "a"), ("*a*  \n", "a")])
def test_emphasis_runs_are_read_without_markdown_its_inline_parse(unit: str, text: str,
                                                                  monkeypatch: pytest.MonkeyPatch):
    """A paragraph of emphasis and simple notes is read without an inline parse (a token per
    delimiter character), and in bulk: one piece per word."""
    from markdown_it.parser_inline import ParserInline

    def no_parse(*args: object) -> None:
        raise AssertionError("markdown-it's inline parse was called")

    monkeypatch.setattr(ParserInline, "parse", no_parse)
    essay = Essay.from_model("e.md", markdown.read(unit * 1000, "e.md"))
    assert essay.text == " ".join([text] * 1000)
    if "\n" in unit:  # one line each
        assert essay.span(essay.text.rindex(text)) == ("e.md", 1000, 2)
    else:
        assert essay.span(essay.text.rindex(text)) == ("e.md", 1, len(unit) * 999 + unit.index(text[0]) + 1)


def test_inline_notes_are_found_without_parsing_their_words(monkeypatch: pytest.MonkeyPatch):
    """With the shortcuts, a note ends where the plugin ends it, but its words are parsed only
    where they hold as many brackets as could nest up to the limit (see _NOTE_PARSED_FROM)."""
    from markdown_it.parser_inline import ParserInline

    parsed: list[str] = []
    parse = ParserInline.parse

    def counting(self: ParserInline, src: str, *args: object) -> object:
        parsed.append(src)
        return parse(self, src, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(ParserInline, "parse", counting)
    deep = "d " + "[" * 18 + "e" + "](u)" * 18
    assert md_text(f"See [x](u) and^[a *b* [c](u)] then^[{deep}] f.\n") == "See x and then f."
    assert parsed == [f"See [x](u) and^[a *b* [c](u)] then^[{deep}] f.", deep]


@pytest.mark.parametrize("depth", range(15, 24))
@pytest.mark.parametrize("unit", ["[a](u)", "[a]{.c}", "![a](u)", "^[a]", "[b ^[a]](u)"])
def test_links_nested_in_an_inline_note_are_refused_as_markdown_it_refuses_them(depth: int,
                                                                                 unit: str):
    """Around the nesting limit, a note whose words are not parsed with the shortcuts is read
    (or refused) as with markdown-it's own rules, which parse them."""
    opening, closing = unit.split("a", 1)
    source = "x^[" + opening * depth + "a" + closing * depth + "] y"
    assert read_with(source, True) == read_with(source, False)
