"""Shell completion of the map's own words, through click's completion API.

Claim ids and citekeys come from the map the command line names (`--map`, before or after the
command, else $REFMAP_MAP, else ./claims.yaml), read without the essay; finding codes, kinds,
statuses and source fields from refmap's vocabularies. A map that cannot be read completes
nothing: completion never prints an error into the shell. click's completion module is imported
only when completing, so commands start no slower.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import click
    from click.shell_completion import CompletionItem

    from refmap.mapfile.model import ClaimsMap

Completer = Callable[["click.Context", "click.Parameter", str], "list[CompletionItem]"]


def _map_path(ctx: click.Context) -> str:
    current: click.Context | None = ctx
    while current is not None:
        given = current.params.get("map_path")
        if given:
            return str(given)
        current = current.parent
    return os.environ.get("REFMAP_MAP") or "claims.yaml"


def _read_map(ctx: click.Context) -> ClaimsMap | None:
    from refmap.errors import RefmapError
    from refmap.mapfile.schema import load_map

    try:
        return load_map(_map_path(ctx))
    except (RefmapError, OSError):
        return None


def _items(words: Iterable[str], incomplete: str) -> list[CompletionItem]:
    from click.shell_completion import CompletionItem  # only when completing

    return [CompletionItem(w) for w in words if w.startswith(incomplete)]


def claim_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The ids of the map's claims."""
    cmap = _read_map(ctx)
    return _items((c.id for c in cmap.claims), incomplete) if cmap else []


def source_keys(ctx: click.Context, param: click.Parameter,
                incomplete: str) -> list[CompletionItem]:
    """The citekeys of the map's sources and of its linked libraries (read from their cache
    when they have not changed); a library that cannot be read adds none."""
    from refmap.errors import RefmapError

    cmap = _read_map(ctx)
    if cmap is None:
        return []
    keys: list[str] = list(cmap.sources)
    if cmap.bibliography:
        from refmap.commands.library import link_libraries

        try:
            keys += [k for k in link_libraries(cmap, _map_path(ctx)).library if k not in cmap.sources]
        except (RefmapError, OSError):
            pass
    return _items(keys, incomplete)


def vocabulary(words: Callable[[], Iterable[str]]) -> Completer:
    """A completer for a fixed vocabulary (read when completing, so importing is cheap)."""

    def complete(ctx: click.Context, param: click.Parameter,
                 incomplete: str) -> list[CompletionItem]:
        return _items(words(), incomplete)

    return complete


def _codes() -> Iterable[str]:
    from refmap.findings import CODES

    return CODES


def _kinds() -> Iterable[str]:
    from refmap.mapfile.model import ClaimKind

    return [str(k) for k in ClaimKind]


def _statuses() -> Iterable[str]:
    from refmap.mapfile.model import Status

    return [str(s) for s in Status]


def _fields() -> Iterable[str]:
    from refmap.mapfile.schema import SOURCE_KEYS

    return SOURCE_KEYS


finding_codes = vocabulary(_codes)
kinds = vocabulary(_kinds)
statuses = vocabulary(_statuses)
source_fields = vocabulary(_fields)
