"""schema.org ClaimReview JSON-LD for the claims that have a status, for publishers that mark
up their fact checks (https://schema.org/ClaimReview).

The rating tells the truth that `refmap check` knows: a claim with an error finding (a figure
no excerpt backs, a quote changed or missing in the essay, an unknown source) is never rated as
supported. Machine drafts (`draft: true`) and opinions are left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from refmap.inert import json_for_script
from refmap.mapfile.model import EssayRecord, Status
from refmap.values import is_web_url

if TYPE_CHECKING:
    from refmap.project import Project

VERDICTS = {
    Status.SOURCED: "Supported by cited sources",
    Status.UNVERIFIED: "Unverified",
    Status.DISPUTED: "Disputed",
    Status.UNSOURCED: "Not yet sourced",
}
"""The textual rating for each status (opinions are not fact checks and are left out)."""

FLAGGED = "Needs review: the cited sources do not back the claim as written"
"""The rating of a claim that `refmap check` finds an error in, whatever its status."""


def _authors(essay: EssayRecord) -> list[dict[str, str]]:
    return [{"@type": "Person" if a.is_person else "Organization", "name": a.display()}
            for a in essay.authors]


def _appearance(essay: EssayRecord) -> dict[str, object]:
    appearance: dict[str, object] = {"@type": "CreativeWork"}
    if essay.title:
        appearance["headline"] = essay.title
    if essay.url and is_web_url(essay.url):
        appearance["url"] = essay.url
    if essay.date:
        appearance["datePublished"] = essay.date
    if essay.authors:
        appearance["author"] = _authors(essay)
    return appearance


def export(project: Project, include_unsourced: bool = False) -> str:
    cmap = project.cmap
    essay = cmap.essay
    flagged = project.check().claims_with_errors()
    appearance = _appearance(essay)
    reviews = []
    for claim in cmap.claims:
        if claim.draft or claim.status not in VERDICTS:
            continue
        if claim.status == Status.UNSOURCED and not include_unsourced:
            continue
        rating = FLAGGED if claim.id in flagged else VERDICTS[claim.status]
        review: dict[str, object] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": claim.quote,
            "itemReviewed": {"@type": "Claim", "appearance": appearance},
            "reviewRating": {"@type": "Rating", "alternateName": rating},
        }
        if essay.url and is_web_url(essay.url):
            review["url"] = f"{essay.url}#claim-{claim.id}"
        if essay.authors:
            review["author"] = _authors(essay)
        if essay.date:
            review["datePublished"] = essay.date
        if claim.published_note:
            review["reviewBody"] = claim.published_note
        cited = [s for c in claim.citations if (s := cmap.source(c.source)) is not None]
        if cited:
            review["citation"] = [
                {k: v for k, v in (("@type", "CreativeWork"), ("name", s.title),
                                   ("url", s.url if s.url and is_web_url(s.url) else None)) if v}
                for s in cited
            ]
        reviews.append(review)
    return json_for_script(reviews) + "\n"
