"""What the commands share: options, loading the project, writing outputs."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from refmap.errors import LoadError, UsageError

if TYPE_CHECKING:
    from refmap.project import Project

DEFAULT_MAP = "claims.yaml"
MIB = 1024 * 1024
F = TypeVar("F", bound=Callable[..., Any])


def map_option(func: F) -> F:
    return click.option(
        "--map", "map_path", default=None, metavar="PATH",
        help="The claims map to read (default: claims.yaml, or $REFMAP_MAP).",
    )(func)


def essay_outside_option(func: F) -> F:
    return click.option(
        "--essay-outside", is_flag=True, envvar="REFMAP_ESSAY_OUTSIDE",
        help="Read the essay even when the map names a file outside the map's folder "
             "(also $REFMAP_ESSAY_OUTSIDE=1).",
    )(func)


def format_option(*choices: str) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        return click.option(
            "--format", "fmt", type=click.Choice(choices), default=choices[0],
            show_default=True, help="Output format.",
        )(func)

    return decorate


def output_option(func: F) -> F:
    return click.option(
        "-o", "--output", default=None, metavar="FILE",
        help="Write to this file (atomically) instead of standard output.",
    )(func)


def map_path(given: str | None) -> str:
    """The map to read: --map after the command, else --map before it or $REFMAP_MAP, else
    ./claims.yaml."""
    if given:
        return given
    ctx = click.get_current_context()
    root = ctx.find_root().obj or {}
    return str(root.get("map") or DEFAULT_MAP)


def max_bytes() -> int | None:
    """The size cap for this run's inputs from the top-level --max-size (MiB), or None for the
    default caps."""
    root = click.get_current_context().find_root().obj or {}
    mib = root.get("max_size")
    return None if mib is None else int(mib) * MIB


def load_project(given: str | None, *, essay_outside: bool = False,
                 warnings: bool = True) -> Project:
    """Load the project; load warnings (unknown keys) go to stderr unless the command reports
    them itself."""
    from refmap.project import load

    path = map_path(given)
    if path == DEFAULT_MAP and not Path(path).exists() and not Path(path).is_symlink():
        raise LoadError("no such file; start a map with 'refmap init ESSAY', or name one "
                        "with --map PATH", path=path)
    project = load(path, essay_outside=essay_outside, max_bytes=max_bytes())
    if warnings:
        for warning in project.cmap.warnings:
            click.echo(str(warning), err=True)
    return project


def emit(text: str, output: str | None, project: Project | None = None) -> None:
    """Print, or write atomically to -o (never over the project's own inputs)."""
    if output is None:
        click.echo(text, nl=False)
        return
    from refmap.fileio import atomic_write

    atomic_write(output, text, protect=project.inputs() if project is not None else ())


def to_json(data: object) -> str:
    import json  # only the commands that print JSON pay for it

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def pick(option: str, value: str, vocabulary: Iterable[str],
         synonyms: dict[str, str] | None = None) -> str:
    """A value the user typed for an option with a fixed vocabulary; a misspelt one is a
    usage error with a did-you-mean, never silently matching nothing."""
    choices = list(vocabulary)
    if value in choices:
        return value
    from refmap.suggest import did_you_mean

    close = (synonyms or {}).get(value.lower()) or did_you_mean(value, choices)
    hint = f"; did you mean '{close}'?" if close else f" (one of: {', '.join(choices)})"
    raise UsageError(f"{option}: unknown value '{value}'{hint}")


class Percent(click.ParamType):  # type: ignore[type-arg]
    """A percentage from 0 to 100; NaN and infinities are refused."""

    name = "PCT"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number", param, ctx)
        if not math.isfinite(number) or not 0 <= number <= 100:
            self.fail(f"{value!r} is not a percentage from 0 to 100", param, ctx)
        return number


def maps_argument(func: F) -> F:
    return click.argument("maps", nargs=-1, metavar="[MAP]...")(func)


def map_paths(maps: tuple[str, ...], given: str | None) -> list[str]:
    """The maps a run reads: those named as arguments (paths or globs), plus --map; with
    neither, the one `map_path` names."""
    from refmap.commands.maps import expand_maps

    if not maps:
        return [map_path(given)]
    return expand_maps([*maps, *([given] if given else [])])
