"""Renderers for findings: text (compiler style), json, and GitHub workflow annotations."""

from __future__ import annotations

from collections import Counter

from refmap.findings import CheckResult, Finding, Severity
from refmap.values import inert


def render_text(findings: list[Finding]) -> str:
    lines = [str(f) for f in findings]
    counts = Counter(f.severity for f in findings)
    summary = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}"
                        for s in Severity if counts[s])
    lines.append(summary or "no problems found")
    return "\n".join(lines) + "\n"


def render_json(findings: list[Finding]) -> str:
    import json  # only for --format json

    return json.dumps([f.to_json() for f in findings], indent=2, ensure_ascii=False) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(findings: list[Finding]) -> str:
    """One `::error file=...,line=...,col=...,title=code::message` line per finding."""
    level = {"error": "error", "warning": "warning", "info": "notice"}  # GitHub's names
    lines = []
    for f in findings:
        props = []
        if f.span:
            props += [f"file={_gh_escape(inert(f.span.path), True)}", f"line={f.span.line}",
                      f"col={f.span.col}"]
        props.append(f"title={_gh_escape(f.code, True)}")
        lines.append(f"::{level[f.severity]} {','.join(props)}::{_gh_escape(inert(f.message))}")
    return "\n".join(lines) + ("\n" if lines else "")


RENDERERS = {"text": render_text, "json": render_json, "github": render_github}
"""One renderer per --format, each from a list of findings to the text printed."""


def render(result: CheckResult, fmt: str) -> str:
    return RENDERERS[fmt](result.findings)
