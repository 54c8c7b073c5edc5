"""`refmap source set | rename | remove`: one source changed, as an edit plan.

None of these reads the essay. A value is checked the way the loader checks it (a date's form,
an identifier's check digit) before anything is queued, so bad input is one line about the
command line, not an error at a position of a file that was never written. Renaming a source
renames every citation of it; removing one that is cited is refused unless `force`, which also
removes those citations.
"""

from __future__ import annotations

from refmap.commands.editing import EditPlan, MapFile, hint, plain_value, plan
from refmap.errors import UsageError
from refmap.mapfile.model import SOURCE_FIELDS, SourceType
from refmap.mapfile.schema import SOURCE_KEYS, valid_citekey
from refmap.values import parse_date

_KINDS = {spec.name: spec.kind for spec in SOURCE_FIELDS}
_LISTS = frozenset({"names", "tags"})
_IDENTIFIERS = frozenset({"doi", "isbn", "issn", "pages", "eprinttype"})


def check_field_value(field: str, value: str) -> str:
    """The value as the map will hold it; UsageError for a field or value the format refuses."""
    if field not in SOURCE_KEYS:
        raise UsageError(f"no source field '{field}'" + hint(field, SOURCE_KEYS))
    value = plain_value(field, value)
    if field == "type":
        from refmap.commands.claim_changes import choose

        return choose("type", value, [str(t) for t in SourceType])
    kind = _KINDS[field]
    if kind in _LISTS:
        raise UsageError(f"'{field}' is a list; edit it in the map")
    if kind == "url":  # as check reads it: http(s) only, in the form a browser sends
        from refmap.references.intake import value_problem

        written, problem = value_problem("url", value)
        if problem is not None:
            raise UsageError(f"{field}: {problem}")
        return str(written)
    if kind == "date" and parse_date(value) is None:
        raise UsageError(f"{field}: malformed date '{value}' (expected YYYY, YYYY-MM or "
                         "YYYY-MM-DD)")
    if kind in _IDENTIFIERS:
        from refmap.identifiers import FIELD_CHECKS

        checked = FIELD_CHECKS[kind](value)
        if not checked.ok or checked.value is None:
            raise UsageError(f"{field}: {checked.problem}")
        return checked.value
    return value


def set_source_field(mf: MapFile, key: str, field: str, value: str) -> EditPlan:
    """Set one field of a source; an empty value removes the field (`type` must stay)."""
    _require_map_source(mf, key)
    if not value.strip():
        if field == "type":
            raise UsageError("type: a source must have a type")
        if field not in SOURCE_KEYS:
            raise UsageError(f"no source field '{field}'" + hint(field, SOURCE_KEYS))
        mf.editor.remove_source_field(key, field)
        return plan(mf, [f"source '{key}': {field} removed"])
    value = check_field_value(field, value)
    mf.editor.set_source_field(key, field, value)
    return plan(mf, [f"source '{key}': {field} set to {value!r}"])


def rename_source(mf: MapFile, key: str, new: str) -> EditPlan:
    """Give a source a new citekey; every citation of it follows."""
    _require_map_source(mf, key)
    if not valid_citekey(new):
        raise UsageError(f"invalid citekey '{new}': use letters, digits and _, joined by "
                         "single : . - /, with at least one letter")
    taken = mf.cmap.sources.get(new)
    if taken is not None:
        raise UsageError(f"source '{new}' is already in the map", span=taken.span)
    count = mf.editor.rename_source(key, new)
    cites = f" and {count} citation{'s' if count != 1 else ''}" if count else ""
    return plan(mf, [f"source '{key}'{cites} renamed to '{new}'"])


def remove_source(mf: MapFile, key: str, force: bool = False) -> EditPlan:
    """Remove a source; while claims cite it, only with force, which removes those citations
    too (a claim left without citations loses its `citations` key)."""
    _require_map_source(mf, key)
    citing = [(i, c) for i, c in enumerate(mf.cmap.claims) if key in c.source_keys]
    if citing and not force:
        ids = ", ".join(c.id for _, c in citing[:5]) + (" ..." if len(citing) > 5 else "")
        raise UsageError(f"source '{key}' is cited by {len(citing)} claim"
                         f"{'s' if len(citing) != 1 else ''} ({ids}); --force removes those "
                         "citations too", span=mf.cmap.sources[key].span)
    done = []
    for index, claim in citing:
        which = {i for i, c in enumerate(claim.citations) if c.source == key}
        mf.editor.remove_citations(index, which)
        done.append(f"claim '{claim.id}' no longer cites '{key}'")
    mf.editor.remove_source(key)
    return plan(mf, [*done, f"source '{key}' removed"])


def _require_map_source(mf: MapFile, key: str) -> None:
    """UsageError unless key names a source of the map itself: a linked library's entry is
    changed in the reference manager that writes the library, never by refmap."""
    mf.require_source(key)
    source = mf.cmap.source(key)
    if source is not None and source.library is not None:
        raise UsageError(f"source '{key}' is in the linked library '{source.library}': update "
                         "it in your reference manager", span=source.span)
