"""`refmap import`: references from reference-manager files added to a claims map as sources.

Every file is read first (refmap.references.importers), so a bad file stops the run before anything is
written, and all files' sources go into the map in one write. For each record, in file order:

- a record that is the same work as a source already in the map, or as one added earlier in
  the same run, on strong evidence only (refmap.references.importers.dedupe: the same DOI and title, the
  same ISBN and title of a whole book, the same key and title, the same URL and title, or the
  same title, year and authors), is not added: the existing source wins, the fields where the
  two differ are reported, and the key the file gives it is kept as an alias (`ids`) of that
  source, so that a citation under either key resolves. `--merge KEY=KEY` asks for a merge
  whatever the evidence;
- a record that only resembles one (a shared identifier, the same title and year) is a
  possible duplicate: reported, and added under its own key;
- otherwise it is added under the key the file carries (sanitised if the map would reject it),
  or under a generated key (refmap.references.importers.keys) when it carries none. A key already in the
  map is never changed: a carried key that names a different work, in the map or earlier in
  the files, gets the first free suffix (`smith2019`, `smith2019a`) and a warning naming both
  positions. A key a user has used never disappears;
- a record holding a value the map cannot hold (a control character) is skipped, with why.

Every look-up is a hash look-up (refmap.references.importers.dedupe.DuplicateIndex), so a run is linear
in the number of records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from refmap.errors import UsageError
from refmap.references.intake import unwritable
from refmap.references.importers import ImportBatch, ImportedRecord, SkippedEntry, read_references
from refmap.references.importers.dedupe import SAME_KEY, DuplicateIndex, Match, PossibleDuplicate
from refmap.references.importers.keys import MAX_KEY, choose_key, sanitise_key, with_suffix
from refmap.references.importers.record import source_to_fields
from refmap.mapfile.model import SOURCE_FIELDS
from refmap.mapfile.schema import plainly_valid, source_problem
from refmap.spans import Span, span_json

if TYPE_CHECKING:
    from refmap.mapfile.model import ClaimsMap
    from refmap.mapfile.editor import MapEditor

EVIDENCE = {
    "doi": "same DOI and title as", "isbn": "same ISBN and title (a whole book) as",
    "key": "same key and title as", "url": "same URL and title as",
    "title": "same title, year and authors as", "merge": "merged as asked (--merge) into",
}
"""How the report says why a record is the same work as a source."""


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
    possible: tuple[PossibleDuplicate, ...] = ()
    """Sources it resembles without being shown to be the same work."""
    renamed: bool = False
    """Whether its carried key names a different work (so it got a suffix)."""
    first_use: Span | None = None
    """Where that different work uses the key (earlier in the files, or in the map)."""


@dataclass(frozen=True)
class MatchedSource:
    """A record that is the same work as a source the map has (or one added in this run)."""

    carried: str | None
    span: Span
    match: Match
    new: bool = False
    """Whether the source it matched was added earlier in this same run."""
    alias: str | None = None
    """The record's own key, kept as an alias of the matched source."""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportReport:
    """What an import did, record by record, across all its files."""

    files: tuple[str, ...]
    added: tuple[AddedSource, ...]
    matched: tuple[MatchedSource, ...]
    skipped: tuple[SkippedEntry, ...]

    @property
    def changed(self) -> bool:
        return bool(self.added) or any(m.alias for m in self.matched)

    @property
    def possible(self) -> int:
        return sum(1 for a in self.added if a.possible)


class _Either:
    """Keys taken in the map or in a linked library: a generated key avoids both (a carried
    key that a library also has is kept, and the map's entry then wins, with a note)."""

    def __init__(self, taken: set[str], library: Mapping[str, object]):
        self.taken, self.library = taken, library

    def __contains__(self, key: object) -> bool:
        return key in self.taken or key in self.library


def read_files(paths: Sequence[str], fmt: str | None = None) -> list[ImportBatch]:
    """Every file read as its format, before any of them is imported."""
    return [read_references(Path(path), path, fmt) for path in paths]


def parse_merges(values: Sequence[str]) -> dict[str, str]:
    """`--merge NEW=OLD` options as {NEW: OLD}; a malformed one is a usage error."""
    merges: dict[str, str] = {}
    for value in values:
        new, sep, old = (part.strip() for part in value.partition("="))
        if not sep or not new or not old or new == old:
            raise UsageError(f"--merge {value!r}: expected KEY=KEY, the key of a record in the "
                             "files, '=', and the key of the source it is the same work as")
        merges[new] = old
    return merges


@dataclass
class ImportPlanner:
    """Decides, record by record, what becomes a source and under which key."""

    cmap: ClaimsMap
    merges: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cmap = self.cmap
        existing = {key: source_to_fields(s) for key, s in cmap.sources.items()}
        self.index = DuplicateIndex(existing, cmap.aliases)
        self.taken: set[str] = set(existing) | set(cmap.aliases)
        self.in_map = frozenset(existing)
        self.map_spans = {k: s.span for k, s in cmap.sources.items()}
        self.carried_at: dict[str, Span] = {}
        """Where each carried key was first met in this run."""
        self.added: list[AddedSource] = []
        self.matched: list[MatchedSource] = []
        self.by_key: dict[str, AddedSource] = {}

    def take(self, record: ImportedRecord) -> SkippedEntry | None:
        """Add or match one record; a record the map could not hold is returned, skipped."""
        if record.key is not None and len(record.key) > MAX_KEY:
            return SkippedEntry(record.key[:40] + "...", record.span,
                                f"its key is {len(record.key)} characters long (at most "
                                f"{MAX_KEY})")
        problem = unwritable(record.fields) or invalid(record.fields) \
            if not plainly_valid("record", record.fields, record.checked) else None
        if problem is not None:
            return SkippedEntry(record.key, record.span, problem)
        carried = sanitise_key(record.key) if record.key is not None else None
        if record.key is not None and record.key in self.merges:
            target = self.index.resolve(self.merges[record.key])
            if target is None:
                raise UsageError(f"--merge {record.key}={self.merges[record.key]}: no source "
                                 f"'{self.merges[record.key]}' in the map or the files")
            self._matched(record, carried, self.index.match_with(target, record.fields))
            return None
        verdict = self.index.judge(record.fields, carried)
        if verdict.match is not None:
            self._matched(record, carried, verdict.match)
        else:
            self._added(record, carried, verdict.possible)
        return None

    def _matched(self, record: ImportedRecord, carried: str | None, match: Match) -> None:
        alias, warnings = None, []
        if carried is not None and self.index.resolve(carried) not in (match.key,):
            if carried in self.taken:
                owner = self.index.resolve(carried) or carried
                warnings.append(f"the file's key '{carried}' names another source, "
                                f"'{owner}'{self._where(carried)}; not kept as an alias")
            else:
                alias = carried
                self.taken.add(alias)
                self.index.add_alias(alias, match.key)
                if match.key in self.by_key:
                    self.by_key[match.key].fields.setdefault("ids", [])
                    ids = self.by_key[match.key].fields["ids"]
                    assert isinstance(ids, list)
                    ids.append(alias)
        if carried is not None:
            self.carried_at.setdefault(carried, record.span)
        self.matched.append(MatchedSource(record.key, record.span, match,
                                          match.key not in self.in_map, alias,
                                          tuple(warnings)))

    def _added(self, record: ImportedRecord, carried: str | None,
               possible: tuple[PossibleDuplicate, ...]) -> None:
        warnings = list(record.warnings)
        # choose_key: the carried key as sanitised (taken or not), else a generated one
        key = carried if carried is not None else choose_key(
            None, record.fields, _Either(self.taken, self.cmap.library))
        renamed = key in self.taken
        first_use = self._first_use(carried or "") if renamed else None
        if renamed:  # a carried key naming a different work: never reuse it
            key = with_suffix(key, self.taken)
            warnings.append(f"the file's key '{carried}' already names a different work"
                            f"{self._where(carried or '')}; added as '{key}'")
            possible = tuple(p for p in possible if p.reason != SAME_KEY)
        fields = dict(record.fields)
        given = _aliases(fields)
        ids = [a for a in given if a not in self.taken and a != key]
        if ids != given:
            warnings.append("aliases that name other sources were left out of 'ids'")
        if ids:
            fields["ids"] = ids
        else:
            fields.pop("ids", None)
        self.taken.update([key, *ids])
        self.index.add(key, fields)
        for alias in ids:
            self.index.add_alias(alias, key)
        if carried is not None:
            self.carried_at.setdefault(carried, record.span)
        added = AddedSource(key, record.key, record.span, fields, tuple(warnings), possible,
                            renamed, first_use)
        self.added.append(added)
        self.by_key[key] = added

    def _first_use(self, key: str) -> Span | None:
        """Where a key was first used, in this run or in the map."""
        return self.carried_at.get(key) or self.map_spans.get(self.index.resolve(key) or key)

    def _where(self, key: str) -> str:
        span = self._first_use(key)
        return f" (at {span})" if span is not None else ""


def _aliases(fields: Mapping[str, object]) -> list[str]:
    ids = fields.get("ids")
    return [a for a in ids if isinstance(a, str)] if isinstance(ids, list) else []


def invalid(fields: Mapping[str, object]) -> str | None:
    """Why the map would refuse a source with these fields (refmap.mapfile.schema's rules), or None.
    Plain text fields are left to `unwritable`, which has checked all that loading checks of
    them (text, no control character); the rest go through the loader's own rules."""
    checked = {k: v for k, v in fields.items() if not (k in _PLAIN and isinstance(v, str))}
    problem = source_problem("record", checked)
    return None if problem is None else problem.removeprefix("source 'record': ")


_PLAIN = frozenset(spec.name for spec in SOURCE_FIELDS if spec.kind == "text")
"""Source fields whose only rule is to be text without a control character."""


def plan_import(cmap: ClaimsMap, batches: Sequence[ImportBatch],
                merges: Mapping[str, str] | None = None) -> ImportReport:
    """What importing the batches into the map adds, matches and skips. Records
    named by `merges` ({file key: key of the same work}) are taken last, so that the source
    they merge into may come later in the files."""
    merges = dict(merges or {})
    _check_merges(cmap, batches, merges)
    planner = ImportPlanner(cmap, merges)
    skipped: list[SkippedEntry] = []
    later: list[ImportedRecord] = []
    for batch in batches:
        skipped.extend(batch.skipped)
        for record in batch.records:
            if record.key is not None and record.key in merges:
                later.append(record)
                continue
            refused = planner.take(record)
            if refused is not None:
                skipped.append(refused)
    for record in later:
        refused = planner.take(record)
        if refused is not None:
            skipped.append(refused)
    return ImportReport(tuple(b.path for b in batches), tuple(planner.added),
                        tuple(planner.matched), tuple(skipped))


def _check_merges(cmap: ClaimsMap, batches: Sequence[ImportBatch],
                  merges: Mapping[str, str]) -> None:
    carried = {r.key for b in batches for r in b.records if r.key is not None}
    for new, old in merges.items():
        if new not in carried:
            raise UsageError(f"--merge {new}={old}: no record of the files carries the key "
                             f"'{new}'")
        if cmap.resolve(new) is not None:
            raise UsageError(f"--merge {new}={old}: '{new}' is a source of the map already; "
                             "a merge folds a file's record into a source")
        if cmap.resolve(old) is None and old not in carried:
            raise UsageError(f"--merge {new}={old}: no source '{old}' in the map or the files")


def apply_import(report: ImportReport, editor: MapEditor) -> None:
    """Queue the report's new sources and aliases on the editor (the caller saves or diffs).
    Every new source was checked by the map's rules when it was planned (`invalid`), so the
    editor need not load the whole new map again to validate it (`MapEditor.trust_added`)."""
    editor.trust_added = True
    for source in report.added:
        editor.add_source(source.key, source.fields)
    for matched in report.matched:
        if matched.alias is not None and not matched.new:
            editor.add_source_alias(matched.match.key, matched.alias)


def import_references(cmap: ClaimsMap, paths: Sequence[str], fmt: str | None = None,
                      editor: MapEditor | None = None,
                      merges: Mapping[str, str] | None = None) -> ImportReport:
    """Read the files, plan the import and queue it on the editor (when one is given)."""
    report = plan_import(cmap, read_files(paths, fmt), merges)
    if editor is not None:
        apply_import(report, editor)
    return report


def render_import(report: ImportReport) -> list[str]:
    """The report as the CLI prints it: one line per record, then a summary."""
    lines = []
    for added in report.added:
        at = str(added.span)  # once per record: a file of thousands prints thousands
        lines.append(f"{at}: added '{added.key}'{_how(added)}")
        lines += [f"{at}:   {warning}" for warning in added.warnings]
        for p in added.possible:
            hint = (f"; if they are one work: --merge {added.key}={p.key}"
                    if added.carried == added.key else "")
            lines.append(f"{at}:   possible duplicate of '{p.key}' ({p.reason}); "
                         f"added under its own key{hint}")
    for matched in report.matched:
        lines += _matched_lines(matched)
    for skipped in report.skipped:
        label = f" '{skipped.key}'" if skipped.key else ""
        lines.append(f"{skipped.span}: skipped{label}: {skipped.reason}")
    lines.append(summary(report))
    return lines


def _how(added: AddedSource) -> str:
    if added.carried == added.key:
        return ""
    if added.carried is None:
        return " (generated key)"
    if added.renamed:
        return ""  # a warning says why, and where the key was used first
    return f" (the file's key '{added.carried}' is not a valid citekey)"


def _matched_lines(matched: MatchedSource) -> list[str]:
    match = matched.match
    label = f" '{matched.carried}'" if matched.carried else ""
    where = "added earlier in this import" if matched.new else "in the map"
    alias = (f"; '{matched.alias}' kept as an alias of '{match.key}'"
             if matched.alias is not None else "")
    at = str(matched.span)
    lines = [f"{at}: matched{label}: {EVIDENCE[match.by]} '{match.key}' ({where}); "
             f"not added{alias}"]
    lines += [f"{at}:   {warning}" for warning in matched.warnings]
    for diff in match.differences:
        kept = "nothing" if diff.existing is None else _short(diff.existing)
        lines.append(f"{at}:   {diff.field}: kept {kept}, file has {_short(diff.incoming)}")
    return lines


def _short(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def summary(report: ImportReport) -> str:
    files = len(report.files)
    aliases = sum(1 for m in report.matched if m.alias)
    extra = (f", {aliases} alias{'es' if aliases != 1 else ''} kept" if aliases else "")
    extra += (f", {report.possible} possible duplicate{'s' if report.possible != 1 else ''}"
              if report.possible else "")
    return (f"{len(report.added)} added, {len(report.matched)} matched, "
            f"{len(report.skipped)} skipped{extra} ({files} file{'s' if files != 1 else ''})")


def import_json(report: ImportReport) -> dict[str, object]:
    """The report as `refmap import --format json` prints it (docs/json/import.schema.json)."""
    return {
        "files": list(report.files),
        "added": [{
            "key": a.key, "carried": a.carried, "position": span_json(a.span),
            "renamed": a.renamed, "first_use": span_json(a.first_use),
            "warnings": list(a.warnings),
            "possible_duplicates": [{"key": p.key, "reason": p.reason} for p in a.possible],
        } for a in report.added],
        "matched": [{
            "carried": m.carried, "position": span_json(m.span), "key": m.match.key,
            "by": m.match.by, "new": m.new, "alias": m.alias, "warnings": list(m.warnings),
            "differences": [{"field": d.field, "kept": d.existing, "file": d.incoming}
                            for d in m.match.differences],
        } for m in report.matched],
        "skipped": [{"key": s.key, "position": span_json(s.span), "reason": s.reason}
                    for s in report.skipped],
        "summary": {"added": len(report.added), "matched": len(report.matched),
                    "skipped": len(report.skipped),
                    "aliases": sum(1 for m in report.matched if m.alias),
                    "possible_duplicates": report.possible},
    }
