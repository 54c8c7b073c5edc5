"""Several maps in one run (`refmap check a/claims.yaml b/claims.yaml`, `check 'essays/*/claims.yaml'`):
which maps a run reads, and totals over them."""

from __future__ import annotations

import glob
from collections.abc import Iterable, Sequence

from refmap.commands.coverage import Tally
from refmap.errors import UsageError

_MAGIC = frozenset("*?[")


def expand_maps(patterns: Sequence[str]) -> list[str]:
    """The maps named by paths and globs (``**`` included), in the order given, each once; a
    glob matches in sorted order, and a glob that matches nothing is a usage error (a typo
    must not pass as a clean run over no maps)."""
    found: list[str] = []
    for pattern in patterns:
        if _MAGIC & set(pattern):
            matches = sorted(glob.glob(pattern, recursive=True))
            if not matches:
                raise UsageError(f"no map matches {pattern!r}")
            found += matches
        else:
            found.append(pattern)
    return list(dict.fromkeys(found))


def total_tally(tallies: Iterable[Tally]) -> Tally:
    """Claim counts by status summed over several maps."""
    total = Tally()
    for tally in tallies:
        for status, count in tally.counts.items():
            total.counts[status] += count
    return total
