"""refmap filter-path."""

from __future__ import annotations

import click


@click.command(name="filter-path")
def filter_path() -> None:
    """Print where refmap's pandoc Lua filter is installed.

    The filter warns on stderr, while pandoc renders the essay, about claims of the map that
    are unsourced or whose quote is no longer in the text. It reads the file `refmap export
    anchors` writes (`-M refmap-anchors=FILE`; default refmap-anchors.json).

    Example:

    \b
        refmap export anchors -o refmap-anchors.json
        pandoc essay.md --lua-filter "$(refmap filter-path)" -o essay.html
    """
    from refmap.exporters.filters import lua_filter_path

    click.echo(str(lua_filter_path()))
