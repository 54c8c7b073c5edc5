"""refmap export bibtex | csl-json | ris | markdown | claimreview | anchors."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from refmap.cli.common import emit, essay_outside_option, load_project, map_option, output_option
from refmap.exporters import export as export_as

if TYPE_CHECKING:
    from refmap.project import Project

F = TypeVar("F", bound=Callable[..., Any])


def strict_option(func: F) -> F:
    return click.option(
        "--strict", is_flag=True,
        help="Refuse to export (exit 1, nothing written) while `refmap check` finds errors.",
    )(func)


def export_project(map_path: str | None, strict: bool, essay_outside: bool,
                   fmt: str) -> Project:
    """Load the project for an export; with --strict, stop while check finds errors. Exports
    of the sources alone read the essay only for --strict (check needs it)."""
    from refmap.exporters import EXPORTERS

    project = load_project(map_path, essay_outside=essay_outside,
                           with_essay=EXPORTERS[fmt].needs_essay or strict)
    if strict:
        errors = project.check().errors
        if errors:
            for finding in errors:
                click.echo(str(finding), err=True)
            n = len(errors)
            click.echo(f"refusing to export with --strict: refmap check finds {n} "
                       f"error{'s' if n != 1 else ''}; nothing written", err=True)
            click.get_current_context().exit(1)
    return project


@click.group()
def export() -> None:
    """Turn the map into what other tools read: BibTeX/BibLaTeX, CSL-JSON, a Markdown reading
    list, schema.org ClaimReview.

    Examples:

    \b
        refmap export bibtex -o refs.bib
        refmap export csl-json --cited-only -o references.json
        refmap export ris -o references.ris
        refmap export markdown --group-by tag -o reading-list.md
        refmap export claimreview --strict -o claimreview.json
        refmap export anchors -o refmap-anchors.json
    """


@export.command()
@map_option
@click.option("--dialect", type=click.Choice(["biblatex", "bibtex"]), default="biblatex",
              show_default=True,
              help="biblatex: @online, date, urldate, UTF-8. bibtex: classic entry types, "
                   "year/month, LaTeX-encoded accents.")
@click.option("--cited-only", is_flag=True, help="Only sources that some claim cites.")
@output_option
@strict_option
@essay_outside_option
def bibtex(map_path: str | None, dialect: str, cited_only: bool, output: str | None,
           strict: bool, essay_outside: bool) -> None:
    """Export the sources as a .bib file.

    Text is escaped for LaTeX, capitalised title words are protected for sentence-case styles,
    organisations are kept as one name, and the citekeys are the map's own.

    Example:

    \b
        refmap export bibtex --dialect biblatex -o refs.bib
    """
    project = export_project(map_path, strict, essay_outside, "bibtex")
    emit(export_as("bibtex", project, dialect=dialect, cited_only=cited_only), output, project)


@export.command(name="csl-json")
@map_option
@click.option("--cited-only", is_flag=True, help="Only sources that some claim cites.")
@output_option
@strict_option
@essay_outside_option
def csl_json(map_path: str | None, cited_only: bool, output: str | None, strict: bool,
             essay_outside: bool) -> None:
    """Export the sources as CSL-JSON (pandoc --citeproc, Zotero, word processors).

    Example:

    \b
        refmap export csl-json -o references.json
    """
    project = export_project(map_path, strict, essay_outside, "csl-json")
    emit(export_as("csl-json", project, cited_only=cited_only), output, project)


@export.command()
@map_option
@click.option("--cited-only", is_flag=True, help="Only sources that some claim cites.")
@output_option
@strict_option
@essay_outside_option
def ris(map_path: str | None, cited_only: bool, output: str | None, strict: bool,
        essay_outside: bool) -> None:
    """Export the sources as RIS (EndNote, Zotero, library catalogues).

    Example:

    \b
        refmap export ris -o references.ris
    """
    project = export_project(map_path, strict, essay_outside, "ris")
    emit(export_as("ris", project, cited_only=cited_only), output, project)


@export.command()
@map_option
@click.option("--group-by", type=click.Choice(["kind", "tag", "type", "none"]), default="kind",
              show_default=True, help="Group sources by the kind of claim they support, by tag, "
                                      "by source type, or not at all.")
@click.option("--cited-only", is_flag=True, help="Only sources that some claim cites.")
@output_option
@strict_option
@essay_outside_option
def markdown(map_path: str | None, group_by: str, cited_only: bool, output: str | None,
             strict: bool, essay_outside: bool) -> None:
    """Export a Markdown reading list: each source as a reference with its link, and under it
    the claims it supports.

    Example:

    \b
        refmap export markdown --group-by tag -o reading-list.md
    """
    project = export_project(map_path, strict, essay_outside, "markdown")
    emit(export_as("markdown", project, group_by=group_by, cited_only=cited_only), output,
         project)


@export.command()
@map_option
@click.option("--include-unsourced", is_flag=True, help="Also review claims that cite nothing.")
@output_option
@strict_option
@essay_outside_option
def claimreview(map_path: str | None, include_unsourced: bool, output: str | None, strict: bool,
                essay_outside: bool) -> None:
    """Export schema.org ClaimReview JSON-LD for the claims that have a status.

    Opinions and machine drafts are left out: they are not fact checks. A claim that `refmap
    check` finds an error in (a figure no excerpt backs, a quote changed or missing, an
    unknown source) is rated as needing review, never as supported.

    Example:

    \b
        refmap export claimreview -o claimreview.json
    """
    project = export_project(map_path, strict, essay_outside, "claimreview")
    emit(export_as("claimreview", project, include_unsourced=include_unsourced), output, project)


@export.command()
@map_option
@output_option
@essay_outside_option
def anchors(map_path: str | None, output: str | None, essay_outside: bool) -> None:
    """Export each claim's quote, status and anchor as JSON for refmap's pandoc Lua filter.

    The filter (`refmap filter-path`) warns while pandoc renders the essay about claims that
    are unsourced or whose quote is no longer in the text.

    Example:

    \b
        refmap export anchors -o refmap-anchors.json
        pandoc essay.md --lua-filter "$(refmap filter-path)" -o essay.html
    """
    project = load_project(map_path, essay_outside=essay_outside)
    emit(export_as("anchors", project), output, project)
