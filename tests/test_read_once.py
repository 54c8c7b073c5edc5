"""Each command reads only what it needs, once: map parses, model builds, essay reads and
anchorings counted per command (counts, not timings)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from refmap.essay import text as essay_text
from refmap.essay.anchoring import Anchorer
from refmap.mapfile import schema, yamlio

CLAIMS = 65  # claims in the bundled map


@pytest.fixture
def counts(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    seen: Counter[str] = Counter()

    def counting(name: str, function):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            seen[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(yamlio, "compose", counting("parse", yamlio.compose))
    monkeypatch.setattr(schema._Builder, "claims_map",
                        counting("model", schema._Builder.claims_map))
    monkeypatch.setattr(Anchorer, "anchor", counting("anchor", Anchorer.anchor))
    monkeypatch.setattr(essay_text, "read_essay", counting("essay", essay_text.read_essay))
    return seen


@pytest.mark.parametrize(("command", "expected"), [
    (["check"], {"parse": 1, "model": 1, "essay": 1, "anchor": CLAIMS}),
    (["coverage"], {"parse": 1, "model": 1, "essay": 1, "anchor": CLAIMS}),
    (["show", "poll-80-percent"], {"parse": 1, "model": 1, "essay": 1, "anchor": 1}),
    (["export", "bibtex"], {"parse": 1, "model": 1}),
    (["export", "csl-json"], {"parse": 1, "model": 1}),
    # a write parses the map once to load it and once to validate the edited text
    (["cite", "poll-80-percent", "politico2017mcpoll", "--locator", "para. 9",
      "--excerpt", "a passage"], {"parse": 2, "model": 2}),
    (["cite", "poll-80-percent", "politico2017mcpoll", "--locator", "para. 9",
      "--excerpt", "a passage", "--dry-run"], {"parse": 2, "model": 2}),
])
def test_commands_read_what_they_need_once(command: list[str], expected: dict[str, int],
                                           bundled: Path, counts: Counter[str], run):
    result = run(command, cwd=bundled)
    assert result.exit_code in (0, 1), result.stderr
    assert dict(counts) == expected


def test_commands_about_sources_work_without_the_essay(bundled: Path, run):
    (bundled / "essay.txt").unlink()
    for command in (["export", "bibtex"], ["export", "markdown"], ["export", "csl-json"],
                    ["cite", "poll-80-percent", "politico2017mcpoll", "--locator", "para. 9",
                     "--excerpt", "a passage", "--dry-run"]):
        result = run(command, cwd=bundled)
        assert (result.exit_code, result.stderr) == (0, ""), command
    missing = run(["check"], cwd=bundled)
    assert missing.exit_code == 2
    assert missing.stderr == "Error: claims.yaml:6:9: essay file 'essay.txt' not found\n"
