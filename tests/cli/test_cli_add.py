"""`refmap add ID` against a local HTTP server: DOI, ISBN and URL lookups, failures, the cache."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from editcheck import COMMENTED, only_added_lines, small_project
from httpserver import LocalServer, http_server, repeat_bytes  # noqa: F401

import refmap

CSL = {"Content-Type": "application/vnd.citationstyles.csl+json; charset=utf-8"}
HTML = {"Content-Type": "text/html; charset=utf-8"}
JSON = {"Content-Type": "application/json"}
DOI_ITEM = {
    "type": "article-journal", "title": "The Case for a North Korea Deal",
    "author": [{"family": "Fuchs", "given": "Michael"}, {"family": "Bard", "given": "Abigail"}],
    "container-title": "Journal of Example Studies", "issued": {"date-parts": [[2019, 6]]},
    "DOI": "10.5555/JES.2019.12", "volume": "12", "issue": "3", "page": "101-120",
    "URL": "https://doi.org/10.5555/jes.2019.12",
}
OPEN_LIBRARY = {"ISBN:9780306406157": {
    "title": "Diplomacy", "subtitle": "A History", "authors": [{"name": "Kissinger, Henry"}],
    "publishers": [{"name": "Simon & Schuster"}], "publish_date": "April 4, 1994",
    "identifiers": {"isbn_13": ["9780306406157"]},
}}


@pytest.fixture
def project(tmp_path: Path, http_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small map whose DOI and Open Library services are the local server."""
    monkeypatch.setenv("REFMAP_DOI_URL", http_server.url(""))
    monkeypatch.setenv("REFMAP_OPENLIBRARY_URL", http_server.url("/ol/"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return small_project(tmp_path, COMMENTED)


def add(run, project: Path, *args: str):
    return run(["add", "--allow-private", *args, "--cache", str(project.parent / "cache"), "--timeout", "2"],
               cwd=project.parent)


def test_doi_by_content_negotiation(project: Path, http_server: LocalServer, run) -> None:
    http_server.route("/10.5555/jes.2019.12", body=json.dumps(DOI_ITEM).encode(), headers=CSL)
    old = project.read_bytes()
    result = add(run, project, "doi:10.5555/jes.2019.12")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (f"doi:10.5555/jes.2019.12: {http_server.url('/10.5555/jes.2019.12')}\n"
                             "added 'fuchs2019case': The Case for a North Korea Deal\n")
    assert http_server.requests[0].headers["Accept"] == "application/vnd.citationstyles.csl+json"
    assert only_added_lines(old, project.read_bytes())
    source = refmap.load(project).cmap.sources["fuchs2019case"]
    assert (source.type, source.journal, source.date, source.doi, source.volume, source.number,
            source.pages) == ("article", "Journal of Example Studies", "2019-06",
                              "10.5555/JES.2019.12", "12", "3", "101-120")
    assert [a.family for a in source.authors] == ["Fuchs", "Bard"]
    assert source.accessed is None  # only what the metadata gives


def test_doi_through_redirects_with_a_chosen_key(project: Path, http_server: LocalServer,
                                                 run) -> None:
    http_server.redirect("/10.5555/moved", "/api/works/moved", status=302)
    http_server.redirect("/api/works/moved", "/csl/moved", status=301)
    http_server.route("/csl/moved", body=json.dumps(DOI_ITEM).encode(), headers=CSL)
    result = add(run, project, "https://doi.org/10.5555/moved", "--key", "fuchs-deal")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"doi:10.5555/moved: {http_server.url('/csl/moved')}",
        "added 'fuchs-deal': The Case for a North Korea Deal"]
    assert refmap.load(project).cmap.sources["fuchs-deal"].doi == "10.5555/JES.2019.12"


def test_isbn_from_open_library(project: Path, http_server: LocalServer, run) -> None:
    http_server.route("/ol/api/books", body=json.dumps(OPEN_LIBRARY).encode(), headers=JSON)
    result = add(run, project, "isbn:0-306-40615-2")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-3:] == [
        "added 'kissinger1994diplomacy': Diplomacy: A History",
        "  author: family: Kissinger, given: Henry",
        "  (names split into family and given; --literal keeps each as written)"]
    assert http_server.requests[0].path == ("/ol/api/books?bibkeys=ISBN:9780306406157"
                                            "&format=json&jscmd=data")
    source = refmap.load(project).cmap.sources["kissinger1994diplomacy"]
    assert (source.type, source.publisher, source.date, source.isbn) == (
        "book", "Simon & Schuster", "1994-04-04", "9780306406157")
    assert source.authors[0].family == "Kissinger"


PAGES = {
    "highwire": ('<meta name="citation_title" content="Highwire Title">'
                 '<meta name="citation_author" content="Kim, Duyeon">'
                 '<meta name="citation_publication_date" content="2019/06/12">'
                 '<meta name="citation_journal_title" content="Example Review">',
                 {"title": "Highwire Title", "journal": "Example Review", "date": "2019-06-12"}),
    "jsonld": ('<script type="application/ld+json">{"@context": "https://schema.org", '
               '"@type": "NewsArticle", "headline": "JSON-LD Headline", '
               '"datePublished": "2019-06-11T08:00:00+09:00", '
               '"publisher": {"@type": "Organization", "name": "Example News"}}</script>',
               {"title": "JSON-LD Headline", "date": "2019-06-11"}),
    "opengraph": ('<meta property="og:title" content="OG Title">'
                  '<meta property="og:site_name" content="Example Site">',
                  {"title": "OG Title", "site": "Example Site"}),
    "title": ("<title>Just a Title</title>", {"title": "Just a Title"}),
}


@pytest.mark.parametrize("kind", sorted(PAGES))
def test_url_with_each_kind_of_page_metadata(project: Path, http_server: LocalServer, run,
                                             kind: str) -> None:
    head, expected = PAGES[kind]
    page = f"<!doctype html><html><head>{head}</head><body><p>text</p></body></html>"
    http_server.redirect("/old", "/page", status=301)
    http_server.route("/page", body=page.encode(), headers=HTML)
    before = datetime.date.today().isoformat()
    result = add(run, project, f"url:{http_server.url('/old')}", "--key", "page")
    assert result.exit_code == 0, result.stderr
    source = refmap.load(project).cmap.sources["page"]
    for field, value in expected.items():
        assert getattr(source, field) == value
    assert source.url == http_server.url("/page")  # where the page answered, after redirects
    assert source.accessed in (before, datetime.date.today().isoformat())


def test_a_rerun_answers_from_the_cache_with_the_server_gone(tmp_path: Path, run,
                                                             monkeypatch) -> None:
    server = LocalServer()
    monkeypatch.setenv("REFMAP_DOI_URL", server.url(""))
    path = small_project(tmp_path, COMMENTED)
    server.route("/10.5555/jes.2019.12", body=json.dumps(DOI_ITEM).encode(), headers=CSL)
    first = add(run, path, "doi:10.5555/jes.2019.12", "--dry-run")
    server.close()
    again = add(run, path, "doi:10.5555/jes.2019.12", "--dry-run", "--offline")
    assert first.exit_code == again.exit_code == 0, again.stderr
    assert again.stdout.splitlines()[0].endswith("/10.5555/jes.2019.12 (from the cache)")
    assert again.stdout.splitlines()[1:] == first.stdout.splitlines()[1:]
    assert "+  fuchs2019case:\n" in again.stdout


def test_offline_without_a_cached_answer_refuses(project: Path, run) -> None:
    old = project.read_bytes()
    result = add(run, project, "isbn:9780306406157", "--offline")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: cannot fetch 'http://127.0.0.1:")
    assert result.stderr.endswith(": not in the cache, and network access is off\n")
    assert project.read_bytes() == old


def test_a_duplicate_of_an_existing_source_is_reported_not_added(project: Path,
                                                                  http_server: LocalServer,
                                                                  run) -> None:
    page = b"<html><head><title>DW live blog</title></head></html>"
    http_server.route("/a-1", body=page, headers=HTML)
    monkey = project.read_text("utf-8").replace("https://www.dw.com/a-1", http_server.url("/a-1"))
    project.write_text(monkey, "utf-8")
    old = project.read_bytes()
    result = add(run, project, f"url:{http_server.url('/a-1')}")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1] == "already in the map as 'dw2018' (same url); not added"
    assert lines[2] == "  title: kept 'Trump-Kim meeting', found 'DW live blog'"
    assert project.read_bytes() == old


def failing(http_server: LocalServer, path: str) -> str:
    return f"'{http_server.url(path)}'"


@pytest.mark.parametrize("setup, identifier, message", [
    (lambda s: None, "doi:10.5555/none", "DOI '10.5555/none' not found (HTTP 404 from {url})"),
    (lambda s: s.route("/10.5555/err", status=500, body=b"oops"), "doi:10.5555/err",
     "cannot look up DOI '10.5555/err': HTTP 500 from {url}"),
    (lambda s: s.route("/10.5555/html", body=b"<html>hi</html>", headers=HTML),
     "doi:10.5555/html", "cannot look up DOI '10.5555/html': the answer from {url} is not "
     "JSON (text/html)"),
    (lambda s: s.route("/10.5555/list", body=b"[1, 2]", headers=CSL), "doi:10.5555/list",
     "cannot look up DOI '10.5555/list': the answer from {url} is not a CSL-JSON item"),
    (lambda s: s.route("/10.5555/untitled", body=b'{"type": "book"}', headers=CSL),
     "doi:10.5555/untitled", "cannot look up DOI '10.5555/untitled': the answer gives no title"),
    (lambda s: s.route("/report.pdf", body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}),
     "url:{server}/report.pdf", "cannot read page {url}: the answer is not an HTML page "
     "(application/pdf)"),
])
def test_failures_are_one_line_exit_2_and_leave_the_map(project: Path, http_server: LocalServer,
                                                       run, setup, identifier, message) -> None:
    setup(http_server)
    old = project.read_bytes()
    identifier = identifier.format(server=http_server.url(""))
    path = identifier.split(":", 1)[1].replace(http_server.url(""), "")
    url = repr(http_server.url("/" + path.lstrip("/")))
    result = add(run, project, identifier)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {message.format(url=url)}\n"
    assert project.read_bytes() == old


def test_a_timeout(project: Path, http_server: LocalServer, run) -> None:
    http_server.route("/slow", delay=10, body=b"<title>late</title>", headers=HTML)
    old = project.read_bytes()
    result = run(["add", "--allow-private", f"url:{http_server.url('/slow')}", "--timeout", "0.3", "--no-cache"],
                 cwd=project.parent)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: cannot fetch '{http_server.url('/slow')}': no complete "
                             "answer within 0.3 s\n")
    assert project.read_bytes() == old


def test_a_huge_answer_hits_the_size_cap(project: Path, http_server: LocalServer, run) -> None:
    http_server.route("/huge", body=repeat_bytes(11 * 1024 * 1024), headers=HTML)
    result = add(run, project, f"url:{http_server.url('/huge')}")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: cannot fetch '{http_server.url('/huge')}': body larger "
                             f"than {10 * 1024 * 1024} bytes\n")


@pytest.mark.parametrize("identifier, message", [
    ("pmid:123", "'pmid:123' is not an identifier refmap can look up: write doi:10.NNNN/..., "
                 "isbn:978... or url:https://..."),
    ("doi:11.1/x", "'doi:11.1/x': DOI '11.1/x' does not start with '10.'"),
    ("isbn:9780306406158", "'isbn:9780306406158': ISBN check digit is 8, expected 7"),
    ("url:ftp://example.org/x", "'url:ftp://example.org/x': not an absolute http(s) URL"),
    ("doi:10.5555/x\x1b[31m", None),
])
def test_identifiers_that_cannot_be_looked_up(project: Path, run, identifier, message) -> None:
    old = project.read_bytes()
    result = add(run, project, identifier)
    assert result.exit_code == 2
    if message is not None:
        assert result.stderr == f"Error: {message}\n"
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr
    assert project.read_bytes() == old


def test_a_chosen_key_that_is_taken_or_invalid(project: Path, http_server: LocalServer,
                                               run) -> None:
    http_server.route("/10.5555/jes.2019.12", body=json.dumps(DOI_ITEM).encode(), headers=CSL)
    taken = add(run, project, "doi:10.5555/jes.2019.12", "--key", "dw2018")
    assert taken.stderr == "Error: --key: source 'dw2018' is already in the map\n"
    bad = add(run, project, "doi:10.5555/jes.2019.12", "--key", "a b")
    assert bad.stderr.startswith("Error: --key: 'a b' is not a valid citekey")


def test_an_answer_with_a_control_character_is_refused(project: Path, http_server: LocalServer,
                                                       run) -> None:
    item = {**DOI_ITEM, "title": "Bell \u0007 title"}
    http_server.route("/10.5555/bell", body=json.dumps(item).encode(), headers=CSL)
    old = project.read_bytes()
    result = add(run, project, "doi:10.5555/bell")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("Error: cannot look up DOI '10.5555/bell': 'title' holds a control "
                             "character ('\\x07')\n")
    assert project.read_bytes() == old


def test_a_name_as_one_string_is_split_and_shown_and_literal_keeps_it(
        project: Path, http_server: LocalServer, run) -> None:
    page = ('<html><head><title>T</title><meta name="citation_title" content="A Plague Year">'
            '<meta name="citation_author" content="Ian Mortimer">'
            '<meta name="citation_author" content="Ludwig van Beethoven">'
            '<meta name="citation_author" content="Reuters Staff"></head></html>')
    http_server.route("/page", body=page.encode(), headers={"Content-Type": "text/html"})
    result = add(run, project, f"url:{http_server.url('/page')}", "--dry-run")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("added "))
    assert lines[at:at + 5] == [
        "added 'mortimerplague': A Plague Year",  # the key from the family name
        "  author: family: Mortimer, given: Ian",
        "  author: family: van Beethoven, given: Ludwig",
        "  author: literal: Reuters Staff",
        "  (names split into family and given; --literal keeps each as written)"]
    assert '+      - family: "Mortimer"\n+        given: "Ian"\n' in result.stdout
    literal = add(run, project, f"url:{http_server.url('/page')}", "--literal", "--dry-run")
    assert literal.exit_code == 0, literal.stderr
    lines = literal.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("added "))
    assert lines[at + 1:at + 4] == [
        "  author: literal: Ian Mortimer", "  author: literal: Ludwig van Beethoven",
        "  author: literal: Reuters Staff"]
    assert '+      - literal: "Ian Mortimer"\n' in literal.stdout
