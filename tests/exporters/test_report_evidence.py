"""The HTML report tells the truth about evidence: a claim whose every source is dead with no
capture or archive is not green, and findings link to their passage in the essay."""

from __future__ import annotations

import pytest

import json
import re
from pathlib import Path

@pytest.fixture(autouse=True)
def _loopback_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local test server is on 127.0.0.1, which refmap refuses unless allowed."""
    monkeypatch.setenv("REFMAP_ALLOW_PRIVATE", "1")


CAPTURED = "2026-12-01 sha256:" + "ab" * 32
MAP = f"""version: 1
essay:
  path: essay.txt
sources:
  lost:
    type: online
    title: Lost
    url: "https://lost.example/a"
  archived:
    type: online
    title: Archived
    url: "https://archived.example/a"
    archive: "https://web.archive.org/web/20200101000000/https://archived.example/a"
  kept:
    type: online
    title: Kept
    url: "https://kept.example/a"
    captured: {CAPTURED}
claims:
  - id: only-lost
    quote: The port opened in May
    kind: event
    citations:
      - source: lost
        excerpt: "opened in May"
  - id: lost-and-kept
    quote: Ships doubled
    kind: figure
    citations:
      - source: lost
        excerpt: "doubled"
      - source: kept
        excerpt: "doubled"
  - id: archived-only
    quote: The channel was dredged
    kind: event
    citations:
      - source: archived
        excerpt: "dredged"
      - source: nowhere
"""
ESSAY = "The port opened in May. Ships doubled. The channel was dredged.\n"


def verify_json(*dead: str) -> str:
    return json.dumps([{"source": key, "state": "unverifiable", "page": "dead", "claim": "x"}
                       for key in dead])


def write_report(tmp_path: Path, run, *dead: str) -> str:
    (tmp_path / "claims.yaml").write_text(MAP, "utf-8")
    (tmp_path / "essay.txt").write_text(ESSAY, "utf-8")
    (tmp_path / "v.json").write_text(verify_json(*dead), "utf-8")
    result = run(["report", "--verify-results", "v.json", "-o", "r.html"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    return (tmp_path / "r.html").read_text("utf-8")


def mark_status(page: str, claim: str) -> str:
    match = re.search(rf'<mark class="claim s-(\w+)" data-claims="{claim}"', page)
    assert match is not None, claim
    return match.group(1)


def test_a_claim_whose_every_source_is_dead_without_copy_is_not_green(tmp_path: Path, run) -> None:
    page = write_report(tmp_path, run, "lost", "kept", "archived")
    assert mark_status(page, "only-lost") == "gone"
    assert mark_status(page, "lost-and-kept") == "sourced"  # the capture holds the evidence
    assert 'data-gone="1">every source dead, no copy: <b>1</b>' in page
    assert "sourced, every source dead with no copy" in page


def test_without_dead_pages_the_claim_stays_sourced(tmp_path: Path, run) -> None:
    page = write_report(tmp_path, run)
    assert mark_status(page, "only-lost") == "sourced"
    assert "data-gone" not in page


def test_findings_link_to_the_passage_in_the_essay(tmp_path: Path, run) -> None:
    page = write_report(tmp_path, run)
    assert page.count('<span id="quote-archived-only"></span>') == 1
    finding = re.search(r'<li class="error">[^<]*claim &#x27;archived-only&#x27; cites unknown.*?</li>',
                        page)
    assert finding is not None
    assert ('<a class="passage" href="#quote-archived-only">the passage in the essay</a>'
            in finding.group(0))
    anchor = page.index('<span id="quote-archived-only"></span>')
    assert page[anchor:].split("<mark", 1)[1].split(">", 1)[1].startswith("The channel was dredged")
