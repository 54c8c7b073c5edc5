"""Helpers that run real BibTeX readers (pandoc, biber) on exported files."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

CSL_DIR = Path("/usr/share/citation-style-language/styles")


def pandoc_render(bib: Path, style: str | None = None, keys: list[str] | None = None) -> subprocess.CompletedProcess:
    """Render every entry of a .bib through `pandoc --citeproc` to plain text."""
    nocite = ", ".join(f"@{k}" for k in keys) if keys else "@*"
    doc = bib.with_suffix(".md")
    doc.write_text(f'---\nbibliography: {bib.name}\nnocite: "{nocite}"\n---\n\nText.\n', "utf-8")
    args = ["pandoc", "--citeproc", "-t", "plain", "--wrap=none", doc.name]
    if style:
        args += ["--csl", str(CSL_DIR / f"{style}.csl")]
    return subprocess.run(args, cwd=bib.parent, capture_output=True, text=True, timeout=60)


def biber_validate(bib: Path) -> subprocess.CompletedProcess:
    """`biber --tool --validate-datamodel` on a .bib (writes its output beside it)."""
    return subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-directory", str(bib.parent), bib.name],
        cwd=bib.parent, capture_output=True, text=True, timeout=120,
    )


def loose(text: str) -> str:
    """Text compared loosely: case, quote style and whitespace do not count."""
    text = unicodedata.normalize("NFC", text)
    for ch in "\u2018\u2019\u201c\u201d\"'":
        text = text.replace(ch, "'")
    return " ".join(text.split()).casefold()
