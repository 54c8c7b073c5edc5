"""Deep nesting refused before the C composer can overflow its stack; reader errors located."""

from __future__ import annotations

import pytest
import yaml

from refmap.mapfile import yamlguard
from refmap.mapfile import yamlio
from refmap.errors import LoadError
from refmap.mapfile.yamlguard import MAX_NESTING, check_nesting, may_nest_deeply, reader_error


def test_cheap_bound_lets_ordinary_maps_through():
    text = "claims:\n" + "  - {id: c1, tags: [a, b]}\n" * 100
    assert not may_nest_deeply(text)
    assert may_nest_deeply("a: " + "[" * (MAX_NESTING + 1))
    assert may_nest_deeply("a:\n" + "- " * (MAX_NESTING // 2) + "x\n")


def test_many_brackets_but_shallow_is_accepted():
    text = "a: [" + ", ".join("[x]" for _ in range(2 * MAX_NESTING)) + "]\n"
    assert may_nest_deeply(text)
    check_nesting(text, "m.yaml", yaml.CSafeLoader)  # no error: depth 3


@pytest.mark.parametrize("text, col", [
    ("a: " + "[" * 50_000 + "]" * 50_000 + "\n", 3 + MAX_NESTING),
    ("a: " + "{b: " * 50_000 + "1" + "}" * 50_000 + "\n", 4 + 4 * (MAX_NESTING - 1)),
], ids=["flow-sequences", "flow-mappings"])
def test_deep_flow_nesting_is_an_error_not_a_crash(text: str, col: int):
    with pytest.raises(LoadError) as caught:
        yamlio.compose(text, "m.yaml")
    assert str(caught.value) == (f"m.yaml:1:{col}: invalid YAML: collections nested more than "
                                 f"{MAX_NESTING} levels deep")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\u2028"])
def test_cheap_bound_sees_deep_block_prefixes_after_every_line_break(newline: str):
    assert may_nest_deeply("- " * (MAX_NESTING // 2) + "x")
    assert may_nest_deeply(f"a:{newline}" + "- " * (MAX_NESTING // 2) + "x")
    assert may_nest_deeply(f"a:{newline}" + " " * (MAX_NESTING // 2) + "x")
    assert not may_nest_deeply(f"a:{newline}" + "- " * (MAX_NESTING // 4 - 1) + "x")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_deep_compact_block_nesting_is_an_error(newline: str):
    with pytest.raises(LoadError) as caught:
        yamlio.compose(f"a:{newline}" + "- " * 30_000 + "x\n", "m.yaml")
    assert caught.value.message == (f"invalid YAML: collections nested more than {MAX_NESTING} "
                                    "levels deep")
    assert caught.value.span is not None and caught.value.span.line == 2


def test_nesting_at_the_limit_is_accepted():
    depth = MAX_NESTING - 1  # the top-level mapping is one level
    root = yamlio.compose("a: " + "[" * depth + "]" * depth + "\n", "m.yaml")
    assert isinstance(root, yaml.MappingNode)


@pytest.mark.parametrize("text, line, col", [
    ("a: é\nb: x\x1by\n", 2, 5),
    ("a: é\r\nb: x\x1by\r\n", 2, 5),
    ("a: é\rb: x\x1by\r", 2, 5),
    ("a: \u00e9\u4e2d\x7f\n", 1, 6),
], ids=["lf", "crlf", "cr", "multibyte"])
def test_raw_control_character_is_located_in_characters(text: str, line: int, col: int):
    with pytest.raises(LoadError) as caught:
        yamlio.compose(text, "m.yaml")
    assert caught.value.span is not None
    assert (caught.value.span.line, caught.value.span.col) == (line, col)
    code = ord(text[caught.value.span.col - 1 if line == 1 else text.index("x") + 1])
    assert caught.value.message == (f"invalid YAML: character U+{code:04X} cannot appear in a "
                                    "YAML file; remove it")


def test_pure_python_reader_offsets_are_characters():
    text = "a: é\nb: x\x1by\n"
    with pytest.raises(yaml.reader.ReaderError) as raised:
        yaml.compose(text, Loader=yaml.SafeLoader)
    error = reader_error(raised.value, text, "m.yaml", byte_offset=False)
    assert str(error) == "m.yaml:2:5: invalid YAML: character U+001B cannot appear in a YAML file; remove it"


def test_the_c_parser_refuses_deep_nesting_by_itself():
    """What makes counting beforehand unnecessary: libyaml stops at a limit of its own."""
    assert yamlguard.parser_limits_nesting(yaml.CSafeLoader)
    deep = "a: " + "[" * 600 + "]" * 600 + "\n"
    assert not yamlguard.must_count_first(deep, yaml.CSafeLoader)


@pytest.fixture
def no_pure_python_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any use of the pure-Python parser fail the test."""
    class Forbidden:
        def __init__(self, stream: str) -> None:
            raise AssertionError("the pure-Python parser ran")

    monkeypatch.setattr(yaml, "SafeLoader", Forbidden)


def test_flow_heavy_map_is_composed_without_a_pure_python_parse(no_pure_python_parser):
    text = "claims:\n" + "".join(f"  - {{id: c{i}, tags: [a, b], c: [{{s: x}}]}}\n"
                                 for i in range(1_000))
    assert may_nest_deeply(text)
    root = yamlio.compose(text, "m.yaml")
    assert len(root.value[0][1].value) == 1_000


@pytest.mark.parametrize("text, line, col", [
    ("a: " + "[" * 600 + "]" * 600 + "\n", 1, 3 + MAX_NESTING),
    ("a:\n" + "".join(" " * i + "- \n" for i in range(700)), 1 + MAX_NESTING, MAX_NESTING),
    ("a:\n" + "".join(" " * i + f"k{i}:\n" for i in range(1, 700)) + " " * 700 + "x\n",
     1 + MAX_NESTING, 1 + MAX_NESTING),
    ("a: [x, y]\nb: " + "[" * 600 + "]" * 600 + "\na: dup\n", 2, 3 + MAX_NESTING),
    ("b: " + "[" * 600 + "]" * 600 + "\nc: ]\n", 1, 3 + MAX_NESTING),
], ids=["flow", "block-sequences", "block-mappings", "before-a-duplicate",
        "before-a-syntax-error"])
def test_depth_the_c_parser_accepts_is_counted_on_the_tree(text: str, line: int, col: int,
                                                          no_pure_python_parser):
    """Between MAX_NESTING and libyaml's own limit, the C composer builds the tree and the
    walk over it finds the first too-deep collection, before any later error."""
    with pytest.raises(LoadError) as caught:
        yamlio.compose(text, "m.yaml")
    assert caught.value.message == yamlguard._TOO_DEEP
    assert caught.value.span is not None
    assert (caught.value.span.line, caught.value.span.col) == (line, col)


@pytest.mark.parametrize("text, col", [
    ("a: " + "[" * 900 + "]" * 900 + "\n", 3 + MAX_NESTING),
    ("a: " + "{b: " * 900 + "1" + "}" * 900 + "\n", 4 + 4 * (MAX_NESTING - 1)),
    ("a:\n" + "- " * 900 + "x\n", 2 * MAX_NESTING - 1),
], ids=["flow-sequences", "flow-mappings", "compact-sequences"])
def test_a_c_parser_without_a_limit_counts_its_own_events_first(
        text: str, col: int, monkeypatch: pytest.MonkeyPatch, no_pure_python_parser):
    """Where libyaml has no nesting limit of its own, the depth is counted from the C parser's
    events before composing, with the same message and position (depths below the limit this
    libyaml has, which the test cannot lift)."""
    monkeypatch.setattr(yamlguard, "parser_limits_nesting", lambda loader: False)
    monkeypatch.setattr(yaml, "compose", lambda *args, **kwargs: pytest.fail("composed"))
    with pytest.raises(LoadError) as caught:
        yamlio.compose(text, "m.yaml")
    assert caught.value.message == yamlguard._TOO_DEEP
    assert caught.value.span is not None and caught.value.span.col == col


def test_first_key_error_in_the_text_is_reported():
    text = "a:\n  x: 1\n  x: 2\nb: [1]\nc: 1\nc: 2\n"
    with pytest.raises(LoadError) as caught:
        yamlio.compose(text, "m.yaml")
    assert str(caught.value) == ("m.yaml:3:3: duplicate key 'x' (first at line 2; YAML would "
                                 "silently keep only the last)")


def test_anchor_error_comes_before_a_duplicate_key():
    with pytest.raises(LoadError) as caught:
        yamlio.compose("a: 1\na: 2\nb: &x 3\n", "m.yaml")
    assert caught.value.message == "anchors are not allowed (&x): write the value out"


@pytest.mark.parametrize("body, where", [
    ("claims: " + "[" * 30_000 + "]" * 30_000 + "\n", "4:508"),
    ("claims:\n" + "- " * 30_000 + "x\n", "5:999"),
    ("claims:\n" + "".join(" " * i + "-\n" for i in range(1_200)), "504:500"),
], ids=["flow", "compact-block", "indented-block-1200"])
def test_a_30000_level_map_is_one_line_exit_2(body: str, where: str, tmp_path, run):
    (tmp_path / "essay.txt").write_text("Some text.", "utf-8")
    (tmp_path / "claims.yaml").write_text("version: 1\nessay:\n  path: essay.txt\n" + body,
                                          "utf-8")
    result = run(["check"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: claims.yaml:{where}: {yamlguard._TOO_DEEP}\n"
