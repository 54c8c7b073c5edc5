"""Check-worthiness detection measured on hand-labelled essays, and the commands built on it
(`refmap uncovered`, `refmap init`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import TESTS, snapshot
from evaluate import evaluate
from refmap.essay.worthiness import score_sentence

FIXTURES = TESTS / "fixtures" / "checkworthy"
ESSAYS = ["science", "sports", "budget", "heldout"]


@pytest.mark.parametrize("name", ESSAYS)
def test_precision_and_recall_meet_the_targets(name: str):
    result = evaluate(FIXTURES / f"{name}.txt", FIXTURES / f"{name}.worthy.txt")
    assert result.recall >= 0.9, result
    assert result.precision >= 0.7, result


def test_pooled_figures_over_all_labelled_essays():
    results = [evaluate(FIXTURES / f"{n}.txt", FIXTURES / f"{n}.worthy.txt") for n in ESSAYS]
    tp = sum(r.true_positives for r in results)
    assert tp / sum(r.labelled for r in results) >= 0.9
    assert tp / sum(r.predicted for r in results) >= 0.7


@pytest.mark.parametrize("sentence,worthy", [
    ("Unemployment fell to 3.5 percent in March, the lowest since 1969.", True),
    ("The ministry confirmed the closure on Tuesday.", True),
    ("We should all hope for better days.", False),
    ("Is this really the best we can do?", False),
    ("But that window won’t last forever.", False),
])
def test_scores_are_deterministic_and_explained(sentence: str, worthy: bool):
    first, second = score_sentence(sentence), score_sentence(sentence)
    assert first == second
    assert first.worthy is worthy
    assert 0.0 <= first.value <= 1.0
    assert bool(first.reasons) or first.value == 0.0


def test_every_bundled_sentence_with_a_figure_is_covered_or_listed(bundled: Path, run):
    rows = json.loads(run(["uncovered", "--all", "--format", "json"], cwd=bundled).stdout)
    listed = json.loads(run(["uncovered", "--format", "json"], cwd=bundled).stdout)
    listed_texts = {r["text"] for r in listed}
    with_figures = [r for r in rows if re.search(r"\d", r["text"])]
    assert len(with_figures) >= 4
    for row in with_figures:
        assert row["covered_by"] or row["text"] in listed_texts, row
    assert set(rows[0]) == {"essay_position", "text", "score", "reasons", "covered_by", "ignored"}
    assert set(rows[0]["essay_position"]) == {"file", "line", "col"}


def test_uncovered_lists_what_a_new_claim_would_cover(tmp_path: Path, run):
    (tmp_path / "essay.txt").write_text(
        "The council approved a $4.7 billion budget on Tuesday. We think it is too timid.", "utf-8")
    (tmp_path / "claims.yaml").write_text("version: 1\nessay:\n  path: essay.txt\n", "utf-8")
    result = run(["uncovered"], cwd=tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith(
        "essay.txt:1:1: 0.9")
    assert result.stdout.splitlines()[-1] == "1 check-worthy sentence not covered by any claim"


def test_init_drafts_unsourced_claims_and_never_overwrites(tmp_path: Path, run):
    (tmp_path / "texts").mkdir()
    essay = (FIXTURES / "sports.txt").read_text("utf-8")
    (tmp_path / "texts" / "report.txt").write_text(essay, "utf-8")
    result = run(["init", "texts/report.txt", "-o", "maps/claims.yaml"], cwd=tmp_path)
    assert result.exit_code == 2  # the folder for the map does not exist
    (tmp_path / "maps").mkdir()
    result = run(["init", "texts/report.txt", "-o", "maps/claims.yaml"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    drafted = int(re.search(r": (\d+) check-worthy", result.stdout).group(1))
    assert drafted >= 15
    text = (tmp_path / "maps" / "claims.yaml").read_text("utf-8")
    assert 'path: "../texts/report.txt"' in text
    assert text.count("\n    draft: true") == drafted  # machine notes are marked as drafts
    refused = run(["unsourced", "--map", "maps/claims.yaml"], cwd=tmp_path)
    assert (refused.exit_code, refused.stderr) == (2, (
        "Error: maps/claims.yaml:8:9: essay '../texts/report.txt' is outside the map's folder; "
        "pass --essay-outside to read it anyway\n"))
    unsourced = run(["unsourced", "--map", "maps/claims.yaml", "--essay-outside"], cwd=tmp_path)
    assert unsourced.stdout.splitlines()[-1] == f"{drafted} unsourced claims"
    check = run(["check", "--map", "maps/claims.yaml", "--essay-outside"], cwd=tmp_path)
    assert "quote-not-found" not in check.stdout and "quote-ambiguous" not in check.stdout
    before = snapshot(tmp_path)
    again = run(["init", "texts/report.txt", "-o", "maps/claims.yaml"], cwd=tmp_path)
    assert (again.exit_code, again.stderr) == (
        2, "Error: maps/claims.yaml: already exists; refmap init never overwrites a map\n")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("content,message", [
    (b"", "Error: essay.txt:1:1: essay is empty\n"),
    (b"  \n\n ", "Error: essay.txt:1:1: essay is empty\n"),
    (b"caf\xe9", "Error: essay.txt:1:4: not valid UTF-8: byte 0xe9 cannot be decoded\n"),
])
def test_init_rejects_bad_essays(content: bytes, message: str, tmp_path: Path, run):
    (tmp_path / "essay.txt").write_bytes(content)
    result = run(["init", "essay.txt"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (2, message)
    assert not (tmp_path / "claims.yaml").exists()
