"""Small claims maps whose sources live on a local test server, for the network commands."""

from __future__ import annotations

from pathlib import Path

from refmap.mapfile.scalars import double_quoted


def source_entry(key: str, fields: dict[str, str]) -> str:
    lines = [f"  {key}:", "    type: online", f"    title: {key.capitalize()}"]
    lines += [f"    {name}: {double_quoted(value)}" for name, value in fields.items()]
    return "\n".join(lines) + "\n"


def write_map(folder: Path, sources: dict[str, dict[str, str]],
              citations: list[tuple[str, str]]) -> Path:
    """claims.yaml and essay.txt in folder: the sources given, and one claim citing each
    (source, excerpt) pair in order. Returns the map's path."""
    text = "version: 1\nessay:\n  path: essay.txt\nsources:\n"
    text += "".join(source_entry(key, fields) for key, fields in sources.items())
    text += "claims:\n  - id: c1\n    quote: The quote\n    kind: event\n    citations:\n"
    for key, excerpt in citations:
        text += f"      - source: {key}\n        excerpt: {double_quoted(excerpt)}\n"
    (folder / "essay.txt").write_text("The quote.\n", "utf-8")
    path = folder / "claims.yaml"
    path.write_text(text, "utf-8")
    return path
