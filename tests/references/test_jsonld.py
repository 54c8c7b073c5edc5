from __future__ import annotations

import json

from refmap.references.jsonld import jsonld_fields


def fields(*nodes: object) -> dict[str, object]:
    return jsonld_fields([json.dumps(node) for node in nodes])


def test_scholarly_article_with_journal_volume_issue() -> None:
    article = {
        "@type": "ScholarlyArticle",
        "name": "Salt marsh recovery",
        "author": [{"@type": "Person", "familyName": "Example", "givenName": "Ada"}],
        "datePublished": "2020-07",
        "pageStart": 10, "pageEnd": 19,
        "identifier": {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.5555/xyz.1"},
        "isPartOf": {"@type": "PublicationIssue", "issueNumber": 4, "isPartOf": {
            "@type": "PublicationVolume", "volumeNumber": "8", "isPartOf": {
                "@type": "Periodical", "name": "Coastal Letters", "issn": "2049-3630"}}},
        "publisher": {"@type": "Organization", "name": "Example Press"},
    }
    assert fields(article) == {
        "type": "article", "title": "Salt marsh recovery",
        "authors": [{"family": "Example", "given": "Ada"}], "date": "2020-07",
        "doi": "10.5555/xyz.1", "journal": "Coastal Letters", "volume": "8", "number": "4",
        "issn": "2049-3630", "pages": "10-19", "publisher": "Example Press",
    }


def test_scholarly_article_without_journal_is_online() -> None:
    article = {"@type": "ScholarlyArticle", "headline": "Preprint",
               "sameAs": "https://doi.org/10.5555/p.2"}
    assert fields(article) == {"type": "online", "title": "Preprint", "doi": "10.5555/p.2"}


def test_book_and_report() -> None:
    book = {"@type": "Book", "name": "Harbours", "isbn": ["9780306406157"],
            "author": "Ada Example", "publisher": "Example House", "datePublished": "1998"}
    assert fields(book) == {
        "type": "book", "title": "Harbours", "authors": [{"family": "Example", "given": "Ada"}],
        "date": "1998", "publisher": "Example House", "isbn": "9780306406157",
    }
    report = {"@type": "Report", "name": "Annual review", "publisher": {"name": "Port Board"}}
    assert fields(report) == {
        "type": "report", "title": "Annual review", "institution": "Port Board",
    }


def test_most_specific_node_wins_and_entities_are_decoded() -> None:
    page = {"@type": "WebPage", "name": "Page title"}
    news = {"@type": "NewsArticle", "headline": "Tides &amp; times &#8211; today"}
    assert fields([page, news]) == {"type": "online", "title": "Tides & times \u2013 today"}


def test_invalid_scripts_and_unknown_types_give_nothing() -> None:
    assert jsonld_fields(["{not json", "[]", '{"@type": "Event", "name": "Regatta"}']) == {}
