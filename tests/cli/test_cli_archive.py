"""refmap archive end to end against a local stand-in for the Wayback Machine."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from httpserver import LocalServer, http_server  # noqa: F401
from sourcemaps import write_map

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def wayback(http_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> LocalServer:
    """The local server as the availability API and Save Page Now; one lookup at a time, so
    queued answers go to sources in map order."""
    import refmap.net.archiving

    monkeypatch.setenv("REFMAP_WAYBACK_URL", http_server.url("/wayback/available"))
    monkeypatch.setenv("REFMAP_SAVE_URL", http_server.url("/save"))
    monkeypatch.setattr(refmap.net.archiving, "ARCHIVE_WORKERS", 1)
    return http_server


def capture(page: str, timestamp: str) -> bytes:
    return json.dumps({"url": page, "archived_snapshots": {"closest": {
        "status": "200", "available": True, "timestamp": timestamp,
        "url": f"http://web.archive.org/web/{timestamp}/{page}"}}}).encode()


NONE = json.dumps({"archived_snapshots": {}}).encode()


def sample_map(tmp_path: Path) -> Path:
    return write_map(tmp_path, {
        "dated": {"url": "https://news.example.org/a", "accessed": "2024-01-02"},
        "kept": {"url": "https://news.example.org/b", "archive": "https://web.archive.org/web/1/b"},
        "book": {"isbn": "9780000000002"},
        "fresh": {"url": "https://news.example.org/c"},
    }, [("dated", "x")])


def test_archive_writes_the_closest_capture(wayback: LocalServer, tmp_path: Path, run) -> None:
    path = sample_map(tmp_path)
    before = path.read_text("utf-8")
    wayback.route("/wayback/available", body=capture("https://news.example.org/a", "20240101120000"),
                  headers=JSON)
    wayback.route("/wayback/available", body=NONE, headers=JSON)
    result = run(["archive", "--allow-private", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (0, (
        "dated: snapshot of 2024-01-01: "
        "https://web.archive.org/web/20240101120000/https://news.example.org/a\n"),
        "fresh: no archived copy of 'https://news.example.org/c'\n")
    assert path.read_text("utf-8") == before.replace(
        '    accessed: "2024-01-02"\n',
        '    accessed: "2024-01-02"\n'
        '    archive: "https://web.archive.org/web/20240101120000/https://news.example.org/a"\n'
        "    archived: 2024-01-01\n")  # quoted like the map's other archive field
    queries = [parse_qs(urlsplit(r.path).query) for r in wayback.requests]
    assert queries == [{"url": ["https://news.example.org/a"], "timestamp": ["20240102"]},
                       {"url": ["https://news.example.org/c"]}]


def test_save_asks_save_page_now_for_pages_without_a_capture(wayback: LocalServer, tmp_path: Path,
                                                              run) -> None:
    path = write_map(tmp_path, {"fresh": {"url": "https://news.example.org/c"}}, [("fresh", "x")])
    wayback.route("/wayback/available", body=NONE, headers=JSON)
    wayback.route("/save/https://news.example.org/c", body=b"<html>saved</html>", headers={
        "Content-Type": "text/html",
        "Content-Location": "/web/20261126020304/https://news.example.org/c"})
    result = run(["archive", "--allow-private", "--no-cache", "--save", "--dry-run"], cwd=tmp_path)
    base = wayback.url("/")
    assert (result.exit_code, result.stdout) == (0, (
        "--- a/claims.yaml\n+++ b/claims.yaml\n@@ -6,6 +6,8 @@\n"
        "     type: online\n     title: Fresh\n"
        '     url: "https://news.example.org/c"\n'
        f"+    archive: {base}web/20261126020304/https://news.example.org/c\n"
        "+    archived: 2026-11-26\n"
        " claims:\n   - id: c1\n     quote: The quote\n"))
    assert wayback.hits("/save/https://news.example.org/c") == 1


@pytest.mark.parametrize(("answer", "message"), [
    (b"<html>oops</html>", "Error: malformed answer from the Wayback availability service: "
                           "not JSON: '<html>oops</html>'\n"),
    (b'{"archived_snapshots": {"closest": {"status": "200", "timestamp": "2024", '
     b'"url": "http://web.archive.org/web/2024/x"}}}',
     "Error: malformed answer from the Wayback availability service: timestamp '2024' is not "
     "YYYYMMDDhhmmss\n"),
    (b"[1, 2]", "Error: malformed answer from the Wayback availability service: a JSON list, "
                "not an object\n"),
])
def test_malformed_answer_is_one_line_and_the_map_is_unchanged(
        wayback: LocalServer, tmp_path: Path, run, answer: bytes, message: str) -> None:
    path = sample_map(tmp_path)
    before = path.read_bytes()
    wayback.route("/wayback/available", body=capture("https://news.example.org/a", "20240101120000"),
                  headers=JSON)
    wayback.route("/wayback/available", body=answer, headers=JSON)
    result = run(["archive", "--allow-private", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
    assert path.read_bytes() == before


def test_save_page_now_refusing_is_one_line(wayback: LocalServer, tmp_path: Path, run) -> None:
    path = write_map(tmp_path, {"fresh": {"url": "https://news.example.org/c"}}, [("fresh", "x")])
    before = path.read_bytes()
    wayback.route("/wayback/available", body=NONE, headers=JSON)
    wayback.route("/save/https://news.example.org/c", status=429, headers={"Retry-After": "3600"})
    result = run(["archive", "--allow-private", "--no-cache", "--save"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (
        2, "Error: Save Page Now refused the request: too many requests (429); try later\n")
    assert path.read_bytes() == before


def test_nothing_to_archive(wayback: LocalServer, tmp_path: Path, run) -> None:
    write_map(tmp_path, {"book": {"isbn": "9780000000002"},
                         "kept": {"url": "https://a.example/", "archive": "https://b.example/"}},
              [("book", "x")])
    result = run(["archive", "--allow-private", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (
        0, "nothing to archive: every source with a url has an archive\n")
    assert wayback.requests == []


def test_unwritable_cache_is_one_line_before_any_request(wayback: LocalServer, tmp_path: Path,
                                                         run) -> None:
    sample_map(tmp_path)
    (tmp_path / "file").write_text("not a folder")
    result = run(["archive", "--allow-private", "--cache", "file/cache"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (
        2, "Error: file/cache: cache directory is not writable: Not a directory\n")
    assert wayback.requests == []


def test_ctrl_c_writes_nothing(wayback: LocalServer, tmp_path: Path, run, monkeypatch) -> None:
    import refmap.net.archiving

    path = sample_map(tmp_path)
    before = path.read_bytes()
    wayback.route("/wayback/available", body=capture("https://news.example.org/a", "20240101120000"),
                  headers=JSON)
    real = refmap.net.archiving.closest_snapshot
    calls = []

    def interrupted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(refmap.net.archiving, "closest_snapshot", interrupted)
    result = run(["archive", "--allow-private", "--no-cache"], cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr.splitlines()[-1]) == (130, "", "Aborted!")
    assert path.read_bytes() == before


def test_a_capture_address_with_control_characters_is_written_as_a_browser_would(
        wayback: LocalServer, tmp_path: Path, run) -> None:
    # a browser strips the trailing newline and percent-encodes the escape; before, the raw
    # value was refused with a position in claims.yaml that exists only in the edited map
    write_map(tmp_path, {"fresh": {"url": "https://news.example.org/c"}}, [("fresh", "x")])
    wayback.route("/wayback/available", body=capture("https://news.example.org/c\x1b[31m\n",
                                                     "20240101120000"), headers=JSON)
    result = run(["archive", "--allow-private", "--no-cache"], cwd=tmp_path)
    address = "https://web.archive.org/web/20240101120000/https://news.example.org/c%1B[31m"
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, f"fresh: snapshot of 2024-01-01: {address}\n", "")
    assert "bad-url" not in run(["check"], cwd=tmp_path).stdout
    from refmap.mapfile.schema import load_map

    assert load_map(tmp_path / "claims.yaml").sources["fresh"].archive == address
