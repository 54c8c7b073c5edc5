"""refmap check."""

from __future__ import annotations

import click

from refmap.cli.common import (
    essay_outside_option,
    existing_map,
    format_option,
    map_option,
    map_paths,
    maps_argument,
    max_bytes,
    no_cache_option,
    pick,
)
from refmap.cli.complete import finding_codes


@click.command()
@maps_argument
@map_option
@format_option("text", "json", "github")
@click.option("--ignore", "ignored", multiple=True, metavar="CODE", shell_complete=finding_codes,
              help="Leave out findings with this code (repeatable), e.g. undated-source.")
@click.option("--errors-only", is_flag=True, help="Leave out warnings and notes.")
@essay_outside_option
@no_cache_option
def check(maps: tuple[str, ...], map_path: str | None, fmt: str, ignored: tuple[str, ...],
          errors_only: bool, essay_outside: bool, no_cache: bool) -> int:
    """Report every problem in the map, compiler style.

    Loads the map and the essay, anchors every quote and runs all checks: unsourced claims,
    unknown or unused sources, duplicate ids, quotes missing, ambiguous or changed in the essay,
    missing required fields, bad URLs and dates, and figures that no excerpt backs.

    Findings left out with --ignore or --errors-only do not count towards the exit code.
    Several maps (paths or globs, e.g. 'essays/*/claims.yaml') are checked in one run: each
    map's findings and summary, then the total; the exit code is the worst.

    Findings are kept under .refmap/check/ beside the map and printed from there while the map,
    the essay, the linked libraries and refmap itself are unchanged (--no-cache: check anew,
    keep nothing).

    Example:

    \b
        refmap check --map claims.yaml --format github --ignore undated-source
    """
    from refmap.findings import CODES, CheckResult
    from refmap.hook import check_map
    from refmap.render.findings import render
    from refmap.values import inert

    codes = [pick("--ignore", code, CODES) for code in ignored]
    paths = map_paths(maps, map_path)
    results = [check_map(existing_map(path), essay_outside=essay_outside,
                         max_bytes=max_bytes(), cache=not no_cache)
               .result.filtered(codes, errors_only) for path in paths]
    if len(results) == 1:
        click.echo(render(results[0], fmt), nl=False)
        return results[0].exit_code
    if fmt == "text":
        for path, result in zip(paths, results):
            *lines, summary = render(result, "text").splitlines()
            click.echo("".join(f"{line}\n" for line in lines) + f"{inert(path)}: {summary}")
        total = render(CheckResult([f for r in results for f in r.findings]), "text")
        click.echo(f"total ({len(paths)} maps): {total.splitlines()[-1]}")
    else:
        click.echo(render(CheckResult([f for r in results for f in r.findings]), fmt), nl=False)
    return max(result.exit_code for result in results)


@click.command()
@format_option("text", "github")
@essay_outside_option
@no_cache_option
def hook(fmt: str, essay_outside: bool, no_cache: bool) -> int:
    """Check every claims map of the repository, as the pre-commit hook does.

    The maps are those `maps = [...]` lists in .refmap.toml (or `[tool.refmap]` in
    pyproject.toml), paths or glob patterns; without that setting, every *claims*.yaml or
    *claims*.yml below the current folder. Each is checked as `refmap check` does (through the
    same findings cache; --no-cache checks anew), except that an unsourced claim still marked
    `draft` is a warning, not an error. Exits 2 if a map cannot be loaded, else 1 if any has
    an error, else 0.

    Example:

    \b
        refmap hook --format github
    """
    from pathlib import Path

    from refmap.hook import check_maps, hook_maps
    from refmap.render.findings import render

    paths = hook_maps(Path("."))
    if not paths:
        click.echo("no claims maps found (name them in .refmap.toml: maps = [...])")
        return 0
    code = 0
    for checked in check_maps(paths, essay_outside=essay_outside, max_bytes=max_bytes(),
                              cache=not no_cache):
        if checked.error is not None:
            for line in checked.error.lines():
                click.echo(f"Error: {line}", err=True)
            code = 2
            continue
        assert checked.result is not None
        if fmt == "text":
            click.echo(f"{checked.path}:")
        click.echo(render(checked.result, fmt), nl=False)
        code = max(code, checked.result.exit_code)
    return code
