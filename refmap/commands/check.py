"""The checks an editor runs before publication: pure functions from a map to findings.

Each check takes the map (and, where it needs it, the located claims and the essay) and returns
findings; none prints or raises for a problem in the map. `run_checks` runs them all on a
Project and returns the sorted CheckResult.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

from refmap.essay.text import Essay
from refmap.essay.figures import claim_figures, figures
from refmap.findings import CheckResult, Finding, Severity, sort_findings
from refmap.essay.located import Anchor, AnchorState, Found, LocatedClaim, NotFound
from refmap.mapfile.model import Claim, ClaimsMap, IgnoredSentence, Status
from refmap.values import is_web_url, parse_date


ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def check_unsourced(cmap: ClaimsMap) -> list[Finding]:
    """Claims that still need a source."""
    return [
        Finding("unsourced", ERROR, f"claim '{c.id}' cites no source", c.span, claim=c.id)
        for c in cmap.claims
        if c.needs_source
    ]


def check_status_notes(cmap: ClaimsMap) -> list[Finding]:
    """Unverified and disputed claims must say why, so a reader can weigh them."""
    return [
        Finding(
            "status-without-note", WARNING,
            f"claim '{c.id}' is {c.status} but has no note saying why", c.span, claim=c.id,
        )
        for c in cmap.claims
        if c.status.needs_note and not c.note
    ]


def check_dangling_sources(cmap: ClaimsMap) -> list[Finding]:
    """Citations of citekeys that no source defines."""
    return [
        Finding(
            "dangling-source", ERROR,
            f"claim '{c.id}' cites unknown source '{cit.source}'{_suggest(cit.source, cmap)}",
            cit.source_span, claim=c.id, source=cit.source,
        )
        for c in cmap.claims
        for cit in c.citations
        if cmap.resolve(cit.source) is None
    ]


def check_aliases(cmap: ClaimsMap) -> list[Finding]:
    """Aliases (`ids`) that cannot name one source: a source's own key, another source's key,
    or an alias two sources claim."""
    found = []
    owners: dict[str, str] = {}
    for key, s in cmap.sources.items():
        for alias in s.ids:
            if alias == key:
                problem = "is the source's own key"
            elif alias in cmap.sources:
                problem = f"is the key of another source, '{alias}'"
            elif owners.setdefault(alias, key) != key:
                problem = f"is also an alias of '{owners[alias]}'"
            else:
                continue
            found.append(Finding("alias-conflict", ERROR,
                                 f"source '{key}': alias '{alias}' {problem}",
                                 s.where("ids"), source=key))
    return found


def _suggest(key: str, cmap: ClaimsMap) -> str:
    from refmap.suggest import did_you_mean

    close = did_you_mean(key, [*cmap.sources, *cmap.library], cutoff=0.7)
    return f"; did you mean '{close}'?" if close else ""


def check_unused_sources(cmap: ClaimsMap) -> list[Finding]:
    """Sources that no claim cites: dead weight in the bibliography, or a forgotten citation.
    A linked library's entries are never unused: a library is shared by many essays."""
    cited = cmap.cited_keys()
    return [
        Finding("unused-source", WARNING, f"source '{key}' is cited by no claim", s.span, source=key)
        for key, s in cmap.sources.items()
        if key not in cited and s.library is None
    ]


def check_duplicate_ids(cmap: ClaimsMap) -> list[Finding]:
    """Two claims with one id: every later one is an error pointing back at the first."""
    first: dict[str, Claim] = {}
    found = []
    for c in cmap.claims:
        if c.id in first:
            span = first[c.id].id_span
            line = span.line if span else "?"
            found.append(
                Finding("duplicate-claim-id", ERROR,
                        f"claim id '{c.id}' is already used at line {line}", c.id_span, claim=c.id)
            )
        else:
            first[c.id] = c
    return found


def check_duplicate_citations(cmap: ClaimsMap) -> list[Finding]:
    """The same source cited twice by one claim with the same locator."""
    found = []
    for c in cmap.claims:
        seen = Counter((cit.source, cit.locator) for cit in c.citations)
        for (key, locator), n in seen.items():
            if n > 1:
                repeats = [cit.span for cit in c.citations if (cit.source, cit.locator) == (key, locator)]
                where = repeats[1]  # the first repeat: the one to delete
                found.append(Finding(
                    "duplicate-citation", WARNING,
                    f"claim '{c.id}' cites '{key}'" + (f" at {locator}" if locator else "")
                    + f" {n} times", where, claim=c.id, source=key,
                ))
    return found


def check_missing_excerpts(cmap: ClaimsMap) -> list[Finding]:
    """A citation without its supporting passage cannot be checked by a reader."""
    return [
        Finding("missing-excerpt", WARNING,
                f"claim '{c.id}' cites '{cit.source}' without a supporting excerpt",
                cit.span, claim=c.id, source=cit.source)
        for c in cmap.claims
        for cit in c.citations
        if not (cit.excerpt and cit.excerpt.strip())
    ]


def check_required_fields(cmap: ClaimsMap) -> list[Finding]:
    """Fields that a source's type requires (biber's data model: an article needs its author
    and journal, a report its author and institution, a book its authors or editors ...), and a warning for a missing date."""
    found = []
    for key, s in cmap.sources.items():
        for need in s.type.required:
            either = need.split("|")
            if not any(getattr(s, name) for name in either):
                wanted = " or ".join(f"'{name}'" for name in either)
                found.append(Finding(
                    "missing-field", ERROR,
                    f"source '{key}' of type {s.type} is missing {wanted}", s.span, source=key,
                ))
        if not s.date:
            found.append(Finding(
                "undated-source", WARNING,
                f"source '{key}' has no publication date (biber and most styles expect one)",
                s.span, source=key,
            ))
        if s.url and not s.accessed and s.type == "online":
            found.append(Finding(
                "missing-accessed", WARNING,
                f"online source '{key}' has no 'accessed' date", s.span, source=key,
            ))
    return found


def check_biblatex_places(cmap: ClaimsMap) -> list[Finding]:
    """A field that biber's data model gives the source's type no place for: the BibLaTeX
    export leaves it out (CSL-JSON, RIS and classic BibTeX keep it), so say so."""
    from refmap.mapfile.vocabulary import SourceType, biblatex_left_out

    found = []
    for key, s in cmap.sources.items():
        present = [name for name in s.field_spans if getattr(s, name, None)]
        for name in biblatex_left_out(SourceType(s.type), present, bool(s.authors),
                                      bool(s.editors)):
            found.append(Finding(
                "no-biblatex-field", WARNING,
                f"source '{key}': BibLaTeX's {s.type} has no field for '{name}', so the "
                "BibLaTeX export leaves it out (is the type right?)", s.where(name), source=key,
            ))
    return found


def check_urls(cmap: ClaimsMap) -> list[Finding]:
    """URLs (a source's url and archive, the essay's url) must be absolute http(s) URLs with
    a host and no whitespace or control characters: `javascript:` and `file:` never pass."""
    found = []
    if cmap.essay.url is not None and not is_web_url(cmap.essay.url):
        found.append(Finding(
            "bad-url", ERROR, f"essay: 'url' is not an absolute http(s) URL: {cmap.essay.url!r}",
            cmap.essay.url_span,
        ))
    for key, s in cmap.sources.items():
        for name in ("url", "archive"):
            value = getattr(s, name)
            if value is not None and not is_web_url(value):
                found.append(Finding(
                    "bad-url", ERROR,
                    f"source '{key}': '{name}' is not an absolute http(s) URL: {value!r}",
                    s.where(name), source=key,
                ))
    return found


def check_dates(cmap: ClaimsMap, today: tuple[int, int, int] | None = None) -> list[Finding]:
    """Dates in the future, or a source read before it was published."""
    today_parts: tuple[int, ...] = today or tuple(time.localtime()[:3])
    found = []
    for key, s in cmap.sources.items():
        for name in ("date", "accessed", "archived"):
            value = getattr(s, name)
            parts = parse_date(value) if value else None
            if parts and parts > today_parts[: len(parts)]:
                found.append(Finding(
                    "future-date", WARNING, f"source '{key}': '{name}' {value} is in the future",
                    s.where(name), source=key,
                ))
        pub = parse_date(s.date) if s.date else None
        acc = parse_date(s.accessed) if s.accessed else None
        if pub and acc:
            n = min(len(pub), len(acc))
            if acc[:n] < pub[:n]:
                found.append(Finding(
                    "date-order", WARNING,
                    f"source '{key}' was accessed ({s.accessed}) before it was published ({s.date})",
                    s.where("accessed"), source=key,
                ))
    return found


def check_figures(cmap: ClaimsMap) -> list[Finding]:
    """A number in a claim's quote ("80 percent", "2018") that none of its excerpts contains.

    Quotes are read for numbers written in digits; excerpts for digits and number words, so
    "eighty percent" backs "80 percent". The years and pages of the author's own in-text
    citations ("(Mortimer 2017, 10)"), reference marks ("[12]") and locators ("p. 10") are not
    figures the excerpts must back. On a claim already marked unverified or disputed the
    finding is a warning: the map says so, and the figure still shows in the report.
    """
    found = []
    for c in cmap.claims:
        if not c.citations or c.status == Status.OPINION:
            continue
        wanted = claim_figures(c.quote)
        if not wanted:
            continue
        backed = {f for cit in c.citations if cit.excerpt for f in figures(cit.excerpt)}
        missing = [f for f in dict.fromkeys(wanted) if f not in backed]
        if missing:
            severity = ERROR if c.status == Status.SOURCED else WARNING
            found.append(Finding(
                "figure-mismatch", severity,
                f"claim '{c.id}': {', '.join(missing)} appears in none of its cited excerpts",
                c.quote_span, claim=c.id,
            ))
    return found


def check_anchors(located: Sequence[LocatedClaim], essay: Essay) -> list[Finding]:
    """How each quote stands in the essay: not found, ambiguous, changed, moved, normalised."""
    found = []
    for lc in located:
        finding = _anchor_finding(lc, essay)
        if finding is not None:
            found.append(finding)
    return found


def _anchor_finding(lc: LocatedClaim, essay: Essay) -> Finding | None:
    c, a, where = lc.claim, lc.anchor, lc.claim.quote_span
    if isinstance(a, NotFound):
        if a.state == AnchorState.MISSING:
            return Finding("quote-not-found", ERROR,
                           f"claim '{c.id}': quote not found in {essay.path}", where, claim=c.id)
        places = ", ".join(f"{essay.span(s).line}:{essay.span(s).col}" for s, _ in a.candidates[:5])
        more = f" and {a.places - 5} more" if a.places > 5 else ""
        return Finding(
            "quote-ambiguous", ERROR,
            f"claim '{c.id}': quote matches {a.places} places in {essay.path} "
            f"({places}{more}); lengthen it or add a prefix/suffix", where, claim=c.id,
        )
    return _found_finding(c, a, essay)


def _found_finding(c: Claim, a: Found, essay: Essay) -> Finding | None:
    where, at = c.quote_span, essay.span(a.start)
    if a.state == AnchorState.CHANGED:
        from refmap.commands.drift import describe, fact_changes

        changes = fact_changes(c.quote, a.current or "")
        if changes:
            return Finding(
                "claim-changed", ERROR,
                f"claim '{c.id}': the essay at {at} changed what the claim says "
                f"({describe(changes)}): now {a.current!r}; re-check its sources, then "
                f"'refmap anchors --fix --accept {c.id}'", where, claim=c.id,
            )
        return Finding(
            "quote-changed", ERROR,
            f"claim '{c.id}': quote differs from {at} (similarity {a.score:g}%): "
            f"now {a.current!r}; run 'refmap anchors --fix' to update it", where, claim=c.id,
        )
    if a.state == AnchorState.MOVED:
        return Finding("quote-moved", WARNING,
                       f"claim '{c.id}': quote found at {at} but its prefix/suffix no longer match",
                       where, claim=c.id)
    if a.state == AnchorState.NORMALISED:
        return Finding("quote-typography", INFO,
                       f"claim '{c.id}': quote matches {at} only after normalising typography",
                       where, claim=c.id)
    return None


MAP_CHECKS: tuple[Callable[[ClaimsMap], list[Finding]], ...] = (
    check_unsourced, check_status_notes, check_dangling_sources, check_aliases,
    check_unused_sources,
    check_duplicate_ids, check_duplicate_citations, check_missing_excerpts,
    check_required_fields, check_biblatex_places, check_urls, check_dates, check_figures,
)


def run_checks(cmap: ClaimsMap, located: Sequence[LocatedClaim], essay: Essay,
               ignored: Iterable[tuple[IgnoredSentence, Anchor]] = ()) -> CheckResult:
    """Every finding for a map, its claims (and ignored sentences) as located in the essay,
    sorted by position."""
    findings = list(cmap.warnings)
    for check in MAP_CHECKS:
        findings.extend(check(cmap))
    findings.extend(check_anchors(located, essay))
    findings.extend(check_ignored(ignored, essay))
    return CheckResult(sort_findings(findings))


def check_ignored(ignored: Iterable[tuple[IgnoredSentence, Anchor]],
                  essay: Essay) -> list[Finding]:
    """Entries of the `ignore` list that no longer stand for one sentence of the essay."""
    found = []
    for entry, anchor in ignored:
        if isinstance(anchor, NotFound):
            how = "not found" if anchor.state == AnchorState.MISSING else (
                f"found in {anchor.places} places")
            found.append(Finding("ignore-not-found", WARNING,
                                 f"ignored sentence {how} in {essay.path}: "
                                 f"{entry.quote!r}", entry.span))
    return found
