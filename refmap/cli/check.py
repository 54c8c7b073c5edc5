"""refmap check."""

from __future__ import annotations

import sys

import click

from refmap.cli.common import essay_outside_option, format_option, load_project, map_option, pick
from refmap.cli.complete import finding_codes


@click.command()
@map_option
@format_option("text", "json", "github")
@click.option("--ignore", "ignored", multiple=True, metavar="CODE", shell_complete=finding_codes,
              help="Leave out findings with this code (repeatable), e.g. undated-source.")
@click.option("--errors-only", is_flag=True, help="Leave out warnings and notes.")
@essay_outside_option
def check(map_path: str | None, fmt: str, ignored: tuple[str, ...], errors_only: bool,
          essay_outside: bool) -> None:
    """Report every problem in the map, compiler style.

    Loads the map and the essay, anchors every quote and runs all checks: unsourced claims,
    unknown or unused sources, duplicate ids, quotes missing, ambiguous or changed in the essay,
    missing required fields, bad URLs and dates, and figures that no excerpt backs.

    Findings left out with --ignore or --errors-only do not count towards the exit code.

    Example:

    \b
        refmap check --map claims.yaml --format github --ignore undated-source
    """
    from refmap.findings import CODES
    from refmap.reporters import render

    codes = [pick("--ignore", code, CODES) for code in ignored]
    project = load_project(map_path, essay_outside=essay_outside, warnings=False)
    result = project.check().filtered(codes, errors_only)
    click.echo(render(result, fmt), nl=False)
    sys.exit(result.exit_code)
