"""refmap import, add, cite, claim add: getting references and claims into the map."""

from __future__ import annotations

import re
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from refmap.cli import LazyGroup
from refmap.cli.common import (
    NetworkOptions,
    dry_run_option,
    essay_outside_option,
    format_option,
    load_project,
    map_option,
    network_options,
    pick,
    echo_written,
    to_json,
)
from refmap.cli.complete import claim_ids, kinds, source_keys
from refmap.cli.sources import capture_one, captures_option

if TYPE_CHECKING:
    from refmap.references.lookup import AddReport
    from refmap.commands.editing import EditPlan
    from refmap.mapfile.editor import MapEditor
    from refmap.mapfile.model import ClaimsMap

F = TypeVar("F", bound=Callable[..., Any])


def echo_lines(lines: list[str]) -> None:
    from refmap.values import inert

    if lines:  # one write: an import reports a line per record
        click.echo("\n".join(inert(line) for line in lines))


def finish(editor: MapEditor | None, dry_run: bool, lines: list[str], fmt: str = "text",
           details: dict[str, Any] | None = None, map_path: str | None = None) -> None:
    """Write the map once, validated and atomically, then print what was done; with
    --dry-run, print it and the diff instead. A map that fails validation is an error before
    anything is printed or written. With fmt "json", one object says the same
    (refmap.render.writes)."""
    if fmt == "json":
        echo_written(editor, dry_run, lines, details, map_path)
    elif editor is None:
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
@click.option("--from", "from_fmt", type=click.Choice(["bibtex", "csl-json", "ris"]),
              default=None,
              help="The files' format (default: from each extension: .bib, .json, .ris).")
@click.option("--merge", "merges", multiple=True, metavar="KEY=KEY",
              help="The record with the first key (in the files) is the same work as the "
                   "source with the second (in the map or the files): merge it, keeping its "
                   "key as an alias. Repeatable.")
@click.option("--link", is_flag=True,
              help="Name the files in the map's `bibliography:` instead of copying their "
                   "entries: they stay where they are, read-only (BibTeX/BibLaTeX or CSL-JSON).")
@format_option("text", "json")
@map_option
@dry_run_option
@essay_outside_option
def import_(files: tuple[str, ...], from_fmt: str | None, merges: tuple[str, ...], link: bool,
            fmt: str, map_path: str | None, dry_run: bool, essay_outside: bool) -> None:
    """Add the references of BibTeX/BibLaTeX, CSL-JSON or RIS files to the map as sources.

    A key the file carries is kept; a record without one gets `family + year + title word`
    (`fuchs2019time`), with a, b ... on collision. A record is the same work as a source the
    map has only on strong evidence (the same DOI and title; the same ISBN and title of a
    whole book; the same key, or URL, and title; the same title, year and authors): then the
    map's source wins, the fields where the file differs are listed, and the file's key is
    kept as an alias (`ids`) of the source. A record that only resembles one is reported as a
    possible duplicate and added under its own key. A key used twice for different works
    gets a suffix, with a warning naming both places. Every file is read before anything is
    written, and the map is written once.

    With --link, the files are not copied: each is added to the map's `bibliography:` (as a
    path relative to the map), and its entries are read from it on every run (cached), as
    read-only sources. Only that line of the map changes.

    Example:

    \b
        refmap import library.bib zotero.json --dry-run
        refmap import library.bib --merge smith2019b=smith2019
        refmap import --link zotero-export.bib
    """
    from refmap.commands.importing import import_json, import_references, parse_merges, render_import

    merge_map = parse_merges(merges)
    if link and (merges or from_fmt):
        raise click.UsageError("--link reads each file by its extension (.bib, .json) and "
                               "copies nothing: leave out --merge and --from")
    project = load_project(map_path, essay_outside=essay_outside, with_essay=False)
    editor = project.editor
    if link:
        from refmap.commands.library import plan_links

        finish(editor, dry_run, plan_links(project.cmap, project.map_path, list(files), editor,
                                           outside=essay_outside), fmt)
        return
    report = import_references(project.cmap, files, from_fmt, editor, merge_map)
    if fmt == "json":
        if not dry_run:
            editor.save()
        data = import_json(report)
        if dry_run:
            data["diff"] = editor.diff()
        click.echo(to_json(data), nl=False)
        return
    finish(editor, dry_run, render_import(report))


@click.command()
@click.argument("identifier", metavar="ID")
@click.option("--key", default=None, help="The new source's citekey (default: generated).")
@click.option("--literal", is_flag=True,
              help="Keep each name as one string, as written, instead of splitting it into "
                   "family and given names.")
@network_options(timeout=20.0, offline=True)
@click.option("--capture", "keep", is_flag=True,
              help="Keep the source's page as a capture too (see `refmap capture`).")
@captures_option
@format_option("text", "json")
@map_option
@dry_run_option
@essay_outside_option
def add(identifier: str, key: str | None, literal: bool, network: NetworkOptions, keep: bool,
        captures_dir: str | None, fmt: str, map_path: str | None, dry_run: bool,
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
        refmap add url:https://example.org/report.html --capture
    """
    from refmap.references.lookup import look_up, parse_identifier, plan_add, render_add

    wanted = parse_identifier(identifier)
    project = load_project(map_path, essay_outside=essay_outside, with_essay=False)
    client = network.client()
    report = plan_add(project.cmap, look_up(wanted, client), key, literal=literal)
    editor = None
    lines = render_add(report)
    if report.key is not None:
        fields = dict(report.found.fields)
        url = fields.get("url")
        if keep and isinstance(url, str) and not network.offline:
            value, line = capture_one(project.map_path, captures_dir, client, report.key, url,
                                      None, dry_run)
            if value is not None:
                fields["captured"] = value
            lines.append(line)
        editor = project.editor
        editor.add_source(report.key, fields)
    finish(editor, dry_run, lines, fmt, add_json(report), str(project.map_path))


@click.command()
@click.argument("claim_id", metavar="CLAIM", shell_complete=claim_ids)
@click.argument("source", metavar="SOURCE", shell_complete=source_keys)
@click.option("--excerpt", default=None, metavar="TEXT",
              help="The verbatim passage of the source that supports the claim.")
@click.option("--locator", default=None, metavar="L",
              help='Where in the source: "p. 4", "para. 3" ("" removes it with --replace).')
@click.option("--remove", is_flag=True, help="Remove the claim's citation of SOURCE instead.")
@click.option("--replace", is_flag=True,
              help="Replace the excerpt and/or locator of the claim's citation of SOURCE.")
@click.option("--at", default=None, metavar="L",
              help="With --remove or --replace: the citation at this locator, when the claim "
                   "cites SOURCE more than once.")
@click.option("--capture", "keep", is_flag=True,
              help="Keep the source's page as it is now, as a capture (see `refmap capture`).")
@captures_option
@network_options(timeout=30.0)
@format_option("text", "json")
@map_option
@dry_run_option
@essay_outside_option
def cite(claim_id: str, source: str, excerpt: str | None, locator: str | None, remove: bool,
         replace: bool, at: str | None, keep: bool, captures_dir: str | None,
         network: NetworkOptions, fmt: str, map_path: str | None, dry_run: bool,
         essay_outside: bool) -> None:
    """Add a citation of SOURCE to the claim CLAIM, with its supporting excerpt.

    The claim and the source must be in the map; citing the same source at the same locator
    twice is refused. --remove takes the citation out again; --replace changes its excerpt
    (--excerpt) or locator (--locator). The essay is not read.

    Example:

    \b
        refmap cite hanoi-stalled dw2018 --excerpt "talks stalled" --locator "para. 2"
        refmap cite hanoi-stalled dw2018 --replace --excerpt "the talks stalled"
        refmap cite hanoi-stalled dw2018 --remove --dry-run
        refmap cite hanoi-stalled dw2018 --excerpt "talks stalled" --capture
    """
    from refmap.cli.editing import open_map, render
    from refmap.commands import citation_changes
    from refmap.errors import UsageError

    if remove and replace:
        raise UsageError("give --remove or --replace, not both")
    if at is not None and not (remove or replace):
        raise UsageError("--at picks the citation to --remove or --replace")
    mf = open_map(map_path, essay_outside)  # the essay is not read; the option is kept
    if remove:
        if excerpt is not None or locator is not None:
            raise UsageError("--remove takes no --excerpt or --locator (use --at to pick)")
        plan = citation_changes.remove_citation(mf, claim_id, source, at)
    elif replace:
        plan = citation_changes.replace_citation(mf, claim_id, source, excerpt, locator, at)
    else:
        if excerpt is None:
            raise UsageError("--excerpt: give the passage of the source that supports the claim")
        plan = citation_changes.add_citation(mf, claim_id, source, excerpt, locator)
    if keep:
        plan = _with_capture(plan, mf.cmap, source, captures_dir, network, dry_run)
    render(plan, dry_run, fmt)


def add_json(report: AddReport) -> dict[str, Any]:
    """What `add --format json` says beyond the lines: the source added, or the one it
    duplicates."""
    found = report.found
    data: dict[str, Any] = {"identifier": str(found.identifier), "url": found.url,
                            "from_cache": found.from_cache, "added": report.key}
    if report.key is not None:
        data["fields"] = dict(found.fields)
    if report.match is not None:
        data["duplicate_of"] = {"key": report.match.key, "by": report.match.by}
    return data


def _with_capture(plan: EditPlan, cmap: ClaimsMap, source: str, captures_dir: str | None,
                  network: NetworkOptions, dry_run: bool) -> EditPlan:
    """The plan, with the cited source's page kept as a capture and `captured` recorded."""
    import dataclasses

    from refmap.errors import UsageError

    key = cmap.resolve(source) or source
    cited = cmap.source(key)
    assert cited is not None  # the citation was planned, so the source exists
    if not cited.url:
        raise UsageError(f"--capture: source '{key}' has no url to capture")
    client = dataclasses.replace(network, no_cache=True, refresh=False).client()
    value, line = capture_one(Path(cmap.path), captures_dir, client, key, cited.url,
                              cited.captured, dry_run)
    if value is not None and key in plan.editor.read_only:
        from refmap.net.source_fixes import MANAGER

        line = (f"{line}; source '{key}' is in a linked library: captured {value} is not "
                f"written; {MANAGER}")
    elif value is not None:
        plan.editor.set_source_field(key, "captured", value)
    return dataclasses.replace(plan, done=(*plan.done, line))


@click.group(cls=LazyGroup, lazy={
    "remove": "refmap.cli.editing:claim_remove",
    "set": "refmap.cli.editing:claim_set",
    "rename": "refmap.cli.editing:claim_rename",
    "split": "refmap.cli.editing:claim_split",
    "merge": "refmap.cli.editing:claim_merge",
})
def claim() -> None:
    """Work on the map's claims: add, remove, set, rename, split, merge.

    Example:

    \b
        refmap claim add "the summit in Singapore" --kind event
        refmap claim set summit-singapore --status unverified --note "date not confirmed"
    """


_POSITION = re.compile(r"(\d+):(\d+)\Z")


@claim.command(name="add")
@click.argument("quote", required=False)
@click.option("--sentence", default=None, metavar="LINE:COL",
              help="Take the essay's sentence at this position (as `refmap uncovered` prints "
                   "it) as the quote.")
@click.option("--kind", default=None, help="The claim's kind (default: guessed from wording).",
              shell_complete=kinds)
@click.option("--id", "claim_id", default=None, help="The claim's id (default: from the quote).")
@format_option("text", "json")
@map_option
@dry_run_option
@essay_outside_option
def claim_add(quote: str | None, sentence: str | None, kind: str | None, claim_id: str | None,
              fmt: str, map_path: str | None, dry_run: bool, essay_outside: bool) -> None:
    """Add a claim whose QUOTE occurs exactly once in the essay, in essay order.

    A quote that is missing or matches several places is refused, with the places or the
    closest text. --sentence LINE:COL takes the sentence at that position instead. The new
    claim is unsourced until `refmap cite` adds a citation.

    Example:

    \b
        refmap claim add --sentence 12:1 --kind figure
        refmap claim add "a three-page joint statement" --id joint-statement
    """
    from refmap.commands.claim_edits import add_claim, sentence_at
    from refmap.errors import UsageError
    from refmap.mapfile.model import ClaimKind

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
    editor = project.editor
    new = add_claim(project.cmap, project.located, project.anchorer, editor, quote, kind,
                    claim_id)
    how = "" if new.kind_given else " (guessed; set it with --kind)"
    finish(editor, dry_run,
           [f"{new.position}: added claim '{new.id}', kind {new.kind}{how}"]
           + [f"  its quote overlaps claim '{other}'" for other in new.overlaps],
           fmt, {"claim": {"id": new.id, "kind": str(new.kind), "kind_given": new.kind_given,
                           "overlaps": list(new.overlaps)}})
