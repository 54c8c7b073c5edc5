"""The escaping every output shares: exact outputs for each rule (the readers' side is in
test_output_safety.py)."""

from __future__ import annotations

import json

import pytest
import yaml

from refmap.exporters.markdown import format_entry
from refmap.inert import (guard_block_start, json_for_script, markdown_text, replace_unseen,
                          web_link_target, yaml_metadata)
from refmap.mapfile.model import Name, Source


@pytest.mark.parametrize("text,expected", [
    ("<script>alert(1)</script>", r"\<script\>alert\(1\)\</script\>"),
    ("**x** _y_ `z`", r"\*\*x\*\* \_y\_ &#96;z&#96;"),
    ("[a](javascript:x)", r"\[a\]\(javascript\:x\)"),
    ("$x$ ^s^ ~t~ {.c}", r"\$x\$ \^s\^ \~t\~ \{\.c\}"),
    ("R&D &amp; #1 | x", r"R\&D \&amp; \#1 \| x"),
    ("don't \"q\" !", "don\\'t \\\"q\\\" \\!"),
    ("www.example.org", r"www\.example\.org"),
    ("see http://x.org/p.", r"see http\://x\.org/p."),
    ("End. Note: fine", "End. Note: fine"),
    ("wait... -- --- x", r"wait\.\.. \-- \-\-- x"),
    ("mail a@b.co or @key", "mail a\\@\u2060b\\.co or \\@\u2060key"),
    ("at @ sign", r"at \@ sign"),
    ("ends \\", r"ends \\"),
    ("  runs \n of\t space ", " runs of space "),
    ("nul\x00esc\x1b[1mdel\x7fc1\x9b", "nul\ufffdesc\ufffd\\[1mdel\ufffdc1\ufffd"),
])
def test_markdown_text_inline(text: str, expected: str):
    assert markdown_text(text, block_start=False) == expected


@pytest.mark.parametrize("text,expected", [
    ("- item", r"\- item"),
    ("1. first", r"1\. first"),
    ("12. twelfth", r"12\. twelfth"),
    ("a. letter", r"a\. letter"),
    ("iv. roman", r"iv\. roman"),
    ("1.5 million", r"1\.5 million"),
    ("= setext", r"\= setext"),
    (": definition", r"\: definition"),
    ("% title", r"\% title"),
    ("# heading", r"\# heading"),
    ("\\x", r"\\x"),
    ("`code`", "&#96;code&#96;"),
    ("&", r"\&"),
    (" - indented", r" \- indented"),
    ("Plain words", "Plain words"),
    ("1 in 3", "1 in 3"),
])
def test_markdown_text_at_a_block_start(text: str, expected: str):
    assert markdown_text(text) == expected


def test_block_start_escapes_only_the_start():
    assert markdown_text("- a - b") == r"\- a - b"
    assert markdown_text("- a", block_start=False) == "- a"


def test_a_marker_made_of_two_values_is_escaped():
    assert guard_block_start("a.") == r"a\."
    assert guard_block_start(r"\*x") == r"\*x"
    author_a = Source("k", "misc", title="- t", authors=(Name(family="a"),))
    assert format_entry(author_a) == r"a\. *- t*."


@pytest.mark.parametrize("url,expected", [
    ("https://example.org/a?b=1&c=%20#f", "https://example.org/a?b=1&c=%20#f"),
    ("HTTP://X.ORG/", "HTTP://X.ORG/"),
    ("https://例え.jp/パス", "https://%E4%BE%8B%E3%81%88.jp/%E3%83%91%E3%82%B9"),
    ("https://[::1]:8080/a[b]", "https://[::1]:8080/a%5Bb%5D"),
    ("https://x.org/<a>\"{b}|^`", "https://x.org/%3Ca%3E%22%7Bb%7D%7C%5E%60"),
    ("javascript:alert(1)", None),
    ("data:text/html,x", None),
    ("ftp://x.org/", None),
    ("//x.org/", None),
    ("http://", None),
    ("https://x.org/a b", None),
    ("https://x.org/\x1b", None),
    ("https://x.org/\x85", None),
    ("https://[x/", None),
])
def test_web_link_target(url: str, expected: str | None):
    assert web_link_target(url) == expected


def test_replace_unseen_keeps_tab_newline_and_text():
    text = "a\tb\nc\rd\u00a0e\u200bf\u202eg김"
    assert replace_unseen(text) == text
    assert replace_unseen("\x00\x08\x0b\x0c\x1f\x7f\x80\x9f\ud800\ufdd0\ufffe\U0010ffff") == \
        "\ufffd" * 12


def test_yaml_metadata_is_one_block_whatever_the_values():
    hostile = "x\n---\nevil: true\n...\n"
    block = yaml_metadata({"title": hostile, "author": ["yes", "1.0", "- a"], "flag": True})
    assert block.startswith("---\n") and block.endswith("\n---\n")
    inner = block[4:-4]
    assert "\n---\n" not in inner and "\n...\n" not in inner
    assert yaml.safe_load(inner) == {"title": hostile, "author": ["yes", "1.0", "- a"], "flag": True}


def test_json_for_script_escapes_and_round_trips():
    data = {"a": "</script><!--&>\u2028\u2029\ud800", "b": ["<", 1, None]}
    out = json_for_script(data)
    assert out == ('{\n  "a": "\\u003c/script\\u003e\\u003c!--\\u0026\\u003e\\u2028\\u2029\\ud800",\n'
                   '  "b": [\n    "\\u003c",\n    1,\n    null\n  ]\n}')
    assert json.loads(out) == data
    out.encode("utf-8")
