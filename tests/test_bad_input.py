"""The bad-input corpus: every file in tests/bad/ must fail to load with exactly the one-line
error listed in tests/bad/expected.tsv, exit 2, print nothing on stdout and change no file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import TESTS, snapshot
from refmap.values import inert

BAD = TESTS / "bad"
EXPECTED = dict(
    line.split("\t", 1) for line in (BAD / "expected.tsv").read_text("utf-8").splitlines()
)


def test_corpus_is_complete():
    on_disk = {p.name for p in BAD.glob("*.yaml")}
    assert on_disk == set(EXPECTED)
    assert len(on_disk) >= 100


def test_expected_messages_are_one_inert_line():
    """No expected message holds a raw line break, control character or bidi override: values
    that would forge a second `Error:` line or reach the terminal are shown escaped."""
    for name, message in EXPECTED.items():
        assert inert(message) == message, name
        assert message.startswith("Error: ") and "\n" not in message, name


@pytest.mark.parametrize("name, shown", [
    ("forge-newline-in-kind.yaml", "'pol\\nError: claims.yaml:1:1: forged'"),
    ("forge-newline-in-citekey.yaml", "'a\\nError: b'"),
    ("forge-newline-in-essay-path.yaml", "'essay\\nError: x.txt'"),
    ("forge-escape-in-duplicate-key.yaml", "'s\\x1b[2J'"),
    ("control-esc-in-citekey.yaml", "'src\\x1b1'"),
    ("forge-rtl-override-in-kind.yaml", "'pol\\u202el'"),
    ("forge-line-separator-in-status.yaml", "'done\\u2028Error: x'"),
])
def test_forged_lines_and_escapes_are_shown_escaped(name: str, shown: str, corpus: Path, run):
    result = run(["check", "--map", name], cwd=corpus)
    assert result.exit_code == 2
    assert shown in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n")
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "bad"
    shutil.copytree(BAD, target)
    return target


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_rejects_with_exact_message(name: str, corpus: Path, run):
    before = snapshot(corpus)
    result = run(["check", "--map", name], cwd=corpus)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == EXPECTED[name] + "\n"
    assert snapshot(corpus) == before


EVERY_COMMAND = [
    ["coverage"],
    ["unsourced"],
    ["list", "--format", "json"],
    ["export", "bibtex", "-o", "out.bib"],
    ["anchors", "--fix"],
    ["uncovered"],
    ["report", "-o", "out.html"],
]
UNLOADABLE = ["duplicate-citekey.yaml", "not-utf8.yaml", "alias-bomb.yaml",
              "library-malformed.yaml", "library-missing.yaml",
              "essay-file-missing.yaml", "date-feb-30.yaml", "deep-nesting.yaml",
              "raw-esc-byte.yaml", "forge-newline-in-citekey.yaml", "essay-proc-environ.yaml",
              "essay-esc-character.yaml", "quote-zero-width-only.yaml"]


@pytest.mark.parametrize(("name", "command"), [
    (name, command) for name in UNLOADABLE for command in EVERY_COMMAND
    # a BibTeX export never reads the essay: see test_commands_about_sources_never_read_the_essay
    if not (name.startswith("essay-") and command[0] == "export")
])
def test_every_command_fails_the_same_way(name: str, command: list[str], corpus: Path, run):
    before = snapshot(corpus)
    result = run([*command, "--map", name], cwd=corpus)
    assert result.exit_code == 2
    assert result.stderr == EXPECTED[name] + "\n"
    assert snapshot(corpus) == before  # in particular, no out.bib or out.html


@pytest.mark.parametrize("name", ["essay-file-missing.yaml", "essay-proc-environ.yaml",
                                  "essay-esc-character.yaml"])
def test_commands_about_sources_never_read_the_essay(name: str, corpus: Path, run):
    result = run(["export", "bibtex", "-o", "out.bib", "--map", name], cwd=corpus)
    assert (result.exit_code, result.stderr) == (0, "")
    assert (corpus / "out.bib").is_file()


def test_missing_map_file(tmp_path: Path, run):
    result = run(["check"], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == ("Error: claims.yaml: no such file; start a map with "
                             "'refmap init ESSAY', or name one with --map PATH\n")
    named = run(["check", "--map", "other.yaml"], cwd=tmp_path)
    assert (named.exit_code, named.stderr) == (2, "Error: other.yaml: no such file\n")


def test_map_is_a_directory(tmp_path: Path, run):
    (tmp_path / "claims.yaml").mkdir()
    result = run(["check"], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == "Error: claims.yaml: is a directory, not a file\n"


def test_bom_is_accepted(tmp_path: Path, run):
    (tmp_path / "essay.txt").write_text("Some text.", "utf-8")
    (tmp_path / "claims.yaml").write_bytes(b"\xef\xbb\xbfversion: 1\nessay:\n  path: essay.txt\n")
    result = run(["check"], cwd=tmp_path)
    assert result.exit_code == 0, result.output
