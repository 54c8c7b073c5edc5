"""refmap annotate, report."""

from __future__ import annotations

import click

from refmap.cli.common import emit, essay_outside_option, load_project, map_option, output_option


@click.command()
@map_option
@click.option("--bibliography", default="references.json", show_default=True,
              help="The bibliography file the document's YAML header names (export it with "
                   "'refmap export csl-json' or 'refmap export bibtex').")
@output_option
@essay_outside_option
def annotate(map_path: str | None, bibliography: str, output: str | None,
             essay_outside: bool) -> None:
    """Write the essay as Markdown with a pandoc citation after each claim's quote.

    Example:

    \b
        refmap export csl-json -o references.json
        refmap annotate -o annotated.md
        pandoc --citeproc annotated.md -o essay.html
    """
    from refmap.annotate import annotate as render

    project = load_project(map_path, essay_outside=essay_outside)
    emit(render(project, bibliography), output, project)


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
    from refmap.exporters import html

    project = load_project(map_path, essay_outside=essay_outside)
    marks = None
    if verify_results is not None:
        from refmap.robust import read_verify_marks

        marks = read_verify_marks(verify_results)
    emit(html.export(project, marks), output, project)
