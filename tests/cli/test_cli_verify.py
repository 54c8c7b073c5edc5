"""refmap verify end to end against a local server: one state per citation, exact lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from httpserver import LocalServer, gzip_bomb, http_server, repeat_bytes, stall_after  # noqa: F401
from pdfbytes import make_pdf
from sourcemaps import write_map

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
HTML = {"Content-Type": "text/html; charset=utf-8"}
PRESENT = "Critics on the council caf\u00e9 committee noted that the figures had not yet been audited"


def serve_article(server: LocalServer, path: str = "/a", name: str = "article-utf8.html",
                  content_type: str = "text/html; charset=utf-8") -> str:
    server.route(path, body=(PAGES / name).read_bytes(), headers={"Content-Type": content_type})
    return server.url(path)


def test_each_excerpt_state_with_exact_lines(http_server: LocalServer, tmp_path: Path, run) -> None:
    url = serve_article(http_server)
    path = write_map(tmp_path, {"gazette": {"url": url}}, [
        ("gazette", PRESENT),
        ("gazette", '"We have never seen a year like it," said the board\'s chair, Maria L\u00f3pez'
                    " -- who took office in 2019"),                       # other typography
        ("gazette", "the new terminal would open ahead of schedule in the autumn"),   # <em>
        ("gazette", "and that dredging of the outer channel had been completed"),     # <a>
        ("gazette", "The report lists three causes: lower fees for feeder ships"),    # <br>
        ("gazette", "the new terminal would open before schedule in the autumn"),     # one word
        ("gazette", "The mayor resigned after the vote on the new stadium budget"),   # gone
    ])
    before = path.read_bytes()
    result = run(["verify", "--allow-private", "--no-cache"], cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stdout == (
        "claims.yaml:25:18: warning: claim 'c1': excerpt from 'gazette' has changed on the page "
        "(similarity 91); the page now says 'the new terminal would open ahead of schedule in "
        "the autumn' [excerpt-changed]\n"
        "claims.yaml:27:18: error: claim 'c1': excerpt from 'gazette' is not on the page any "
        "more [excerpt-missing]\n"
        "1 error, 1 warning\n"
        "7 excerpts verified: 5 found, 1 changed, 1 missing\n")
    assert result.stderr == ""
    assert path.read_bytes() == before
    assert http_server.hits("/a") == 1  # one fetch per page, however many excerpts


@pytest.mark.parametrize(("name", "content_type"), [
    ("article-utf8.html", "text/html; charset=utf-8"),
    ("article-cp1252.html", "text/html"),
    ("article-wrong-header.html", "text/html; charset=ISO-8859-1"),
])
def test_pages_in_each_encoding(http_server: LocalServer, tmp_path: Path, run, name: str,
                                content_type: str) -> None:
    url = serve_article(http_server, name=name, content_type=content_type)
    write_map(tmp_path, {"gazette": {"url": url}}, [("gazette", PRESENT)])
    result = run(["verify", "--allow-private", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (
        0, "no problems found\n1 excerpt verified: 1 found\n")


def test_pdf_with_the_excerpt_is_found(http_server: LocalServer, tmp_path: Path, run) -> None:
    body = make_pdf([["Annual report of the harbour board", "Traffic doubled (again)."]])
    http_server.route("/report.pdf", body=body, headers={"Content-Type": "application/pdf"})
    write_map(tmp_path, {"board": {"url": http_server.url("/report.pdf")}},
              [("board", "Traffic doubled (again).")])
    result = run(["verify", "--allow-private", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (
        0, "no problems found\n1 excerpt verified: 1 found\n")


def unverifiable_line(reason: str, line: int = 15) -> str:
    return (f"claims.yaml:{line}:18: warning: claim 'c1': excerpt from 'site' could not be "
            f"verified: {reason} [excerpt-unverifiable]\n")


@pytest.mark.parametrize(("answer", "reason"), [
    ({"status": 404}, "the page is dead (404)"),
    ({"status": 410}, "the page is dead (410)"),
    ({"status": 403}, "access to the page was refused (403)"),
    ({"status": 429, "headers": {"Retry-After": "3600"}}, "access to the page was refused (429)"),
    ({"status": 500}, "the page answered with an error (500)"),
    ({"body": b"\x89PNG\r\n\x1a\n" + bytes(64), "headers": {"Content-Type": "image/png"}},
     "not text (image/png)"),
    ({"body": repeat_bytes(50 * 1024 * 1024)}, "the page could not be read (too-large)"),
    ({"body": gzip_bomb(64 * 1024 * 1024),
      "headers": {"Content-Type": "text/html", "Content-Encoding": "gzip"}},
     "the page could not be read (too-large)"),
])
def test_unreadable_pages_are_unverifiable(http_server: LocalServer, tmp_path: Path, run,
                                           answer: dict[str, object], reason: str) -> None:
    http_server.route("/p", **answer)  # type: ignore[arg-type]
    write_map(tmp_path, {"site": {"url": http_server.url("/p")}}, [("site", "some words here")])
    result = run(["verify", "--allow-private", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (
        0, unverifiable_line(reason) + "1 warning\n1 excerpt verified: 1 unverifiable\n")


def test_stalling_page_times_out(http_server: LocalServer, tmp_path: Path, run) -> None:
    http_server.route("/p", body=stall_after(b"<p>some", 30, http_server.stopping),
                      headers={"Content-Type": "text/html"})
    write_map(tmp_path, {"site": {"url": http_server.url("/p")}}, [("site", "some words here")])
    result = run(["verify", "--allow-private", "--no-cache", "--timeout", "0.3"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (
        0, unverifiable_line("the page timed out") + "1 warning\n1 excerpt verified: 1 unverifiable\n")


def test_redirects_are_followed_to_the_page(http_server: LocalServer, tmp_path: Path, run) -> None:
    serve_article(http_server, "/new")
    http_server.redirect("/old", "/mid", 301)
    http_server.redirect("/mid", "/new", 302)
    write_map(tmp_path, {"gazette": {"url": http_server.url("/old")}}, [("gazette", PRESENT)])
    result = run(["verify", "--allow-private", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, "no problems found\n1 excerpt verified: 1 found\n")


def test_archive_copy_and_sources_without_a_url(http_server: LocalServer, tmp_path: Path, run) -> None:
    copy = serve_article(http_server, "/web/20240102000000/a")
    http_server.route("/live", status=404)
    write_map(tmp_path, {"gazette": {"url": http_server.url("/live"), "archive": copy},
                         "book": {"isbn": "9780000000002"}},
              [("gazette", PRESENT), ("book", "a passage in print")])
    result = run(["verify", "--allow-private", "--no-cache", "--archive"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, (
        "no problems found\n1 excerpt verified: 1 found (1 citation of sources without an "
        "archive skipped)\n"))
    assert http_server.hits("/live") == 0


def test_json_lists_every_citation_and_github_the_findings(http_server: LocalServer,
                                                           tmp_path: Path, run) -> None:
    url = serve_article(http_server)
    http_server.route("/gone", status=410)
    write_map(tmp_path, {"gazette": {"url": url}, "gone": {"url": http_server.url("/gone")}},
              [("gazette", PRESENT), ("gone", "anything")])
    result = run(["verify", "--allow-private", "--no-cache", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data[0].pop("fetched_at"))
    assert data[0] == {
        "from_cache": False, "code": "excerpt-found", "severity": "info",
        "message": "claim 'c1': excerpt from 'gazette' is on the page",
        "position": {"file": "claims.yaml", "line": 19, "col": 18}, "claim": "c1",
        "source": "gazette", "state": "found", "url": url, "page": "ok", "score": 100.0,
        "current": None, "reason": None, "basis": "live", "on_capture": None, "captured": None,
        "then": None, "now": None, "diff": None, "page_changed": False, "capture_problem": None}
    assert (data[1]["state"], data[1]["page"], data[1]["reason"]) == (
        "unverifiable", "dead", "the page is dead (410)")
    result = run(["verify", "--allow-private", "--no-cache", "--format", "github"], cwd=tmp_path)
    assert result.stdout == (
        "::warning file=claims.yaml,line=21,col=18,title=excerpt-unverifiable::claim 'c1': "
        "excerpt from 'gone' could not be verified: the page is dead (410)\n")


def test_fix_accessed_changes_only_the_accessed_dates(http_server: LocalServer, tmp_path: Path,
                                                      run) -> None:
    import datetime

    url = serve_article(http_server)
    path = write_map(tmp_path, {"gazette": {"url": url, "accessed": "2020-01-01"},
                                "other": {"url": url}},
                     [("gazette", PRESENT), ("other", PRESENT), ("other", "not there at all, no")])
    before = path.read_text("utf-8")
    today = datetime.date.today().isoformat()
    result = run(["verify", "--allow-private", "--no-cache", "--fix-accessed", "--dry-run"], cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stdout == (
        "--- a/claims.yaml\n+++ b/claims.yaml\n@@ -6,7 +6,7 @@\n"
        "     type: online\n     title: Gazette\n"
        f'     url: "{url}"\n-    accessed: "2020-01-01"\n+    accessed: "{today}"\n'
        "   other:\n     type: online\n     title: Other\n")
    assert result.stderr.endswith("3 excerpts verified: 2 found, 1 missing\n")
    assert path.read_text("utf-8") == before
    result = run(["verify", "--allow-private", "--no-cache", "--fix-accessed"], cwd=tmp_path)
    assert result.exit_code == 1
    assert result.stderr == f"gazette: accessed set to {today}\n"
    assert path.read_text("utf-8") == before.replace("2020-01-01", today)


def test_no_urls_says_so(tmp_path: Path, run) -> None:
    write_map(tmp_path, {"book": {"isbn": "9780000000002"}}, [("book", "words")])
    result = run(["verify", "--allow-private", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (
        0, "no cited pages to verify (1 citation of sources without a URL skipped)\n")


def test_fix_accessed_with_archive_is_a_usage_error(tmp_path: Path, run) -> None:
    write_map(tmp_path, {"book": {"isbn": "9780000000002"}}, [("book", "words")])
    result = run(["verify", "--allow-private", "--archive", "--fix-accessed"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (
        2, "Error: --fix-accessed needs the live pages; leave out --archive\n")


def test_unwritable_cache_is_one_line_before_any_request(http_server: LocalServer,
                                                         tmp_path: Path, run) -> None:
    url = serve_article(http_server)
    path = write_map(tmp_path, {"gazette": {"url": url}}, [("gazette", PRESENT)])
    (tmp_path / "file").write_text("not a folder")
    before = path.read_bytes()
    result = run(["verify", "--allow-private", "--cache", "file/cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2, "", "Error: file/cache: cache directory is not writable: Not a directory\n")
    assert http_server.requests == []
    assert path.read_bytes() == before


def test_ctrl_c_writes_nothing_and_leaves_the_cache_valid(http_server: LocalServer,
                                                          tmp_path: Path, run, monkeypatch) -> None:
    import refmap.net.verify

    urls = {f"s{n}": {"url": serve_article(http_server, f"/{n}"), "accessed": "2020-01-01"}
            for n in range(6)}
    path = write_map(tmp_path, urls, [(key, PRESENT) for key in urls])
    before = path.read_bytes()
    real = refmap.net.verify.read_page
    calls = []

    def interrupted(*args: object) -> object:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(refmap.net.verify, "read_page", interrupted)
    cache = tmp_path / "cache"
    result = run(["verify", "--allow-private", "--cache", str(cache), "--fix-accessed", "--workers", "1"], cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr.splitlines()[-1]) == (130, "", "Aborted!")
    assert path.read_bytes() == before
    monkeypatch.setattr(refmap.net.verify, "read_page", real)
    served = len(http_server.requests)
    result = run(["verify", "--allow-private", "--cache", str(cache)], cwd=tmp_path)
    assert re.fullmatch(
        r"no problems found\n6 excerpts verified: 6 found; [2-6] answers from the cache \(the "
        r"oldest fetched less than a minute ago; --refresh asks again\)\n", result.stdout)
    assert len(http_server.requests) - served <= 6 - 2  # the pages read before Ctrl-C came from the cache


def test_json_follows_its_schema(http_server: LocalServer, tmp_path: Path, run) -> None:
    import jsonschema

    url = serve_article(http_server)
    http_server.route("/gone", status=404)
    http_server.route("/img", body=b"\x89PNG\r\n\x1a\n" + bytes(8), headers={"Content-Type": "image/png"})
    write_map(tmp_path, {"gazette": {"url": url}, "gone": {"url": http_server.url("/gone")},
                         "img": {"url": http_server.url("/img")}},
              [("gazette", PRESENT), ("gazette", "the new terminal would open before schedule"),
               ("gazette", "Nothing of this sort is said there at all"), ("gone", "x"), ("img", "y")])
    data = json.loads(run(["verify", "--allow-private", "--no-cache", "--format", "json"], cwd=tmp_path).stdout)
    assert [(d["state"], d["page"]) for d in data] == [
        ("found", "ok"), ("changed", "ok"), ("missing", "ok"), ("unverifiable", "dead"),
        ("unverifiable", "not-text")]
    schema = json.loads((Path(__file__).resolve().parents[2] / "docs" / "json" /
                         "verify.schema.json").read_text("utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []


def test_fix_accessed_when_the_map_already_says_today(http_server: LocalServer, tmp_path: Path,
                                                      run) -> None:
    import datetime

    today = datetime.date.today().isoformat()
    path = write_map(tmp_path, {"gazette": {"url": serve_article(http_server), "accessed": today}},
                     [("gazette", PRESENT)])
    before = path.read_bytes()
    result = run(["verify", "--allow-private", "--no-cache", "--fix-accessed"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (0, "the map already says so: nothing written\n")
    assert path.read_bytes() == before
