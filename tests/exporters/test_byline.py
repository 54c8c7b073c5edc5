"""The essay's byline in the report and the review desk: authors, publisher, venue, each once."""

from __future__ import annotations

import pytest

import refmap
from conftest import ROOT
from refmap.exporters.reference import essay_byline
from refmap.mapfile.model import EssayRecord, Name

FUCHS = Name(family="Fuchs", given="Michael")
BARD = Name(family="Bard", given="Abigail")


@pytest.mark.parametrize(("publisher", "venue", "expected"), [
    ("The Diplomat", "The Diplomat", "Michael Fuchs and Abigail Bard, The Diplomat"),
    ("Diplomat Media", "The Diplomat", "Michael Fuchs and Abigail Bard, Diplomat Media, The Diplomat"),
    (None, "The Diplomat", "Michael Fuchs and Abigail Bard, The Diplomat"),
    (None, None, "Michael Fuchs and Abigail Bard"),
])
def test_a_venue_that_is_the_publisher_is_named_once(publisher, venue, expected):
    essay = EssayRecord(path="essay.txt", authors=(FUCHS, BARD), publisher=publisher, venue=venue)
    assert essay_byline(essay) == expected


def test_the_bundled_essay_is_attributed_to_its_first_publisher():
    """The essay first appeared in The Diplomat; CAP republished it (shared/essay/README.md)."""
    essay = refmap.load(ROOT / "claims.yaml").cmap.essay
    assert essay.publisher == "The Diplomat"
    assert essay_byline(essay) == "Michael Fuchs and Abigail Bard, The Diplomat"
