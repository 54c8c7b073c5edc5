"""`anchors --fix` through the editor: a refreshed quote reads back as the essay's text in any
map layout (issue: flow-style claims got plain scalars cut short at a comma)."""

from __future__ import annotations

from pathlib import Path

from refmap.mapfile.schema import load_map

ESSAY = "Officials met on Monday. The talks, said the envoy, ended without a deal today.\n"

MAP = """\
version: 1
essay:
  path: essay.txt
sources: {}
claims:
  - {id: talks, quote: The talks said the envoy ended without a deal, kind: event}
"""


def test_fix_in_a_flow_claim_writes_a_quote_that_reads_back_whole(tmp_path: Path, run):
    (tmp_path / "essay.txt").write_text(ESSAY, "utf-8")
    (tmp_path / "claims.yaml").write_text(MAP, "utf-8")
    result = run(["anchors", "--fix"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    current = "The talks, said the envoy, ended without a deal"
    assert result.stdout == f"essay.txt:1:26: talks: quote updated to {current!r}\n"
    text = (tmp_path / "claims.yaml").read_text("utf-8")
    assert text == MAP.replace("quote: The talks said the envoy ended without a deal",
                               f'quote: "{current}"')
    assert [c.quote for c in load_map(tmp_path / "claims.yaml").claims] == [current]
