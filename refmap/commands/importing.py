"""`refmap import`: references from reference-manager files added to a claims map as sources.

Every file is read first (refmap.references.importers), so a bad file stops the run before anything is
written, and all files' sources go into the map in one write. For each record, in file order:

- a record that duplicates a source already in the map, or one added earlier in the same run
  (same DOI, ISBN or URL, or near-identical title and same year: refmap.references.importers.dedupe), is
  not added: the existing source wins and the fields where the two differ are reported;
- otherwise it is added under the key the file carries (sanitised if the map would reject it),
  or under a generated key (refmap.references.importers.keys) when it carries none. A key already in the
  map is never changed: a carried key that names a different source gets the first free
  suffix (`smith2019`, `smith2019a`);
- a record holding a value the map cannot hold (a control character) is skipped, with why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from refmap.references.importers import ImportBatch, ImportedRecord, SkippedEntry, read_references
from refmap.references.importers.dedupe import DuplicateIndex, Match
from refmap.references.importers.keys import choose_key, with_suffix
from refmap.references.importers.record import source_to_fields
from refmap.spans import Span
from refmap.values import control_character

if TYPE_CHECKING:
    from refmap.mapfile.model import ClaimsMap
    from refmap.mapfile.editor import MapEditor


@dataclass(frozen=True)
class AddedSource:
    """A record that becomes a new source."""

    key: str
    """The key it is added under."""
    carried: str | None
    """The key the file gives it, if any (differs from `key` when that was taken or invalid)."""
    span: Span
    """Where the record starts in its file."""
    fields: dict[str, object]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchedSource:
    """A record that duplicates a source the map already has (or one added in this run)."""

    carried: str | None
    span: Span
    match: Match
    new: bool = False
    """Whether the source it matched was added earlier in this same run."""


@dataclass(frozen=True)
class ImportReport:
    """What an import did, record by record, across all its files."""

    files: tuple[str, ...]
    added: tuple[AddedSource, ...]
    matched: tuple[MatchedSource, ...]
    skipped: tuple[SkippedEntry, ...]

    @property
    def changed(self) -> bool:
        return bool(self.added)


def read_files(paths: Sequence[str], fmt: str | None = None) -> list[ImportBatch]:
    """Every file read as its format, before any of them is imported."""
    return [read_references(Path(path), path, fmt) for path in paths]


class ImportPlanner:
    """Decides, record by record, what becomes a source and under which key."""

    def __init__(self, cmap: ClaimsMap):
        existing = {key: source_to_fields(s) for key, s in cmap.sources.items()}
        self.index = DuplicateIndex(existing)
        self.taken: set[str] = set(existing)
        self.in_map = frozenset(existing)
        self.added: list[AddedSource] = []
        self.matched: list[MatchedSource] = []

    def take(self, record: ImportedRecord) -> SkippedEntry | None:
        """Add or match one record; a record the map could not hold is returned, skipped."""
        problem = unwritable(record.fields)
        if problem is not None:
            return SkippedEntry(record.key, record.span, problem)
        match = self.index.find(record.fields)
        if match is not None:
            self.matched.append(MatchedSource(record.key, record.span, match,
                                              new=match.key not in self.in_map))
            return None
        key = choose_key(record.key, record.fields, self.taken)
        if key in self.taken:  # a carried key naming a different source: never reuse it
            key = with_suffix(key, self.taken)
        self.taken.add(key)
        self.index.add(key, record.fields)
        self.added.append(AddedSource(key, record.key, record.span, dict(record.fields),
                                      record.warnings))
        return None


def unwritable(fields: Mapping[str, object], where: str = "") -> str | None:
    """Why a map could not hold these fields (a control character in a value), or None."""
    for name, value in fields.items():
        label = f"{where}{name}"
        if isinstance(value, str):
            at = control_character(value)
            if at is not None:
                return f"'{label}' holds a control character ({value[at]!r})"
        elif isinstance(value, Mapping):
            found = unwritable(value, f"{label}: ")
            if found is not None:
                return found
        elif isinstance(value, list):  # names (mappings) or tags (text)
            items = {f"{label} item {n}": item for n, item in enumerate(value, 1)}
            found = unwritable(items, where="")
            if found is not None:
                return found
    return None


def plan_import(cmap: ClaimsMap, batches: Sequence[ImportBatch]) -> ImportReport:
    """What importing the batches into the map adds, matches and skips."""
    planner = ImportPlanner(cmap)
    skipped: list[SkippedEntry] = []
    for batch in batches:
        skipped.extend(batch.skipped)
        for record in batch.records:
            refused = planner.take(record)
            if refused is not None:
                skipped.append(refused)
    return ImportReport(tuple(b.path for b in batches), tuple(planner.added),
                        tuple(planner.matched), tuple(skipped))


def apply_import(report: ImportReport, editor: MapEditor) -> None:
    """Queue the report's new sources on the editor (the caller saves or diffs)."""
    for source in report.added:
        editor.add_source(source.key, source.fields)


def import_references(cmap: ClaimsMap, paths: Sequence[str], fmt: str | None = None,
                      editor: MapEditor | None = None) -> ImportReport:
    """Read the files, plan the import and queue it on the editor (when one is given)."""
    report = plan_import(cmap, read_files(paths, fmt))
    if editor is not None:
        apply_import(report, editor)
    return report


def render_import(report: ImportReport) -> list[str]:
    """The report as the CLI prints it: one line per record, then a summary."""
    lines = []
    for added in report.added:
        how = ("" if added.carried == added.key else
               " (generated key)" if added.carried is None else
               f" (the file's key '{added.carried}' is taken or invalid)")
        lines.append(f"{added.span}: added '{added.key}'{how}")
        lines += [f"{added.span}:   {warning}" for warning in added.warnings]
    for matched in report.matched:
        lines += _matched_lines(matched)
    for skipped in report.skipped:
        label = f" '{skipped.key}'" if skipped.key else ""
        lines.append(f"{skipped.span}: skipped{label}: {skipped.reason}")
    lines.append(summary(report))
    return lines


def _matched_lines(matched: MatchedSource) -> list[str]:
    match = matched.match
    label = f" '{matched.carried}'" if matched.carried else ""
    where = "added earlier in this import" if matched.new else "in the map"
    lines = [f"{matched.span}: matched{label}: same {match.by} as '{match.key}' ({where}); "
             "not added"]
    for diff in match.differences:
        kept = "nothing" if diff.existing is None else _short(diff.existing)
        lines.append(f"{matched.span}:   {diff.field}: kept {kept}, file has "
                     f"{_short(diff.incoming)}")
    return lines


def _short(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def summary(report: ImportReport) -> str:
    files = len(report.files)
    return (f"{len(report.added)} added, {len(report.matched)} matched, "
            f"{len(report.skipped)} skipped ({files} file{'s' if files != 1 else ''})")
