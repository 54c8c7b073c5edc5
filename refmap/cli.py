"""The refmap command line: options, one library call, rendering, exit code.

Errors in user input arrive here as RefmapError and are printed as one line in exactly one
place (RefmapGroup.invoke), with exit code 2.
"""

from __future__ import annotations

import sys

import click

from refmap import __version__
from refmap.errors import RefmapError

DEFAULT_MAP = "claims.yaml"


class RefmapGroup(click.Group):
    """A click group that turns RefmapError into `Error: FILE:LINE:COL: message`, exit 2."""

    def invoke(self, ctx: click.Context):
        from refmap.yamlio import gc_paused

        try:
            with gc_paused():  # a short-lived process building large acyclic trees
                return super().invoke(ctx)
        except RefmapError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(2)


def map_option(func):
    return click.option(
        "--map", "map_path", default=DEFAULT_MAP, show_default=True, metavar="PATH",
        help="The claims map to read.",
    )(func)


def format_option(*choices: str):
    def decorate(func):
        return click.option(
            "--format", "fmt", type=click.Choice(choices), default=choices[0], show_default=True,
            help="Output format.",
        )(func)

    return decorate


def output_option(func):
    return click.option(
        "-o", "--output", default=None, metavar="FILE",
        help="Write to this file (atomically) instead of standard output.",
    )(func)


def _load(map_path: str, quiet_warnings: bool = False):
    from refmap.project import load_project

    project = load_project(map_path)
    if not quiet_warnings:
        for warning in project.cmap.warnings:
            click.echo(str(warning), err=True)
    return project


def _json(data, **kwargs) -> str:
    import json  # only the commands that print JSON pay for it

    return json.dumps(data, **kwargs)


def _emit(text: str, output: str | None, project=None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from refmap.fileio import atomic_write

    protect = (project.map_path, project.essay_path) if project is not None else ()
    atomic_write(output, text, protect=protect)


@click.group(cls=RefmapGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="refmap")
def cli() -> None:
    """refmap: the sources behind an essay's factual claims.

    A claims map (claims.yaml) ties each claim in an essay to its sources. refmap checks it,
    lists what still needs a source, measures coverage and exports citations.

    Exit codes: 0 clean, 1 checks found errors (or coverage below --min), 2 usage error or
    input that cannot be loaded.
    """


@cli.command()
@map_option
@format_option("text", "json", "github")
@click.option("--ignore", "ignored", multiple=True, metavar="CODE",
              help="Leave out findings with this code (repeatable), e.g. undated-source.")
@click.option("--errors-only", is_flag=True, help="Leave out warnings and notes.")
def check(map_path: str, fmt: str, ignored: tuple[str, ...], errors_only: bool) -> None:
    """Report every problem in the map, compiler style.

    Loads the map and the essay, anchors every quote and runs all checks: unsourced claims,
    unknown or unused sources, duplicate ids, quotes missing, ambiguous or changed in the essay,
    missing required fields, bad URLs and dates, and figures that no excerpt backs.

    Findings left out with --ignore or --errors-only do not count towards the exit code.

    Example:

        refmap check --map claims.yaml --format github --ignore undated-source
    """
    from refmap.checks import run_checks
    from refmap.findings import ERROR, exit_code
    from refmap.reporters import render

    project = _load(map_path, quiet_warnings=True)
    findings = [
        f for f in run_checks(project.cmap, project.essay)
        if f.code not in ignored and (f.severity == ERROR or not errors_only)
    ]
    click.echo(render(findings, fmt), nl=False)
    sys.exit(exit_code(findings))


@cli.command()
@map_option
@format_option("text", "json")
def unsourced(map_path: str, fmt: str) -> None:
    """List the claims that still need a source, with their place in the essay.

    A claim needs a source when it cites nothing and is not marked opinion, unverified or
    disputed. Each line gives the essay position, the claim id, its kind and its quote.

    Example:

        refmap unsourced --format json
    """
    from refmap.views import unsourced_rows

    project = _load(map_path)
    rows = unsourced_rows(project)
    if fmt == "json":
        click.echo(_json(rows, indent=2, ensure_ascii=False))
        return
    for row in rows:
        where = row["essay_position"] or row["map_position"]
        click.echo(f"{where}: {row['id']} [{row['kind']}] \u201c{row['quote']}\u201d")
    n = len(rows)
    click.echo(f"{n} unsourced claim{'s' if n != 1 else ''}")


@cli.command()
@map_option
@format_option("text", "json")
@click.option("--min", "minimum", type=click.FloatRange(0, 100), default=None, metavar="PCT",
              help="Exit 1 if the sourced share of checkable claims is below PCT.")
def coverage(map_path: str, fmt: str, minimum: float | None) -> None:
    """Count claims by status, overall and by kind.

    Checkable claims are all claims but opinions; the coverage figure is the sourced share of
    them. Unverified and disputed claims are accounted for but not sourced.

    Example:

        refmap coverage --min 90
    """
    from refmap.anchors import anchor_claims
    from refmap.coverage import measure
    from refmap.views import render_coverage

    project = _load(map_path)
    anchors = anchor_claims(project.cmap.claims, project.essay)
    result = measure(project.cmap, len(project.essay.text), anchors)
    if fmt == "json":
        click.echo(_json(result.as_dict(), indent=2))
    else:
        click.echo(render_coverage(result, project), nl=False)
    if minimum is not None and result.overall.percent_sourced < minimum:
        click.echo(
            f"coverage {result.overall.percent_sourced:.1f}% is below --min {minimum:g}%", err=True
        )
        sys.exit(1)


@cli.command(name="list")
@map_option
@format_option("text", "json")
@click.option("--kind", default=None, help="Only claims of this kind.")
@click.option("--status", default=None, help="Only claims with this status.")
def list_claims(map_path: str, fmt: str, kind: str | None, status: str | None) -> None:
    """List the claims with their status and the sources they cite.

    The JSON form is an array of {id, quote, kind, status, tags, note, sources, line, col}.

    Example:

        refmap list --status unverified
    """
    from refmap.views import claim_dict, claim_lines

    project = _load(map_path)
    claims = [c for c in project.cmap.claims
              if (kind is None or c.kind == kind) and (status is None or c.status == status)]
    if fmt == "json":
        click.echo(_json([claim_dict(c) for c in claims], indent=2, ensure_ascii=False))
        return
    for line in claim_lines(claims):
        click.echo(line)


@cli.command()
@click.argument("claim_id")
@map_option
@format_option("text", "json")
def show(claim_id: str, map_path: str, fmt: str) -> None:
    """Show one claim: its quote, place in the essay, status, note and each source it cites.

    Example:

        refmap show poll-80-percent
    """
    from refmap.views import render_claim, show_dict

    project = _load(map_path)
    claim = project.cmap.claim(claim_id)
    if claim is None:
        import difflib

        close = difflib.get_close_matches(claim_id, [c.id for c in project.cmap.claims], n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise click.BadParameter(f"no claim '{claim_id}' in {map_path}{hint}", param_hint="CLAIM_ID")
    if fmt == "json":
        click.echo(_json(show_dict(claim, project), indent=2, ensure_ascii=False))
    else:
        click.echo(render_claim(claim, project), nl=False)


@cli.command()
@map_option
@format_option("text", "json")
@click.option("--fix", is_flag=True,
              help="Rewrite changed quotes to the essay's current text (and moved context).")
@click.option("--dry-run", is_flag=True, help="With --fix: print the diff, write nothing.")
def anchors(map_path: str, fmt: str, fix: bool, dry_run: bool) -> None:
    """List how each claim's quote stands in the essay.

    States: exact; normalised (matches once typography is normalised); moved (found, but its
    prefix/suffix no longer match); changed (a close fuzzy match, with its score and current
    text); ambiguous (several equally good places); missing. Exits 1 while any quote is
    changed, ambiguous or missing.

    --fix rewrites changed quotes (and the context of moved ones) in the map, changing only
    those values' bytes; it refuses if the map changed on disk meanwhile.

    Example:

        refmap anchors --fix --dry-run
    """
    from refmap.anchors import anchor_claims
    from refmap.views import anchor_rows

    project = _load(map_path)
    found = anchor_claims(project.cmap.claims, project.essay)
    if fix or dry_run:
        from refmap.edit import MapEditor
        from refmap.fixes import plan_fixes

        editor = MapEditor(map_path)
        done = plan_fixes(editor, project.cmap, project.essay, found)
        if dry_run:
            click.echo(editor.diff(), nl=False)
            return
        if editor.save():
            for line in done:
                click.echo(line)
            project = _load(map_path, quiet_warnings=True)
            found = anchor_claims(project.cmap.claims, project.essay)
        else:
            click.echo("nothing to fix")
    rows = anchor_rows(project, found)
    if fmt == "json":
        click.echo(_json(rows, indent=2, ensure_ascii=False))
    elif not fix:
        for row in rows:
            click.echo(row["line_text"])
    bad = sum(1 for r in rows if r["state"] in ("changed", "ambiguous", "missing"))
    if fix and fmt == "text" and bad:
        click.echo(f"{bad} quote{'s' if bad != 1 else ''} still need a person: "
                   "run 'refmap anchors' to see them", err=True)
    sys.exit(1 if bad else 0)


@cli.command()
@map_option
@format_option("text", "json")
@click.option("--all", "show_all", is_flag=True,
              help="List every sentence with its score, covered or not.")
def uncovered(map_path: str, fmt: str, show_all: bool) -> None:
    """List the essay's check-worthy sentences that no claim covers.

    Each sentence gets a check-worthiness score in [0, 1] from surface cues (figures and
    percentages, years and dates, named people or bodies with reporting verbs, superlatives and
    firsts ...), lowered by opinion markers and questions; the reasons are listed. Sentences
    scoring 0.5 or more are check-worthy.

    Example:

        refmap uncovered --all --format json
    """
    from refmap.anchors import anchor_claims
    from refmap.uncovered import sentence_reports
    from refmap.uncovered import uncovered as pick

    project = _load(map_path)
    found = anchor_claims(project.cmap.claims, project.essay)
    reports = sentence_reports(project.essay, project.cmap.claims, found)
    chosen = reports if show_all else pick(reports)
    if fmt == "json":
        click.echo(_json([r.as_dict() for r in chosen], indent=2, ensure_ascii=False))
        return
    for r in chosen:
        covered = f" [covered by {', '.join(r.covered_by)}]" if r.covered_by else ""
        click.echo(f"{project.essay.path}:{r.line}:{r.col}: {r.score.value:.2f} {r.text}{covered}")
        click.echo(f"    {'; '.join(r.score.reasons) or 'no cues'}")
    if not show_all:
        n = len(chosen)
        click.echo(f"{n} check-worthy sentence{'s' if n != 1 else ''} not covered by any claim")


@cli.command()
@click.argument("essay_path", metavar="ESSAY")
@click.option("-o", "--output", default=DEFAULT_MAP, show_default=True,
              help="Where to write the new map (never overwritten).")
def init(essay_path: str, output: str) -> None:
    """Draft a claims map for an essay: each check-worthy sentence as an unsourced claim.

    The essay path is recorded relative to the new map. An existing map is never
    overwritten. `refmap unsourced` then lists the work to do.

    Example:

        refmap init essay.txt -o claims.yaml
    """
    from pathlib import Path

    from refmap.draft import draft_map, essay_reference
    from refmap.errors import WriteError
    from refmap.essay import read_essay
    from refmap.fileio import atomic_write

    if Path(output).exists():
        raise WriteError("already exists; refmap init never overwrites a map", path=output)
    essay = read_essay(Path(essay_path), essay_path)
    text, count = draft_map(essay, essay_reference(essay_path, output))
    atomic_write(output, text, protect=(Path(essay_path),), create_only=True)
    click.echo(f"wrote {output}: {count} check-worthy sentence{'s' if count != 1 else ''} "
               f"as unsourced claims; next: refmap unsourced --map {output}")


@cli.group()
def export() -> None:
    """Turn the map into what other tools read: BibTeX/BibLaTeX, CSL-JSON, a Markdown reading
    list, schema.org ClaimReview."""


@export.command()
@map_option
@click.option("--dialect", type=click.Choice(["biblatex", "bibtex"]), default="biblatex",
              show_default=True,
              help="biblatex: @online, date, urldate, UTF-8. bibtex: classic entry types, "
                   "year/month, howpublished, LaTeX-encoded accents.")
@click.option("--cited-only", is_flag=True, help="Only sources that some claim cites.")
@output_option
def bibtex(map_path: str, dialect: str, cited_only: bool, output: str | None) -> None:
    """Export the sources as a .bib file.

    Text is escaped for LaTeX, capitalised title words are protected for sentence-case styles,
    organisations are kept as one name, and the citekeys are the map's own.

    Example:

        refmap export bibtex --dialect biblatex -o refs.bib
    """
    from refmap.exporters import bibtex as exporter

    project = _load(map_path)
    _emit(exporter.export(project.cmap, dialect=dialect, cited_only=cited_only), output, project)


@export.command(name="csl-json")
@map_option
@click.option("--cited-only", is_flag=True, help="Only sources that some claim cites.")
@output_option
def csl_json(map_path: str, cited_only: bool, output: str | None) -> None:
    """Export the sources as CSL-JSON (pandoc --citeproc, Zotero, word processors).

    Example:

        refmap export csl-json -o references.json
    """
    from refmap.exporters import csljson

    project = _load(map_path)
    _emit(csljson.export(project.cmap, cited_only=cited_only), output, project)


@export.command()
@map_option
@click.option("--group-by", type=click.Choice(["kind", "tag", "type", "none"]), default="kind",
              show_default=True, help="Group sources by the kind of claim they support, by tag, "
                                      "by source type, or not at all.")
@click.option("--cited-only", is_flag=True, help="Only sources that some claim cites.")
@output_option
def markdown(map_path: str, group_by: str, cited_only: bool, output: str | None) -> None:
    """Export a Markdown reading list: each source as a reference with its link, and under it
    the claims it supports.

    Example:

        refmap export markdown --group-by tag -o reading-list.md
    """
    from refmap.exporters import markdown as exporter

    project = _load(map_path)
    _emit(exporter.export(project.cmap, group_by=group_by, cited_only=cited_only), output, project)


@export.command()
@map_option
@click.option("--include-unsourced", is_flag=True, help="Also review claims that cite nothing.")
@output_option
def claimreview(map_path: str, include_unsourced: bool, output: str | None) -> None:
    """Export schema.org ClaimReview JSON-LD for the claims that have a status.

    Opinions are left out: they are not fact checks.

    Example:

        refmap export claimreview -o claimreview.json
    """
    from refmap.exporters import claimreview as exporter

    project = _load(map_path)
    _emit(exporter.export(project.cmap, include_unsourced=include_unsourced), output, project)


@cli.command()
@map_option
@click.option("--bibliography", default="references.json", show_default=True,
              help="The bibliography file the document's YAML header names (export it with "
                   "'refmap export csl-json' or 'refmap export bibtex').")
@output_option
def annotate(map_path: str, bibliography: str, output: str | None) -> None:
    """Write the essay as Markdown with a pandoc citation after each claim's quote.

    Example:

        refmap export csl-json -o references.json
        refmap annotate -o annotated.md
        pandoc --citeproc annotated.md -o essay.html
    """
    from refmap.anchors import anchor_claims
    from refmap.annotate import annotate as render

    project = _load(map_path)
    found = anchor_claims(project.cmap.claims, project.essay)
    _emit(render(project.cmap, project.essay, found, bibliography), output, project)


@cli.command()
@map_option
@output_option
def report(map_path: str, output: str | None) -> None:
    """Write a self-contained HTML report: the essay with each claim highlighted by status,
    its sources and excerpts on click, the coverage summary and the findings.

    The page loads nothing from the network and runs no script but its own.

    Example:

        refmap report -o report.html
    """
    from refmap.anchors import anchor_claims
    from refmap.checks import run_checks
    from refmap.coverage import measure
    from refmap.exporters import html

    project = _load(map_path)
    found = anchor_claims(project.cmap.claims, project.essay)
    result = measure(project.cmap, len(project.essay.text), found)
    findings = run_checks(project.cmap, project.essay, found)
    _emit(html.export(project.cmap, project.essay, found, result, findings), output, project)


def main() -> None:  # pragma: no cover - the console script
    cli(prog_name="refmap")
