"""Shared checks for the commands that write the map: only added lines, bytes kept."""

from __future__ import annotations

from pathlib import Path

ESSAY = ("The summit was held in Singapore on 12 June 2018. Both leaders signed a joint "
         "statement.\nTalks stalled after the Hanoi summit in February 2019. Analysts were "
         "not surprised.\n")


def only_added_lines(old: bytes, new: bytes) -> bool:
    """Whether every line of old is still in new, in order (new only adds lines)."""
    remaining = iter(new.splitlines(keepends=True))
    return all(any(line == candidate for candidate in remaining)
               for line in old.splitlines(keepends=True))


def small_project(tmp_path: Path, map_text: str, newline: str = "\n") -> Path:
    """An essay and a map (written with the given line ending) in tmp_path; the map's path."""
    (tmp_path / "essay.txt").write_text(ESSAY, encoding="utf-8")
    path = tmp_path / "claims.yaml"
    path.write_bytes(map_text.replace("\n", newline).encode("utf-8"))
    return path


COMMENTED = """\
# A small map for tests
version: 1
essay:
  path: essay.txt
sources:
  # the one source
  dw2018:
    type: online
    title: "Trump-Kim meeting"  # as the page says
    url: "https://www.dw.com/a-1"
claims:
  - id: summit-singapore
    quote: "The summit was held in Singapore"
    kind: event
    # cited once
    citations:
      - source: dw2018
        excerpt: "in Singapore"
  - id: hanoi-stalled
    quote: "Talks stalled after the Hanoi summit"
    kind: event
"""

FLOW = """\
version: 1
essay: {path: essay.txt}
sources:
  dw2018: {type: online, title: "Trump-Kim meeting", url: "https://www.dw.com/a-1"}
claims:
  - {id: summit-singapore, quote: "The summit was held in Singapore", kind: event,
     citations: [{source: dw2018, excerpt: "in Singapore"}]}
  - {id: hanoi-stalled, quote: "Talks stalled after the Hanoi summit", kind: event}
"""
