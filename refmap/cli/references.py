"""refmap import, add, cite, claim add: getting references and claims into the map."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from refmap.cli.common import essay_outside_option, load_project, map_option, pick

if TYPE_CHECKING:
    from refmap.edit import MapEditor

F = TypeVar("F", bound=Callable[..., Any])


def dry_run_option(func: F) -> F:
    return click.option("--dry-run", is_flag=True,
                        help="Print the diff of the map instead of writing it.")(func)


def echo_lines(lines: list[str]) -> None:
    from refmap.values import inert

    for line in lines:
        click.echo(inert(line))


def finish(editor: MapEditor | None, dry_run: bool, lines: list[str]) -> None:
    """Write the map once, validated and atomically, then print what was done; with
    --dry-run, print it and the diff instead. A map that fails validation is an error before
    anything is printed or written."""
    if editor is None:
        echo_lines(lines)
    elif dry_run:
        diff = editor.diff()
        echo_lines(lines)
        click.echo(diff, nl=False)
    else:
        editor.save()
        echo_lines(lines)


@click.command(name="import")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option("--from", "fmt", type=click.Choice(["bibtex", "csl-json", "ris"]), default=None,
              help="The files' format (default: from each extension: .bib, .json, .ris).")
@map_option
@dry_run_option
@essay_outside_option
def import_(files: tuple[str, ...], fmt: str | None, map_path: str | None, dry_run: bool,
            essay_outside: bool) -> None:
    """Add the references of BibTeX/BibLaTeX, CSL-JSON or RIS files to the map as sources.

    A key the file carries is kept; a record without one gets `family + year + title word`
    (`fuchs2019time`), with a, b ... on collision. A reference the map already has (same DOI,
    ISBN or URL, or near-identical title and year) is not added again: the map's source wins
    and the fields where the file differs are listed. Every file is read before anything is
    written, and the map is written once.

    Example:

    \b
        refmap import library.bib zotero.json --dry-run
    """
    from refmap.importing import import_references, render_import

    project = load_project(map_path, essay_outside=essay_outside)
    editor = project.editor()
    report = import_references(project, files, fmt, editor)
    finish(editor, dry_run, render_import(report))


@click.command()
@click.argument("identifier", metavar="ID")
@click.option("--key", default=None, help="The new source's citekey (default: generated).")
@click.option("--literal", is_flag=True,
              help="Keep each name as one string, as written, instead of splitting it into "
                   "family and given names.")
@click.option("--offline", is_flag=True, help="Answer from the cache only; never use the network.")
@click.option("--timeout", type=click.FloatRange(min=0.1, max=600), default=20.0,
              show_default=True, help="Seconds allowed for the whole lookup.")
@click.option("--cache", "cache_dir", default=None, metavar="DIR",
              help="Cache directory (default: $XDG_CACHE_HOME/refmap).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@map_option
@dry_run_option
@essay_outside_option
def add(identifier: str, key: str | None, literal: bool, offline: bool, timeout: float,
        cache_dir: str | None, no_cache: bool, map_path: str | None, dry_run: bool,
        essay_outside: bool) -> None:
    """Add one source from an identifier: doi:..., isbn:... or url:....

    A DOI is looked up by content negotiation (CSL-JSON), an ISBN in Open Library, a URL in the
    page's own metadata (citation_* tags, JSON-LD, Open Graph, <title>; accessed = today).
    Only the fields the answer gives are written. A name given as one string is split into
    family and given names (particles and suffixes with the family name; organisations kept
    whole), shown before it is written; --literal keeps each name as written. Answers are cached, so a re-run works
    offline. A source the map already has is reported, not added. The services' addresses
    come from $REFMAP_DOI_URL and $REFMAP_OPENLIBRARY_URL when set.

    Example:

    \b
        refmap add doi:10.5555/jes.2020.7 --key kim2020sanctions
        refmap add isbn:978-0-306-40615-7
        refmap add url:https://example.org/report.html --dry-run
    """
    from refmap.lookup import look_up, parse_identifier, plan_add, render_add
    from refmap.net.http import open_client

    wanted = parse_identifier(identifier)
    project = load_project(map_path, essay_outside=essay_outside)
    client = open_client(timeout=timeout, cache_dir=cache_dir, use_cache=not no_cache,
                         offline=offline)
    report = plan_add(project, look_up(wanted, client), key, literal=literal)
    editor = None
    if report.key is not None:
        editor = project.editor()
        editor.add_source(report.key, report.found.fields)
    finish(editor, dry_run, render_add(report))


@click.command()
@click.argument("claim_id", metavar="CLAIM")
@click.argument("source", metavar="SOURCE")
@click.option("--excerpt", required=True, metavar="TEXT",
              help="The verbatim passage of the source that supports the claim.")
@click.option("--locator", default=None, metavar="L",
              help='Where in the source: "p. 4", "para. 3".')
@map_option
@dry_run_option
@essay_outside_option
def cite(claim_id: str, source: str, excerpt: str, locator: str | None, map_path: str | None,
         dry_run: bool, essay_outside: bool) -> None:
    """Add a citation of SOURCE to the claim CLAIM, with its supporting excerpt.

    The claim and the source must be in the map; citing the same source at the same locator
    twice is refused.

    Example:

    \b
        refmap cite hanoi-stalled dw2018 --excerpt "talks stalled" --locator "para. 2"
    """
    from refmap.claim_edits import cite as add_citation

    project = load_project(map_path, essay_outside=essay_outside)
    editor = project.editor()
    done = add_citation(project, editor, claim_id, source, excerpt, locator)
    where = f" at {done.locator}" if done.locator else ""
    finish(editor, dry_run, [f"claim '{done.claim}' now cites '{done.source}'{where}"])


@click.group()
def claim() -> None:
    """Work on the map's claims.

    Example:

    \b
        refmap claim add "the summit in Singapore" --kind event
    """


_POSITION = re.compile(r"(\d+):(\d+)\Z")


@claim.command(name="add")
@click.argument("quote", required=False)
@click.option("--sentence", default=None, metavar="LINE:COL",
              help="Take the essay's sentence at this position (as `refmap uncovered` prints "
                   "it) as the quote.")
@click.option("--kind", default=None, help="The claim's kind (default: guessed from wording).")
@click.option("--id", "claim_id", default=None, help="The claim's id (default: from the quote).")
@map_option
@dry_run_option
@essay_outside_option
def claim_add(quote: str | None, sentence: str | None, kind: str | None, claim_id: str | None,
              map_path: str | None, dry_run: bool, essay_outside: bool) -> None:
    """Add a claim whose QUOTE occurs exactly once in the essay, in essay order.

    A quote that is missing or matches several places is refused, with the places or the
    closest text. --sentence LINE:COL takes the sentence at that position instead. The new
    claim is unsourced until `refmap cite` adds a citation.

    Example:

    \b
        refmap claim add --sentence 12:1 --kind figure
        refmap claim add "a three-page joint statement" --id joint-statement
    """
    from refmap.claim_edits import add_claim, sentence_at
    from refmap.errors import UsageError
    from refmap.model import ClaimKind

    if (quote is None) == (sentence is None):
        raise UsageError("give either a QUOTE or --sentence LINE:COL")
    if kind is not None:
        kind = pick("--kind", kind, [str(k) for k in ClaimKind])
    project = load_project(map_path, essay_outside=essay_outside)
    if sentence is not None:
        found = _POSITION.match(sentence.strip())
        if found is None:
            raise UsageError(f"--sentence: '{sentence}' is not LINE:COL")
        quote = sentence_at(project.essay, int(found.group(1)), int(found.group(2)))
    assert quote is not None
    editor = project.editor()
    new = add_claim(project, editor, quote, kind, claim_id)
    how = "" if new.kind_given else " (guessed; set it with --kind)"
    finish(editor, dry_run,
           [f"{new.position}: added claim '{new.id}', kind {new.kind}{how}"]
           + [f"  its quote overlaps claim '{other}'" for other in new.overlaps])
