"""refmap anchors, uncovered."""

from __future__ import annotations

import click

from refmap.cli.common import (
    dry_run_option, essay_outside_option, format_option, load_project, map_option, require_fix,
    to_json,
)
from refmap.cli.complete import claim_ids


@click.command()
@map_option
@format_option("text", "json")
@click.option("--fix", is_flag=True,
              help="Rewrite changed quotes to the essay's current text (and moved context).")
@dry_run_option
@click.option("--accept", "accepted", multiple=True, metavar="ID", shell_complete=claim_ids,
              help="With --fix: also rewrite this claim's quote when a figure, date or name "
                   "in it changed (after a person re-checked it). Repeatable.")
@essay_outside_option
def anchors(map_path: str | None, fmt: str, fix: bool, dry_run: bool, accepted: tuple[str, ...],
            essay_outside: bool) -> int:
    """List how each claim's quote stands in the essay, in essay order.

    States: exact; normalised (matches once typography is normalised); moved (found, but its
    prefix/suffix no longer match); changed (a close fuzzy match, with its score and current
    text); ambiguous (several equally good places); missing. Exits 1 while any quote is
    changed, ambiguous or missing.

    --fix rewrites changed quotes (and the context of moved ones) in the map, changing only
    those values' bytes; it refuses if the map changed on disk meanwhile. With --fix, --dry-run
    prints the diff instead and exits as the real run would. A quote in which a figure, date or
    name changed (53 -> 35, 2018 -> 2019, Moon -> Kim: `check` reports it as claim-changed) is
    left alone unless --accept ID names its claim.

    Example:

    \b
        refmap anchors --fix --dry-run
    """
    from refmap.render.views import held_line, needs_person_line, render_anchors

    require_fix(dry_run, fix, "--fix")
    project = load_project(map_path, essay_outside=essay_outside)
    if not fix:
        report = project.anchor_report()
        click.echo(to_json(report.to_json()) if fmt == "json" else render_anchors(report),
                   nl=False)
        return report.exit_code
    for claim_id in accepted:
        if project.cmap.claim(claim_id) is None:
            from refmap.commands.editing import hint
            from refmap.errors import UsageError

            raise UsageError(f"--accept: no claim '{claim_id}' in {project.cmap.path}"
                             + hint(claim_id, [c.id for c in project.cmap.claims]))
    plan = project.fix_plan(accepted)
    editor = project.editor
    plan.apply(editor)
    if dry_run:
        click.echo(editor.diff(), nl=False)
    elif editor.save():
        for claim_fix in plan.fixes:
            click.echo(claim_fix.describe())
    else:
        click.echo("nothing to fix")
    for held in plan.held:
        click.echo(held_line(held, project.essay), err=True)
    if plan.unresolved:
        click.echo(needs_person_line(len(plan.unresolved)), err=True)
    return plan.exit_code


@click.command()
@map_option
@format_option("text", "json")
@click.option("--all", "show_all", is_flag=True,
              help="List every sentence with its score, covered or not.")
@essay_outside_option
def uncovered(map_path: str | None, fmt: str, show_all: bool, essay_outside: bool) -> None:
    """List the essay's check-worthy sentences that no claim covers.

    Each sentence gets a check-worthiness score in [0, 1] from surface cues (figures and
    percentages, years and dates, named people or bodies with reporting verbs, superlatives and
    firsts ...), lowered by opinion markers and questions; the reasons are listed. Sentences
    scoring 0.5 or more are check-worthy.

    Example:

    \b
        refmap uncovered --all --format json
    """
    from refmap.commands.uncovered import uncovered as pick_uncovered
    from refmap.render.views import render_sentences

    reports = load_project(map_path, essay_outside=essay_outside).sentences()
    chosen = reports if show_all else pick_uncovered(reports)
    if fmt == "json":
        click.echo(to_json([r.to_json() for r in chosen]), nl=False)
    else:
        click.echo(render_sentences(chosen, show_all), nl=False)
