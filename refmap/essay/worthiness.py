"""Check-worthiness: how much a sentence asserts something a fact-checker could verify.

Deterministic and offline: each sentence is scored from surface cues, every cue with a weight
and a reason a person can read. Positive cues combine as a noisy-or (two weak cues add up, no
cue alone exceeds its weight); opinion markers and questions scale the result down. The
weights were set by hand; README.md gives the precision and recall measured on hand-labelled
essays in tests/fixtures/checkworthy/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

THRESHOLD = 0.5
"""Sentences scoring at least this are check-worthy."""

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan\\.|Feb\\.|Mar\\.|Apr\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\."
)
_NUMBER_WORDS = (
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    "hundred|hundreds|thousand|thousands|dozen|dozens|half|third|thirds|quarter|quarters|"
    "double|doubled|tripled|twice"
)
_REPORTING = (
    "said|says|told|tells|announced|announces|reported|confirmed|confirms|stated|wrote|"
    "writes|claimed|argued|argues|denied|denies|insisted|warned|warns|added|noted|"
    "acknowledged|admitted|testified|declared|declares|estimated|according to|revealed|"
    "disclosed|predicted|pledged|promised|vowed|described|called|pointed out|explained|"
    "replied|responded|concluded|found that|showed that|in a statement"
)
_SUPERLATIVES = (
    "first|first-ever|only|record|record-breaking|largest|biggest|highest|lowest|smallest|"
    "most|least|best|worst|fastest|slowest|oldest|youngest|longest|shortest|unprecedented"
)
"""With any word ending in "est" before since, ever, in, on or of (_SUPERLATIVE_EST)."""
_EVENT_VERBS = (
    "met|signed|won|lost|beat|defeated|scored|launched|tested|elected|appointed|resigned|died|"
    "founded|opened|closed|approved|passed|rejected|voted|rose|fell|increased|decreased|grew|"
    "dropped|declined|cut|raised|spent|earned|sold|bought|acquired|merged|released|published|"
    "discovered|found|measured|recorded|arrested|charged|sentenced|banned|imposed|lifted|"
    "collapsed|ended|began|started|held|hosted|visited|attended|joined|left|returned|built|"
    "completed|introduced|unveiled|awarded|received|sued|fined|ruled|struck|signed|broke|"
    "designed|developed|led|lowered|upgraded|downgraded|scheduled|judged|enrolled|"
    "vaccinated|treated|killed|injured|flooded|destroyed|named|hired|fired|promoted|"
    "retired|turned|took office|was born|graduated|served"
)
_OPINION = (
    "should|must|ought|need to|needs to|i think|we think|i believe|we believe|in my view|"
    "it is time|it's time|perhaps|maybe|probably|likely|unlikely|might|could|would|seem|seems|"
    "appear to|appears to|hope|hopefully|wish|arguably|surely|clearly|of course|let us|let's|"
    "will have to|will need|we can|we cannot|can't afford"
)

class _WordCue:
    """A cue that is a list of words and phrases, matched on the sentence's words in one pass.

    It matches exactly where its regex (`\b(?:alternatives)` and the ending `after`) would,
    case-insensitively, but a one-word alternative is looked up in the set of the sentence's
    folded words, and the regex of the phrases runs only when every word of one of them is
    there. Words that must not run on into an apostrophe or hyphen (`free`) are looked up
    among the words that do not.
    """

    def __init__(self, alternatives: str, after: str = r"\b", free: bool = False,
                 extra: str = "") -> None:
        words = alternatives.split("|")
        self.single = frozenset(w for w in words if w.isalpha() and w.isascii())
        phrases = [w for w in words if w not in self.single]
        self.needs = tuple(frozenset(_ASCII_WORD.findall(p)) for p in phrases)
        self.keys = frozenset(max(need, key=len) for need in self.needs)
        """The longest word of each phrase: a cheap first test before all of them."""
        pattern = "|".join(re.escape(p) for p in phrases)
        self.phrases = re.compile(r"\b(?:" + pattern + ")" + after, re.I) if phrases else None
        self.free = free

    def search(self, sentence: str, words: frozenset[str], free: frozenset[str]) -> bool:
        if not (self.single.isdisjoint(free if self.free else words)):
            return True
        if self.phrases is None or self.keys.isdisjoint(words):
            return False
        if not any(need <= words for need in self.needs):
            return False
        return self.phrases.search(sentence) is not None


_ASCII_WORD = re.compile(r"[a-z]+")
_WORD = re.compile(r"\w+")
_FREE_WORD = re.compile(r"\b\w+(?![\w'’-])")
"""A whole word not run on into an apostrophe or hyphen ("won" in "won it", not in "won’t")."""
_FOLD = str.maketrans("İıſ", "iis")
_FOLDED = re.compile("[İıſ]")
"""Letters that match an ASCII letter case-insensitively in a regex but that str.lower() does
not turn into it (the Kelvin sign it does); tests/test_worthiness_golden.py checks the list
against every code point."""
_DIGIT = re.compile(r"\d")
_NO_SUFFIX = re.compile(r"['’-]")


def fold(text: str) -> str:
    """The text lower-cased as regex case-insensitive matching sees it, letter for letter."""
    if not text.isascii() and _FOLDED.search(text):
        text = text.translate(_FOLD)
    return text.lower()


_SUPERLATIVE_EST = re.compile(r"\b\w+est(?=\s+(?:since|ever|in|on|of))", re.I)
_PERCENTAGE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:%|percent\b|per cent\b|percentage points?\b)|\b(?:"
    + _NUMBER_WORDS + r")[- ](?:percent|per cent)\b", re.I)
_AMOUNT = re.compile(
    r"[$€£¥]\s?\d|\d(?:[\d,.]*)\s*(?:million|billion|trillion|bn)\b|\b(?:dollars|euros|"
    r"pounds|yen)\b", re.I)
_YEAR_OR_DATE = re.compile(
    r"\b(?:1[89]\d\d|20\d\d)s?\b|\b(?:" + _MONTHS + r")\s+\d{1,2}\b|\b\d{1,2}\s+(?:"
    + _MONTHS + r")\b")
_FIGURE = re.compile(r"(?<![\w.])\d+(?:[.,:]\d+)*(?:st|nd|rd|th)?(?![\w])")
_COMPARISON = re.compile(
    r"\b(?:more|less|fewer|higher|lower) than\b|\b(?:up|down) from\b|\bcompared (?:with|to)\b"
    r"|\bsince (?:1[89]\d\d|20\d\d)\b", re.I)
_COMPARISON_WORDS = frozenset("more less fewer higher lower up down compared since".split())
_NUMBER_CUE = _WordCue(_NUMBER_WORDS)
_SUPERLATIVE_CUE = _WordCue(_SUPERLATIVES)
_EVENT_CUE = _WordCue(_EVENT_VERBS, after=r"(?![\w'’-])", free=True)
_REPORTING_CUE = _WordCue(_REPORTING, after=r"(?![\w'’-])", free=True)
_OPINION_CUE = _WordCue(_OPINION)

CUE_WEIGHTS: tuple[tuple[str, float], ...] = (
    ("percentage", 0.8), ("amount", 0.75), ("year or date", 0.55), ("figure", 0.6),
    ("number in words", 0.35), ("superlative or first", 0.45), ("comparison", 0.3),
    ("event", 0.35),
)
"""The positive surface cues, in the order their reasons are given, with their weights."""


def _figure_cues(sentence: str) -> list[bool]:
    """Whether the cues that need a digit match: percentage, amount, year or date, figure (a
    year is not also a figure)."""
    years = [m.span() for m in _YEAR_OR_DATE.finditer(sentence)]
    figure = any(not any(a <= m.start() < b for a, b in years)
                 for m in _FIGURE.finditer(sentence))
    return [_PERCENTAGE.search(sentence) is not None, _AMOUNT.search(sentence) is not None,
            bool(years), figure]


def _cues(sentence: str, folded: str, words: frozenset[str], free: frozenset[str]) -> list[bool]:
    """Whether each positive cue matches, in the order of CUE_WEIGHTS."""
    if _DIGIT.search(sentence):
        found = _figure_cues(sentence)
    else:  # every figure pattern needs a digit, but for a percentage or an amount in words
        found = [(("percent" in words or "per" in words)
                  and _PERCENTAGE.search(sentence) is not None),
                 not _MONEY_WORDS.isdisjoint(words), False, False]
    superlative = (_SUPERLATIVE_CUE.search(sentence, words, free)
                   or ("est" in folded and _SUPERLATIVE_EST.search(sentence) is not None))
    comparison = (not _COMPARISON_WORDS.isdisjoint(words)
                  and _COMPARISON.search(sentence) is not None)
    return found + [_NUMBER_CUE.search(sentence, words, free), bool(superlative), comparison,
                    _EVENT_CUE.search(sentence, words, free)]


_MONEY_WORDS = frozenset({"dollars", "euros", "pounds", "yen"})
_BIO_VERBS = frozenset({"is", "was", "are", "were"})
_BIO_LINKS = frozenset({"at", "of", "for"})

_NAME_RE = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’.-]*[a-z][\w'’-]*|\b[A-Z]{2,}\b")
_LEADING_NAME_RE = re.compile(r"^[\"'“‘(]*(?:[A-Z][a-z]+\.?\s+)*[A-Z][a-z]+(?:\s+[A-Z][\w'’-]+)+")
_BIO_RE = re.compile(r"\b(?:is|was|are|were) (?:a|an|the) [\w ,'-]{0,60}\b(?:at|of|for)\b [A-Z]")
_QUOTATION_RE = re.compile(r"[\"“”]|(?:^|\s)['‘][^']+['’](?:\s|[,.]|$)")
_PRONOUN_SUBJECT_RE = re.compile(r"\b(?:he|she|they|it|officials|spokesman|spokeswoman|spokesperson)\s+"
                                 r"(?:" + _REPORTING + r")\b", re.I)

_COMMON_STARTS = frozenset(
    "The A An But And Or So Yet In On At By For From With After Before When While If Although "
    "Though However Meanwhile Still This That These Those It Its He She They We I You His Her "
    "Their Our There Here What Why How Who Even Today Instead Furthermore Moreover Right Now "
    "Only Many Most Some Every Each Such No Not Yes".split()
)


@dataclass(frozen=True)
class Score:
    """A sentence's check-worthiness in [0, 1] and the cues behind it."""

    value: float
    reasons: tuple[str, ...]

    @property
    def worthy(self) -> bool:
        return self.value >= THRESHOLD


def _named(sentence: str) -> bool:
    """A named person or body: a capitalised word that is not just the sentence's first word."""
    words = _NAME_RE.findall(sentence)
    first = sentence.split(" ", 1)[0].strip("\"'“‘(")
    names = [w for w in words if w not in _COMMON_STARTS or w != first]
    names = [w for w in names if not (w == first and w in _COMMON_STARTS)]
    return bool(names) or bool(_LEADING_NAME_RE.match(sentence))


def score_sentence(sentence: str) -> Score:
    """Score one sentence; the reasons name each cue that counted."""
    folded = fold(sentence)
    words = frozenset(_WORD.findall(folded))
    free = frozenset(_FREE_WORD.findall(folded)) if _NO_SUFFIX.search(folded) else words
    keep = 1.0
    reasons: list[str] = []
    for (name, weight), found in zip(CUE_WEIGHTS, _cues(sentence, folded, words, free)):
        if found:
            keep *= 1 - weight
            reasons.append(name)
    named = _named(sentence)
    reporting = _REPORTING_CUE.search(sentence, words, free)
    attributed = reporting and (named or _QUOTATION_RE.search(sentence)
                                or _PRONOUN_SUBJECT_RE.search(sentence))
    if attributed:
        keep *= 1 - 0.6
        reasons.append("named source with a reporting verb")
    elif named:
        keep *= 1 - 0.25
        reasons.append("named person or body")
    if (not _BIO_VERBS.isdisjoint(words) and not _BIO_LINKS.isdisjoint(words)
            and _BIO_RE.search(sentence)):
        keep *= 1 - 0.45
        reasons.append("biographical detail")
    value = 1 - keep
    # "would"/"could" in reported speech ("said the council would hold ...") report a statement
    if not attributed and _OPINION_CUE.search(sentence, words, free):
        value *= 0.55
        reasons.append("opinion marker (lowers the score)")
    ending = sentence.rstrip("\"'”’)")
    if ending.endswith("?"):
        value *= 0.3
        reasons.append("question (lowers the score)")
    elif ending.endswith("!"):
        value *= 0.6
        reasons.append("exclamation (lowers the score)")
    return Score(round(value, 3), tuple(reasons))
