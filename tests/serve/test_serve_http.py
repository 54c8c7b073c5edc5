"""The review desk over plain HTTP: the token, the guards on writes, bad bodies, stale writes,
the same JSON as the CLI, and `refmap serve` as a process (its first line, a port in use)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from refmap.serve.desk import Desk
from refmap.serve.server import start_in_thread
from servedesk import (DRIFTED, changed_lines, map_bytes, page_tokens, post_json,
                       replace_file, request, write_files)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("desk")
    path = write_files(folder)
    desk = Desk(path)
    running = start_in_thread(desk, poll_ms=60_000)
    yield folder, desk, running
    running.stop()


@pytest.fixture
def desk(served):
    """The served desk with the map and essay as first written; (folder, base URL, token)."""
    folder, desk, running = served
    write_files(folder)
    desk.invalidate()
    parts = urlsplit(running.url)
    return folder, f"{parts.scheme}://{parts.netloc}", running.keys.token


def fresh_page(base: str, token: str) -> tuple[str, str]:
    status, body = request(f"{base}/?token={token}")
    assert status == 200
    return page_tokens(body.decode())


def test_every_request_needs_the_token(desk):
    folder, base, token = desk
    for path in ("/", "/api/coverage", "/fragment/live", "/static/desk.js", "/nothing"):
        assert request(f"{base}{path}")[0] == 403
        assert request(f"{base}{path}?token=wrong{token}")[0] == 403
    status, body = request(f"{base}/static/desk.js?token={token}")
    assert status == 200 and b"refmap review desk" in body


def test_an_unknown_endpoint_is_404(desk):
    folder, base, token = desk
    status, body = request(f"{base}/api/nothing?token={token}")
    assert status == 404 and json.loads(body) == {"error": "no such endpoint: /api/nothing"}


def test_a_foreign_host_name_is_refused(desk):
    """A page that rebinds its own DNS name to 127.0.0.1 still sends its name as Host."""
    folder, base, token = desk
    status, _ = request(f"{base}/?token={token}", headers={"Host": "attacker.example"})
    assert status == 403


def test_the_page_has_a_strict_csp(desk):
    folder, base, token = desk
    import urllib.request

    with urllib.request.urlopen(f"{base}/?token={token}") as response:
        csp = response.headers["Content-Security-Policy"]
        assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


@pytest.mark.parametrize("command, path", [
    (["coverage"], "/api/coverage"),
    (["check"], "/api/check"),
    (["list"], "/api/claims"),
    (["anchors"], "/api/anchors"),
    (["show", "poll-80-percent"], "/api/claims/poll-80-percent"),
])
def test_the_json_is_the_clis(desk, run, command, path):
    folder, base, token = desk
    cli = run([*command, "--format", "json", "--map", str(folder / "claims.yaml")], cwd=folder)
    status, body = request(f"{base}{path}?token={token}")
    assert status == 200
    assert json.loads(body) == json.loads(cli.stdout)


def test_a_write_needs_the_same_origin_and_the_page_token(desk):
    folder, base, token = desk
    before = (folder / "claims.yaml").read_bytes()
    version, csrf = fresh_page(base, token)
    body = {"version": version, "status": "disputed"}
    path = "/api/claims/poll-80-percent"
    assert post_json(base, path, token, body, csrf, "http://evil.example")[0] == 403
    assert post_json(base, path, token, body, csrf, None)[0] == 403
    assert post_json(base, path, token, body, None, base)[0] == 403
    assert post_json(base, path, token, body, csrf + "x", base)[0] == 403
    assert (folder / "claims.yaml").read_bytes() == before
    status, data = post_json(base, path, token, body, csrf, base)
    assert status == 200, data
    removed, added = changed_lines(before, (folder / "claims.yaml").read_bytes())
    assert (removed, added) == (["    status: unverified"], ["    status: disputed"])


@pytest.mark.parametrize("raw, message", [
    (b"not json", "the body is not JSON"),
    (b"[1, 2]", "the body is not a JSON object"),
    (b'{"status": "disputed"}', "missing field 'version'"),
    (b'{"version": "V", "colour": "red"}', "unknown field 'colour'"),
    (b'{"version": "V", "note": 5}', "field 'note' must be text"),
    (b'{"version": "V", "status": "disproved"}', "status: unknown value 'disproved'"),
    (b'{"version": "V", "note": ""}', "note: removing a note is not supported here"),
])
def test_a_bad_body_is_400_and_nothing_is_written(desk, raw, message):
    folder, base, token = desk
    before = (folder / "claims.yaml").read_bytes()
    version, csrf = fresh_page(base, token)
    raw = raw.replace(b'"V"', json.dumps(version).encode())
    status, data = request(f"{base}/api/claims/poll-80-percent?token={token}", raw,
                           {"Content-Type": "application/json", "X-Refmap-CSRF": csrf,
                            "Origin": base}, "POST")
    assert status == 400
    assert json.loads(data)["error"].startswith(message)
    assert (folder / "claims.yaml").read_bytes() == before


def test_citing_an_unknown_source_is_400_with_a_hint(desk):
    folder, base, token = desk
    before = (folder / "claims.yaml").read_bytes()
    version, csrf = fresh_page(base, token)
    status, data = post_json(base, f"/api/claims/{DRIFTED}/citations", token,
                             {"version": version, "source": "dw2018asithapened",
                              "excerpt": "text"}, csrf, base)
    assert status == 400
    assert data["error"] == ("no source 'dw2018asithapened' in claims.yaml; did you mean "
                             "'dw2018asithappened'?").replace("claims.yaml", str(folder / "claims.yaml"))
    assert (folder / "claims.yaml").read_bytes() == before


def test_an_oversized_body_is_413(desk):
    folder, base, token = desk
    before = (folder / "claims.yaml").read_bytes()
    version, csrf = fresh_page(base, token)
    body = json.dumps({"version": version, "note": "x" * 100_000}).encode()
    status, data = request(f"{base}/api/claims/poll-80-percent?token={token}", body,
                           {"Content-Type": "application/json", "X-Refmap-CSRF": csrf,
                            "Origin": base}, "POST")
    assert status == 413 and b"over 65536 bytes" in data
    assert (folder / "claims.yaml").read_bytes() == before


def test_a_write_from_an_older_version_of_the_map_is_refused(desk):
    folder, base, token = desk
    version, csrf = fresh_page(base, token)
    changed = map_bytes().replace(b"    status: unverified", b"    status: disputed", 1)
    replace_file(folder / "claims.yaml", changed)
    status, data = post_json(base, "/api/claims/poll-80-percent", token,
                             {"version": version, "note": "mine"}, csrf, base)
    assert status == 409 and data["stale"] is True
    assert "changed on disk" in str(data["error"])
    assert (folder / "claims.yaml").read_bytes() == changed


# -- the command ---------------------------------------------------------------------------

def start(folder: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "XDG_CACHE_HOME": str(folder / "cache")}
    return subprocess.Popen([sys.executable, "-m", "refmap", "serve", "--no-open", *args],
                            cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def test_serve_prints_its_url_first_and_serves_it(tmp_path):
    write_files(tmp_path)
    process = start(tmp_path)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        parts = urlsplit(line)
        assert (parts.scheme, parts.hostname, parts.path) == ("http", "127.0.0.1", "/")
        assert parts.query.startswith("token=") and len(parts.query) > 30
        assert request(line)[0] == 200
        assert request(line.split("?")[0])[0] == 403
    finally:
        process.terminate()
        process.wait(10)


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path):
    write_files(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        process = start(tmp_path, "--port", str(port))
        out, err = process.communicate(timeout=30)
    assert process.returncode == 2 and out == ""
    assert err == (f"Error: --port: port {port} on 127.0.0.1 is already in use; pick another "
                   "with --port (0 picks a free one)\n")


def test_a_missing_essay_is_one_line_and_exit_2(tmp_path):
    write_files(tmp_path)
    (tmp_path / "essay.md").unlink()
    process = start(tmp_path)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 2 and out == ""
    assert err == "Error: claims.yaml:6:9: essay file 'essay.md' not found\n"


def test_another_host_is_served_with_a_warning(tmp_path):
    write_files(tmp_path)
    process = start(tmp_path, "--host", "127.0.0.2")
    try:
        assert process.stdout is not None and process.stderr is not None
        line = process.stdout.readline().strip()
        assert line.startswith("http://127.0.0.2:")
        assert request(line)[0] == 200
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert err.splitlines()[0].startswith("Warning: listening on 127.0.0.2")


def test_the_host_names_the_desk_answers():
    from refmap.serve.security import Hosts

    loopback = Hosts("127.0.0.1", 8000)
    assert "127.0.0.1:8000" in loopback and "localhost:8000" in loopback
    assert "127.0.0.1:8001" not in loopback and "10.0.0.2:8000" not in loopback
    assert "evil.example:8000" not in loopback and None not in loopback
    everywhere = Hosts("0.0.0.0", 8000)  # --host 0.0.0.0: reached by any of the machine's IPs
    assert "192.168.1.5:8000" in everywhere and "[::1]:8000" in everywhere
    assert "rebound.example:8000" not in everywhere and "192.168.1.5:80" not in everywhere
