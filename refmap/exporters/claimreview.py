"""schema.org ClaimReview JSON-LD for the claims that have a status, for publishers that mark
up their fact checks (https://schema.org/ClaimReview)."""

from __future__ import annotations

from refmap.inert import json_for_script
from refmap.model import ClaimsMap

VERDICTS = {
    "sourced": "Supported by cited sources",
    "unverified": "Unverified",
    "disputed": "Disputed",
    "unsourced": "Not yet sourced",
}
"""The textual rating for each status (opinions are not fact checks and are left out)."""


def export(cmap: ClaimsMap, include_unsourced: bool = False) -> str:
    essay = cmap.essay
    appearance: dict = {"@type": "CreativeWork"}
    if essay.title:
        appearance["headline"] = essay.title
    if essay.url:
        appearance["url"] = essay.url
    if essay.date:
        appearance["datePublished"] = essay.date
    if essay.authors:
        appearance["author"] = [
            {"@type": "Organization" if a.literal else "Person", "name": a.display()}
            for a in essay.authors
        ]
    reviews = []
    for claim in cmap.claims:
        if claim.status not in VERDICTS or (claim.status == "unsourced" and not include_unsourced):
            continue
        review: dict = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": claim.quote,
            "itemReviewed": {"@type": "Claim", "appearance": appearance},
            "reviewRating": {"@type": "Rating", "alternateName": VERDICTS[claim.status]},
        }
        if essay.url:
            review["url"] = f"{essay.url}#claim-{claim.id}"
        if claim.note:
            review["reviewBody"] = claim.note
        cited = [cmap.sources[c.source] for c in claim.citations if c.source in cmap.sources]
        if cited:
            review["citation"] = [
                {k: v for k, v in (("@type", "CreativeWork"), ("name", s.title), ("url", s.url)) if v}
                for s in cited
            ]
        reviews.append(review)
    return json_for_script(reviews) + "\n"
