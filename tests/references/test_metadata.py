from __future__ import annotations

from pathlib import Path

from refmap.references.metadata import page_metadata

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
URL = "https://pages.example/fetched"


def metadata(name: str) -> dict[str, object]:
    return dict(page_metadata((PAGES / name).read_text(encoding="utf-8"), URL))


def test_highwire_tags_win_over_json_ld_and_open_graph() -> None:
    assert metadata("highwire.html") == {
        "type": "article",
        "title": "Tidal range and port growth: a panel study",
        "authors": [{"family": "Example", "given": "Ada"}, {"family": "Sample", "given": "Ben"}],
        "date": "2021-03-04",  # citation_publication_date before citation_online_date
        "journal": "Journal of Example Studies",
        "volume": "12",
        "number": "3",
        "pages": "201-219",
        "doi": "10.5555/jes.2021.0042",
        "issn": "1234-5679",
        "publisher": "Example University Press",
        "language": "en",
        "site": "JES Online",  # only Open Graph names the site
        "url": URL,
    }


def test_json_ld_article() -> None:
    assert metadata("jsonld-article.html") == {
        "type": "online",
        "title": "Ferry strike ends after nine days of talks",
        "authors": [
            {"family": "Example", "given": "Ada"},
            {"family": "Park", "given": "Min Ji"},  # family first: a common Korean family name
            {"literal": "Gazette Staff"},
        ],
        "date": "2022-08-19",  # the publisher's calendar day, not UTC's
        "site": "Example Gazette Ltd",
        "language": "en-GB",
        "url": URL,
    }


def test_json_ld_graph_with_references() -> None:
    assert metadata("jsonld-graph.html") == {
        "type": "online",
        "title": "Why lighthouses still matter",  # the Article, not the WebPage
        "authors": [{"family": "Sample", "given": "Ben"}],
        "date": "2023-02-01",
        "site": "The Beacon Blog",  # the WebSite the page is part of, not the publisher
        "language": "en-US",
        "url": URL,
    }


def test_open_graph_only() -> None:
    assert metadata("og.html") == {
        "type": "online",
        "title": "Night market reopens after renovation",
        "site": "Harbour News",
        "date": "2020-05-06",
        "language": "ko-KR",
        "url": URL,  # the fetched URL, not og:url; a profile-URL author is no name
    }


def test_title_only() -> None:
    assert metadata("title-only.html") == {
        "type": "online",
        "title": "Horaires des ferries & tarifs",  # not the SVG's <title>
        "language": "fr",
        "url": URL,
    }


def test_page_without_metadata() -> None:
    assert page_metadata("<p>no head at all</p>", "") == {"type": "online"}


def test_highwire_authors_list_and_report_type() -> None:
    html = """<meta name="citation_title" content="Dredging costs">
    <meta name="citation_authors" content="Example, Ada; Sample, Ben">
    <meta name="citation_technical_report_institution" content="Harbour Institute">
    <meta name="citation_date" content="2017">"""
    assert page_metadata(html, URL) == {
        "type": "report",
        "title": "Dredging costs",
        "authors": [{"family": "Example", "given": "Ada"}, {"family": "Sample", "given": "Ben"}],
        "institution": "Harbour Institute",
        "date": "2017",
        "url": URL,
    }


def test_a_bad_marked_section_stops_reading_but_keeps_what_came_before() -> None:
    html = '<title>Kept</title><meta property="og:site_name" content="Site"><![OCTYPE x]><title>'
    assert page_metadata(html, URL) == {"type": "online", "title": "Kept", "site": "Site", "url": URL}
