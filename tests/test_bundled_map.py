"""The bundled map cites the publisher's own page: no source URL is on a mirror or staging
host unless the source's note says why the mirror was kept (issue 20). The statements of
fact that were once filed as opinion stay checkable."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

import refmap
from conftest import ROOT
from refmap.mapfile.model import Status

MIRROR_DOMAINS = ("aitopics.org", "policyarchive.org", "pdfslide.us", "pdfslide.net")
"""Sites that copy or abstract other publishers' pages."""
STAGING_LABEL = re.compile(r"(^|-)(stag(e|ing)|release|preview)(-|$)")
"""A host's first label naming a pre-publication copy: digital-stage, digital-staging,
digital-release (The Hill), staging, preview."""
KEPT = "kept on purpose"
"""What a note says when a mirror stays because no original page was found; the rest of
the note says which searches found none."""

CMAP = refmap.load(ROOT / "claims.yaml").cmap


def mirror_host(url: str) -> str | None:
    """The host of url when it is a mirror or staging host, else None."""
    host = (urlsplit(url).hostname or "").lower()
    first = host.split(".", 1)[0]
    if any(host == d or host.endswith("." + d) for d in MIRROR_DOMAINS):
        return host
    return host if host.count(".") >= 2 and STAGING_LABEL.search(first) else None


@pytest.mark.parametrize(("url", "mirror"), [
    ("https://aitopics.org/doc/news:13954F25", True),
    ("http://www.policyarchive.org/handle/10207/13482", True),
    ("https://pdfslide.us/documents/x.html", True),
    ("https://digital-staging.thehill.com/homenews/a", True),
    ("https://digital-stage.thehill.com/policy/a", True),
    ("https://digital-release.thehill.com/homenews/a", True),
    ("https://thehill.com/homenews/senate/391959-a", False),
    ("https://www.japantimes.co.jp/news/2019/02/20/a/", False),
    ("https://www.heritage.org/Research/Reports/2008/04/a", False),
    ("https://www.stagecoach.com/a", False),
])
def test_mirror_hosts_are_recognised(url: str, mirror: bool):
    assert (mirror_host(url) is not None) == mirror


@pytest.mark.parametrize("key", sorted(CMAP.sources))
def test_bundled_sources_cite_the_original_or_say_why_not(key: str):
    source = CMAP.sources[key]
    for url in (source.url, source.archive):
        if url is None or mirror_host(url) is None:
            continue
        note = source.note or ""
        assert KEPT in note, (
            f"source {key!r} cites the mirror {mirror_host(url)}: cite the publisher's page,"
            f" or say in its note why the mirror was {KEPT}")


@pytest.mark.parametrize("claim_id", ["both-sides-waiting", "hanoi-no-big-deal",
                                      "politically-toxic"])
def test_statements_of_fact_once_filed_as_opinion_stay_sourced(claim_id: str):
    claim = next(c for c in CMAP.claims if c.id == claim_id)
    assert claim.status is Status.SOURCED
    assert claim.citations
