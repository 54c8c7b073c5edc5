"""refmap init."""

from __future__ import annotations

import click


@click.command()
@click.argument("essay_path", metavar="ESSAY")
@click.option("-o", "--output", default="claims.yaml", show_default=True,
              help="Where to write the new map (never overwritten).")
def init(essay_path: str, output: str) -> None:
    """Draft a claims map for an essay: each check-worthy sentence as an unsourced claim.

    The essay path is recorded relative to the new map. Each drafted claim is marked
    `draft: true`: its note is machine text, which exports leave out until a person reviews
    the claim and removes the mark. An existing map is never overwritten. `refmap unsourced`
    then lists the work to do.

    Example:

    \b
        refmap init essay.txt -o claims.yaml
    """
    from refmap.cli.common import max_bytes
    from refmap.commands.init import write_draft

    count = write_draft(essay_path, output, max_bytes=max_bytes())
    click.echo(f"wrote {output}: {count} check-worthy sentence{'s' if count != 1 else ''} "
               f"as unsourced claims; next: refmap unsourced --map {output}")
