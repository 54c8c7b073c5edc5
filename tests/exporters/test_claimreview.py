"""Exports tell the truth: a claim with an error finding is never rated or coloured as
supported; ClaimReview carries the essay's url, author and date; machine drafts are never
published."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import refmap
from refmap.exporters import claimreview, html

MAP = """\
version: 1
essay:
  path: essay.txt
  title: An essay
  authors:
    - {family: Doe, given: Jane}
  date: 2019-06-12
  url: https://example.org/essay
sources:
  s:
    type: misc
    title: A survey
    date: 2019
claims:
  - id: backed
    quote: In 2018, 63 percent agreed
    kind: poll
    note: reviewed by a person
    citations:
      - {source: s, excerpt: "In 2018, 63 percent agreed."}
  - id: mismatch
    quote: 80 percent of voters
    kind: poll
    citations:
      - {source: s, excerpt: 75 percent of voters}
  - id: drafted
    quote: The talks resumed in May
    kind: event
    draft: true
    note: "check-worthiness 0.86: year or date"
"""
ESSAY = "In 2018, 63 percent agreed. Later, 80 percent of voters did. The talks resumed in May."


@pytest.fixture
def project(tmp_path: Path) -> refmap.Project:
    (tmp_path / "essay.txt").write_text(ESSAY, "utf-8")
    (tmp_path / "claims.yaml").write_text(MAP, "utf-8")
    return refmap.load(tmp_path / "claims.yaml")


def test_a_claim_with_an_error_is_never_rated_supported(project):
    reviews = {r["claimReviewed"]: r for r in json.loads(claimreview.export(project))}
    assert reviews["In 2018, 63 percent agreed"]["reviewRating"]["alternateName"] == (
        "Supported by cited sources")
    assert reviews["80 percent of voters"]["reviewRating"]["alternateName"] == claimreview.FLAGGED


def test_claimreview_carries_url_author_and_date_and_no_draft(project):
    reviews = json.loads(claimreview.export(project, include_unsourced=True))
    assert [r["claimReviewed"] for r in reviews] == ["In 2018, 63 percent agreed",
                                                       "80 percent of voters"]
    first = reviews[0]
    assert first["url"] == "https://example.org/essay#claim-backed"
    assert first["author"] == [{"@type": "Person", "name": "Jane Doe"}]
    assert first["datePublished"] == "2019-06-12"
    assert first["reviewBody"] == "reviewed by a person"
    assert "check-worthiness" not in json.dumps(reviews)


def test_report_colours_an_error_as_flagged_and_hides_draft_notes(project):
    page = html.export(project)
    assert 'class="claim s-flagged" data-claims="mismatch"' in page
    assert 'class="claim s-sourced" data-claims="backed"' in page
    assert "check-worthiness" not in page
    assert 'data-flagged="1"' in page
