"""The refmap command line: options, one library call, rendering, exit code.

Subcommands live in the modules of this package and are imported only when run (click's lazy
group pattern), so `refmap check` does not pay for the exporters. Errors in user input arrive
here as RefmapError, or as click's usage errors, and are printed as one line each in exactly
one place (RefmapGroup.main), with exit code 2.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

import click

from refmap import __version__
from refmap.errors import RefmapError

LAZY_COMMANDS = {
    "check": "refmap.cli.check:check",
    "hook": "refmap.cli.check:hook",
    "coverage": "refmap.cli.claims:coverage",
    "unsourced": "refmap.cli.claims:unsourced",
    "list": "refmap.cli.claims:list_claims",
    "show": "refmap.cli.claims:show",
    "anchors": "refmap.cli.anchors:anchors",
    "uncovered": "refmap.cli.anchors:uncovered",
    "import": "refmap.cli.references:import_",
    "add": "refmap.cli.references:add",
    "cite": "refmap.cli.references:cite",
    "claim": "refmap.cli.references:claim",
    "source": "refmap.cli.editing:source",
    "ignore": "refmap.cli.editing:ignore",
    "init": "refmap.cli.init:init",
    "export": "refmap.cli.export:export",
    "annotate": "refmap.cli.views:annotate",
    "report": "refmap.cli.views:report",
    "filter-path": "refmap.cli.filters:filter_path",
    "links": "refmap.cli.sources:links",
    "verify": "refmap.cli.sources:verify",
    "archive": "refmap.cli.sources:archive",
    "serve": "refmap.cli.serve:serve",
    "capture": "refmap.cli.sources:capture",
}
"""Command name -> "module:attribute" of its click command."""


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (click's documented pattern)."""

    def __init__(self, *args: Any, lazy: dict[str, str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        """A misspelt command gets a did-you-mean (refmap.suggest), as misspelt values do."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            from refmap.suggest import did_you_mean

            close = did_you_mean(name, self.list_commands(ctx))
            hint = f" Did you mean '{close}'?" if close else ""
            ctx.fail(f"No such command '{name}'.{hint}")
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module, attribute = self.lazy[cmd_name].split(":")
            command = getattr(importlib.import_module(module), attribute)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)


class RefmapGroup(LazyGroup):
    """The top-level group: one line per error, `Error: FILE:LINE:COL: message`, exit 2."""

    def invoke(self, ctx: click.Context) -> Any:
        from refmap.fileio import gc_paused

        try:
            with gc_paused():  # a short-lived process building large acyclic trees
                return super().invoke(ctx)
        except RefmapError as exc:
            for line in exc.lines():
                click.echo(f"Error: {line}", err=True)
            ctx.exit(2)

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as exc:
            from refmap.values import inert

            click.echo(f"Error: {inert(exc.format_message())}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(130)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=RefmapGroup, lazy=LAZY_COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--map", "map_path", default=None, metavar="PATH", envvar="REFMAP_MAP",
              help="The claims map to read (default: claims.yaml; also $REFMAP_MAP). May "
                   "also be given after the command.")
@click.option("--max-size", "max_size", type=click.IntRange(min=1), default=None, metavar="MIB",
              envvar="REFMAP_MAX_SIZE",
              help="Read a map or essay of up to MIB mebibytes (default: 64 for the map, 32 "
                   "for the essay; also $REFMAP_MAX_SIZE).")
@click.version_option(__version__, prog_name="refmap")
@click.pass_context
def cli(ctx: click.Context, map_path: str | None, max_size: int | None) -> None:
    """refmap: the sources behind an essay's factual claims.

    A claims map (claims.yaml) ties each claim in an essay to its sources. refmap checks it,
    lists what still needs a source, measures coverage and exports citations.

    Exit codes: 0 clean, 1 checks found errors (or coverage below --min), 2 usage error or
    input that cannot be loaded.
    """
    ctx.obj = {"map": map_path, "max_size": max_size}


def main() -> None:  # pragma: no cover - the console script (tests/cli/test_exit.py runs it)
    """The console script: run the command, then end the process without freeing its heap.

    CPython's last act is to free every object a process made, one at a time: after an import
    of 5,000 entries that is several percent of the run, for memory the system takes back at
    once anyway. Like mypy's hard exit, this flushes the output, runs the exit handlers and
    ends with os._exit; where another thread still runs, the interpreter's own exit waits for
    it as before.

    The cyclic collector is paused from here to the end (RefmapGroup.invoke pauses it for any
    caller): resumed after the command, its first pass would walk every object the command
    left alive, three percent of an import's run, only for the process to end. A command that
    runs for long (`serve`) turns it back on itself.
    """
    import gc

    gc.disable()
    try:
        cli(prog_name="refmap")
    except SystemExit as done:
        leave(done.code)


def leave(code: str | int | None) -> None:
    """End the process with `code` as `sys.exit(code)` would, skipping the heap's teardown."""
    import atexit
    import os
    import threading

    if threading.active_count() > 1:
        sys.exit(code)  # the interpreter's own exit joins the other threads
    if code is None or isinstance(code, int):
        status = code or 0
    else:  # as sys.exit("message") ends
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(status)  # the interpreter reports a closed pipe as it always has
    os._exit(status)
