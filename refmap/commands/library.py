"""Linked reference libraries: the files a map's `bibliography:` names, read where they live.

A map may name one or more BibTeX/BibLaTeX or CSL-JSON files (a Better BibTeX auto-export, a
Zotero export) instead of copying their entries into `sources:`. `link_libraries` is the one
call a loader makes: it reads each file through the importers (refmap.references.importers),
and returns the map with

- `library`: every entry of the libraries by key, read-only (each a Source whose `library`
  names its file and whose span stands in that file);
- `sources`: the map's own sources, plus the library entries the claims cite, so every
  command that reads the sources (check, exports, links, verify, report) sees exactly what the
  essay uses; an entry nobody cites is neither exported nor reported unused (a library is
  shared by many essays);
- `warnings`: findings at their own file:line:col: a key in the map and in a library (the map's
  entry wins, a note), two libraries defining one key differently (the first wins, a warning
  naming both positions), a type or field name refmap does not know (with a did-you-mean), and
  what reading a cited entry left out.

A library outside the map's folder is refused unless the loader's `outside` is set (the
essay's `--essay-outside`): a map from elsewhere must not read any file it names. Parsed
entries are cached by the file's size and modification time under `.refmap/libraries/`
beside the map, so a second run reads a marshal file instead of parsing; a cache that is
stale, from another refmap version or unreadable is ignored and rebuilt, never an error.
"""

from __future__ import annotations

import dataclasses
import hashlib
import marshal
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from refmap.errors import LoadError
from refmap.findings import Finding, Severity
from refmap.mapfile.model import ClaimsMap, LibraryRef, Source
from refmap.references.importers import format_for, read_references
from refmap.references.importers.record import (
    ImportBatch,
    ImportedRecord,
    SkippedEntry,
    fields_to_source,
)
from refmap.spans import Span

if TYPE_CHECKING:
    from refmap.mapfile.editor import MapEditor

CACHE_DIR = Path(".refmap") / "libraries"
"""Where the parsed libraries are cached, relative to the map's folder."""
CACHE_FORMAT = 1
MANAGER = "update it in your reference manager"
"""What refmap says instead of writing to a library entry."""
LIBRARY_FORMATS = ("bibtex", "csl-json")
"""The formats a linked library may have (a reference manager's export that updates itself)."""


def link_libraries(cmap: ClaimsMap, map_path: str | Path, *, outside: bool = False) -> ClaimsMap:
    """The map with its linked libraries' entries (see the module's docstring); the map itself
    when it names none. A library that cannot be read is a LoadError at its file's position,
    or at the map's `bibliography:` entry when the file itself is the problem."""
    if not cmap.bibliography:
        return cmap
    folder = Path(os.path.dirname(os.path.abspath(map_path)))
    linker = _Linker(cmap)
    for ref in cmap.bibliography:
        path, display = library_location(map_path, ref.path)
        if not outside and not _inside(path, folder):
            raise LoadError(f"bibliography '{ref.path}' is outside the map's folder; pass "
                            "--essay-outside to read it anyway", span=ref.span)
        linker.add(display, read_library(path, display, ref, folder))
    return linker.linked()


def library_location(map_path: str | Path, library: str) -> tuple[Path, str]:
    """A library's real path and the name to show for it (relative like the map's)."""
    base = os.path.dirname(str(map_path))
    display = os.path.normpath(os.path.join(base, library) if base else library)
    return Path(display), display


def _inside(path: Path, folder: Path) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([real, base]) == base


# -- reading, through the cache -------------------------------------------------------------


def read_library(path: Path, display: str, ref: LibraryRef, folder: Path) -> ImportBatch:
    """One library's records, from the cache when the file has not changed since it was
    parsed. A file that cannot be read is a LoadError at the map's reference to it."""
    try:
        fmt = format_for(path, display)
    except LoadError as exc:
        raise LoadError(f"bibliography '{ref.path}': {exc.message}", span=ref.span) from None
    if fmt not in LIBRARY_FORMATS:
        raise LoadError(f"bibliography '{ref.path}': a linked library is a BibTeX/BibLaTeX "
                        "(.bib) or CSL-JSON (.json) file; import a RIS file instead",
                        span=ref.span)
    try:
        stat = os.stat(path)
    except OSError:
        stat = None  # reading says why
    cache = _cache_file(folder, path)
    if stat is not None:
        cached = _load_cache(cache, stat, display)
        if cached is not None:
            from refmap.fileio import note_input

            note_input(path, ("stat", stat.st_size, stat.st_mtime_ns, stat.st_ino))
            return cached
    try:
        batch = read_references(path, display, fmt)
    except LoadError as exc:
        if exc.span is not None:
            raise
        raise LoadError(f"bibliography '{ref.path}': {exc.message}", span=ref.span) from None
    if stat is not None:
        _store_cache(cache, stat, batch)
    return batch


def _cache_file(folder: Path, path: Path) -> Path:
    name = hashlib.sha256(os.path.realpath(path).encode("utf-8", "surrogateescape")).hexdigest()
    return folder / CACHE_DIR / f"{name[:32]}.marshal"


def _stamp(stat: os.stat_result) -> tuple[object, ...]:
    from refmap import __version__

    return (CACHE_FORMAT, __version__, stat.st_size, stat.st_mtime_ns, stat.st_ino)


def _load_cache(cache: Path, stat: os.stat_result, display: str) -> ImportBatch | None:
    """The cached batch if it was made from this very file (size, mtime, inode) by this
    refmap version; None for anything else, a damaged cache included."""
    try:
        stamp, fmt, records, skipped = marshal.loads(cache.read_bytes())
        if tuple(stamp) != _stamp(stat):
            return None
        return ImportBatch(
            display, fmt,
            tuple(ImportedRecord(key, fields, Span(display, line, col), tuple(warnings))
                  for key, fields, line, col, warnings in records),
            tuple(SkippedEntry(key, Span(display, line, col), reason)
                  for key, line, col, reason in skipped))
    except Exception:  # noqa: BLE001 - any damage means: parse the file again
        return None


def _store_cache(cache: Path, stat: os.stat_result, batch: ImportBatch) -> None:
    """Keep the parsed batch; a cache that cannot be written is simply not kept."""
    from refmap.fileio import replace_with_bytes

    payload: Any = (
        _stamp(stat), batch.format,
        [(r.key, r.fields, r.span.line, r.span.col, list(r.warnings)) for r in batch.records],
        [(s.key, s.span.line, s.span.col, s.reason) for s in batch.skipped])
    data = marshal.dumps(payload)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        replace_with_bytes(cache, data)
    except (OSError, ValueError):
        pass


# -- merging the libraries into the map -----------------------------------------------------


class LibraryEntries(Mapping[str, Source]):
    """The libraries' entries by key; each becomes a Source when first asked for (a library
    of thousands of entries of which an essay cites ten builds ten)."""

    def __init__(self, records: dict[str, tuple[str, ImportedRecord]]):
        self._records = records
        self._built: dict[str, Source] = {}

    def __getitem__(self, key: str) -> Source:
        source = self._built.get(key)
        if source is None:
            display, record = self._records[key]
            source = dataclasses.replace(fields_to_source(key, record.fields), span=record.span,
                                         library=display)
            self._built[key] = source
        return source

    def __contains__(self, key: object) -> bool:
        return key in self._records

    def __iter__(self) -> Iterator[str]:
        return iter(self._records)

    def __len__(self) -> int:
        return len(self._records)

    def record(self, key: str) -> ImportedRecord:
        return self._records[key][1]


class _Linker:
    """Collects the libraries' entries in order: first definition wins."""

    def __init__(self, cmap: ClaimsMap):
        self.cmap = cmap
        self.records: dict[str, tuple[str, ImportedRecord]] = {}
        self.skipped: dict[str, SkippedEntry] = {}
        self.findings: list[Finding] = []
        self._close: dict[str, str | None] = {}
        self._reported: set[str] = set()

    def add(self, display: str, batch: ImportBatch) -> None:
        cmap = self.cmap
        for record in batch.records:
            key = record.key
            if key is None:
                continue  # nothing can cite it
            self._unknown_names(key, record)
            mine = cmap.source(key)  # the map's own source (or alias): no library is in yet
            if mine is not None:
                where = f" ({mine.span})" if mine.span else ""
                self.findings.append(Finding(
                    "library-shadowed", Severity.INFO,
                    f"source '{key}' is in the map too{where}: the map's entry is used",
                    record.span, source=key))
                continue
            first = self.records.get(key)
            if first is None:
                self.records[key] = (display, record)
            elif first[1].fields != record.fields:
                self.findings.append(Finding(
                    "library-conflict", Severity.WARNING,
                    f"library entry '{key}' differs from the one at {first[1].span}: the first "
                    "is used", record.span, source=key))
        for entry in batch.skipped:
            if entry.key is not None:
                self.skipped.setdefault(entry.key, entry)

    def _unknown_names(self, key: str, record: ImportedRecord) -> None:
        for warning in record.warnings:
            if warning.startswith("unknown type "):
                self._unknown(key, record, warning.replace(" imported as misc", " read as misc"))
        extra = record.fields.get("extra")
        for name in extra if isinstance(extra, dict) else ():
            close = self._close_field(name)
            if close is not None:
                self._unknown(key, record, f"unknown field '{name}' kept under extra; "
                                           f"did you mean '{close}'?")

    def _unknown(self, key: str, record: ImportedRecord, message: str) -> None:
        self.findings.append(Finding("unknown-name", Severity.WARNING,
                                     f"library entry '{key}': {message}", record.span,
                                     source=key))

    def _close_field(self, name: str) -> str | None:
        """The known field a misspelt name is close to; None for a field disabled on purpose
        with the OPT prefix of Emacs bibtex-mode and JabRef (`OPTseries`)."""
        if name.startswith("opt") and name[3:] in _field_names():
            return None
        if name not in self._close:
            from refmap.suggest import did_you_mean

            self._close[name] = did_you_mean(name, _field_names(), cutoff=0.8)
        return self._close[name]

    def linked(self) -> ClaimsMap:
        cmap = self.cmap
        library = LibraryEntries(self.records)
        aliases = self._aliases(library)
        sources = dict(cmap.sources)
        for claim in cmap.claims:
            for citation in claim.citations:
                self._cite(citation.source, library, aliases, sources)
        return dataclasses.replace(cmap, sources=sources, library=library,
                                   library_aliases=aliases,
                                   warnings=(*cmap.warnings, *self.findings))

    def _aliases(self, library: LibraryEntries) -> dict[str, str]:
        found: dict[str, str] = {}
        for key, (_, record) in self.records.items():
            ids = record.fields.get("ids")
            for alias in ids if isinstance(ids, list) else ():
                if isinstance(alias, str) and alias not in library:
                    found.setdefault(alias, key)
        return found

    def _cite(self, cited: str, library: LibraryEntries, aliases: dict[str, str],
              sources: dict[str, Source]) -> None:
        """Add the library entry a citation names to the sources, once."""
        cmap = self.cmap
        if cited in cmap.sources or cited in cmap.aliases:
            return
        key = cited if cited in library else aliases.get(cited)
        if key is None:
            skipped = self.skipped.get(cited)
            if skipped is not None and cited not in self._reported:
                self._reported.add(cited)
                self.findings.append(Finding(
                    "library-entry", Severity.WARNING,
                    f"library entry '{cited}' cannot be used: it {skipped.reason}",
                    skipped.span, source=cited))
            return
        if key in sources:
            return
        self._reported.add(key)
        record = library.record(key)
        problem = _problem(key, record)
        if problem is not None:
            self.findings.append(Finding(
                "library-entry", Severity.WARNING,
                f"library entry '{key}' cannot be used: {problem}", record.span, source=key))
            return
        sources[key] = library[key]
        for warning in record.warnings:
            if not warning.startswith(("unknown type ", "kept under extra")):
                self.findings.append(Finding("library-entry", Severity.WARNING,
                                             f"library entry '{key}': {warning}", record.span,
                                             source=key))


def _problem(key: str, record: ImportedRecord) -> str | None:
    """Why a cited entry could not be a source of the map (the rules loading applies)."""
    from refmap.mapfile.schema import source_problem

    return source_problem(key, record.fields)


_FIELD_NAMES: list[str] = []


def _field_names() -> list[str]:
    """Every BibLaTeX, BibTeX and map name of a source field, for did-you-mean hints."""
    if not _FIELD_NAMES:
        from refmap.mapfile.vocabulary import SOURCE_FIELDS

        names = {n for spec in SOURCE_FIELDS for n in (spec.name, spec.biblatex, spec.bibtex)
                 if n}
        _FIELD_NAMES.extend(sorted(names | {"journaltitle", "school", "address", "urldate",
                                            "subtitle", "organization", "year", "month"}))
    return _FIELD_NAMES


def read_only_entries(cmap: ClaimsMap) -> dict[str, Span | None]:
    """Each library entry of the map's sources by key, and where it stands in its library: the
    editor reports a change to one instead of making it."""
    return {key: source.span for key, source in cmap.read_only().items()}


def manager_line(key: str, span: Span | None, change: str) -> str:
    """The one line that says a change to a library entry was not made."""
    where = f"{span}: " if span else ""
    return f"{where}source '{key}' is in a linked library: {change} is not written; {MANAGER}"


# -- refmap import --link ---------------------------------------------------------------------


def plan_links(cmap: ClaimsMap, map_path: str | Path, files: list[str], editor: MapEditor,
               *, outside: bool = False) -> list[str]:
    """Queue on editor the names `import --link` adds to `bibliography:` (relative to the
    map's folder), one line per file. Each file is read as a library first (and its parse
    cached), so a file that would not load is an error before anything is written; a file
    already linked is left as it is."""
    folder = Path(os.path.dirname(os.path.abspath(map_path)))
    linked = {os.path.realpath(library_location(map_path, ref.path)[0])
              for ref in cmap.bibliography}
    lines = []
    for name in files:
        real = os.path.realpath(name)
        if not outside and not _inside(Path(name), folder):
            raise LoadError(f"library '{name}' is outside the map's folder; pass "
                            "--essay-outside to link it anyway", path=name)
        batch = read_library(Path(name), name, LibraryRef(name), folder)
        relative = Path(os.path.relpath(os.path.abspath(name), folder)).as_posix()
        if real in linked:
            lines.append(f"'{relative}' is already in bibliography: nothing to do")
            continue
        linked.add(real)
        editor.add_library(relative)
        count = len(batch.records)
        lines.append(f"linked '{relative}' ({count} entr{'y' if count == 1 else 'ies'}, "
                     "read where it is, never copied or written)")
    return lines
