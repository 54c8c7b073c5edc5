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
_SUPERLATIVE = (
    r"first|first-ever|only|record|record-breaking|largest|biggest|highest|lowest|smallest|"
    r"most|least|best|worst|fastest|slowest|oldest|youngest|longest|shortest|unprecedented|"
    r"\w+est(?=\s+(?:since|ever|in|on|of))"
)
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
    r"should|must|ought|need to|needs to|i think|we think|i believe|we believe|in my view|"
    r"it is time|it's time|perhaps|maybe|probably|likely|unlikely|might|could|would|seems?|"
    r"appears? to|hope|hopefully|wish|arguably|surely|clearly|of course|let us|let's|"
    r"will (?:have to|need)|we can|we cannot|can't afford"
)

CUES: tuple[tuple[str, float, re.Pattern[str]], ...] = (
    ("percentage", 0.8, re.compile(
        r"\d+(?:\.\d+)?\s*(?:%|percent\b|per cent\b|percentage points?\b)|\b(?:"
        + _NUMBER_WORDS + r")[- ](?:percent|per cent)\b", re.I)),
    ("amount", 0.75, re.compile(
        r"[$€£¥]\s?\d|\d(?:[\d,.]*)\s*(?:million|billion|trillion|bn)\b|\b(?:dollars|euros|"
        r"pounds|yen)\b", re.I)),
    ("year or date", 0.55, re.compile(
        r"\b(?:1[89]\d\d|20\d\d)s?\b|\b(?:" + _MONTHS + r")\s+\d{1,2}\b|\b\d{1,2}\s+(?:"
        + _MONTHS + r")\b")),
    ("figure", 0.6, re.compile(r"(?<![\w.])\d+(?:[.,:]\d+)*(?:st|nd|rd|th)?(?![\w])")),
    ("number in words", 0.35, re.compile(r"\b(?:" + _NUMBER_WORDS + r")\b", re.I)),
    ("superlative or first", 0.45, re.compile(r"\b(?:" + _SUPERLATIVE + r")\b", re.I)),
    ("comparison", 0.3, re.compile(
        r"\b(?:more|less|fewer|higher|lower) than\b|\b(?:up|down) from\b|\bcompared (?:with|to)\b"
        r"|\bsince (?:1[89]\d\d|20\d\d)\b", re.I)),
    ("event", 0.35, re.compile(r"\b(?:" + _EVENT_VERBS + r")(?![\w'’-])", re.I)),
)
_REPORTING_RE = re.compile(r"\b(?:" + _REPORTING + r")(?![\w'’-])", re.I)
_NAME_RE = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w'’.-]*[a-z][\w'’-]*|\b[A-Z]{2,}\b")
_LEADING_NAME_RE = re.compile(r"^[\"'“‘(]*(?:[A-Z][a-z]+\.?\s+)*[A-Z][a-z]+(?:\s+[A-Z][\w'’-]+)+")
_BIO_RE = re.compile(r"\b(?:is|was|are|were) (?:a|an|the) [\w ,'-]{0,60}\b(?:at|of|for)\b [A-Z]")
_OPINION_RE = re.compile(r"\b(?:" + _OPINION + r")\b", re.I)
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
    keep = 1.0
    reasons: list[str] = []
    year_spans = []
    for name, weight, pattern in CUES:
        hits = list(pattern.finditer(sentence))
        if name == "year or date":
            year_spans = [m.span() for m in hits]
        if name == "figure":  # a year is not also a figure
            hits = [m for m in hits if not any(a <= m.start() < b for a, b in year_spans)]
        if hits:
            keep *= 1 - weight
            reasons.append(name)
    named = _named(sentence)
    reporting = bool(_REPORTING_RE.search(sentence))
    attributed = reporting and (named or _QUOTATION_RE.search(sentence)
                                or _PRONOUN_SUBJECT_RE.search(sentence))
    if attributed:
        keep *= 1 - 0.6
        reasons.append("named source with a reporting verb")
    elif named:
        keep *= 1 - 0.25
        reasons.append("named person or body")
    if _BIO_RE.search(sentence):
        keep *= 1 - 0.45
        reasons.append("biographical detail")
    value = 1 - keep
    # "would"/"could" in reported speech ("said the council would hold ...") report a statement
    if _OPINION_RE.search(sentence) and not attributed:
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
