"""A person's name that arrives as one string, split into family and given names.

Page metadata, Open Library and RIS `AU` lines give a name as one string ("Ian Mortimer",
"Ludwig van Beethoven", "Martin Luther King Jr."). nameparser splits it: the particles stay
with the family name ("van Beethoven", "de la Fontaine"), a suffix follows it after a comma
("King, Jr.", as refmap writes suffixes everywhere), titles ("Dr.") are dropped. A string that
is plainly an organisation ("Reuters Staff", "World Health Organization", "Ministry of
Unification"), a single word, a name joined by "and" or "&", or one in a script without
spaces between words (Hangul, Han) is kept whole as a literal, as is any name when the user
asks for `--literal`. A name in family-first order ("Kim Jong Un", "Moon Jae-in") is read so
when it starts with a common Korean or Chinese family name and the rest reads as a romanised
given name (two syllables, or a hyphenated one); `refmap add` shows every parsed name before
it writes, so a wrong split can be seen and redone with `--literal`.
"""

from __future__ import annotations

import re

from nameparser import HumanName

NameDict = dict[str, str]

ORGANISATION_WORDS = frozenset("""
    academy administration agency associated association authority bank board bureau
    center centre college commission committee company corp corporation council court
    department desk editorial editors foundation fund gmbh government group inc institute
    institution laboratory league limited llc llp ltd media ministry museum network news
    newsroom office organisation organization party press programme program project reuters
    school service society staff team times trust union university wire
""".split())
"""Words that make a name an organisation's ("Reuters Staff", "Example News Desk")."""

EAST_ASIAN_FAMILY_NAMES = frozenset("""
    kim lee yi park pak choi choe jung jeong chung kang cho jo yoon yun jang chang lim im han
    oh shin seo kwon hwang ahn an song yoo yu hong jeon jun moon mun ko go ryu bae baek nam
    roh no ri wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo
    gao xi mao deng jiang hu wen
""".split())
"""Common Korean and Chinese family names, for names written family first."""

_SPACELESS_SCRIPT = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff"
                               r"\uac00-\ud7af]")
_WORD = re.compile(r"[\w'’.-]+")


def is_organisation(text: str) -> bool:
    """Whether a name string is plainly not one person's."""
    words = [w.strip(".").lower() for w in _WORD.findall(text)]
    if len(words) < 2 or len(words) > 5:
        return True
    if any(w in ORGANISATION_WORDS for w in words) or " and " in f" {text.lower()} " \
            or "&" in text or any(ch.isdigit() for ch in text):
        return True
    return any(w.isupper() and len(w) > 1 and "." not in w for w in text.split())


def _family_first(text: str) -> NameDict | None:
    words = text.split()
    if "," in text or len(words) not in (2, 3) or words[0].lower() not in EAST_ASIAN_FAMILY_NAMES:
        return None
    rest = words[1:]
    if len(rest) == 2 or "-" in rest[0]:
        return {"family": words[0], "given": " ".join(rest)}
    return None


def parse_name(text: str, *, literal: bool = False) -> NameDict | None:
    """One name string as family/given (see the module docstring), or a literal."""
    text = " ".join(text.split())
    if not text:
        return None
    if literal or _SPACELESS_SCRIPT.search(text):
        return {"literal": text}
    family, comma, given = text.partition(",")
    if comma and "," not in given and family.strip() and given.strip() \
            and not is_organisation(f"{given} {family}"):
        return {"family": family.strip(), "given": given.strip()}
    if is_organisation(text):
        return {"literal": text}
    found = _family_first(text)
    if found is not None:
        return found
    name = HumanName(text)
    last, first = str(name.last).strip(), " ".join(p for p in (name.first, name.middle) if p)
    if not last or not first:
        return {"literal": text}
    suffix = str(name.suffix).strip()
    return {"family": f"{last}, {suffix}" if suffix else last, "given": first}


def as_literal(name: NameDict) -> NameDict:
    """A parsed name as one string again, as it reads in running text."""
    if "literal" in name:
        return name
    return {"literal": " ".join(p for p in (name.get("given"), name.get("family")) if p)}


def describe(name: NameDict) -> str:
    """How `refmap add` shows a parsed name: "family: Mortimer, given: Ian"."""
    if "literal" in name:
        return f"literal: {name['literal']}"
    parts = [f"family: {name.get('family', '')}"]
    if name.get("given"):
        parts.append(f"given: {name['given']}")
    return ", ".join(parts)
