"""Markdown (CommonMark with footnotes and a YAML front matter) through markdown-it-py.

Paragraphs, headings, list items, block quotes, pipe-table cells, definition-list terms and
definitions, and the blocks of pandoc's fenced divs are paragraphs of the text; emphasis,
links, bracketed spans (`[words]{.class}`), inline code and footnote markers leave only their
words; front matter, code blocks, HTML blocks, grid tables, footnote definitions and pandoc
citations (`[@key, p. 4; @other]`) are not essay text.
markdown-it gives each block's lines only. The reader joins a block's lines with spaces (hard
breaks stay newlines) before parsing its inline markup, so a sentence is one run of text
whatever the wrapping (and the parser has no line breaks to tokenise); each inline token is then
found again in that joined text, in order, and mapped back to the line and column it is written
at (escapes and entities map to their whole written form).
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re
import types
from collections.abc import Callable, MutableMapping
from typing import TYPE_CHECKING, Any, NamedTuple

from refmap.errors import LoadError
from refmap.essay.readers import TextModel, markdown_inline
from refmap.essay.readers.markdown_inline import Segments
from refmap.essay.readers.offsets import TextBuilder, line_starts, same_length_lf
from refmap.spans import Span

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.parser_block import ParserBlock
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token
    from markdown_it.utils import EnvType

    BlockRule = Callable[[StateBlock, int, int, bool], bool]

MAX_BLOCK_NESTING = 50
"""Deepest nesting of block quotes and lists read (a list level takes two: list and item).
markdown-it stops reading a document silently past its limit; the reader refuses it instead."""
MAX_INLINE_NESTING = 20
"""Deepest nesting of links, images and emphasis inside one another (markdown-it's own limit,
past which it would take `[[[...[a]()` for something it is not). Each level costs a rescan of
a bracket run, so it stays low."""
_NOTE_PARSED_FROM = MAX_INLINE_NESTING - 2
"""Brackets in an inline note's words from which they are parsed (see
markdown_inline.footnote_inline_rule): below, no nesting in them can reach the limit, whether
markdown-it's label parser looks through them (one level more) or the parse reads them."""
_REGION_KINDS = {"heading_open": "heading", "th_open": "table", "td_open": "table",
                 "dt_open": "term"}
"""Blocks whose text is not running prose, by the token that opens them."""
_TABLE_CAPTION = re.compile(r"(?:Table)?:[ \t]")
"""A pandoc table caption: a paragraph starting "Table:" or ":" next to its table."""
_BRACKET_RULES = ("link", "span", "image", "footnote_ref", "footnote_inline")
"""Inline rules that need a `]` after where they start."""
_ALWAYS_ACTIVE = r"[\n\\`*&{]|(?<![^\W_])_|_(?![^\W_])"
"""Characters at which an inline rule of the parser may start wherever they are: line break,
escape, code, emphasis (`_` but inside a word, where it can neither open nor close), entity,
attributes. The other characters markdown-it stops its text rule at (`#$%+-:=@~` and friends)
start no rule of this parser; `[`, `]`, `!`, `^` and `<` matter only where something they
open can still close."""
_ACTIVE = {(brackets, angles): re.compile(
    _ALWAYS_ACTIVE + (r"|[\[\]!^]" if brackets else "") + ("|<" if angles else ""))
    for brackets in (False, True) for angles in (False, True)}
"""Where the text rule stops: at `[`, `]`, `!` and `^` only where a link, image, span or note
may start or end (up to _Bounds.openers: past it any label being read fails whatever its end),
at `<` only while a `>` follows (keyed by those two)."""

_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
"""What a backslash escapes (CommonMark's ASCII punctuation)."""
_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")

_PLAIN_ACTIVE = _ACTIVE[False, False]
_STARTS_A_RULE = frozenset("\n`*&{")
"""Characters at which a rule of this parser may start wherever they are (the backslash
aside: the text rule takes escapes)."""
_ANY_ACTIVE = _ACTIVE[True, True]
"""Every character at which a rule may start, wherever the text's closing characters are."""

_CITATION = re.compile(
    r"[ \t]*(?:\[(?:[^\[\]\\]|\\.)*?(?<=[\s;\[-])-?@\w(?:[^\[\]\\]|\\.)*\][ \t]*)+")
"""Pandoc citation groups in a row with the spaces around them; escapes (`\\(`) may be in
them."""
_OPENING_DELIMITER = re.compile(r"---[ \t]*\n[ \t]*\S")
_SPACE_RUN = re.compile(r"\s{2,}|[^\S ]")
_ODD_SPACE = re.compile(r"[^\S ]")
_SKIPPED_BLOCKS = {"footnote_block_open": 1, "footnote_block_close": -1,
                   "footnote_reference_open": 1, "footnote_reference_close": -1}
_SOFT_JOINT = re.compile(r"(?<!\\)(?<!  )\n")
"""A line break that is no hard break (after a backslash or two spaces)."""


def _parser(shortcuts: bool = True) -> MarkdownIt:
    """The parser; shortcuts=False leaves markdown-it's text rule as it is and tries links,
    spans and attributes wherever a `]` follows (the tests compare the two)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_plugin
    from mdit_py_plugins.container import container_plugin
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    parser = MarkdownIt("commonmark").use(front_matter_plugin).use(footnote_plugin)
    # pandoc's Markdown, as far as where text is: pipe tables (each cell a paragraph), grid
    # tables (not essay text: a word added to a cell would break its columns), fenced divs,
    # bracketed spans and attributes, definition lists.
    parser.enable("table")
    parser.block.ruler.before("table", "grid_table", _grid_table)
    parser.use(container_plugin, name="div", validate=lambda params, markup: bool(params.strip()))
    parser.use(attrs_plugin, spans=True).use(deflist_plugin)
    parser.disable("text_join")  # keep escapes and entities apart: they are written otherwise
    parser.disable("inline")  # run per block on its joined lines, see Block
    # One more level than the guards allow, so the guards see the deepest level and refuse it
    # before markdown-it's own limit skips the rest of the document without a word.
    parser.options["maxNesting"] = max(MAX_BLOCK_NESTING, MAX_INLINE_NESTING) + 1
    parser.block.ruler.before(parser.block.ruler.__rules__[0].name, "refmap_nesting",
                              _block_nesting_guard)
    if not shortcuts:  # with them, the text rule (asked first at every place) guards
        parser.inline.ruler.before(parser.inline.ruler.__rules__[0].name, "refmap_nesting",
                                   _inline_nesting_guard)
    for rule in parser.inline.ruler.__rules__:
        if rule.name == "footnote_inline" and shortcuts:  # without the words' tokens
            rule.fn = markdown_inline.footnote_inline_rule(_NOTE_PARSED_FROM)
        if rule.name in _BRACKET_RULES:
            rule.fn = _needs_closing_bracket(rule.fn, rule.name if shortcuts else "")
        elif not shortcuts:
            continue
        elif rule.name == "text":
            rule.fn = _text
        elif rule.name == "attr":
            rule.fn = _at_brace(rule.fn)
    parser.inline.ruler.__cache__ = None
    for block_rule in parser.block.ruler.__rules__:
        if block_rule.name == "container_div":
            block_rule.fn = _not_on_an_empty_line(block_rule.fn)
        elif block_rule.name == "lheading" and shortcuts:
            block_rule.fn = _with_an_underline_ahead(_jumping_lines(block_rule.fn, True))
        elif block_rule.name == "paragraph" and shortcuts:
            block_rule.fn = _jumping_lines(block_rule.fn, False)
    parser.block.ruler.__cache__ = None
    parser.options["refmap_shortcuts"] = shortcuts
    if shortcuts:
        _dispatch_by_first_character(parser, "", _RULE_STARTS)
        _dispatch_by_first_character(parser, "paragraph", _TERMINATOR_STARTS)
        cache = parser.block.ruler.__cache__
        assert cache is not None
        cache[""].insert(0, _plain_run)
        setattr(parser.block, "parse", types.MethodType(_parse_blocks, parser.block))
        parser.options["refmap_may_end"] = _may_end_a_paragraph(parser)
    return parser


def _parse_blocks(self: ParserBlock, src: str, md: MarkdownIt, env: EnvType,
                  out_tokens: list[Token]) -> list[Token] | None:
    """ParserBlock.parse, with the state's line marks found list by list (_state_block)."""
    if not src:
        return None
    state = _state_block(src, md, env, out_tokens)
    self.tokenize(state, state.line, state.lineMax)
    return state.tokens


_INDENT = re.compile(r"([ \t]+)")
_INDENT_AFTER_A_BREAK = re.compile(r"\n([ \t]+)")  # (found faster than ^ in MULTILINE)


def _state_block(src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> StateBlock:
    """The StateBlock markdown-it would make, its line marks found list by list instead of in
    a loop over the lines (a file of 133,000 short lines: about 60 ms there, 20 here): each
    line's start and end, indentation (spaces and tabs) and its width with tabs expanded,
    looked at on the indented lines only, and the extra entry at the end. As there, a last
    line of only spaces and tabs and no line break after it is no line."""
    from markdown_it.rules_block import StateBlock

    state = StateBlock("", md, env, tokens)  # every other field as markdown-it sets it
    state.src = src
    lines = src.split("\n")
    if not lines[-1].strip(" \t"):  # after the last line break, or spaces only: no line
        lines.pop()
    lengths = list(map(len, lines))
    begins = list(itertools.accumulate(map(operator.add, lengths, itertools.repeat(1)), initial=0))
    ends = list(map(operator.add, begins, lengths))
    begins[-1] = len(src)  # the extra entry
    ends.append(len(src))
    indents = [0] * len(begins)
    widths = [0] * len(begins)
    first = _INDENT.match(src)  # the first line, then the indented lines after a line break
    for found in itertools.chain([first] if first else [], _INDENT_AFTER_A_BREAK.finditer(src)):
        k = bisect.bisect_right(begins, found.start(1)) - 1
        if 0 <= k < len(lines) and begins[k] == found.start(1):  # not a last line left out
            indent = found.group(1)
            indents[k] = widths[k] = len(indent)
            if "\t" in indent:  # tabs to the next multiple of 4
                width = 0
                for character in indent:
                    width += 4 - width % 4 if character == "\t" else 1
                widths[k] = width
    state.bMarks, state.eMarks, state.tShift, state.sCount = begins, ends, indents, widths
    state.bsCount = [0] * len(begins)
    state.lineMax = len(lines)
    return state


_RULE_STARTS = {"container_div": ":", "fence": "`~", "blockquote": ">", "hr": "*-_",
                "list": "*-+0123456789", "footnote_def": "[", "reference": "[", "html_block": "<",
                "heading": "#", "grid_table": "+", "table": "", "front_matter": "-"}
"""Block rules by the first characters (indentation aside) of the line they can start at; a
table starts at any line, but only above a line starting with `|`, `-` or `:`. Rules not here
(code, setext headings, definition lists, paragraphs, the nesting guard) are asked at every
line. (Front matter starts only at the file's first character, a `-`.)"""
_RULE_PREFIXES = {"footnote_def": "[^"}
"""Rules that start only at a line starting with these two characters (a line of `[` asks no
footnote rule)."""
_TERMINATOR_STARTS = dict(_RULE_STARTS, deflist=":~")
"""The same for rules asked whether they end a paragraph (a definition's `:` line does)."""
_TABLE_DELIMITER_STARTS = "|-:"


def _dispatch_by_first_character(parser: MarkdownIt, chain: str, starts: dict[str, str]) -> None:
    """Make markdown-it, which asks every block rule of a chain about every line (each block's
    first line; for "paragraph", every line of a paragraph or setext heading, whether it ends
    it), ask only the rules that can start at that line's first character. The same rules
    answer, in the same order, so the blocks are the same; a line of prose asks only the few
    that can start anywhere."""
    ruler = parser.block.ruler
    rules = [(rule.name, rule.fn) for rule in ruler.__rules__
             if rule.enabled and (not chain or chain in rule.alt)]
    guarded = any(name == "refmap_nesting" for name, _ in rules)
    rules = [(name, fn) for name, fn in rules if name != "refmap_nesting"]  # asked first below
    def asked(key: str, table: bool) -> list[BlockRule]:
        """The rules to ask at a line starting with key (one character, or two where a rule
        needs both; "": an empty line), above a line that may be a table's delimiter row or
        not."""
        return [fn for name, fn in rules
                if (name not in starts or (key and key[0] in starts[name])
                    or (table and name == "table"))
                and (name not in _RULE_PREFIXES or key.startswith(_RULE_PREFIXES[name]))]

    keys = {c for chars in starts.values() for c in chars} | set(_RULE_PREFIXES.values())
    by_key = {key: (asked(key, False), asked(key, True)) for key in keys}
    always = (asked("", False), asked("", True))
    has_table = any(name == "table" for name, _ in rules)

    def dispatched(state: StateBlock, line: int, end_line: int, silent: bool) -> bool:
        if guarded and state.level >= MAX_BLOCK_NESTING:
            _block_nesting_guard(state, line, end_line, silent)
        src, pos = state.src, state.bMarks[line] + state.tShift[line]
        if pos < state.eMarks[line]:
            plain, below_a_table_row = by_key.get(src[pos:pos + 2]) or \
                by_key.get(src[pos], always)
        else:
            plain, below_a_table_row = always
        candidates = plain
        if has_table and line + 1 < end_line:
            below = state.bMarks[line + 1] + state.tShift[line + 1]
            if below < state.eMarks[line + 1] and src[below] in _TABLE_DELIMITER_STARTS:
                candidates = below_a_table_row
        for fn in candidates:
            if fn(state, line, end_line, silent):
                return True
        return False

    ruler.getRules(chain)  # compiles the chains, so the one set below is not recompiled
    assert ruler.__cache__ is not None
    ruler.__cache__[chain] = [dispatched]


def _not_on_an_empty_line(rule: BlockRule) -> BlockRule:
    """The rule, not asked about an empty line: the fenced-div rule reads the line's first
    character without looking whether it has one, and at the end of a file without a final
    line break (`> - \n> ` in a block quote) that is past the end of the text."""
    def guarded(state: StateBlock, line: int, end_line: int, silent: bool) -> bool:
        return state.bMarks[line] + state.tShift[line] < state.eMarks[line] and \
            rule(state, line, end_line, silent)
    return guarded


_UNDERLINE_END = re.compile(r"[=-][ \t]*$", re.MULTILINE)
_BLANK_LINE = re.compile(r"^[ \t]*$", re.MULTILINE)


class _Lines(NamedTuple):
    """Lines of a parse's source, found once: those that may be a setext underline (ending
    in `=` or `-` before trailing spaces) and the blank ones, ascending."""

    src: str
    underlines: list[int]
    blanks: list[int]


def _lines(state: StateBlock) -> _Lines:
    found: _Lines | None = getattr(state, "refmap_lines", None)
    if found is None or found.src is not state.src:
        ends = state.eMarks
        found = _Lines(state.src,
                       [bisect.bisect_left(ends, m.end()) for m in _UNDERLINE_END.finditer(state.src)],
                       [bisect.bisect_left(ends, m.end()) for m in _BLANK_LINE.finditer(state.src)])
        setattr(state, "refmap_lines", found)
    return found


def _with_an_underline_ahead(rule: BlockRule) -> BlockRule:
    """The setext heading rule, asked only where a line that may underline the heading comes
    before the next blank line. The rule looks for the underline line by line (asking every
    paragraph-ending rule about each) up to a blank line, and the paragraph rule then does it
    again: a paragraph of 100,000 lines was read twice. A line the rule takes as an underline
    holds only `=` or `-` after its indentation (and spaces after), so it ends in one; a blank
    line of the file is empty to the parser whatever contains it."""
    def guarded(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        lines = _lines(state)
        at = bisect.bisect_right(lines.underlines, start_line)
        if at == len(lines.underlines) or lines.underlines[at] >= end_line:
            return False
        blank = bisect.bisect_right(lines.blanks, start_line)
        if blank < len(lines.blanks) and lines.blanks[blank] < lines.underlines[at]:
            return False
        return rule(state, start_line, end_line, silent)
    return guarded


_NOT_PLAIN_FIRST = frozenset(" \t\n#>*+-_~`|:<[")
_PLAIN_FIRST = r"(?:[^ \t\n#>*+\-_~`|:<\[0-9]|[0-9]+(?![0-9.)]))"
_PLAIN_BLOCKS = re.compile(
    # plain lines (no underline among them; each line's rest taken whole, as a possessive
    # [^\n|]*+ would: a block that is not plain is given up on at once)
    rf"(?P<lines>{_PLAIN_FIRST}(?=(?P<rest>[^\n|]*))(?P=rest)"
    rf"(?:\n(?!=+[ \t]*(?:\n|\Z)){_PLAIN_FIRST}(?=(?P<more>[^\n|]*))(?P=more))*)"
    r"(?:\n(?P<underline>(?:=+|-+)[ \t]*)(?=\n|\Z)"  # then a setext underline
    r"|(?=\n[ \t]*(?:\n|\Z)|\Z)(?!\n[ \t]*\n[ \t]*[:~]))"  # or a blank line (no definition after it) or the end
    r"(?:\n|\Z)(?:[ \t]*\n)*"  # and the blank lines after it
    r"|")  # or nothing: where a run ends, finditer stops there
"""A block of plain lines and its setext underline if it has one, and the blank lines after
it; or an empty match where none starts (see _plain_run). (No possessive quantifiers, which
Python 3.11 gets wrong around groups: a lookahead and a backreference instead.)"""
_IS_BLOCK = operator.attrgetter("lastindex")


def _plain_run(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A run of blocks of plain lines at the document's root, as one `refmap_plain` token
    (its meta's "blocks": a _PLAIN_BLOCKS match per block); _read reads them. markdown-it
    makes three Tokens and asks a chain of rules for each block, a few microseconds each:
    66,666 one-word paragraphs took 0.7 s.

    A plain line starts at its line's start with a character no block rule of this parser
    starts at (nor interrupts a paragraph at: digits too, for ordered lists), and holds no `|`
    (a table's header row, above a delimiter row that may also be an underline). A block is
    plain lines (none of the lines after the first a line of `=`), then a line of only `=` or
    only `-` that underlines them as a setext heading (markdown-it looks for the underline
    before it asks what ends a paragraph; the first line may be `=` itself), or a blank line
    or the end that makes them a paragraph, unless one blank line and a `:` or `~` line follow
    (a definition list's term). markdown-it reads such blocks as exactly these paragraphs and
    headings whatever comes after them. Where anything else comes, the run ends before its
    block and markdown-it reads on."""
    if silent or state.level or state.blkIndent or end_line != state.lineMax:
        # (Level 0 is the root: every rule reading blocks inside its own opens a token first.
        # Not parentType, which stays "paragraph" after a setext heading rule that fails.)
        return False
    src, start = state.src, state.bMarks[start_line]
    if state.tShift[start_line] or src[start] in _NOT_PLAIN_FIRST:
        return False
    blocks = list(itertools.takewhile(_IS_BLOCK, _PLAIN_BLOCKS.finditer(src, start)))
    if not blocks:
        return False
    state.line = bisect.bisect_left(state.bMarks, blocks[-1].end())
    token = state.push("refmap_plain", "", 0)
    token.map = [start_line, state.line]
    token.meta["blocks"] = blocks
    return True


def _may_end_a_paragraph(parser: MarkdownIt) -> re.Pattern[str]:
    """Lines that may end a paragraph or setext heading, or underline it, at the document's
    root: a blank one, one starting (after its indentation) where _dispatch_by_first_character
    asks some rule that ends a paragraph (or with `=`), or one above a line that may be a
    table's delimiter row. markdown-it's loop asks about every line; the others are just
    taken by it."""
    starts, prefixes = {"="}, []
    for rule in parser.block.ruler.__rules__:
        if not rule.enabled or "paragraph" not in rule.alt:
            continue
        if rule.name in _RULE_PREFIXES:
            prefixes.append(re.escape(_RULE_PREFIXES[rule.name]))
        elif rule.name in _TERMINATOR_STARTS:
            starts |= set(_TERMINATOR_STARTS[rule.name])
        else:  # asked at every line
            return re.compile("^", re.MULTILINE)
    return re.compile(
        rf"^(?:[ \t]*(?:$|[{re.escape(''.join(sorted(starts)))}]{''.join('|' + p for p in prefixes)})"
        rf"|.*\n[ \t]*[{re.escape(_TABLE_DELIMITER_STARTS)}])", re.MULTILINE)


def _jumping_lines(rule: BlockRule, heading: bool) -> BlockRule:
    """The paragraph rule (heading False) or the setext heading rule (heading True), at the
    document's root going from one line that may end the block (_may_end_a_paragraph) to the
    next, where markdown-it's loop asks the paragraph-ending rules about each line of it (a
    paragraph of 100,000 lines of words was 100,000 rounds of that loop). At each of those
    lines the same steps as markdown-it's, then the same tokens; inside other blocks (their
    lines' marks moved past `>` markers, or indented) the rule as it is."""
    from markdown_it.common.utils import mdTrim

    def jumping(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        if state.level or state.blkIndent or end_line != state.lineMax or state.is_code_block(start_line):
            return rule(state, start_line, end_line, silent)
        src, marks, counts = state.src, state.bMarks, state.sCount
        terminators = state.md.block.ruler.getRules("paragraph")
        may_end: re.Pattern[str] = state.md.options["refmap_may_end"]
        old_parent = state.parentType
        state.parentType = "paragraph"
        line, level, marker = start_line + 1, 0, ""
        while line < end_line:
            found = may_end.search(src, marks[line])
            if found is None:
                line = end_line
                break
            line = bisect.bisect_left(marks, found.start(), line)
            if line >= end_line or state.isEmpty(line):
                break
            if counts[line] > 3:  # a lazy continuation line
                line += 1
                continue
            if heading:
                pos = marks[line] + state.tShift[line]
                marker = src[pos]
                if marker in "-=":
                    pos = state.skipSpaces(state.skipCharsStr(pos, marker))
                    if pos >= state.eMarks[line]:
                        level = 1 if marker == "=" else 2
                        break
            if any(terminator(state, line, end_line, True) for terminator in terminators):
                break
            line += 1
        if heading and not level:
            return False  # (markdown-it leaves parentType as "paragraph" there too)
        content = mdTrim(src[marks[start_line]:state.eMarks[line - 1]])
        if heading:
            state.line = line + 1
            token = state.push("heading_open", "h" + str(level), 1)
            token.markup = marker
            token.map = [start_line, state.line]
            token = state.push("inline", "", 0)
            token.content = content
            token.map = [start_line, state.line - 1]
            token.children = []
            token = state.push("heading_close", "h" + str(level), -1)
            token.markup = marker
        else:
            state.line = line
            token = state.push("paragraph_open", "p", 1)
            token.map = [start_line, state.line]
            token = state.push("inline", "", 0)
            token.content = content
            token.map = [start_line, state.line]
            token.children = []
            state.push("paragraph_close", "p", -1)
        state.parentType = old_parent
        return True
    return jumping


_GRID_BORDER = re.compile(r"\+(?:[-=:]+\+)+[ \t]*\Z")


def _grid_table(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A pandoc grid table: a `+---+` border, then lines starting with `|` or `+`."""
    def line(n: int) -> str:
        return state.src[state.bMarks[n] + state.tShift[n]:state.eMarks[n]]

    if state.sCount[start_line] - state.blkIndent >= 4 or not _GRID_BORDER.match(line(start_line)):
        return False
    last = start_line + 1
    while last < end_line and line(last).startswith(("|", "+")):
        last += 1
    if last == start_line + 1 or not _GRID_BORDER.match(line(last - 1)):
        return False
    if not silent:
        token = state.push("grid_table", "", 0)
        token.map = [start_line, last]
    state.line = last
    return True


class _TooDeep(Exception):
    """Raised inside the parser where nesting passes a limit; read() turns it into a LoadError."""

    def __init__(self, offset: int, limit: int, inline: bool):
        super().__init__(offset)
        self.offset, self.limit, self.inline = offset, limit, inline


def _block_nesting_guard(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.level >= MAX_BLOCK_NESTING:
        raise _TooDeep(state.bMarks[start_line] + state.tShift[start_line], MAX_BLOCK_NESTING,
                       inline=False)
    return False


def _inline_nesting_guard(state: StateInline, silent: bool) -> bool:
    if state.level >= MAX_INLINE_NESTING:
        raise _TooDeep(state.pos, MAX_INLINE_NESTING, inline=True)
    return False


class _Bounds(NamedTuple):
    """Where the last of each closing character is in the text being parsed: past it, no
    construct that needs one can start."""

    src: str
    bracket: int
    angle: int
    paren: int
    brace: int
    openers: int
    """Past this, `[`, `![` and `^[` start nothing that can succeed: past the last `]`, or, when the document
    defines no link references and the text holds no `^` (footnotes), past the last `)` and
    `{` (the inline link's destination, the span's attributes)."""


def _bounds(src: str, env: MutableMapping[str, Any]) -> _Bounds:
    """The bounds of src, found once per text (each rfind is a scan of it). Kept for every
    text parsed (a block's, an image's alt or a note's, parsed inside the block's), so going
    back to the outer text does not scan it again."""
    known: dict[int, _Bounds] = env.setdefault("refmap_bounds", {})
    found = known.get(id(src))
    if found is None or found.src is not src:
        bracket, paren, brace = src.rfind("]"), src.rfind(")"), src.rfind("{")
        openers = bracket
        if not env.get("references") and "^" not in src:
            openers = min(bracket, max(paren, brace))
        found = known[id(src)] = _Bounds(src, bracket, src.rfind(">"), paren, brace, openers)
    return found


def _next_active(src: str, pos: int, end: int, bounds: _Bounds) -> int:
    """Where in src[pos:end] a rule of this parser may first start (end if nowhere)."""
    if pos > bounds.openers and pos >= bounds.angle:  # past every closing character
        found = _PLAIN_ACTIVE.search(src, pos, end)
        return end if found is None else found.start()
    while pos < end:
        brackets, angles = pos <= bounds.openers, pos < bounds.angle
        stop = min(end, bounds.openers + 1 if brackets else end, bounds.angle + 1 if angles else end)
        found = _ACTIVE[brackets, angles].search(src, pos, stop)
        if found is not None:
            return found.start()
        pos = stop
    return end


def _text(state: StateInline, silent: bool) -> bool:
    """markdown-it's text rule, stopping only where a rule of this parser may start (see
    _ACTIVE): runs of characters that start nothing (`[` with no `]` after it, `<` with no `>`,
    `_` inside a word, `@`, `=`...) become one text token instead of one rule loop each.

    A backslash escape of punctuation (`\\*`) is taken into the run too, as markdown-it's
    escape rule would take it (it always succeeds there, and starts nothing else): the run up
    to its last escape becomes one `refmap_escaped` token, read escape by escape by
    Block.on_refmap_escaped exactly as the text and text_special tokens markdown-it would give,
    and the rest of the run is pending text as usual (so a line's trailing spaces still make a
    hard break). A run of escapes is then one rule loop, not three per escape."""
    if state.level >= MAX_INLINE_NESTING:
        _inline_nesting_guard(state, silent)
    start, src, end = state.pos, state.src, state.posMax
    if src[start] in _STARTS_A_RULE:
        return False
    bounds = _bounds(src, state.env)
    pos, escaped = _next_active(src, start, end, bounds), start
    while pos + 1 < end and src[pos] == "\\" and src[pos + 1] in _ESCAPABLE:
        escaped = pos + 2
        pos = _next_active(src, escaped, end, bounds)
    if pos == start:
        return False
    if not silent:
        if escaped > start:
            state.push("refmap_escaped", "", 0).content = src[start:escaped]
            start = escaped
        if pos > start:
            state.append_pending(src[start:pos])
    state.pos = pos
    return True


def _needs_closing_bracket(rule: Callable[[StateInline, bool], bool], name: str
                           ) -> Callable[[StateInline, bool], bool]:
    """The rule, tried only where what it needs follows: a `]` for all of them, and a `)`
    (inline form) or a reference definition (reference form) for links and images, a `{` for
    bracketed spans. Without this check each `[` of a run would rescan the run (up to the
    nesting limit), or a link's destination (up to 32 parentheses deep)."""
    def guarded(state: StateInline, silent: bool) -> bool:
        bounds = _bounds(state.src, state.env)
        pos = state.pos
        if pos > bounds.bracket:
            return False
        if name in ("link", "image") and pos > bounds.paren and not state.env.get("references"):
            return False
        if name == "span" and pos > bounds.brace:
            return False
        return rule(state, silent)
    return guarded


def _at_brace(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """The attributes rule, tried only at a `{` (it copies the rest of the text to look)."""
    def guarded(state: StateInline, silent: bool) -> bool:
        return state.src[state.pos] == "{" and rule(state, silent)
    return guarded


def read(source: str, display: str) -> TextModel:
    """The text model of a Markdown essay."""
    from refmap.fileio import gc_paused

    with gc_paused():  # a parse's tokens all live until it returns, none in a cycle
        return _read(source, display)


def _read(source: str, display: str) -> TextModel:
    flat = _blank_templates(same_length_lf(source))
    parser = _parser()
    env: dict[str, object] = {}
    try:
        tokens = parser.parse(flat, env)
    except _TooDeep as deep:
        raise _too_deep(deep, flat, display, deep.offset) from None
    if _OPENING_DELIMITER.match(flat) and not any(t.type == "front_matter" for t in tokens):
        raise LoadError("front matter opened here is never closed: add a '---' line after it",
                        span=Span(display, 1, 1))
    starts: list[int] = []  # the lines' starts, found where a block needs them
    builder = TextBuilder()
    in_notes = floor = 0
    regions: list[tuple[int, int, str]] = []

    def read_block(token: Token, opened: str, floor: int) -> int:
        """Read an inline token's block; returns where its text ends in the source."""
        if not starts:
            starts.extend(line_starts(flat))
        block = Block(flat, starts, token, builder, floor)
        region_start = builder.length
        try:
            children = _inline_tokens(parser, block.joined, env)
        except _TooDeep as deep:
            raise _too_deep(deep, flat, display, block.source_of(deep.offset)) from None
        floor = block.add(children)
        kind = _REGION_KINDS.get(opened)
        if kind is None and opened == "paragraph_open" and _TABLE_CAPTION.match(block.joined):
            kind = "caption"
        if kind is not None and builder.length > region_start:
            regions.append((region_start, builder.length, kind))
        builder.paragraph_break(floor)
        return floor

    opened = ""
    for token in tokens:
        in_notes += _SKIPPED_BLOCKS.get(token.type, 0)
        if token.type == "refmap_plain":
            if not in_notes:
                floor = _read_plain(token.meta["blocks"], starts, builder, regions, read_block,
                                    floor)
            continue
        if token.type != "inline":
            opened = token.type if token.nesting == 1 else ""
        if token.type == "inline" and not in_notes and token.map and token.content:
            floor = read_block(token, opened, floor)
    text, offsets = builder.build()
    return TextModel(text, source, offsets, "markdown", tuple(regions))


_NOT_COPIED_AS_IT_IS = re.compile(
    r"(?P<trailing>[ \t]+(?=\n|\Z))|" + _ALWAYS_ACTIVE.replace(r"\n", "") + r"|[\[\]!^<]"
    r"|[^\S \n]|  |^Table:", re.MULTILINE)
"""Where a plain line may not be copied as written (see _read_plain): a character an inline
rule may start at, a run of spaces or other whitespace (read as one space, or trimmed by
markdown-it: other whitespace than spaces is, and str.strip() would trim more), a table
caption's start. Spaces and tabs at its end only (markdown-it trims them) leave the line
copied without them."""


def _read_plain(blocks: list[re.Match[str]], starts: list[int], builder: TextBuilder,
                regions: list[tuple[int, int, str]],
                read_block: Callable[[Token, str, int], int], floor: int) -> int:
    """Read a run of plain blocks (see _plain_run) as _read reads the tokens markdown-it makes
    for them; returns the floor after them. A block that no inline rule starts in, with
    single spaces only (and no spaces or tabs at the end of a line but its last, which would
    make a hard break), is its lines as written joined by spaces, and its paragraph ends
    where it does: runs of them are added to the builder in bulk, as are the regions of those
    that are headings. The other blocks go through read_block with the inline token
    markdown-it makes."""
    from markdown_it.common.utils import mdTrim
    from markdown_it.token import Token

    src = blocks[0].string
    firsts = list(map(_START, blocks))
    ends = list(map(_LINES_END, blocks))
    slow = set()
    search, stop = _NOT_COPIED_AS_IT_IS.search, blocks[-1].end()
    odd = search(src, firsts[0], stop)
    while odd is not None:  # the first odd place of each block with one: on to the next block
        i = bisect.bisect_right(firsts, odd.start()) - 1
        if odd.start() < ends[i]:
            if odd.group("trailing") is None or odd.end() < ends[i]:  # (before a line break)
                slow.add(i)
            else:  # (the block's words are no space: they start with no space)
                ends[i] = odd.start()
        odd = search(src, firsts[i + 1], stop) if i + 1 < len(firsts) else None
    breaks = list(map(src.find, itertools.repeat("\n"), firsts, ends))  # -1: one line
    lo = 0
    for stop in [*sorted(slow), len(blocks)]:
        if stop > lo and max(breaks[lo:stop]) < 0:  # lines lo..stop - 1 are copied as written
            text_starts = builder.paragraphs(src, firsts[lo:stop], ends[lo:stop])
            regions += [(at, at + end - first, "heading") for at, first, end, underline
                        in zip(text_starts, firsts[lo:stop], ends[lo:stop],
                               map(_UNDERLINE_START, blocks[lo:stop])) if underline >= 0]
            floor = ends[stop - 1]
        elif stop > lo:  # the same, some of more than one line: their lines joined by spaces
            line_firsts, line_ends, last_lines = [], [], []
            for first, end, at in zip(firsts[lo:stop], ends[lo:stop], breaks[lo:stop]):
                while at >= 0:
                    line_firsts.append(first)
                    line_ends.append(at)
                    first, at = at + 1, src.find("\n", at + 1, end)
                line_firsts.append(first)
                line_ends.append(end)
                last_lines.append(len(line_ends) - 1)
            text_starts = builder.paragraphs(src, line_firsts, line_ends, last_lines)
            first_lines = [0, *(k + 1 for k in last_lines[:-1])]
            regions += [(text_starts[first], text_starts[last] + line_ends[last] - line_firsts[last],
                         "heading") for first, last, block in zip(first_lines, last_lines,
                                                                  blocks[lo:stop])
                        if block.start("underline") >= 0]
            floor = ends[stop - 1]
        if stop == len(blocks):
            break
        block = blocks[stop]
        content = mdTrim(block.group("lines"))
        if content:
            if not starts:
                starts.extend(line_starts(src))
            row = bisect.bisect_left(starts, block.start())
            token = Token("inline", "", 0, map=[row, row + block.group("lines").count("\n") + 1],
                          content=content)
            floor = read_block(token, "heading_open" if block.start("underline") >= 0 else "paragraph_open",
                               floor)
        lo = stop + 1
    return floor


_START = operator.methodcaller("start")
_UNDERLINE_START = operator.methodcaller("start", "underline")
_LINES_END = operator.methodcaller("end", "lines")


def _inline_tokens(parser: MarkdownIt, joined: str, env: MutableMapping[str, Any]
                   ) -> list[Token] | Segments | None:
    """The inline tokens of a block's joined lines. Where no rule can start anywhere in them,
    markdown-it would give one text token of them all: None, without a parse (Block.add reads
    the whole text as that token). Text without any character a rule may start at needs no
    bounds to tell. Where the only markup is emphasis and simple inline notes, the text
    tokens' places, found without a parse (see markdown_inline)."""
    if parser.options.get("refmap_shortcuts"):
        if _ANY_ACTIVE.search(joined) is None:
            return None
        bounds = _bounds(joined, env)
        if _next_active(joined, 0, len(joined), bounds) == len(joined):
            return None
        found = markdown_inline.segments(parser, joined, bounds.openers, bounds.angle)
        if found is not None:
            return found
    children: list[Token] = []
    parser.inline.parse(joined, parser, env, children)
    return children


_TOML_FRONT_MATTER = re.compile(r"\+\+\+[ \t]*\n.*?\n\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)
_TEMPLATE_OPEN = re.compile(r"\{[{%]")
_TEMPLATE_CLOSE = {"{{": "}}", "{%": "%}"}
MAX_TEMPLATE_TAG = 2000
"""Longest shortcode or template tag blanked out (a longer `{{ ... }}` is read as text)."""


def _blank(match_text: str) -> str:
    if "\n" not in match_text:
        return " " * len(match_text)
    return re.sub(r"[^\n]", " ", match_text)


def _blank_templates(text: str) -> str:
    """The text with a Hugo TOML front matter (`+++`), Hugo shortcodes (`{{< >}}`,
    `{{% %}}`) and Jekyll/Liquid tags (`{% %}`, `{{ }}`) blanked out, offsets kept: they are
    the site generator's, not the essay's, and a caption inside one is not essay text. Each
    kind of closing is looked for once per stretch, so runs of openings take linear time."""
    toml = _TOML_FRONT_MATTER.match(text)
    if toml is not None:
        text = _blank(toml.group()) + text[toml.end():]
    if "{{" not in text and "{%" not in text:
        return text
    pieces: list[str] = []
    last = pos = 0
    next_close: dict[str, int | None] = {"}}": None, "%}": None}
    openings = _TEMPLATE_OPEN
    while True:
        opening = openings.search(text, pos)
        if opening is None:
            break
        close = _TEMPLATE_CLOSE[opening.group()]
        at = next_close[close]
        if at is None or (at != -1 and at < opening.end()):
            at = next_close[close] = text.find(close, opening.end())
        if at == -1:  # no closing of this kind is left: look for the other kind only
            alive = [o for o, c in _TEMPLATE_CLOSE.items() if next_close[c] != -1]
            if not alive:
                break
            openings = re.compile(re.escape(alive[0]))
            pos = opening.start() + 1
            continue
        if at + len(close) - opening.start() > MAX_TEMPLATE_TAG:
            pos = opening.start() + 1
            continue
        end = at + len(close)
        pieces += [text[last:opening.start()], _blank(text[opening.start():end])]
        last = pos = end
    pieces.append(text[last:])
    return "".join(pieces)


def _too_deep(deep: _TooDeep, flat: str, display: str, offset: int) -> LoadError:
    starts = line_starts(flat)
    line = bisect.bisect_right(starts, offset)
    what = "links, images or emphasis" if deep.inline else "block quotes or lists"
    return LoadError(f"{what} nested more than {deep.limit} levels deep: refmap reads no text "
                     "nested deeper; nest less", span=Span(display, line, offset - starts[line - 1] + 1))


class Block:
    """One block's inline content, its lines joined, and the map from it back to the source."""

    def __init__(self, source: str, starts: list[int], token: Token, builder: TextBuilder,
                 floor: int = 0):
        """floor: where the block before it ends (table cells share their row's line)."""
        assert token.map is not None
        content = token.content
        lines = self.lines = content.split("\n")
        self.line_sources: list[int] = []
        """Where each content line is written (its indentation and > markers stripped): the
        first place it is found from its line's start (and the block before's end)."""
        for k, line in enumerate(lines):
            row = min(token.map[0] + k, len(starts) - 1)
            if k == 1 and floor <= starts[row] and \
                    source.startswith(content[len(lines[0]) + 1:], starts[row]):
                # The other lines are written as they are, each from its line's start (no
                # indentation or > markers): found there, one slice for them all.
                self.line_sources += starts[row:row + len(lines) - 1]
                break
            found = source.find(line, max(starts[row], floor)) if line else -1
            self.line_sources.append(starts[row] if found < 0 else found)
        self.line_starts: list[int] = [0, *map(operator.add, itertools.accumulate(map(len, lines[:-1])),
                                    range(1, len(lines)))]
        """Where each content line starts in the joined text."""
        if "\\\n" in content or "  \n" in content:
            self.joined = _SOFT_JOINT.sub(" ", content)
        else:
            self.joined = content.replace("\n", " ")
        """The lines joined, with a space (a newline after a hard break)."""
        self.citations = ([(m.start(), m.end()) for m in _CITATION.finditer(self.joined)]
                          if "@" in self.joined else [])
        """Where citation groups are in the joined text: not essay text, whatever tokens the
        parser cut them into (an escape inside one is a token of its own)."""
        self.citation_ends = [cite_end for _, cite_end in self.citations]
        self.cursor = 0
        self.builder = builder

    def source_of(self, pos: int) -> int:
        """Source offset of an offset in the joined text (a joint: the end of its line)."""
        k = bisect.bisect_right(self.line_starts, pos) - 1
        return self.line_sources[k] + min(pos - self.line_starts[k], len(self.lines[k]))

    def add(self, children: list[Token] | Segments | None) -> int:
        """Add the tokens' words (None: the whole text is one text token; Segments: the text
        tokens' places, markdown-it's other tokens adding no words); returns where in the
        source the block's text ends."""
        if children is None:
            self._text(self.joined)
            return self.source_of(len(self.joined))
        if isinstance(children, Segments):
            self._segments(children)
            return self.source_of(len(self.joined))
        handlers = _HANDLERS
        for child in children:
            handler = handlers.get(child.type)
            if handler is not None:
                handler(self, child)
        return self.source_of(len(self.joined))

    def _segments(self, segments: Segments) -> None:
        """Add joined[start:end] for each segment as on_text adds a text token of it found
        there, and each hard break as on_hardbreak adds it. A segment on one line, with no
        citation in the block and no run of spaces in it, is one copy of its own (the ones
        before and after are not written next to it): those are added in bulk."""
        joined, starts, ends, breaks = self.joined, segments.starts, segments.ends, segments.breaks
        texts = [joined[start:end] for start, end in zip(starts, ends)]
        if not (breaks or self.citations or "  " in joined or _ODD_SPACE.search(joined)):
            self._plain_segments(texts, starts, ends)
            return
        line_starts, lengths = self.line_starts, list(map(len, self.lines))
        sources, builder = self.line_sources, self.builder
        plain = not self.citations
        batch: list[str] = []
        batch_sources: list[int] = []
        breaks = [*breaks, len(joined)]  # the last: past every segment
        after = 0
        for text, start, end in zip(texts, starts, ends):
            while breaks[after] < start:
                builder.copy_apart(batch, batch_sources)
                batch, batch_sources = [], []
                builder.space(self.source_of(breaks[after]), self.source_of(breaks[after] + 1))
                after += 1
            k = bisect.bisect_right(line_starts, start) - 1
            if plain and end <= line_starts[k] + lengths[k] and "  " not in text \
                    and not _ODD_SPACE.search(text):
                batch.append(text)
                batch_sources.append(sources[k] + start - line_starts[k])
                continue
            builder.copy_apart(batch, batch_sources)
            batch, batch_sources = [], []
            self.cursor = start
            self._text(text)
        builder.copy_apart(batch, batch_sources)
        for at in breaks[after:-1]:
            builder.space(self.source_of(at), self.source_of(at + 1))

    def _plain_segments(self, texts: list[str], starts: list[int], ends: list[int]) -> None:
        """_segments where the block has no citation, hard break or run of spaces: each
        segment within a line is a copy of its own, in bulk; one across a line's end is added
        the long way (the joint is a word break)."""
        line_starts, builder = self.line_starts, self.builder
        if len(line_starts) == 1:
            shift = self.line_sources[0]
            builder.copy_apart(texts, [shift + start for start in starts])
            return
        # Each line's shift (source offset - joined offset) and end, repeated for the segments
        # starting on it (found with a search per line, not per segment).
        firsts = list(map(bisect.bisect_left, itertools.repeat(starts), line_starts))
        counts = list(map(operator.sub, [*firsts[1:], len(starts)], firsts))
        shifts = map(operator.sub, self.line_sources, line_starts)
        line_ends = map(operator.add, line_starts, map(len, self.lines))
        repeated = itertools.chain.from_iterable
        sources = list(map(operator.add, starts, repeated(map(itertools.repeat, shifts, counts))))
        inside = list(map(operator.le, ends, repeated(map(itertools.repeat, line_ends, counts))))
        last = 0
        for across in itertools.compress(range(len(texts)), map(operator.not_, inside)):
            builder.copy_apart(texts[last:across], sources[last:across])
            self.cursor = starts[across]
            self._text(texts[across])
            last = across + 1
        builder.copy_apart(texts[last:], sources[last:])

    def _find(self, needle: str) -> int:
        """Where needle is next written (the cursor if it cannot be found: never guess ahead)."""
        found = self.joined.find(needle, self.cursor) if needle else -1
        return self.cursor if found < 0 else found

    def _skip_to_after(self, needle: str) -> None:
        self.cursor = self._find(needle) + len(needle)

    def _copy(self, text: str, pos: int) -> None:
        """Copy joined[pos:pos + len(text)], line by line; each joint is a space."""
        end = pos + len(text)
        starts, lines, sources, builder = self.line_starts, self.lines, self.line_sources, self.builder
        k = bisect.bisect_right(starts, pos) - 1
        if end <= starts[k] + len(lines[k]):  # within one line
            builder.copy(text, sources[k] + pos - starts[k])
            return
        last = bisect.bisect_right(starts, end - 1) - 1
        if last - k > 2 and pos < starts[k] + len(lines[k]):
            # Across many lines: the first line's rest, the lines between, the last line's
            # start, with the joints between them (and after the last, if text ends on it).
            last_end = starts[last] + len(lines[last])
            builder.copy_lines(
                [self.joined[pos:starts[k] + len(lines[k])], *lines[k + 1:last],
                 self.joined[starts[last]:min(end, last_end)]],
                [sources[k] + pos - starts[k], *sources[k + 1:last + 1]],
                list(map(operator.add, sources[k:last], map(len, lines[k:last]))),
                sources[k + 1:last + 1])
            if end > last_end:
                builder.space(sources[last] + len(lines[last]), sources[last + 1])
            return
        while pos < end:
            line_end = starts[k] + len(lines[k])
            if pos >= line_end:  # the joint between line k and k + 1
                builder.space(sources[k] + len(lines[k]), sources[k + 1])
                pos += 1
                k += 1
                continue
            stop = min(end, line_end)
            builder.copy(self.joined[pos:stop], sources[k] + pos - starts[k])
            pos = stop

    def _copy_words(self, words: str, pos: int) -> None:
        if "  " not in words and not _ODD_SPACE.search(words):
            self._copy(words, pos)
            return
        last = 0
        for run in _SPACE_RUN.finditer(words):
            self._copy(words[last:run.start()], pos + last)
            self.builder.space(self.source_of(pos + run.start()), self.source_of(pos + run.end()))
            last = run.end()
        self._copy(words[last:], pos + last)

    def on_text(self, token: Token) -> None:
        self._text(token.content)

    def _text(self, content: str) -> None:
        at = self.joined.find(content, self.cursor)
        if at < 0:  # not written as given (should not happen): keep its words, at the cursor
            where = self.source_of(self.cursor)
            self.builder.stand_in(content, where, where)
            return
        self.cursor = at + len(content)
        if self.citations:
            self._copy_outside_citations(at, self.cursor)
        else:
            self._copy_words(content, at)

    def _copy_outside_citations(self, start: int, end: int) -> None:
        """Copy joined[start:end] but the citation groups in it; a group with spaces on both
        sides leaves one space, where the group ends."""
        pos = start
        first = bisect.bisect_right(self.citation_ends, start)
        for cite_start, cite_end in self.citations[first:]:
            if cite_start >= end:
                break
            if cite_start > pos:
                self._copy_words(self.joined[pos:cite_start], pos)
            if cite_end <= end and self.joined[cite_start] in " \t" and self.joined[cite_end - 1] in " \t":
                self.builder.space(self.source_of(cite_end - 1), self.source_of(cite_end))
            pos = max(pos, cite_end)
        if pos < end:
            self._copy_words(self.joined[pos:end], pos)

    def on_text_special(self, token: Token) -> None:  # an escape or an entity
        self._special(token.markup, token.content)

    def _special(self, markup: str, content: str) -> None:
        at = self._find(markup)
        self.cursor = at + len(markup)
        if self.citations and any(start <= at < end for start, end in self.citations):
            return
        self.builder.stand_in(content, self.source_of(at), self.source_of(self.cursor))

    def on_refmap_escaped(self, token: Token) -> None:
        """Text with backslash escapes of punctuation in it (see _text): each piece read as
        on_text and on_text_special read the tokens markdown-it gives for it."""
        content = token.content
        at = self.cursor
        if not self.citations and self.joined.startswith(content, at) and \
                "  " not in content and not _ODD_SPACE.search(content):
            k = bisect.bisect_right(self.line_starts, at) - 1
            if at + len(content) <= self.line_starts[k] + len(self.lines[k]):
                # Where it is written, on one line, no citation and no run of spaces in it:
                # one copy with stand-ins, the pieces the long way below would give.
                self.cursor = at + len(content)
                self.builder.copy_replacing(
                    content, self.line_sources[k] + at - self.line_starts[k],
                    [(m.start(), m.end(), m.group()[1]) for m in _ESCAPE.finditer(content)])
                return
        last = 0
        for escape in _ESCAPE.finditer(content):
            if escape.start() > last:
                self._text(content[last:escape.start()])
            self._special(escape.group(), escape.group()[1])
            last = escape.end()
        if last < len(content):
            self._text(content[last:])

    def on_softbreak(self, token: Token) -> None:
        at = self._find("\n")
        self.cursor = at + 1
        self.builder.space(self.source_of(at), self.source_of(self.cursor))

    on_hardbreak = on_softbreak

    def on_code_inline(self, token: Token) -> None:
        self._skip_to_after(token.markup)
        self.on_text(token)
        self._skip_to_after(token.markup)

    def on_em_open(self, token: Token) -> None:
        self._skip_to_after(token.markup)

    on_em_close = on_strong_open = on_strong_close = on_em_open

    def on_link_open(self, token: Token) -> None:
        self._skip_to_after("<" if token.markup == "autolink" else "[")

    def on_link_close(self, token: Token) -> None:
        if token.markup == "autolink":
            self._skip_to_after(">")
            return
        self._skip_to_after("]")
        self.cursor = _after_destination(self.joined, self.cursor)

    def on_image(self, token: Token) -> None:
        self._skip_to_after("![")
        self._skip_to_after("]")
        self.cursor = _after_destination(self.joined, self.cursor)

    def on_span_open(self, token: Token) -> None:  # [text]{.class}
        self._skip_to_after("[")

    def on_span_close(self, token: Token) -> None:
        self._skip_to_after("]")
        if self.joined.startswith("{", self.cursor):
            self._skip_to_after("}")

    def on_footnote_ref(self, token: Token) -> None:
        # [^label] or an inline note ^[...]: looking for the other's opening would scan the
        # rest of the block (each time) and could land on a later one.
        self._skip_to_after("[^" if "label" in token.meta else "^[")
        self._skip_to_after("]")

    def on_html_inline(self, token: Token) -> None:
        self._skip_to_after(token.content)


_HANDLERS = {name[3:]: method for name, method in vars(Block).items()
             if name.startswith("on_")}


def _after_destination(source: str, i: int) -> int:
    """The offset after a link's `(destination "title")` or `[label]` starting at i, if any."""
    if source.startswith("[", i):
        end = source.find("]", i)
        return i if end < 0 else end + 1
    if not source.startswith("(", i):
        return i
    depth, quote = 0, ""
    for j in range(i, len(source)):
        ch = source[j]
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'" and depth == 1 and source[j - 1] in " \t\n":
            quote = ch
        elif ch == "\\":
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return j + 1
    return i
