"""`refmap init`: draft a claims map for a new essay from its check-worthy sentences."""

from __future__ import annotations

import os
import re
from pathlib import Path

from refmap.mapfile.editor import double_quoted
from refmap.essay.text import Essay
from refmap.essay.sentences import split_sentences
from refmap.values import control_character
from refmap.essay.worthiness import score_sentence

_STOPWORDS = frozenset(
    "a an the and or but of in on at by for to from with as is was are were be been it its this "
    "that these those he she they we i you his her their our there here which who whom".split()
)


def claim_id(text: str, taken: set[str]) -> str:
    """A readable id from a sentence's first significant words, unique among taken."""
    words = [w.lower() for w in re.findall(r"[A-Za-z0-9]+", text)]
    significant = [w for w in words if w not in _STOPWORDS] or words or ["claim"]
    base = "-".join(significant[:5])[:48].strip("-") or "claim"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def guess_kind(reasons: tuple[str, ...]) -> str:
    if "percentage" in reasons or "amount" in reasons or "figure" in reasons or "number in words" in reasons:
        return "figure"
    if "named source with a reporting verb" in reasons:
        return "statement"
    if "biographical detail" in reasons:
        return "bio"
    if "year or date" in reasons or "event" in reasons:
        return "event"
    return "background"


def draft_map(essay: Essay, essay_ref: str) -> tuple[str, int]:
    """YAML text of a new map for the essay, and how many claims it drafts. Each check-worthy
    sentence becomes an unsourced claim whose quote is the sentence as written."""
    lines = [
        "# Drafted by `refmap init`: each check-worthy sentence of the essay is an unsourced claim.",
        "# Split compound sentences into atomic claims, shorten quotes to the span that states the",
        "# claim, set each kind, and add citations; `refmap unsourced` lists what is left.",
        "# `draft: true` marks a claim as not reviewed yet; remove it once a person has checked",
        "# the claim. `machine_note` is refmap's reasoning for you: it is never published.",
        "version: 1",
        "essay:",
        f"  path: {double_quoted(essay_ref)}",
        "sources: {}",
        "claims:",
    ]
    taken: set[str] = set()
    count = 0
    for sentence in split_sentences(essay.text):
        score = score_sentence(sentence.text)
        if not score.worthy or control_character(sentence.text) is not None:
            continue
        count += 1
        lines += [
            f"  - id: {claim_id(sentence.text, taken)}",
            f"    quote: {double_quoted(sentence.text)}",
            f"    kind: {guess_kind(score.reasons)}",
            f"    machine_note: {double_quoted(_draft_note(score.value, score.reasons))}",
            "    draft: true",
            "",
        ]
    if count == 0:
        lines[-1] = "claims: []"
    return "\n".join(lines).rstrip("\n") + "\n", count


def _draft_note(value: float, reasons: tuple[str, ...]) -> str:
    return f"check-worthiness {value:.2f}: {', '.join(reasons)}"


def _exists(path: str) -> bool:
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as exc:  # a name too long, a loop: it cannot be written either
        from refmap.errors import WriteError

        raise WriteError(f"cannot write: {exc.strerror}", path=path) from None
    return True


def write_draft(essay_path: str, output: str, max_bytes: int | None = None) -> int:
    """Draft a map for the essay at essay_path into output (never overwritten); returns how
    many claims it drafted. The draft is loaded as a map before it is written, so refmap never
    writes a map it cannot read. max_bytes caps the essay (None: the default cap)."""
    from refmap.mapfile import yamlio
    from refmap.errors import WriteError
    from refmap.essay.text import read_essay
    from refmap.fileio import atomic_write
    from refmap.mapfile.schema import build_map

    if _exists(output):
        raise WriteError("already exists; refmap init never overwrites a map", path=output)
    essay = read_essay(Path(essay_path), essay_path, max_bytes=max_bytes)
    text, count = draft_map(essay, essay_reference(essay_path, output))
    build_map(yamlio.compose(text, output), output)
    atomic_write(output, text, protect=(Path(essay_path),), create_only=True)
    return count


def essay_reference(essay_path: str, map_path: str) -> str:
    """The essay's path as the map must record it: relative to the map's directory."""
    base = os.path.dirname(os.path.abspath(map_path))
    return os.path.relpath(os.path.abspath(essay_path), base)
