"""refmap annotate, report."""

from __future__ import annotations

import click

from refmap.cli.common import emit, essay_outside_option, load_project, map_option, output_option
from refmap.errors import UsageError


@click.command()
@map_option
@click.option("--bibliography", default=None, metavar="FILE",
              help="The bibliography file (export it with 'refmap export csl-json' or 'refmap "
                   "export bibtex'): added to a Markdown essay's front matter only when given; "
                   "a plain-text essay's new document names references.json without it.")
@click.option("--in-place", is_flag=True,
              help="Write the citations into the Markdown essay itself (atomically; refused if "
                   "the essay changed since it was read).")
@output_option
@essay_outside_option
def annotate(map_path: str | None, bibliography: str | None, in_place: bool,
             output: str | None, essay_outside: bool) -> None:
    """Add a pandoc citation after each cited claim's sentence.

    A Markdown essay comes back as the author's own file with `[@key, locator]` citations
    inserted before each claim sentence's closing punctuation, every other byte unchanged;
    keys a sentence already cites are not added again. A plain-text essay becomes a new
    Markdown document with a YAML header. HTML and Word essays are refused.

    Example:

    \b
        refmap export csl-json -o references.json
        refmap annotate -o annotated.md
        pandoc --citeproc --bibliography references.json annotated.md -o essay.html
    """
    from refmap.exporters.annotate.plain import annotate as render
    from refmap.exporters.annotate.markdown import annotate_markdown, require_annotatable, write_in_place

    if in_place and output is not None:
        raise UsageError("--in-place and -o both name where to write: give one")
    project = load_project(map_path, essay_outside=essay_outside)
    require_annotatable(project)
    if project.essay.format == "txt":
        if in_place:
            raise UsageError("--in-place writes citations into a Markdown essay; a plain-text "
                             "essay becomes a new Markdown document: use -o FILE")
        emit(render(project, bibliography or "references.json"), output, project)
        return
    result = annotate_markdown(project, bibliography)
    if in_place:
        write_in_place(result, project)
    else:
        emit(result.text, output, project)


@click.command()
@map_option
@output_option
@click.option("--verify-results", default=None, metavar="FILE",
              help="JSON from 'refmap verify --format json': mark sources found dead or changed.")
@essay_outside_option
def report(map_path: str | None, output: str | None, verify_results: str | None,
           essay_outside: bool) -> None:
    """Write a self-contained HTML report: the essay with each claim highlighted by status,
    its sources and excerpts on click, the coverage summary and the findings.

    The page loads nothing from the network and runs no script but its own. A claim that
    `refmap check` finds an error in is marked as flagged, never as sourced. Sources with an
    archived copy link to it too (Robust Links); --verify-results marks the sources that
    `refmap verify` found dead or changed.

    Example:

    \b
        refmap report -o report.html
        refmap verify --format json > verify.json
        refmap report --verify-results verify.json -o report.html
    """
    from refmap.exporters import export as export_as

    project = load_project(map_path, essay_outside=essay_outside)
    marks = None
    if verify_results is not None:
        from refmap.exporters.robust import read_verify_marks

        marks = read_verify_marks(verify_results)
    emit(export_as("html", project, verify_marks=marks), output, project)
