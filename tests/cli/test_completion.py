"""Shell completion through click's completion API: claim ids, citekeys, finding codes, kinds,
statuses, source fields and command names, from the map the command line names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete

from refmap.cli import cli


def complete(args: list[str], incomplete: str, cwd: Path) -> list[str]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        completer = ShellComplete(cli, {}, "refmap", "_REFMAP_COMPLETE")
        return [item.value for item in completer.get_completions(args, incomplete)]
    finally:
        os.chdir(old)


@pytest.mark.parametrize("args, incomplete, expected", [
    (["show"], "singapore-", ["singapore-summit", "singapore-first-meeting",
                              "singapore-little-substance"]),
    (["claim", "remove"], "poll-8", ["poll-80-percent", "poll-81-percent-dpk",
                                     "poll-83-percent-lkp"]),
    (["claim", "merge", "singapore-summit"], "singapore-f", ["singapore-first-meeting"]),
    (["anchors", "--fix", "--accept"], "trump-l", ["trump-letter"]),
    (["cite", "trump-letter"], "cnas", ["cnas2019oneyear"]),
    (["source", "rename"], "dw", ["dw2018asithappened"]),
    (["source", "set", "dw2018asithappened"], "acc", ["accessed"]),
    (["check", "--ignore"], "quote-", ["quote-not-found", "quote-ambiguous", "quote-changed",
                                       "quote-moved", "quote-typography"]),
    (["claim", "set", "trump-letter", "--kind"], "p", ["poll", "prediction"]),
    (["list", "--status"], "un", ["unverified", "unsourced"]),
    (["claim"], "s", ["set", "split"]),
])
def test_completion_of_the_maps_words(bundled: Path, args, incomplete, expected) -> None:
    assert complete(args, incomplete, bundled) == expected


def test_completion_reads_the_map_named_by_map(bundled: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    assert complete(["show"], "trump", elsewhere) == []  # no claims.yaml there: nothing
    assert complete(["--map", str(bundled / "claims.yaml"), "show"], "trump", elsewhere) == [
        "trump-agrees-to-meet", "trump-letter", "trump-silenced-gop-critics"]
    assert complete(["show", "--map", str(bundled / "claims.yaml")], "trump-l", elsewhere) == [
        "trump-letter"]


def test_a_misspelt_command_gets_a_did_you_mean(bundled: Path, run) -> None:
    result = run(["chek"], cwd=bundled)
    assert (result.exit_code, result.stderr) == (
        2, "Error: No such command 'chek'. Did you mean 'check'?\n")
    result = run(["claim", "remov", "x"], cwd=bundled)
    assert result.stderr == "Error: No such command 'remov'. Did you mean 'remove'?\n"
