"""Property: splitting any claim of the bundled map at any word boundary of its quote, then
merging the parts back, gives the map's bytes back (ids, citations, comments, layout)."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import refmap
from conftest import ROOT
from refmap.commands.claim_shapes import merge_claims, split_claim
from refmap.commands.editing import MapFile
from refmap.essay.located import Found

PROJECT = refmap.load(ROOT / "claims.yaml")
SPLITTABLE = [lc.claim.id for lc in PROJECT.located
              if isinstance(lc.anchor, Found) and lc.anchor.state == "exact"
              and len(lc.claim.quote.split(" ")) >= 4]


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claim_id=st.sampled_from(SPLITTABLE), cut=st.floats(0.2, 0.8))
@example(claim_id="singapore-first-meeting", cut=0.5)
def test_split_then_merge_gives_the_map_back(tmp_path: Path, claim_id: str, cut: float) -> None:
    for name in ("claims.yaml", "essay.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    path = tmp_path / "claims.yaml"
    quote = PROJECT.cmap.claim(claim_id).quote
    words = quote.split(" ")
    at = max(1, min(len(words) - 1, round(len(words) * cut)))
    parts = [" ".join(words[:at]), " ".join(words[at:])]
    split_claim(MapFile.open(path), claim_id, parts, ["second-part"]).save()
    split = refmap.load(path).cmap
    assert [split.claim(claim_id).quote, split.claim("second-part").quote] == parts
    merge_claims(MapFile.open(path), claim_id, "second-part").save()
    assert path.read_bytes() == (ROOT / "claims.yaml").read_bytes()
