"""refmap.mapfile.schema: the node tree to the model, every problem located and reported in one run,
unknown keys as warnings, statuses and kinds from their vocabularies."""

from __future__ import annotations

import pytest

from refmap.errors import SchemaErrors
from refmap.mapfile.model import ClaimKind, Status
from refmap.mapfile.schema import build_map
from refmap.mapfile.yamlio import compose

HEAD = "version: 1\nessay:\n  path: essay.txt\n"


def build(text: str):
    return build_map(compose(HEAD + text, "m.yaml"), "m.yaml")


def errors(text: str) -> list[str]:
    with pytest.raises(SchemaErrors) as caught:
        build(text)
    return caught.value.lines()


def test_status_is_derived_from_kind_and_citations():
    cmap = build("sources:\n  s: {type: misc, title: T}\nclaims:\n"
                 "  - {id: a, quote: x, kind: opinion}\n"
                 "  - {id: b, quote: y, kind: event, citations: [{source: s}]}\n"
                 "  - {id: c, quote: z, kind: event}\n")
    assert [(c.kind, c.status) for c in cmap.claims] == [
        (ClaimKind.OPINION, Status.OPINION), (ClaimKind.EVENT, Status.SOURCED),
        (ClaimKind.EVENT, Status.UNSOURCED)]


def test_every_problem_of_a_file_in_one_run_in_file_order():
    lines = errors("sources:\n  bad key: {type: misc}\n  s: {type: webpage}\nclaims:\n"
                   "  - {id: c1, quote: x, kind: event, status: verified}\n"
                   "  - {id: c2, quote: \"\\x1b\", kind: event}\n")
    assert lines == [
        "m.yaml:5:3: invalid citekey 'bad key': use letters, digits and _, joined by single "
        ": . - /, with at least one letter",
        "m.yaml:6:13: source 's': 'type': unknown value 'webpage'; did you mean 'online'?",
        "m.yaml:8:45: claim 'c1': 'status': unknown value 'verified'; did you mean 'sourced'?",
        "m.yaml:9:21: claim 'c2': 'quote' holds a control character (\\x1b); remove it or "
        "write the text out",
    ]


def test_unknown_keys_are_warnings_with_did_you_mean():
    cmap = build("sources:\n  s: {type: misc, title: T, ttile: U}\n")
    [warning] = cmap.warnings
    assert str(warning) == (
        "m.yaml:5:29: warning: unknown key 'ttile' in source 's' is ignored; did you mean "
        "'title'? [unknown-key]")


def test_draft_is_a_flag():
    cmap = build("claims:\n  - {id: a, quote: x, kind: event, draft: true, note: machine}\n")
    assert cmap.claims[0].draft and cmap.claims[0].published_note is None
    assert errors("claims:\n  - {id: a, quote: x, kind: event, draft: yes}\n") == [
        "m.yaml:5:43: claim 'a': 'draft' must be true or false, not 'yes'"]


def test_a_quote_needs_a_visible_letter_or_digit():
    assert errors("claims:\n  - {id: a, quote: '\u200b\u200b', kind: event}\n") == [
        "m.yaml:5:20: claim 'a': 'quote' holds no visible letter or digit"]
