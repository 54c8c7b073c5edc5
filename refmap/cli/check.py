"""refmap check."""

from __future__ import annotations

import sys

import click

from refmap.cli.common import (
    essay_outside_option,
    format_option,
    load_project,
    map_option,
    map_paths,
    maps_argument,
    pick,
)


@click.command()
@maps_argument
@map_option
@format_option("text", "json", "github")
@click.option("--ignore", "ignored", multiple=True, metavar="CODE",
              help="Leave out findings with this code (repeatable), e.g. undated-source.")
@click.option("--errors-only", is_flag=True, help="Leave out warnings and notes.")
@essay_outside_option
def check(maps: tuple[str, ...], map_path: str | None, fmt: str, ignored: tuple[str, ...],
          errors_only: bool, essay_outside: bool) -> None:
    """Report every problem in the map, compiler style.

    Loads the map and the essay, anchors every quote and runs all checks: unsourced claims,
    unknown or unused sources, duplicate ids, quotes missing, ambiguous or changed in the essay,
    missing required fields, bad URLs and dates, and figures that no excerpt backs.

    Findings left out with --ignore or --errors-only do not count towards the exit code.
    Several maps (paths or globs, e.g. 'essays/*/claims.yaml') are checked in one run: each
    map's findings and summary, then the total; the exit code is the worst.

    Example:

    \b
        refmap check --map claims.yaml --format github --ignore undated-source
    """
    from refmap.findings import CODES, CheckResult
    from refmap.reporters import render
    from refmap.values import inert

    codes = [pick("--ignore", code, CODES) for code in ignored]
    paths = map_paths(maps, map_path)
    results = [load_project(path, essay_outside=essay_outside, warnings=False).check()
               .filtered(codes, errors_only) for path in paths]
    if len(results) == 1:
        click.echo(render(results[0], fmt), nl=False)
        sys.exit(results[0].exit_code)
    if fmt == "text":
        for path, result in zip(paths, results):
            *lines, summary = render(result, "text").splitlines()
            click.echo("".join(f"{line}\n" for line in lines) + f"{inert(path)}: {summary}")
        total = render(CheckResult([f for r in results for f in r.findings]), "text")
        click.echo(f"total ({len(paths)} maps): {total.splitlines()[-1]}")
    else:
        click.echo(render(CheckResult([f for r in results for f in r.findings]), fmt), nl=False)
    sys.exit(max(result.exit_code for result in results))
