"""refmap init."""

from __future__ import annotations

import click


@click.command()
@click.argument("essay_path", metavar="ESSAY")
@click.option("-o", "--output", default="claims.yaml", show_default=True,
              help="Where to write the new map (never overwritten).")
@click.option("--wrapped/--lines", "wrapped", default=None,
              help="A plain-text essay without blank lines is hard-wrapped (--wrapped) or has "
                   "one paragraph per line (--lines); recorded as essay.format. Left out, "
                   "told from the lines' shape.")
def init(essay_path: str, output: str, wrapped: bool | None) -> None:
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

    fmt = None if wrapped is None else "txt-wrapped" if wrapped else "txt-lines"
    count = write_draft(essay_path, output, max_bytes=max_bytes(), fmt=fmt)
    click.echo(f"wrote {output}: {count} check-worthy sentence{'s' if count != 1 else ''} "
               f"as unsourced claims; next: refmap unsourced --map {output}")
