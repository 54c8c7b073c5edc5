"""Benchmark the essay readers on hostile input: runs of markup that once made them slow.

Each hostile input is read (file text -> text model -> Essay) and timed against a benign
essay of the same size (Markdown: prose with emphasis, links and a footnote, wrapped at 72
columns, as bench_readers.py writes it; HTML: paragraphs of the same prose; plain text: the
same prose in paragraphs; .docx: the same prose, one run per paragraph, the size counted in
characters of document.xml), the two timed in
turn so both see the same load on a shared machine. Two numbers per input, both medians:

- ratio: hostile / benign at the same size                                   target <= 3
- growth: hostile at the full size / hostile at half the size   linear ~2, quadratic ~4

Asserts nothing, since machines are noisy. Inputs that the reader refuses (nesting past its
limit) are timed up to the refusal. `--clock cpu` times the process's CPU time instead of the
wall clock, steadier on a loaded machine (the readers use one thread).

Rows named "reference: ..." are not hostile: plain words, but cut into as many blocks or lines
as the block-dense hostile inputs (setext underlines, runs of `[` lines). They show what
markdown-it-py's per-block and per-line work costs by itself, which those inputs pay too.
Markdown rows also print `vs mdit`: the reader's time over a stock
`MarkdownIt("commonmark").parse` of the same input (no plugins, no refmap), timed in the same
rounds: where the ratio to benign is high but `vs mdit` is about 1 or below, the time is
markdown-it's own.

    python bench/bench_hostile_readers.py [--size 200000] [--repeat 3] [--only NAME] [--clock cpu]
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import time
import zipfile
from collections.abc import Callable
from typing import Any
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_readers import marked_up, wrap
from inputs import make_essay

from refmap.errors import LoadError
from refmap.essay.text import Essay
from refmap.essay.readers import docx, html, markdown, plain

TARGET = 3.0


def repeat_to(unit: str, size: int) -> str:
    return unit * max(size // len(unit), 1)


def benign_markdown(size: int) -> str:
    rng = random.Random(7)
    paragraphs = make_essay(rng, size).split("\n")
    return wrap([marked_up(p, rng, n) for n, p in enumerate(paragraphs)])[:size]


def benign_html(size: int) -> str:
    rng = random.Random(7)
    paragraphs = make_essay(rng, size).split("\n")
    body = "\n".join(f"<p>{p.replace('. ', '. <em>x</em> ')}</p>" for p in paragraphs)
    return f"<html><body><article>\n{body}\n</article></body></html>"[:size]


MARKDOWN_CASES: dict[str, Callable[[int], str]] = {
    "[@ run": lambda n: repeat_to("[@", n),
    "[ run": lambda n: repeat_to("[", n),
    "[ run, ] at the end": lambda n: repeat_to("[", n - 1) + "]",
    "[a]( run": lambda n: repeat_to("[a](", n),
    "![ run": lambda n: repeat_to("![", n),
    "[^ run": lambda n: repeat_to("[^", n),
    "[ lines": lambda n: repeat_to("[\n", n),
    "[@ lines": lambda n: repeat_to("[@\n", n),
    "setext = underlines": lambda n: repeat_to("a\n=\n", n),
    "setext - underlines": lambda n: repeat_to("a\n-\n", n),
    "lines then one underline": lambda n: repeat_to("a\n", n - 4) + "===\n",
    "underline runs": lambda n: repeat_to("=\n", n),
    "_a run": lambda n: repeat_to("_a", n),
    "*a* run": lambda n: repeat_to("*a* ", n),
    "escapes": lambda n: repeat_to("a\\*", n),
    "< run": lambda n: repeat_to("<", n),
    "block quotes 60 deep": lambda n: repeat_to("> " * 60 + "deep\n\n", n),
    "lists 30 deep": lambda n: "".join("  " * i + "- x\n" for i in range(30)) + repeat_to("a ", n),
    "[a] run": lambda n: repeat_to("[a]", n),
    "^[a] run (inline notes)": lambda n: repeat_to("^[a]", n),
    "reference: one-word paragraphs": lambda n: repeat_to("a\n\n", n),
    "reference: one-word lines": lambda n: repeat_to("a\n", n),
}
HTML_CASES: dict[str, Callable[[int], str]] = {
    "unclosed <!--": lambda n: "<p>a</p><!--" + repeat_to("<p>b</p>", n - 12),
    "<!-- run": lambda n: repeat_to("<!--", n),
    "< run": lambda n: "<p>" + repeat_to("<", n - 3),
    "nested <div>": lambda n: repeat_to("<div>", n // 2) + repeat_to("</div>", n // 2),
    "entities": lambda n: "<p>" + repeat_to("&amp;", n - 3),
    "&# run, ; at the end": lambda n: "<p>" + repeat_to("&#", n - 4) + ";",
    "unclosed <textarea>": lambda n: "<p>a</p><textarea>" + repeat_to("<p>b</p>", n - 18),
    "<!--> run": lambda n: "<p>" + repeat_to("<!-->a", n - 3),
}


def benign_plain(size: int) -> str:
    return make_essay(random.Random(7), size).replace("\n", "\n\n")[:size]


PLAIN_CASES: dict[str, Callable[[int], str]] = {
    "newline runs": lambda n: repeat_to("\n", n),
    "blank lines of spaces": lambda n: "a\n" + repeat_to(" \n", n - 2),
    "tab runs, no newline after": lambda n: "a\n" + "\t" * (n - 2),
    "CR runs": lambda n: "a" + repeat_to("\r", n - 1),
    "short lines, no blank line": lambda n: repeat_to("ab cd\n", n),
    "one long line": lambda n: repeat_to("a ", n),
}

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_of(body: str) -> bytes:
    """A .docx holding document.xml with this body."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", f"<w:document {_W}><w:body>{body}</w:body></w:document>")
    return buffer.getvalue()


def benign_docx(size: int) -> bytes:
    paragraphs = make_essay(random.Random(7), size).split("\n")
    body = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>" for p in paragraphs)
    return docx_of(body[:size - 200].rpartition("</w:p>")[0] + "</w:p>")


DOCX_CASES: dict[str, Callable[[int], bytes]] = {
    "one-character runs": lambda n: docx_of(
        "<w:p>" + repeat_to("<w:r><w:t>a</w:t></w:r>", n - 200) + "</w:p>"),
    "empty paragraphs": lambda n: docx_of(repeat_to("<w:p/>", n - 200)),
    "tabs and breaks": lambda n: docx_of("<w:p><w:r>" + repeat_to("<w:tab/><w:br/>", n - 200)
                                         + "</w:r></w:p>"),
    "elements 250 deep": lambda n: docx_of(repeat_to(
        "<w:p>" + "<w:ins>" * 250 + "<w:t>a</w:t>" + "</w:ins>" * 250 + "</w:p>", n - 200)),
    "text boxes in text boxes": lambda n: docx_of(repeat_to(
        "<w:p>" * 100 + "<w:r><w:t>a</w:t></w:r>" + "</w:p>" * 100, n - 200)),
}


def timed_in_turn(jobs: list[tuple[Callable[[Any], object], object]], repeat: int,
                  clock: Callable[[], float] = time.perf_counter) -> list[float]:
    """Median seconds of each (reader, input) job, the jobs run in turn on every round."""
    times: list[list[float]] = [[] for _ in jobs]
    for _ in range(repeat):
        for i, (read, text) in enumerate(jobs):
            start = clock()
            try:
                read(text)
            except LoadError:
                pass
            times[i].append(clock() - start)
    return [statistics.median(t) for t in times]


def read_markdown(text: str) -> Essay:
    return Essay.from_model("e.md", markdown.read(text, "e.md"))


def read_html(text: str) -> Essay:
    return Essay.from_model("e.html", html.read(text, "e.html"))


def stock_markdown_it(text: str) -> object:
    """markdown-it-py's own parse, as a user of the library would call it."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").parse(text)


def read_plain(text: str) -> Essay:
    return Essay.from_model("e.txt", plain.read(text, "e.txt"))


def read_docx(data: bytes) -> Essay:
    return Essay.from_model("e.docx", docx.read_data(data, "e.docx"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="run the inputs whose name holds this")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    size = args.size
    print(f"{'input (' + str(size) + ' characters)':40} {'ratio':>6} {'growth':>7} "
          f"{'median s (hostile / benign)':>28}")
    for label, read, benign, cases in (
        ("markdown", read_markdown, benign_markdown, MARKDOWN_CASES),
        ("html", read_html, benign_html, HTML_CASES),
        ("txt", read_plain, benign_plain, PLAIN_CASES),
        ("docx", read_docx, benign_docx, DOCX_CASES),
    ):
        for name, make in cases.items():
            if args.only not in f"{label}: {name}":
                continue
            hostile = make(size)
            jobs = [(read, hostile), (read, make(size // 2)), (read, benign(size))]
            if label == "markdown":
                jobs.append((stock_markdown_it, hostile))
            full, half, base, *stock = timed_in_turn(jobs, args.repeat, clock)
            against_stock = f"  vs mdit {full / stock[0]:5.2f}" if stock else ""
            ratio = full / base
            verdict = "ok" if ratio <= TARGET else "OVER"
            print(f"{label + ': ' + name:40} {ratio:6.2f} {full / half:7.2f} "
                  f"{full:12.3f} / {base:7.3f}  {verdict}{against_stock}")


if __name__ == "__main__":
    main()
