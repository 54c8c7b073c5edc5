"""Citekeys for imported records: the file's own key when it has one, else a generated one.

The generated key is ``name + year + word``, lower-case ASCII:

- name: the first author's family name; for an organisation, the first word of its name;
  with no authors, the first editor; with neither, the first word of the site, institution,
  publisher or journal (as in ``reuters2019...``); failing all, ``anon``. Stopwords are
  skipped here as in titles ("The Diplomat" -> ``diplomat``);
- year: the four digits of the date, left out when there is no date;
- word: the first word of the title that is not a stopword (``the``, ``of``, ``der`` ...).

Names are transliterated to ASCII with anyascii (Korean in Revised Romanisation, ``최`` ->
``choe``; ``Müller`` -> ``muller``), keeping only letters and digits. On collision with a
taken key, ``a``, ``b``, ... ``z``, ``aa`` ... is appended: ``fuchs2019time``,
``fuchs2019timea``.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping

from anyascii import anyascii

from refmap.mapfile.schema import CITEKEY, HAS_LETTER

STOPWORDS = frozenset("""
a an the of on in at to for from by with and or but as into onto over under about after
before between than that this these those is are was were be been it its their our your
his her what which who whom why how when where not no nor so if then de la le les des du
der die das den dem des ein eine und el los las del y il lo gli i e et une un van von
""".split())
"""Words that never stand for a title in a key (English, and the commonest articles and
prepositions of French, German, Spanish, Italian and Dutch)."""


def ascii_word(text: str) -> str:
    """Lower-case ASCII letters and digits of the text, transliterated."""
    return re.sub(r"[^a-z0-9]", "", anyascii(text).lower())


def _first_word(text: object) -> str:
    if not isinstance(text, str):
        return ""
    for word in re.split(r"[\s\-–—/:,.;()]+", text):
        found = ascii_word(word)
        if found and found not in STOPWORDS:
            return found
    return ""


def _name_part(fields: Mapping[str, object]) -> str:
    for role in ("authors", "editors"):
        names = fields.get(role)
        if isinstance(names, list) and names and isinstance(names[0], Mapping):
            first = names[0]
            family = first.get("family")
            if isinstance(family, str):
                word = ascii_word(family)
            else:
                word = _first_word(first.get("literal"))
            if word:
                return word
    for name in ("site", "institution", "publisher", "journal"):
        word = _first_word(fields.get(name))
        if word:
            return word
    return "anon"


def _title_word(title: object) -> str:
    if not isinstance(title, str):
        return ""
    for word in re.split(r"[\s\-–—/:,.;!?()\"“”‘’']+", title):
        if word.lower() in STOPWORDS:
            continue
        found = ascii_word(word)
        if found and found not in STOPWORDS:
            return found
    return ""


def _suffixes() -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return list(letters) + [a + b for a in letters for b in letters]


def with_suffix(base: str, taken: Container[str]) -> str:
    """The base key, or the base with the first free suffix a, b, ..., zz."""
    if base not in taken:
        return base
    for suffix in _suffixes():
        if base + suffix not in taken:
            return base + suffix
    raise ValueError(f"no free key left for {base!r}")  # 702 sources sharing one base


def generate_key(fields: Mapping[str, object], taken: Container[str]) -> str:
    """A key by the formula in the module docstring, free in `taken`."""
    date = fields.get("date")
    year = date[:4] if isinstance(date, str) and date[:4].isdigit() else ""
    return with_suffix(_name_part(fields) + year + _title_word(fields.get("title")), taken)


def is_valid_key(key: str) -> bool:
    """Whether the map's citekey rule accepts the key."""
    return bool(CITEKEY.match(key) and HAS_LETTER.search(key))


MAX_KEY = 200
"""Longest key an import keeps (YAML's implicit keys stop at 1,024 characters; no style
cites a key a screen wide)."""


def sanitise_key(key: str) -> str | None:
    """A carried key the map would reject, made acceptable: transliterated to ASCII, other
    characters as ``_`` (none at either end), separators (: . - /) single and inside. None
    if no letter is left, or if the key is longer than MAX_KEY."""
    if len(key) > MAX_KEY:
        return None
    if is_valid_key(key):
        return key
    text = re.sub(r"[^A-Za-z0-9_:.\-/]", "_", anyascii(key.strip()))
    text = re.sub(r"[:.\-/]{2,}", lambda m: m.group()[0], text).strip(":.-/_")
    text = re.sub(r"_{2,}", "_", text)
    return text if text and len(text) <= MAX_KEY and is_valid_key(text) else None


def choose_key(carried: str | None, fields: Mapping[str, object], taken: Container[str]) -> str:
    """The key for an imported record: the carried one (sanitised if the map would reject
    it) as it is, even when taken, since a taken carried key usually names the same source
    and that is for duplicate detection to decide; else a generated one, free in `taken`."""
    if carried is not None:
        sanitised = sanitise_key(carried)
        if sanitised is not None:
            return sanitised
    return generate_key(fields, taken)
