"""refmap serve."""

from __future__ import annotations

import dataclasses
import sys
from typing import TYPE_CHECKING

import click

from refmap.cli.common import NetworkOptions, essay_outside_option, map_option, max_bytes
from refmap.cli.common import network_options
from refmap.cli.common import map_path as resolve_map

if TYPE_CHECKING:
    from refmap.net.http import HttpClient


@click.command()
@map_option
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="The port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Anything but 127.0.0.1 lets other machines "
                   "reach the desk (the token still guards it).")
@click.option("--no-open", is_flag=True, help="Do not open a browser.")
@click.option("--verify", "verify_file", default=None, metavar="FILE",
              help="Show what `refmap verify --format json > FILE` found about each source.")
@network_options(timeout=20.0)
@essay_outside_option
def serve(map_path: str | None, port: int, host: str, no_open: bool,
          verify_file: str | None, network: NetworkOptions, essay_outside: bool) -> int:
    """Open a review desk in the browser: the report, live and editable.

    Serves the essay highlighted by claim status on this machine only, with a random token in
    the URL (the first line printed). From the page you can edit a claim's kind, status and
    note, accept a drifted quote, add a citation (or a new source by DOI, ISBN or URL), check
    one source's links and excerpts, and make a new claim from selected text;
    every write goes through the same editor as the CLI and is refused if the map changed on
    disk since the page showed it. Stop it with Ctrl-C.

    Example:

    \b
        refmap serve --port 8765 --no-open
    """
    from refmap.serve.desk import Desk
    from refmap.serve.server import LOOPBACK, serve as run

    marks = None
    if verify_file is not None:
        from refmap.exporters.robust import read_verify_marks

        marks = read_verify_marks(verify_file)
    desk = Desk(resolve_map(map_path), essay_outside=essay_outside,
                max_bytes=max_bytes(), verify_marks=marks)
    state = desk.state()
    if state.error is not None:
        click.echo(f"Error: {state.error}", err=True)
        return 2
    if host != LOOPBACK:
        click.echo(f"Warning: listening on {host}: other machines that can reach it may open "
                   "the desk with the token", err=True)

    import gc

    gc.enable()  # the CLI pauses the collector for short runs; a server runs for hours

    def announce(url: str) -> None:
        click.echo(url)
        sys.stdout.flush()

    network.client()  # an unusable cache is one line, exit 2, now

    def cached() -> HttpClient:
        return dataclasses.replace(network, offline=True).client()

    run(desk, host, port, announce, not no_open,
        network=network.client, cached=None if network.no_cache else cached)
    return 0
