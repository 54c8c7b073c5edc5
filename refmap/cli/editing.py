"""refmap claim remove|set|rename|split|merge and refmap source set|rename|remove.

Each command opens the map once (refmap.commands.editing.MapFile), asks one library function
for an edit plan, and renders it: the lines saying what changed, then the diff with --dry-run,
or one validated, atomic write without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from refmap.cli import LazyGroup
from refmap.cli.common import (
    dry_run_option, essay_outside_option, format_option, load_project, map_option,
)
from refmap.cli.complete import claim_ids, kinds, source_fields, source_keys, statuses
from refmap.cli.references import finish

if TYPE_CHECKING:
    from refmap.commands.editing import EditPlan, MapFile


def open_map(given: str | None, essay_outside: bool = False) -> MapFile:
    """The map named by --map (or the default), loaded once; the essay is read only if the
    edit needs it; load warnings to stderr."""
    return load_project(given, essay_outside=essay_outside, with_essay=False)


def render(plan: EditPlan, dry_run: bool, fmt: str = "text") -> None:
    finish(plan.editor, dry_run, list(plan.done), fmt)


# -- claim ---------------------------------------------------------------------------------------


@click.command(name="remove")
@click.argument("claim_id", metavar="ID", shell_complete=claim_ids)
@format_option("text", "json")
@map_option
@dry_run_option
def claim_remove(claim_id: str, fmt: str, map_path: str | None, dry_run: bool) -> None:
    """Remove the claim ID from the map (its lines, and comment lines just above it).

    Example:

    \b
        refmap claim remove analysts-not-surprised --dry-run
    """
    from refmap.commands.claim_changes import remove_claim

    render(remove_claim(open_map(map_path), claim_id), dry_run, fmt)


@click.command(name="set")
@click.argument("claim_id", metavar="ID", shell_complete=claim_ids)
@click.option("--kind", default=None, help="The claim's kind (figure, event, opinion ...).",
              shell_complete=kinds)
@click.option("--status", default=None, shell_complete=statuses,
              help="sourced, unverified, disputed, unsourced or opinion.")
@click.option("--note", default=None, metavar="TEXT",
              help="A note for readers (published with the claim); \"\" removes it.")
@click.option("--quote", default=None, metavar="TEXT",
              help="A new quote: it must occur exactly once in the essay.")
@format_option("text", "json")
@map_option
@dry_run_option
@essay_outside_option
def claim_set(claim_id: str, kind: str | None, status: str | None, note: str | None,
              quote: str | None, fmt: str, map_path: str | None, dry_run: bool,
              essay_outside: bool) -> None:
    """Set the kind, status, note or quote of the claim ID.

    Only the values given change, byte for byte; a key the claim lacks is added where the
    format orders it. A new quote is stored in the essay's own typography and drops the
    claim's prefix and suffix. Only --quote reads the essay.

    Example:

    \b
        refmap claim set poll-80-percent --kind poll --status unverified --note "no poll found"
    """
    from refmap.commands.claim_changes import ClaimChanges, set_claim

    mf = open_map(map_path, essay_outside)
    render(set_claim(mf, claim_id, ClaimChanges(kind, status, note, quote)), dry_run, fmt)


@click.command(name="rename")
@click.argument("claim_id", metavar="ID", shell_complete=claim_ids)
@click.argument("new_id", metavar="NEW")
@format_option("text", "json")
@map_option
@dry_run_option
def claim_rename(claim_id: str, new_id: str, fmt: str, map_path: str | None, dry_run: bool) -> None:
    """Give the claim ID the id NEW (refused when another claim has it).

    Example:

    \b
        refmap claim rename both-leaders-signed-joint-statement joint-statement
    """
    from refmap.commands.claim_changes import rename_claim

    render(rename_claim(open_map(map_path), claim_id, new_id), dry_run, fmt)


@click.command(name="split")
@click.argument("claim_id", metavar="ID", shell_complete=claim_ids)
@click.argument("parts", nargs=-1, required=True, metavar="PART...")
@click.option("--id", "ids", multiple=True, metavar="NEW",
              help="Ids for the second part on (default: made from each part's words).")
@format_option("text", "json")
@map_option
@dry_run_option
@essay_outside_option
def claim_split(claim_id: str, parts: tuple[str, ...], ids: tuple[str, ...],
                fmt: str, map_path: str | None, dry_run: bool, essay_outside: bool) -> None:
    """Split the claim ID into one claim per PART, each a piece of its quote.

    The first part keeps the claim's id and place; each other part becomes a claim after it
    with the same kind, status, tags, note and citations. A part that occurs elsewhere in the
    essay too gets a prefix that tells it apart.

    Example:

    \b
        refmap claim split summit "The summit was held in Singapore" "on 12 June 2018"
    """
    from refmap.commands.claim_shapes import split_claim

    mf = open_map(map_path, essay_outside)
    render(split_claim(mf, claim_id, list(parts), list(ids)), dry_run, fmt)


@click.command(name="merge")
@click.argument("claim_id", metavar="ID", shell_complete=claim_ids)
@click.argument("other_id", metavar="OTHER", shell_complete=claim_ids)
@format_option("text", "json")
@map_option
@dry_run_option
@essay_outside_option
def claim_merge(claim_id: str, other_id: str, fmt: str, map_path: str | None, dry_run: bool,
                essay_outside: bool) -> None:
    """Merge the claim OTHER into ID: one quote from the earlier start to the later end.

    ID keeps its id, kind and place and gains OTHER's citations, tags and note; OTHER is
    removed.

    Example:

    \b
        refmap claim merge summit-singapore summit-date
    """
    from refmap.commands.claim_shapes import merge_claims

    render(merge_claims(open_map(map_path, essay_outside), claim_id, other_id), dry_run, fmt)


# -- source --------------------------------------------------------------------------------------


@click.group(cls=LazyGroup, lazy={
    "set": "refmap.cli.editing:source_set",
    "rename": "refmap.cli.editing:source_rename",
    "remove": "refmap.cli.editing:source_remove",
})
def source() -> None:
    """Work on the map's sources (none of these reads the essay).

    Example:

    \b
        refmap source set dw2018 date 2018-06-12
        refmap source rename dw2018 dw2018summit
    """


@click.command(name="set")
@click.argument("key", metavar="KEY", shell_complete=source_keys)
@click.argument("field", metavar="FIELD", shell_complete=source_fields)
@click.argument("value", metavar="VALUE")
@format_option("text", "json")
@map_option
@dry_run_option
def source_set(key: str, field: str, value: str, fmt: str, map_path: str | None,
               dry_run: bool) -> None:
    """Set FIELD of the source KEY to VALUE ("" removes the field).

    The value is checked as `check` would (a date's form, an identifier's check digit);
    lists (authors, editors, tags) are edited in the map itself.

    Example:

    \b
        refmap source set dw2018 accessed 2026-11-30
    """
    from refmap.commands.source_changes import set_source_field

    render(set_source_field(open_map(map_path), key, field, value), dry_run, fmt)


@click.command(name="rename")
@click.argument("key", metavar="KEY", shell_complete=source_keys)
@click.argument("new", metavar="NEW")
@format_option("text", "json")
@map_option
@dry_run_option
def source_rename(key: str, new: str, fmt: str, map_path: str | None, dry_run: bool) -> None:
    """Give the source KEY the citekey NEW; every citation of it follows.

    Example:

    \b
        refmap source rename dw2018 dw2018summit --dry-run
    """
    from refmap.commands.source_changes import rename_source

    render(rename_source(open_map(map_path), key, new), dry_run, fmt)


@click.command(name="remove")
@click.argument("key", metavar="KEY", shell_complete=source_keys)
@click.option("--force", is_flag=True, help="Remove it even while cited, with its citations.")
@format_option("text", "json")
@map_option
@dry_run_option
def source_remove(key: str, force: bool, fmt: str, map_path: str | None, dry_run: bool) -> None:
    """Remove the source KEY; refused while a claim cites it, unless --force.

    Example:

    \b
        refmap source remove dw2018 --force --dry-run
    """
    from refmap.commands.source_changes import remove_source

    render(remove_source(open_map(map_path), key, force), dry_run, fmt)


# -- ignore --------------------------------------------------------------------------------------


@click.command()
@click.argument("text", required=False)
@click.option("--sentence", default=None, metavar="LINE:COL",
              help="The essay's sentence at this position (as `refmap uncovered` prints it).")
@format_option("text", "json")
@map_option
@dry_run_option
@essay_outside_option
def ignore(text: str | None, sentence: str | None, fmt: str, map_path: str | None, dry_run: bool,
           essay_outside: bool) -> None:
    """Record that a sentence of the essay is not a claim.

    The sentence (TEXT, which must occur exactly once in the essay, or the sentence at
    --sentence LINE:COL) goes into the map's `ignore` list, anchored like a quote, so it
    stays put when the essay is edited elsewhere. `uncovered` no longer lists it, coverage
    leaves its text out, and `check` warns if it is no longer in the essay.

    Example:

    \b
        refmap ignore --sentence 12:1
        refmap ignore "Read the full report here."
    """
    import re

    from refmap.commands.ignore import ignore_sentence
    from refmap.errors import UsageError

    position = None
    if sentence is not None:
        found = re.fullmatch(r"(\d+):(\d+)", sentence.strip())
        if found is None:
            raise UsageError(f"--sentence: '{sentence}' is not LINE:COL")
        position = (int(found.group(1)), int(found.group(2)))
    mf = open_map(map_path, essay_outside)
    render(ignore_sentence(mf, text, position), dry_run, fmt)
