"""The library: refmap.load() gives a Project that anchors each claim once and answers every
command with a typed result; the README's Python example runs as written."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

import refmap
from conftest import ROOT
from refmap.errors import LoadError, SchemaErrors
from refmap.essay.located import AnchorState, Found, NotFound
from refmap.mapfile.model import Status

README = (ROOT / "README.md").read_text("utf-8")


def test_readme_python_example_runs(bundled: Path, monkeypatch, capsys):
    example = README.split("## As a library", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(bundled)
    script = bundled / "example.py"
    script.write_text(example, "utf-8")
    runpy.run_path(str(script))
    out = capsys.readouterr().out
    assert "88.4" in out  # the bundled map's sourced share of checkable claims
    assert re.search(r"^claims\.yaml:\d+:\d+: warning: ", out, re.M)


def test_anchors_are_computed_once(bundled: Path, monkeypatch):
    from refmap.essay import anchoring as anchors

    calls = []
    original = anchors.Anchorer.anchor

    def counting(self, claim):
        calls.append(claim.id)
        return original(self, claim)

    monkeypatch.setattr(anchors.Anchorer, "anchor", counting)
    project = refmap.load(bundled / "claims.yaml")
    project.check()
    project.coverage()
    project.anchor_report()
    project.sentences()
    project.unsourced()
    assert len(calls) == len(project.cmap.claims) == 65


def test_located_claims_carry_typed_anchors(bundled: Path):
    project = refmap.load(bundled / "claims.yaml")
    located = project.locate("poll-80-percent")
    assert located is not None and isinstance(located.anchor, Found)
    assert located.anchor.state is AnchorState.EXACT
    assert project.essay.text[located.anchor.start:located.anchor.end] == located.claim.quote
    assert located.claim.status is Status.UNVERIFIED
    order = [lc.start for lc in project.in_essay_order()]
    assert order == sorted(order)


def test_not_found_anchor_has_no_span(tmp_path: Path):
    (tmp_path / "essay.txt").write_text("One line. One line.", "utf-8")
    (tmp_path / "claims.yaml").write_text(
        "version: 1\nessay:\n  path: essay.txt\nclaims:\n"
        "  - {id: a, quote: One line., kind: opinion}\n"
        "  - {id: b, quote: Not there at all, kind: opinion}\n", "utf-8")
    project = refmap.load(tmp_path / "claims.yaml")
    a, b = project.located
    assert isinstance(a.anchor, NotFound) and a.anchor.state is AnchorState.AMBIGUOUS
    assert len(a.anchor.candidates) == 2
    assert b.anchor == NotFound(AnchorState.MISSING)
    assert not hasattr(b.anchor, "start")


def test_every_schema_problem_is_reported_in_one_run(tmp_path: Path):
    (tmp_path / "essay.txt").write_text("Text.", "utf-8")
    (tmp_path / "claims.yaml").write_text(
        "version: 1\nessay:\n  path: essay.txt\nsources:\n"
        "  a:\n    type: online\n    date: 2019-13\n"
        "  b:\n    type: webpage\n"
        "claims:\n  - {id: c1, quote: Text, kind: evnt}\n", "utf-8")
    with pytest.raises(SchemaErrors) as caught:
        refmap.load(tmp_path / "claims.yaml")
    assert [str(e).split(": ", 1)[0] for e in caught.value.errors] == [
        f"{tmp_path}/claims.yaml:7:11", f"{tmp_path}/claims.yaml:9:11",
        f"{tmp_path}/claims.yaml:11:33",
    ]


def test_essay_outside_the_maps_folder_needs_consent(tmp_path: Path):
    (tmp_path / "map").mkdir()
    (tmp_path / "essay.txt").write_text("Text.", "utf-8")
    (tmp_path / "map" / "claims.yaml").write_text(
        "version: 1\nessay:\n  path: ../essay.txt\n", "utf-8")
    with pytest.raises(LoadError, match="outside the map's folder"):
        refmap.load(tmp_path / "map" / "claims.yaml")
    assert refmap.load(tmp_path / "map" / "claims.yaml", essay_outside=True).essay.text == "Text."


def test_docs_show_the_one_table_of_source_fields():
    from dataclasses import fields

    from refmap.mapfile.vocabulary import field_markdown, type_markdown
    from refmap.mapfile.model import SOURCE_FIELDS, Source

    docs = (ROOT / "docs" / "format.md").read_text("utf-8")
    assert field_markdown() in docs
    assert type_markdown() in docs
    assert docs.index(field_markdown()) < docs.index(type_markdown())
    model = [f.name for f in fields(Source)
             if f.name not in ("key", "type", "span", "field_spans", "library")]
    assert model == [f.name for f in SOURCE_FIELDS]
