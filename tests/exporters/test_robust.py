"""Robust links in the views and the marks `refmap report --verify-results` reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from httpserver import LocalServer, http_server  # noqa: F401
from sourcemaps import write_map

from refmap.errors import LoadError
from refmap.exporters.robust import mark_badge, read_verify_marks, robust_link

COPY = "https://web.archive.org/web/20240101120000/https://a.example/x"


def test_robust_link_names_the_copy_and_its_date() -> None:
    assert robust_link("https://a.example/x", "Title", COPY, "2024-01-01") == (
        f'<a href="https://a.example/x" data-versionurl="{COPY}" data-versiondate="2024-01-01" '
        'rel="noopener noreferrer">Title</a> <small class="archived">'
        f'(<a href="{COPY}" rel="noopener noreferrer">archived 2024-01-01</a>)</small>')


def test_robust_link_without_a_copy_is_a_plain_link() -> None:
    assert robust_link("https://a.example/x", "T", None, None) == (
        '<a href="https://a.example/x" rel="noopener noreferrer">T</a>')


def test_only_http_urls_become_links_and_everything_is_escaped() -> None:
    assert robust_link("javascript:alert(1)", "<b>T</b>", "data:text/html,x", "2024") == (
        "&lt;b&gt;T&lt;/b&gt;")
    assert robust_link(None, "T", 'https://a.example/"><script>', None) == "T"
    assert robust_link(None, "T", "https://a.example/?a=1&b=2", '2024"<x>') == (
        'T <small class="archived">(<a href="https://a.example/?a=1&amp;b=2" '
        'rel="noopener noreferrer">archived 2024&quot;&lt;x&gt;</a>)</small>')


def test_mark_badges() -> None:
    assert mark_badge(None) == ""
    assert mark_badge("page dead") == ' <span class="status s-flagged verify">page dead</span>'
    assert mark_badge("excerpt changed") == (
        ' <span class="status s-disputed verify">excerpt changed</span>')


def record(source: str, state: str, page: str = "ok") -> dict[str, object]:
    return {"source": source, "state": state, "page": page}


def test_each_source_gets_its_worst_mark(tmp_path: Path) -> None:
    path = tmp_path / "verify.json"
    path.write_text(json.dumps([
        record("a", "changed"), record("a", "missing"), record("a", "found"),
        record("b", "found"), record("c", "unverifiable", "dead"), record("c", "changed"),
        record("d", "unverifiable", "blocked"), record("e", "changed")]))
    assert read_verify_marks(path) == {"a": "excerpt missing", "c": "page dead",
                                       "e": "excerpt changed"}


@pytest.mark.parametrize(("text", "message"), [
    ("not json", "not JSON from 'refmap verify --format json'"),
    ('{"a": 1}', "not a list of verified citations ('refmap verify --format json')"),
    ('[{"state": "found"}]', "entry 1 has no 'source'"),
    ('[{"source": "a", "state": "found"}, {"source": "a", "state": "gone\\u001b"}]',
     "entry 2: unknown state 'gone\\x1b'"),
])
def test_anything_else_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "verify.json"
    path.write_text(text)
    with pytest.raises(LoadError) as caught:
        read_verify_marks(path)
    assert caught.value.lines() == [f"{path}: {message}"]


def test_report_marks_what_verify_found(http_server: LocalServer, tmp_path: Path, run) -> None:
    http_server.route("/fine", body=b"<p>The words are all here on this page.</p>",
                      headers={"Content-Type": "text/html"})
    http_server.route("/gone", status=404)
    write_map(tmp_path, {
        "fine": {"url": http_server.url("/fine"), "archive": COPY, "archived": "2024-01-01"},
        "gone": {"url": http_server.url("/gone")}},
        [("fine", "The words are all here on this page."), ("gone", "x")])
    result = run(["verify", "--allow-private", "--no-cache", "--format", "json"], cwd=tmp_path)
    (tmp_path / "verify.json").write_text(result.stdout)
    result = run(["report", "--verify-results", "verify.json", "-o", "report.html"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (0, "")
    html = (tmp_path / "report.html").read_text("utf-8")
    assert (f'<a href="{http_server.url("/fine")}" data-versionurl="{COPY}" '
            'data-versiondate="2024-01-01" rel="noopener noreferrer">Fine</a>') in html
    assert ('>Gone</a></strong> <span class="status s-flagged verify">page dead</span>') in html
    assert html.count("verify\">") == 1


def test_report_with_a_bad_verify_file_is_one_line(tmp_path: Path, run) -> None:
    write_map(tmp_path, {"book": {"isbn": "9780000000002"}}, [("book", "x")])
    (tmp_path / "verify.json").write_text("[1]")
    result = run(["report", "--verify-results", "verify.json", "-o", "report.html"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (2, "Error: verify.json: entry 1 has no 'source'\n")
    assert not (tmp_path / "report.html").exists()


def test_reading_list_shows_the_archived_copy(tmp_path: Path, run) -> None:
    write_map(tmp_path, {"fine": {"url": "https://a.example/x", "archive": COPY,
                                  "archived": "2024-01-01"}}, [("fine", "x")])
    result = run(["export", "markdown"], cwd=tmp_path)
    assert result.exit_code == 0
    assert (f"- *Fine*. <https://a.example/x> (archived copy of 2024-01-01: <{COPY}>)\n"
            in result.stdout)
