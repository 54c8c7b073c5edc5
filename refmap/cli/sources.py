"""refmap links, verify, archive: the commands that ask the network about a map's sources."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from refmap.cli.complete import source_keys
from refmap.cli.common import (
    NetworkOptions,
    dry_run_option,
    echo_written,
    essay_outside_option,
    format_option,
    load_project,
    map_option,
    network_options,
    require_fix,
)

if TYPE_CHECKING:
    from refmap.findings import Finding
    from refmap.net.archiving import ArchiveAction
    from refmap.net.capturing import CaptureResult
    from refmap.mapfile.editor import MapEditor
    from refmap.net.http import HttpClient

F = TypeVar("F", bound=Callable[..., Any])
Progress = Callable[[int, int], None]


def workers_option(func: F) -> F:
    return click.option("--workers", type=click.IntRange(min=1, max=256), default=16,
                        show_default=True, help="Requests in flight at once (at most 2 per host).")(func)


def captures_option(func: F) -> F:
    return click.option("--captures", "captures_dir", default=None, metavar="DIR",
                        envvar="REFMAP_CAPTURES",
                        help="The capture folder (default: .refmap/captures beside the map; "
                             "also $REFMAP_CAPTURES).")(func)


def capture_one(map_path: Path, captures_dir: str | None, client: HttpClient, key: str,
                url: str, previous: str | None, dry_run: bool) -> tuple[str | None, str]:
    """Capture one page for `add --capture` and `cite --capture`: the `captured` value to
    write (None when the page could not be kept, or has not changed since `previous`) and
    the line that says so."""
    from refmap.net.capture import CaptureStore, parse_stamp
    from refmap.net.capturing import CaptureTarget, capture_folder, capture_pages

    store = CaptureStore(capture_folder(map_path, captures_dir), write=not dry_run)
    store.prepare()
    target = CaptureTarget(key, url, parse_stamp(previous or ""))
    [result] = capture_pages([target], client, store, workers=1)
    stamp = result.stamp
    value = stamp.value if stamp is not None and stamp != target.previous else None
    return value, result.describe()


def error_stream() -> TextIO:
    """Where progress goes: standard error as it stands (click's runner swaps it in tests)."""
    return sys.stderr


@contextmanager
def progress_bar(label: str) -> Iterator[Progress | None]:
    """A progress bar on stderr when it is a terminal; nothing when output is piped."""
    stream = error_stream()
    if not stream.isatty():
        yield None
        return
    bar: Any = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label=label, file=stream)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        yield update
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def echo_left_out(findings: list[Finding]) -> None:
    """The values from outside that were not written, one warning line each, on stderr."""
    for finding in findings:
        click.echo(str(finding), err=True)


def write_edits(editor: MapEditor, done: list[str], dry_run: bool, nothing: str,
                err: bool = False) -> None:
    """Save the editor's edits (one validated, atomic write) and say what changed, or print
    their diff on stdout."""
    from refmap.values import inert

    if dry_run:
        click.echo(editor.diff(), nl=False)
    elif not done:
        click.echo(nothing, err=err)
    elif editor.save():
        for line in done:
            click.echo(inert(line), err=err)
    else:
        click.echo("the map already says so: nothing written", err=err)


@click.command()
@map_option
@format_option("text", "json", "github")
@click.option("--cited-only", is_flag=True, help="Only sources that some claim cites.")
@workers_option
@network_options()
@click.option("--fix", is_flag=True,
              help="Write the new URL of each permanently redirected link into the map.")
@dry_run_option
@essay_outside_option
def links(map_path: str | None, fmt: str, cited_only: bool, workers: int,
          network: NetworkOptions, fix: bool, dry_run: bool, essay_outside: bool) -> int:
    """Check that every source's url and archive still answer.

    Each link gets one state: ok, redirected (moved permanently: the new URL is shown),
    dead (404, 410, unknown host), error (5xx, TLS, reset), timeout, or blocked (401, 403,
    429, bot walls: not verified, which is not dead). HEAD first, GET where HEAD is
    refused. Answers are cached for a day (--max-age); an answer read from the cache says so
    and how old it is, --refresh asks anew and updates the cache, --no-cache neither reads
    nor writes it. When no host can be reached at all, nothing is checked: one line, exit 2.
    Exits 1 when a link is dead, else 0.

    --fix writes each permanent redirect's new URL into the map in one atomic write and
    says so on stderr; with --fix, --dry-run prints the diff on stdout instead (the report
    then goes to stderr).

    Example:

    \b
        refmap links --cited-only --format github
        refmap links --fix --dry-run
    """
    from refmap.net.links import OfflineError, check_links, exit_code, link_targets, links_offline
    from refmap.render.network import LINK_RENDERERS

    require_fix(dry_run, fix, "--fix")
    project = load_project(map_path, essay_outside=essay_outside, with_essay=False)
    client = network.client()
    targets = link_targets(project.cmap, cited_only)
    if not targets:
        click.echo("[]\n" if fmt == "json" else "no links to check: no source has a url or archive",
                   nl=fmt != "json")
        return 0
    with progress_bar("checking links") as progress:
        results = check_links(targets, client, workers=workers, progress=progress)
    if links_offline(results):
        raise OfflineError()
    click.echo(LINK_RENDERERS[fmt](results), nl=False, err=dry_run)
    if fix:
        from refmap.net.source_fixes import apply_redirects

        editor = project.editor
        left_out: list[Finding] = []
        done = apply_redirects(editor, results, left_out)
        write_edits(editor, done, dry_run, "no redirects to fix", err=True)
        echo_left_out(left_out)
    return exit_code(results)


@click.command()
@map_option
@format_option("text", "json", "github")
@click.option("--archive", "use_archive", is_flag=True,
              help="Read each source's archived copy (its `archive` URL) instead of its url.")
@click.option("--fix-accessed", is_flag=True,
              help="Set `accessed` to today on sources whose every excerpt was found.")
@click.option("--offline", is_flag=True,
              help="Check every excerpt against the captures only; no network.")
@click.option("--capture", "keep", is_flag=True,
              help="Keep each page fetched as a capture and record it in the map.")
@captures_option
@dry_run_option
@workers_option
@network_options()
@essay_outside_option
def verify(map_path: str | None, fmt: str, use_archive: bool, fix_accessed: bool,
           offline: bool, keep: bool, captures_dir: str | None, dry_run: bool, workers: int,
           network: NetworkOptions, essay_outside: bool) -> int:
    """Check that each cited page still says what the citation's excerpt says.

    Fetches every cited page once, reads its main text (HTML, PDF or plain text) and looks
    for each excerpt in it, typography aside, as quotes are found in the essay. States:
    found; changed (a close passage: its similarity and the page's wording are shown,
    warning [excerpt-changed]); missing (error [excerpt-missing]); unverifiable (the page
    is dead, blocked, timed out or not text: warning [excerpt-unverifiable]). Findings
    stand at the excerpt in the map; exit codes as for check.

    A source with a capture (`refmap capture`) is checked on the capture too: when the
    live page no longer has the excerpt, or the passage around it changed, the passage as
    captured and as it is now are shown with a word diff; a page changed elsewhere is
    counted. A live page that cannot be read falls back to the capture, else to the
    `archive` copy, and says which it used [excerpt-on-copy]. --offline checks against the
    captures alone (no network): it proves each excerpt was on the page when captured.
    --capture keeps each page fetched as a capture and writes `captured` to its source.
    Answers read from the cache say so and how old they are (--refresh, --max-age,
    --no-cache as for links). When no host can be reached at all, nothing is checked: one
    line, exit 2.

    --format json lists every citation, found ones too; `refmap report --verify-results`
    reads it. --fix-accessed sets `accessed` to today on the sources whose every excerpt
    was found; with --fix-accessed, --dry-run prints that diff on stdout instead (the report
    then goes to stderr).

    Example:

    \b
        refmap verify --format json > verify.json
        refmap verify --archive
        refmap verify --fix-accessed
        refmap verify --offline
    """
    from refmap.net.capture import CaptureStore
    from refmap.net.capturing import capture_folder
    from refmap.net.verify import accessed_today, verify_citations
    from refmap.render.network import VERIFY_RENDERERS

    if fix_accessed and use_archive:
        raise click.UsageError("--fix-accessed needs the live pages; leave out --archive")
    if offline and (keep or fix_accessed or use_archive):
        raise click.UsageError("--offline reads the captures only; leave out --capture, "
                               "--fix-accessed and --archive")
    require_fix(dry_run, fix_accessed or keep, "--fix-accessed")
    project = load_project(map_path, essay_outside=essay_outside, with_essay=False)
    store = CaptureStore(capture_folder(project.map_path, captures_dir), write=not dry_run)
    if keep:
        store.prepare()
    client = None if offline else network.client()
    with progress_bar("verifying excerpts") as progress:
        report = verify_citations(project.cmap, client, archive=use_archive, workers=workers,
                                  progress=progress, captures=store, offline=offline,
                                  capture=keep)
    click.echo(VERIFY_RENDERERS[fmt](report), nl=False, err=dry_run)
    if fix_accessed or keep:
        from refmap.net.source_fixes import apply_accessed, apply_captures

        editor = project.editor
        left_out: list[Finding] = []
        done = apply_captures(editor, report.captures, left_out) if keep else []
        if fix_accessed:
            done += apply_accessed(editor, accessed_today(report), left_out)
        write_edits(editor, done, dry_run, "nothing new captured" if keep
                    else "no source had every excerpt found", err=True)
        echo_left_out(left_out)
    return report.exit_code


@click.command()
@map_option
@click.option("--save", is_flag=True,
              help="Ask Save Page Now to capture the pages the archive has no copy of.")
@format_option("text", "json")
@dry_run_option
@network_options(timeout=60.0)
@essay_outside_option
def archive(map_path: str | None, save: bool, fmt: str, dry_run: bool, network: NetworkOptions,
            essay_outside: bool) -> int:
    """Give each source with a url and no archive the Wayback Machine's copy.

    Asks the Wayback availability API for the capture closest to the source's `accessed`
    date and writes its address to `archive` and its date to `archived`, in one atomic
    write. With --save, pages the archive has no copy of are sent to Save Page Now (which
    can take a while: the timeout is longer here). A
    malformed answer from the archive is an error (exit 2) and the map is left unchanged.
    REFMAP_WAYBACK_URL and REFMAP_SAVE_URL move the services.

    Example:

    \b
        refmap archive --dry-run
        refmap archive --save
    """
    from refmap.net.archiving import plan_archives, sources_to_archive
    from refmap.net.source_fixes import apply_snapshots
    from refmap.values import inert

    project = load_project(map_path, essay_outside=essay_outside, with_essay=False)
    client = network.client()
    if not sources_to_archive(project.cmap):
        if fmt == "json":
            echo_written(None, dry_run, [], {"sources": [], "left_out": []},
                         str(project.map_path))
        else:
            click.echo("nothing to archive: every source with a url has an archive")
        return 0
    with progress_bar("asking the archive") as progress:
        actions = plan_archives(project.cmap, client, save=save, progress=progress)
    editor = project.editor
    left_out: list[Finding] = []
    done = apply_snapshots(editor, actions, left_out)
    if fmt == "json":
        echo_written(editor, dry_run, done, {
            "sources": [archive_json(a) for a in actions],
            "left_out": [f.to_json() for f in left_out]})
        return 0
    for action in actions:
        if action.snapshot is None:
            click.echo(inert(action.describe()), err=True)
    write_edits(editor, done, dry_run, "no archived copies found")
    echo_left_out(left_out)
    return 0


@click.command()
@click.argument("keys", nargs=-1, metavar="[SOURCE...]", shell_complete=source_keys)
@map_option
@captures_option
@workers_option
@network_options(timeout=30.0)
@format_option("text", "json")
@dry_run_option
@essay_outside_option
def capture(keys: tuple[str, ...], map_path: str | None, captures_dir: str | None,
            workers: int, network: NetworkOptions, fmt: str, dry_run: bool,
            essay_outside: bool) -> int:
    """Keep each cited page (or the sources named) as it is now, as a WARC capture.

    Fetches each page anew (never from the cache), keeps the answer (request, response with
    its headers and body, and the text excerpts are matched in) as `<sha256>.warc.gz` in the
    capture folder, and writes `captured: DATE sha256:HASH` to the source, in one atomic
    write. The same content is kept once: a page that has not changed since its last capture
    keeps its date. HTML, PDF and plain text alike. `refmap verify` then checks excerpts
    against the capture too, and `refmap verify --offline` against the captures alone.
    Pages that cannot be fetched are listed on stderr (exit 1); the others are captured.
    When no host can be reached at all, nothing is captured: one line, exit 2.

    Example:

    \b
        refmap capture
        refmap capture gazette2019 --dry-run
    """
    import dataclasses

    from refmap.net.source_fixes import apply_captures
    from refmap.net.capture import CaptureStore
    from refmap.net.capturing import (
        capture_exit_code, capture_folder, capture_pages, capture_targets,
    )
    from refmap.values import inert

    project = load_project(map_path, essay_outside=essay_outside, with_essay=False)
    targets = capture_targets(project.cmap, keys)
    store = CaptureStore(capture_folder(project.map_path, captures_dir), write=not dry_run)
    store.prepare()
    if not targets:
        if fmt == "json":
            echo_written(None, dry_run, [], {"sources": []}, str(project.map_path))
        else:
            click.echo("nothing to capture: no cited source has a url")
        return 0
    client = dataclasses.replace(network, no_cache=True, refresh=False).client()
    with progress_bar("capturing pages") as progress:
        results = capture_pages(targets, client, store, workers=workers, progress=progress)
    editor = project.editor
    left_out: list[Finding] = []
    done = apply_captures(editor, results, left_out)
    if fmt == "json":
        echo_written(editor, dry_run, done, {"sources": [capture_json(r) for r in results],
                                             "left_out": [f.to_json() for f in left_out]})
        return capture_exit_code(results)
    for result in results:
        if result.saved is None:
            click.echo(inert(result.describe()), err=True)
    unchanged = [r.describe() for r in results
                 if r.saved is not None and r.stamp is r.target.previous]
    write_edits(editor, done, dry_run, "nothing new captured", err=False)
    echo_left_out(left_out)
    for line in unchanged:
        click.echo(inert(line))
    return capture_exit_code(results)


def archive_json(action: ArchiveAction) -> dict[str, object]:
    """One source of `archive --format json`: the snapshot found (or made), or none."""
    snapshot = action.snapshot
    return {"source": action.source, "url": action.url, "saved": action.saved,
            "snapshot": None if snapshot is None else {"url": snapshot.url,
                                                        "date": snapshot.date}}


def capture_json(result: CaptureResult) -> dict[str, object]:
    """One source of `capture --format json`: the stamp kept, or why nothing was."""
    stamp = result.stamp
    return {"source": result.target.source, "url": result.target.url,
            "captured": None if stamp is None else stamp.value,
            "unchanged": stamp is not None and stamp is result.target.previous,
            "problem": result.problem, "failure": result.failure}
