"""The network commands' results for the terminal: `refmap links` and `refmap verify` as
text (compiler-style findings and a count of each state, with how old cached answers are),
JSON, or GitHub annotations; one renderer table per result."""

from __future__ import annotations

import json
from collections.abc import Callable

from refmap.findings import sort_findings
from refmap.net.cache import cached_note
from refmap.net.links import LinkResult, LinkState, link_findings, result_dict
from refmap.net.verify import VerifyReport
from refmap.render.findings import render_github, render_text
from refmap.values import inert


def render_links_text(results: list[LinkResult]) -> str:
    """A diagnostic line per link that is not ok, then a count of each state."""
    lines = [str(f) for f in sort_findings(link_findings(results))]
    if not results:
        return "no links to check\n"
    counts = {state: sum(1 for r in results if r.state is state) for state in LinkState}
    summary = ", ".join(f"{n} {state.value}" for state, n in counts.items() if n)
    lines.append(f"{len(results)} link{'s' if len(results) != 1 else ''} checked: {summary}"
                 + cache_summary([(r.from_cache, r.fetched_at) for r in results]))
    return "\n".join(lines) + "\n"


def cache_summary(answers: list[tuple[bool, float | None]]) -> str:
    """'; 3 answers from the cache (the oldest fetched 5 h ago; --refresh asks again)', or ''
    when no answer came from the cache."""
    times = [at for cached, at in answers if cached and at is not None]
    if not times:
        return ""
    n = len(times)
    age = cached_note(min(times)).removeprefix("cached ")
    which = "fetched" if n == 1 else "the oldest fetched"
    return (f"; {n} answer{'s' if n != 1 else ''} from the cache ({which} {age}; "
            "--refresh asks again)")


def render_links_json(results: list[LinkResult]) -> str:
    """Every result, ok ones included, as a JSON array."""
    return json.dumps([result_dict(r) for r in results], indent=2, ensure_ascii=False) + "\n"


def render_links_github(results: list[LinkResult]) -> str:
    """GitHub workflow annotations for the links that are not ok."""
    return render_github(sort_findings(link_findings(results)))


LINK_RENDERERS: dict[str, Callable[[list[LinkResult]], str]] = {
    "text": render_links_text, "json": render_links_json, "github": render_links_github,
}


def render_verify_text(report: VerifyReport) -> str:
    """check's text output (each passage that changed since its capture shown then and now,
    with a word diff), then a count of each state."""
    if not report.checks:
        return f"no cited pages to verify{_skipped(report)}\n"
    lines: list[str] = []
    for check in report.noteworthy():
        lines.append(str(check.finding()))
        if check.then is not None:
            lines.append(f"    then ({check.captured}): {inert(check.then)}")
            lines.append("    now: " + (inert(check.now) if check.now is not None
                                        else "(the passage is gone from the page)"))
            if check.diff is not None:
                lines.append(f"    diff: {inert(check.diff)}")
    summary_line = render_text(report.findings).splitlines()[-1]
    counts = report.counts()
    summary = ", ".join(f"{n} {state.value}" for state, n in counts.items() if n)
    n = len(report.checks)
    pages = {c.url: (c.from_cache, c.fetched_at) for c in report.checks}
    against = " against the captures" if report.offline else ""
    return "\n".join([*lines, summary_line]) + (
        f"\n{n} excerpt{'s' if n != 1 else ''} verified{against}: {summary}{_skipped(report)}"
        + _changed_pages(report) + cache_summary(list(pages.values())) + "\n"
        + _capture_problems(report))


def _capture_problems(report: VerifyReport) -> str:
    """One line per capture the map names that could not be used (live runs: offline runs
    report it on the citation)."""
    if report.offline:
        return ""
    problems = dict.fromkeys(c.capture_problem for c in report.checks if c.capture_problem)
    return "".join(f"warning: capture not used: {inert(p)}\n" for p in problems if p)


def _changed_pages(report: VerifyReport) -> str:
    changed = {c.url for c in report.checks if c.page_changed}
    if not changed:
        return ""
    n = len(changed)
    return f"; {n} page{'s' if n != 1 else ''} changed since {'its' if n == 1 else 'their'} capture"


def _skipped(report: VerifyReport) -> str:
    if not report.skipped:
        return ""
    n = report.skipped
    what = "an archive" if report.archive else "a capture" if report.offline else "a URL"
    return f" ({n} citation{'s' if n != 1 else ''} of sources without {what} skipped)"


def render_verify_json(report: VerifyReport) -> str:
    """Every checked citation (found ones too), as `refmap report --verify-results` reads it."""
    return json.dumps([c.to_json() for c in report.checks], indent=2, ensure_ascii=False) + "\n"


def render_verify_github(report: VerifyReport) -> str:
    """GitHub workflow annotations for the excerpts that were not found."""
    return render_github(report.findings)


VERIFY_RENDERERS: dict[str, Callable[[VerifyReport], str]] = {
    "text": render_verify_text, "json": render_verify_json, "github": render_verify_github,
}
