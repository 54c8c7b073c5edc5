"""refmap coverage, unsourced, list, show."""

from __future__ import annotations


import click

from refmap.cli.common import (
    Percent,
    essay_outside_option,
    format_option,
    load_project,
    map_option,
    map_paths,
    maps_argument,
    pick,
    to_json,
)
from refmap.cli.complete import claim_ids, kinds, statuses


@click.command()
@maps_argument
@map_option
@format_option("text", "json")
@click.option("--min", "minimum", type=Percent(), default=None, metavar="PCT",
              help="Exit 1 if the sourced share of checkable claims is below PCT.")
@essay_outside_option
def coverage(maps: tuple[str, ...], map_path: str | None, fmt: str, minimum: float | None,
             essay_outside: bool) -> int:
    """Count claims by status, overall and by kind.

    Checkable claims are all claims but opinions; the coverage figure is the sourced share of
    them. Unverified and disputed claims are accounted for but not sourced. Several maps
    (paths or globs): each map's table, then the total over all (which --min applies to);
    JSON is then {"maps": [...], "total": ...}.

    Example:

    \b
        refmap coverage --min 90
        refmap coverage 'essays/*/claims.yaml'
    """
    from refmap.commands.maps import total_tally
    from refmap.mapfile.model import Status
    from refmap.render.views import render_coverage

    paths = map_paths(maps, map_path)
    results = [load_project(path, essay_outside=essay_outside).coverage() for path in paths]
    overall = total_tally(r.overall for r in results)
    if len(results) == 1:
        click.echo(to_json(results[0].to_json()) if fmt == "json"
                   else render_coverage(results[0]), nl=False)
    elif fmt == "json":
        click.echo(to_json({"maps": [{"map": r.map, **r.to_json()} for r in results],
                            "total": overall.to_json()}), nl=False)
    else:
        click.echo("\n".join(render_coverage(r) for r in results), nl=False)
        click.echo(f"\nTotal over {len(results)} maps: checkable claims sourced: "
                   f"{overall.counts[Status.SOURCED]} of {overall.checkable} "
                   f"({overall.percent_sourced:.1f}%); sourced or marked unverified/disputed: "
                   f"{overall.percent_accounted:.1f}%")
    if minimum is not None and overall.percent_sourced < minimum:
        click.echo(f"coverage {overall.percent_sourced:.1f}% is below --min {minimum:g}%",
                   err=True)
        return 1
    return 0


@click.command()
@maps_argument
@map_option
@format_option("text", "json")
@essay_outside_option
def unsourced(maps: tuple[str, ...], map_path: str | None, fmt: str,
              essay_outside: bool) -> None:
    """List the claims that still need a source, with their place in the essay.

    A claim needs a source when it cites nothing and is not marked opinion, unverified or
    disputed. Each line gives the essay position, the claim id, its kind and its quote.
    Several maps (paths or globs): each map's claims and count, then the total.

    Example:

    \b
        refmap unsourced --format json
        refmap unsourced essays/*/claims.yaml
    """
    from refmap.values import inert
    from refmap.render.views import render_unsourced, unsourced_json

    paths = map_paths(maps, map_path)
    projects = [load_project(path, essay_outside=essay_outside) for path in paths]
    found = [(project, project.unsourced()) for project in projects]
    if fmt == "json":
        click.echo(to_json([row for project, rows in found
                            for row in unsourced_json(rows, project.essay)]), nl=False)
        return
    for path, (project, rows) in zip(paths, found):
        text = render_unsourced(rows, project.essay)
        if len(found) > 1:
            *lines, count = text.splitlines()
            text = "".join(f"{line}\n" for line in lines) + f"{inert(path)}: {count}\n"
        click.echo(text, nl=False)
    if len(found) > 1:
        n = sum(len(rows) for _, rows in found)
        click.echo(f"total ({len(found)} maps): {n} unsourced claim{'s' if n != 1 else ''}")


@click.command(name="list")
@map_option
@format_option("text", "json")
@click.option("--kind", default=None, help="Only claims of this kind.", shell_complete=kinds)
@click.option("--status", default=None, help="Only claims with this status.",
              shell_complete=statuses)
@essay_outside_option
def list_claims(map_path: str | None, fmt: str, kind: str | None, status: str | None,
                essay_outside: bool) -> None:
    """List the claims with their status and the sources they cite.

    The JSON form is an array of claims, each with its anchor state and its positions in the
    essay and in the map (docs/json/list.schema.json).

    Example:

    \b
        refmap list --status unverified
    """
    from refmap.mapfile.model import STATUS_SYNONYMS, ClaimKind, Status
    from refmap.render.views import claim_json, claim_lines

    if kind is not None:
        kind = pick("--kind", kind, [str(k) for k in ClaimKind])
    if status is not None:
        synonyms = {k: str(v) for k, v in STATUS_SYNONYMS.items()}
        status = pick("--status", status, [str(s) for s in Status], synonyms)
    project = load_project(map_path, essay_outside=essay_outside)
    chosen = [lc for lc in project.located
              if (kind is None or lc.claim.kind == kind)
              and (status is None or lc.claim.status == status)]
    if fmt == "json":
        click.echo(to_json([claim_json(lc, project.essay) for lc in chosen]), nl=False)
        return
    for line in claim_lines([lc.claim for lc in chosen]):
        click.echo(line)


@click.command()
@click.argument("claim_id", shell_complete=claim_ids)
@map_option
@format_option("text", "json")
@essay_outside_option
def show(claim_id: str, map_path: str | None, fmt: str, essay_outside: bool) -> None:
    """Show one claim: its quote, place in the essay, status, note and each source it cites.

    Example:

    \b
        refmap show poll-80-percent
    """
    from refmap.render.views import render_claim, show_json

    project = load_project(map_path, essay_outside=essay_outside)
    located = project.locate(claim_id)
    if located is None:
        from refmap.errors import UsageError
        from refmap.suggest import did_you_mean

        close = did_you_mean(claim_id, [c.id for c in project.cmap.claims])
        hint = f"; did you mean '{close}'?" if close else ""
        raise UsageError(f"no claim '{claim_id}' in {project.cmap.path}{hint}")
    if fmt == "json":
        click.echo(to_json(show_json(located, project)), nl=False)
    else:
        click.echo(render_claim(located, project), nl=False)
