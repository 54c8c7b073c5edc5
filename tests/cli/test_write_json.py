"""`--format json` on every command that writes the map: one object saying what changed, the
diff with --dry-run, and the file written (or left) exactly as the text output's run would."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import ROOT
from editcheck import COMMENTED, small_project
from httpserver import LocalServer, http_server  # noqa: F401
from sourcemaps import write_map

HTML = {"Content-Type": "text/html; charset=utf-8"}
SCHEMA = json.loads((ROOT / "docs" / "json" / "write.schema.json").read_text("utf-8"))


def parsed(stdout: str) -> dict[str, object]:
    """The command's JSON, checked against docs/json/write.schema.json."""
    data = json.loads(stdout)
    jsonschema.Draft202012Validator(SCHEMA).validate(data)
    assert isinstance(data, dict)
    return data

EDITS = [
    (["cite", "hanoi-stalled", "dw2018", "--excerpt", "talks stalled"],
     ["claim 'hanoi-stalled' now cites 'dw2018'"]),
    (["claim", "set", "hanoi-stalled", "--note", "checked"], ["claim 'hanoi-stalled': note set"]),
    (["claim", "rename", "hanoi-stalled", "hanoi"], None),
    (["claim", "remove", "hanoi-stalled"], None),
    (["claim", "add", "Analysts were not surprised", "--kind", "opinion"], None),
    (["source", "set", "dw2018", "accessed", "2024-01-02"], None),
    (["source", "rename", "dw2018", "dw2018summit"], None),
    (["source", "remove", "dw2018", "--force"], None),
    (["ignore", "Both leaders signed a joint statement."], None),
]


def text_lines(run, folder: Path, args: list[str]) -> list[str]:
    """What the same edit prints as text, on a copy of the map (so the JSON's lines can be
    compared with it)."""
    copy = folder / "copy"
    copy.mkdir()
    small_project(copy, COMMENTED)
    result = run(args, cwd=copy)
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


@pytest.mark.parametrize("args,lines", EDITS, ids=[" ".join(args) for args, _ in EDITS])
def test_every_edit_reports_in_json_and_writes_like_text(tmp_path: Path, run, args: list[str],
                                                         lines: list[str] | None) -> None:
    path = small_project(tmp_path, COMMENTED)
    expected = text_lines(run, tmp_path, args)
    if lines is not None:
        assert expected == lines
    result = run([*args, "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    data = parsed(result.stdout)
    assert data == {"map": "claims.yaml", "dry_run": False, "written": True,
                    "changes": expected, **{k: data[k] for k in data if k == "claim"}}
    assert path.read_bytes() == (tmp_path / "copy" / "claims.yaml").read_bytes()


@pytest.mark.parametrize("args", [e[0] for e in EDITS], ids=lambda a: " ".join(a))
def test_a_dry_run_in_json_carries_the_diff_and_writes_nothing(tmp_path: Path, run,
                                                               args: list[str]) -> None:
    path = small_project(tmp_path, COMMENTED)
    before = path.read_bytes()
    diff = run([*args, "--dry-run"], cwd=tmp_path)
    result = run([*args, "--dry-run", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    data = parsed(result.stdout)
    assert (data["dry_run"], data["written"]) == (True, False)
    assert data["diff"].startswith("--- a/claims.yaml\n+++ b/claims.yaml\n")
    assert data["diff"] in diff.stdout  # the same diff the text run shows
    assert path.read_bytes() == before


def test_claim_add_says_which_claim_it_made(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED)
    result = run(["claim", "add", "Analysts were not surprised", "--format", "json"], cwd=tmp_path)
    data = parsed(result.stdout)
    claim = data["claim"]
    assert f"  - id: {claim['id']}\n    quote: \"Analysts were not surprised\"" in \
        path.read_text("utf-8")
    assert f"added claim '{claim['id']}', kind {claim['kind']} (guessed" in data["changes"][0]
    assert claim["kind_given"] is False and claim["overlaps"] == []


def test_a_refused_edit_in_json_is_still_one_line_exit_2(tmp_path: Path, run) -> None:
    path = small_project(tmp_path, COMMENTED)
    before = path.read_bytes()
    result = run(["cite", "nope", "dw2018", "--excerpt", "x", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("Error: no claim 'nope'") and result.stderr.count("\n") == 1
    assert path.read_bytes() == before


def test_add_in_json_names_the_new_source_and_its_fields(tmp_path: Path, run,
                                                        http_server: LocalServer,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    path = small_project(tmp_path, COMMENTED)
    page = (b"<html><head><title>Harbour board votes</title>"
            b'<meta name="citation_author" content="Mary Smith"></head></html>')
    http_server.route("/p", body=page, headers=HTML)
    url = http_server.url("/p")
    result = run(["add", f"url:{url}", "--allow-private", "--no-cache", "--format", "json"],
                 cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    data = parsed(result.stdout)
    assert (data["written"], data["url"], data["from_cache"]) == (True, url, False)
    assert f"\n  {data['added']}:\n" in path.read_text("utf-8")
    assert data["fields"]["title"] == "Harbour board votes"
    assert data["fields"]["authors"] == [{"family": "Smith", "given": "Mary"}]
    again = run(["add", f"url:{url}", "--allow-private", "--no-cache", "--format", "json"],
                cwd=tmp_path)
    second = parsed(again.stdout)
    assert (second["added"], second["written"]) == (None, False)
    assert second["duplicate_of"] == {"key": data["added"], "by": "url"}


def test_archive_in_json_lists_each_source(tmp_path: Path, run, http_server: LocalServer,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFMAP_WAYBACK_URL", http_server.url("/wayback/available"))
    import refmap.net.archiving

    monkeypatch.setattr(refmap.net.archiving, "ARCHIVE_WORKERS", 1)
    path = write_map(tmp_path, {"a": {"url": "https://news.example.org/a"},
                                "b": {"url": "https://news.example.org/b"}}, [("a", "x")])
    snapshot = "http://web.archive.org/web/20240101120000/https://news.example.org/a"
    http_server.route("/wayback/available", headers={"Content-Type": "application/json"},
                      body=json.dumps({"archived_snapshots": {"closest": {
                          "status": "200", "available": True, "timestamp": "20240101120000",
                          "url": snapshot}}}).encode())
    http_server.route("/wayback/available", headers={"Content-Type": "application/json"},
                      body=b'{"archived_snapshots": {}}')
    result = run(["archive", "--allow-private", "--no-cache", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    data = parsed(result.stdout)
    assert data["written"] is True and data["left_out"] == []
    assert data["sources"] == [
        {"source": "a", "url": "https://news.example.org/a", "saved": False,
         "snapshot": {"url": snapshot.replace("http://", "https://"), "date": "2024-01-01"}},
        {"source": "b", "url": "https://news.example.org/b", "saved": False, "snapshot": None}]
    assert "archived: 2024-01-01" in path.read_text("utf-8")


def test_capture_in_json_gives_each_stamp_and_each_failure(tmp_path: Path, run,
                                                           http_server: LocalServer) -> None:
    http_server.route("/a", body=b"<html><body><p>The harbour board met.</p></body></html>",
                      headers=HTML)
    http_server.route("/gone", status=404, body=b"no")
    path = write_map(tmp_path, {"a": {"url": http_server.url("/a")},
                                "g": {"url": http_server.url("/gone")}}, [("a", "x"), ("g", "y")])
    result = run(["capture", "--allow-private", "--format", "json"], cwd=tmp_path)
    assert result.exit_code == 1
    data = parsed(result.stdout)
    first, second = data["sources"]
    assert first["source"] == "a" and first["captured"].split()[1].startswith("sha256:")
    assert first["captured"] in path.read_text("utf-8")
    assert second["source"] == "g" and second["captured"] is None and second["problem"]
    assert data["written"] is True
