"""refmap.references.importers.bibsplit: a large .bib split in two processes gives bibtexparser's
own split, block for block and attribute for attribute, or falls back to it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from bibtexparser.entrypoint import parse_string
from bibtexparser.library import Library
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import ROOT, examples
from refmap.references.importers import bibsplit

sys.path.insert(0, str(ROOT / "bench"))
from bench_import import make_bib  # noqa: E402  (the benchmark's generated library)


def shape(value: Any) -> Any:
    """A block (or field) as comparable data: every attribute bibtexparser set, the blocks a
    failed block wraps, and an error by its type and message."""
    if isinstance(value, BaseException):
        return (type(value).__name__, str(value))
    if isinstance(value, list):
        return [shape(v) for v in value]
    if hasattr(value, "__dict__"):
        return (type(value).__name__, {k: shape(v) for k, v in vars(value).items()})
    return value


def blocks(library: Library) -> Any:
    return shape(library.blocks)


def sequential(text: str) -> Library:
    return parse_string(text, parse_stack=[])


def cuts(text: str) -> list[int]:
    found, at = [], 0
    while (cut := bibsplit.cut_point(text, at)) is not None:
        found.append(cut)
        at = cut + 1
    return found


# -- pieces of .bib text: whatever the splitter meets in real files, and what breaks it ------

GOOD = ["{Plain}", "{With {Braces} inside}", '"Quoted {x} text"', "jan", "2019",
        "macro # { tail}", "{Line one\n  line two}", "{A line\n with @misc{inline, so = {text}}}",
        '"quote {"} escape"', "{\\{escaped\\}}", "{LeQua @ {CLEF}}", "{a, b = c}"]
BAD = ["{unclosed", '"unclosed', "{x}}", "{ends with backslash \\\\}",
       "{An abstract\n@misc{looks, like = {an entry}}\nstill the value}"]
VALUE = st.sampled_from(GOOD * 24 + BAD)
"""Mostly values that parse, so that most cuts are joined and compared; now and then one that
breaks its entry, so that the fallback is tried too."""
FIELDS = st.lists(st.tuples(st.sampled_from(["title", "author", "Title", "year", "note", "month",
                                             "title"]), VALUE),
                  max_size=4, unique_by=lambda kv: kv[0] if kv[0] != "Title" else "x"
                  ).map(lambda kvs: ",\n".join(f"  {k} = {v}" for k, v in kvs))
"""An entry's fields: a name used twice is rare (Title and title are two names to the
splitter), as in real files."""


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["entry"] * 12 + ["paren", "paren", "string", "comment",
                                                 "preamble", "implicit", "broken", "empty"]))
    key = draw(st.sampled_from(["a", "b", "c", "A"]))
    fields = draw(FIELDS)
    if kind == "entry":
        return f"@article{{{key},\n{fields}\n}}\n"
    if kind == "paren":
        return f"@Book({key},\n{fields}\n)\n"
    if kind == "string":
        return f"@string{{{key} = {draw(VALUE)}}}\n"
    if kind == "comment":
        return "@comment{jabref-meta: {x}; @misc{not, an = entry}}\n"
    if kind == "preamble":
        return '@preamble{"\\newcommand{\\x}{y}"}\n'
    if kind == "implicit":
        return draw(st.sampled_from(["% a comment line\n", "\n\n", "free text @ home\n",
                                     "@nota block\n"]))
    if kind == "broken":
        return f"@misc{{{key}, title = {{never closed\n"
    return f"@misc{{{key}}}\n"


TEXTS = st.lists(block(), min_size=1, max_size=10).map("".join)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS)
@example(text="@article{a,\n  title = {x}\n}\n@article{a,\n  title = {y}\n}\n")  # a repeat across
@example(text="@article{a,\n  note = {An abstract\n@misc{looks, like = {an entry}}\nstill}\n}\n"
              "@article{b,\n  title = {x}\n}\n")  # a cut inside a value: the first part fails
@example(text='@article{a,\n  title = "quote {"}\n}\n@article{b, title = {x}}\n')
def test_every_cut_gives_the_sequential_split_or_none(text: str) -> None:
    expected = blocks(sequential(text))
    for cut in cuts(text)[:6]:
        library = bibsplit.split_at(text, cut)
        if library is not None:
            assert blocks(library) == expected, cut


def test_a_large_library_is_split_in_two_processes_with_the_same_blocks(
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = make_bib(1200)
    used: list[int] = []
    split_at = bibsplit.split_at

    def spy(text: str, cut: int) -> Library | None:
        library = split_at(text, cut)
        used.append(library is not None)
        return library

    monkeypatch.setattr(bibsplit, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(bibsplit, "split_at", spy)
    library = bibsplit.split_bibtex(text)
    assert used == [True]  # the second process's blocks were used
    assert blocks(library) == blocks(sequential(text))
    assert len(library.entries) == 1200


def test_clean_texts_are_split_in_two() -> None:
    """The fallback is for parts that failed: a clean library is not split again in one piece
    (which would make the parallel split pure cost)."""
    text = make_bib(300)
    for cut in cuts(text)[1::40]:
        assert bibsplit.split_at(text, cut) is not None


def test_a_cut_inside_a_value_falls_back() -> None:
    text = ("@article{a,\n  abstract = {Begins here\n@misc{b,\n  title = {inside the value}\n}\n"
            "and ends here},\n  title = {A}\n}\n@article{c,\n  title = {C}\n}\n")
    inside = text.index("@misc")
    assert bibsplit.cut_point(text, 10) == inside
    assert bibsplit.split_at(text, inside) is None
    assert blocks(bibsplit.split_bibtex(text)) == blocks(sequential(text))


def test_a_child_that_fails_means_one_split_in_this_process(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(library: Library) -> None:
        raise RuntimeError("the child's part could not be packed")

    text = make_bib(200)
    monkeypatch.setattr(bibsplit, "pack", broken)  # the forked child runs this copy
    monkeypatch.setattr(bibsplit, "PARALLEL_MIN_CHARS", 0)
    assert bibsplit.split_at(text, cuts(text)[50]) is None
    assert blocks(bibsplit.split_bibtex(text)) == blocks(sequential(text))


def test_no_fork_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise AssertionError("forked while another thread ran")

    monkeypatch.setattr(bibsplit, "PARALLEL_MIN_CHARS", 0)
    monkeypatch.setattr(os, "fork", no_fork)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        text = make_bib(100)
        assert blocks(bibsplit.split_bibtex(text)) == blocks(sequential(text))
    finally:
        stop.set()
        other.join()


def test_the_child_writes_nothing_of_the_parents(tmp_path: Path) -> None:
    """Output this process had not flushed yet is written once, by this process."""
    bib = tmp_path / "big.bib"
    bib.write_text(make_bib(3000), "utf-8")
    script = ("import sys\n"
              "from refmap.references.importers import bibsplit\n"
              "print('before the split')\n"
              "text = open(sys.argv[1], encoding='utf-8').read()\n"
              "assert len(text) >= bibsplit.PARALLEL_MIN_CHARS\n"
              "print(len(bibsplit.split_bibtex(text).entries))\n")
    done = subprocess.run([sys.executable, "-c", script, str(bib)], capture_output=True,
                          text=True, check=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.stdout == "before the split\n3000\n"
    assert done.stderr == ""
