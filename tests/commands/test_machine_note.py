"""Machine words stay private: `machine_note` (what refmap wrote for a reviewer) is never
exported, reported or published, draft or not; a person's `note` is the only note published."""

from __future__ import annotations

import json
from pathlib import Path

import refmap
from refmap.exporters import claimreview, html

ESSAY = "In 2018, 63 percent of the 1,200 people asked agreed, the survey found in May."


def drafted_then_reviewed(tmp_path: Path, run) -> refmap.Project:
    """`refmap init` on an essay, then `draft: true` removed as the header says, a source cited."""
    (tmp_path / "essay.txt").write_text(ESSAY, "utf-8")
    result = run(["init", "essay.txt"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "claims.yaml"
    text = path.read_text("utf-8")
    assert "    machine_note: \"check-worthiness " in text and "    note:" not in text
    path.write_text(text.replace("    draft: true\n", "").replace(
        "sources: {}", "sources:\n  s: {type: misc, title: Survey}"), "utf-8")
    project = refmap.load(path)
    claim = project.cmap.claims[0]
    assert claim.machine_note.startswith("check-worthiness ") and not claim.draft
    return project


def test_machine_note_is_not_published_after_the_draft_mark_is_removed(tmp_path: Path,
                                                                       run) -> None:
    project = drafted_then_reviewed(tmp_path, run)
    reviews = claimreview.export(project, include_unsourced=True)
    assert json.loads(reviews) and "check-worthiness" not in reviews
    assert "check-worthiness" not in html.export(project)
    for fmt in ("markdown", "csl-json", "bibtex", "claimreview", "anchors"):
        result = run(["export", fmt], cwd=tmp_path)
        assert result.exit_code == 0 and "check-worthiness" not in result.stdout
    assert "check-worthiness" not in run(["report"], cwd=tmp_path).stdout


def test_show_gives_the_machine_note_to_the_person_working_on_the_map(tmp_path: Path,
                                                                      run) -> None:
    project = drafted_then_reviewed(tmp_path, run)
    result = run(["show", project.cmap.claims[0].id], cwd=tmp_path)
    assert "refmap's note (never published): check-worthiness" in result.stdout


def test_a_persons_note_is_published_beside_a_machine_note(tmp_path: Path, run) -> None:
    project = drafted_then_reviewed(tmp_path, run)
    claim_id = project.cmap.claims[0].id
    assert run(["claim", "set", claim_id, "--note", "checked by Ann"], cwd=tmp_path).exit_code == 0
    reviews = json.loads(claimreview.export(refmap.load(tmp_path / "claims.yaml"),
                                            include_unsourced=True))
    assert reviews[0]["reviewBody"] == "checked by Ann"


def test_a_machine_note_left_in_note_by_an_older_init_is_not_published(tmp_path: Path) -> None:
    (tmp_path / "essay.txt").write_text(ESSAY, "utf-8")
    (tmp_path / "claims.yaml").write_text(
        "version: 1\nessay: {path: essay.txt}\nclaims:\n"
        "  - id: a\n    quote: 63 percent\n    kind: poll\n    status: unverified\n"
        '    note: "check-worthiness 0.86: percentage"\n', "utf-8")
    project = refmap.load(tmp_path / "claims.yaml")
    assert project.cmap.claims[0].published_note is None
    assert "check-worthiness" not in claimreview.export(project, include_unsourced=True)
