"""What the commands share: options, loading the project, writing outputs."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from refmap.errors import LoadError, UsageError

if TYPE_CHECKING:
    from refmap.mapfile.editor import MapEditor
    from refmap.net.http import HttpClient
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


def no_cache_option(func: F) -> F:
    return click.option(
        "--no-cache", is_flag=True, envvar="REFMAP_NO_CACHE",
        help="Check anew, neither reading nor keeping findings under .refmap/check/ "
             "(also $REFMAP_NO_CACHE=1).",
    )(func)


def format_option(*choices: str) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        return click.option(
            "--format", "fmt", type=click.Choice(choices), default=choices[0],
            show_default=True, help="Output format.",
        )(func)

    return decorate


def dry_run_option(func: F) -> F:
    return click.option("--dry-run", is_flag=True,
                        help="Print the unified diff of the map instead of writing it.")(func)


def require_fix(dry_run: bool, fix: bool, flag: str) -> None:
    """--dry-run shows what a write would change; on a command that writes only with a fix
    flag, it never implies that flag."""
    if dry_run and not fix:
        raise UsageError(f"--dry-run shows what {flag} would write: add {flag} "
                         f"(refmap ... {flag} --dry-run)")


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


def existing_map(given: str | None) -> str:
    """The map to read (see map_path); a missing ./claims.yaml, the default, is a LoadError
    that says how to start one."""
    path = map_path(given)
    if path == DEFAULT_MAP and not Path(path).exists() and not Path(path).is_symlink():
        raise LoadError("no such file; start a map with 'refmap init ESSAY', or name one "
                        "with --map PATH", path=path)
    return path


def load_project(given: str | None, *, essay_outside: bool = False,
                 warnings: bool = True, with_essay: bool = True) -> Project:
    """Load the project; load warnings (unknown keys) go to stderr unless the command reports
    them itself. Commands about the sources alone pass with_essay=False and never read the
    essay."""
    from refmap.project import load

    path = existing_map(given)
    project = load(path, essay_outside=essay_outside, max_bytes=max_bytes(),
                   with_essay=with_essay)
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


class Seconds(click.ParamType):  # type: ignore[type-arg]
    """A number of seconds within a range; NaN and infinities are refused."""

    name = "SECONDS"

    def __init__(self, low: float, high: float) -> None:
        self.low, self.high = low, high

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        if isinstance(value, float):
            number = value
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(number) or not self.low <= number <= self.high:
            self.fail(f"{value!r} is not a number of seconds from {self.low:g} to {self.high:g}",
                      param, ctx)
        return number


@dataclass(frozen=True)
class NetworkOptions:
    """How a command that uses the network opens its HTTP client (see `network_options`)."""

    timeout: float
    """Seconds for each request, from resolving the host to the last byte of the body."""
    max_wait: float
    """Seconds of Retry-After waiting allowed in the whole run."""
    cache_dir: str | None
    no_cache: bool
    allow_private: bool
    """Fetch loopback, link-local and private addresses too."""
    refresh: bool = False
    """Ask every server anew (never read the cache), and keep the answers in it."""
    max_age: float | None = None
    """Seconds a cached answer is used for (None: a day)."""
    offline: bool = False

    def client(self) -> HttpClient:
        """The client, opened before any request, so an unusable cache is one line, exit 2."""
        from refmap.net.cache import DEFAULT_TTL
        from refmap.net.http import open_client

        if self.no_cache and self.refresh:
            raise UsageError("--refresh updates the cache and --no-cache leaves it alone: "
                             "give one of them")
        return open_client(timeout=self.timeout, cache_dir=self.cache_dir,
                           use_cache=not self.no_cache, offline=self.offline,
                           max_wait=self.max_wait, allow_private=self.allow_private,
                           refresh=self.refresh,
                           cache_ttl=DEFAULT_TTL if self.max_age is None else self.max_age)


class Duration(click.ParamType):  # type: ignore[type-arg]
    """A duration: seconds, or a number with s, m, h or d ('90', '30m', '6h', '2d')."""

    name = "AGE"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        if isinstance(value, (int, float)):
            return float(value)
        from refmap.net.cache import parse_duration

        seconds = parse_duration(str(value))
        if seconds is None:
            self.fail(f"{value!r} is not a duration such as 90, 30m, 6h or 2d", param, ctx)
        return seconds


NETWORK_KEYS = ("timeout", "max_wait", "cache_dir", "no_cache", "allow_private", "refresh",
                "max_age", "offline")


def network_options(timeout: float = 10.0, offline: bool = False) -> Callable[[F], F]:
    """The options of every command that fetches (--timeout, --max-wait, --cache, --no-cache,
    --allow-private, and --offline where asked), handed to it as one `network` argument."""

    def decorate(func: F) -> F:
        keys = NETWORK_KEYS if offline else tuple(k for k in NETWORK_KEYS if k != "offline")

        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            given = {key: kwargs.pop(key) for key in keys if key in kwargs}
            return func(*args, network=NetworkOptions(**given), **kwargs)

        options = [
            click.option("--timeout", type=Seconds(0.1, 600), default=timeout, show_default=True,
                         help="Seconds allowed for each request: connecting, headers, "
                              "redirects and body together."),
            click.option("--max-wait", type=Seconds(0, 3600), default=60.0, show_default=True,
                         help="Seconds the whole run may wait when servers ask for it "
                              "(Retry-After); past that their links are reported as blocked."),
            click.option("--cache", "cache_dir", default=None, metavar="DIR",
                         help="Keep answers here (default: $XDG_CACHE_HOME/refmap)."),
            click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
            click.option("--refresh", is_flag=True,
                         help="Ask every server anew and update the cache with the answers."),
            click.option("--max-age", type=Duration(), default="1d", show_default=True,
                         help="Use cached answers up to this old (90, 30m, 6h, 2d)."),
            click.option("--allow-private", is_flag=True, envvar="REFMAP_ALLOW_PRIVATE",
                         help="Also fetch loopback, link-local and private addresses (refused "
                              "by default: a map may come from someone else; also "
                              "$REFMAP_ALLOW_PRIVATE=1)."),
        ]
        if offline:
            options.append(click.option("--offline", is_flag=True,
                                        help="Answer from the cache only; never use the network."))
        decorated: Any = command
        for option in reversed(options):
            decorated = option(decorated)
        return decorated  # type: ignore[no-any-return]

    return decorate


def maps_argument(func: F) -> F:
    return click.argument("maps", nargs=-1, metavar="[MAP]...")(func)


def map_paths(maps: tuple[str, ...], given: str | None) -> list[str]:
    """The maps a run reads: those named as arguments (paths or globs), plus --map; with
    neither, the one `map_path` names."""
    if not maps:
        return [map_path(given)]
    from refmap.commands.maps import expand_maps

    return expand_maps([*maps, *([given] if given else [])])


def echo_written(editor: MapEditor | None, dry_run: bool, lines: list[str],
                 details: dict[str, Any] | None = None, map_path: str | None = None) -> None:
    """Save (or diff, with --dry-run) and print what was done as one JSON object."""
    from refmap.render.writes import write_json

    written, diff = False, None
    if editor is not None and dry_run:
        diff = editor.diff()
    elif editor is not None:
        written = editor.save()
    shown = map_path or (editor.display if editor is not None else "")
    click.echo(to_json(write_json(shown, lines, dry_run=dry_run, written=written, diff=diff,
                                  details=details)), nl=False)
