"""refmap capture: pages kept as WARC files, read back by warcio; the `captured` field; bad input."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from conftest import snapshot
from httpserver import LocalServer, http_server  # noqa: F401
from pdfbytes import make_pdf
from sourcemaps import write_map

from refmap.net.capture import CaptureError, CaptureStore, read_warc, sha256
from refmap.net.capturing import CaptureTarget, capture_pages
from refmap.net.http import HttpClient

@pytest.fixture(autouse=True)
def _loopback_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local test server is on 127.0.0.1, which refmap refuses unless allowed."""
    monkeypatch.setenv("REFMAP_ALLOW_PRIVATE", "1")


HTML = {"Content-Type": "text/html; charset=utf-8"}
PAGE = ("<html><head><title>Harbour</title></head><body><article><p>The harbour board met on "
        "Tuesday and agreed to dredge the outer channel.</p></article></body></html>").encode()
EXCERPT = "The harbour board met on Tuesday"


def captures(folder: Path) -> list[Path]:
    return sorted((folder / ".refmap" / "captures").glob("*.warc.gz"))


def records(path: Path) -> list[object]:
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as handle:
        return [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"), r.http_headers,
                 r.content_stream().read()) for r in ArchiveIterator(handle)]


def test_capture_writes_a_warc_that_warcio_reads_back(http_server: LocalServer, tmp_path: Path,
                                                      run, capsys: pytest.CaptureFixture[str]) -> None:
    http_server.route("/a", body=PAGE, headers={**HTML, "X-Served-By": "test"})
    url = http_server.url("/a")
    path = write_map(tmp_path, {"a": {"url": url}}, [("a", EXCERPT)])
    result = run(["capture"], cwd=tmp_path)
    digest = sha256(PAGE)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0, f"a: captured {url} as sha256:{digest[:12]}, {len(PAGE)} bytes\n", "")
    assert f"    captured: {_today()} sha256:{digest}\n" in path.read_text()
    [warc] = captures(tmp_path)
    assert warc.name == f"{digest}.warc.gz"
    kinds = records(warc)
    assert [k[0] for k in kinds] == ["warcinfo", "request", "response", "conversion"]
    _, target, request, _ = kinds[1]
    assert target == url and request.protocol == "GET" and request.get_header("Accept")
    _, target, response, body = kinds[2]
    assert (target, response.get_statuscode(), body) == (url, "200", PAGE)
    assert response.get_header("X-Served-By") == "test"
    assert response.get_header("Content-Length") == str(len(PAGE))
    assert kinds[3][3].decode() == ("The harbour board met on Tuesday and agreed to dredge the "
                                    "outer channel.")
    from warcio.cli import main as warcio_main

    capsys.readouterr()
    warcio_main(["index", "-f", "warc-type,warc-target-uri,http:status", str(warc)])
    index = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [i["warc-type"] for i in index] == ["warcinfo", "request", "response", "conversion"]
    assert index[2] == {"warc-type": "response", "warc-target-uri": url, "http:status": "200"}


def _today() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).date().isoformat()


def test_a_gzipped_page_is_kept_decoded_with_honest_headers(http_server: LocalServer,
                                                             tmp_path: Path, run) -> None:
    http_server.route("/z", body=gzip.compress(PAGE),
                      headers={**HTML, "Content-Encoding": "gzip"})
    write_map(tmp_path, {"z": {"url": http_server.url("/z")}}, [("z", EXCERPT)])
    assert run(["capture"], cwd=tmp_path).exit_code == 0
    [warc] = captures(tmp_path)
    _, _, response, body = records(warc)[2]
    assert body == PAGE and response.get_header("Content-Encoding") is None
    assert response.get_header("Content-Length") == str(len(PAGE))


def test_same_content_is_kept_once_and_keeps_its_date(http_server: LocalServer, tmp_path: Path,
                                                      run) -> None:
    http_server.route("/a", body=PAGE, headers=HTML)
    http_server.route("/mirror", body=PAGE, headers=HTML)
    path = write_map(tmp_path, {"a": {"url": http_server.url("/a")},
                                "b": {"url": http_server.url("/mirror")}},
                     [("a", EXCERPT), ("b", EXCERPT)])
    assert run(["capture"], cwd=tmp_path).exit_code == 0
    assert len(captures(tmp_path)) == 1
    text = path.read_text().replace(_today(), "2020-01-01")  # captured long ago
    path.write_text(text)
    before = snapshot(tmp_path)
    result = run(["capture"], cwd=tmp_path)
    digest = sha256(PAGE)[:12]
    assert (result.exit_code, result.stdout) == (0, (
        "nothing new captured\n"
        f"a: unchanged since the capture of 2020-01-01 (sha256:{digest})\n"
        f"b: unchanged since the capture of 2020-01-01 (sha256:{digest})\n"))
    assert snapshot(tmp_path) == before


def test_a_changed_page_gets_a_new_capture(http_server: LocalServer, tmp_path: Path, run) -> None:
    http_server.route("/a", body=PAGE, headers=HTML)
    path = write_map(tmp_path, {"a": {"url": http_server.url("/a")}}, [("a", EXCERPT)])
    run(["capture"], cwd=tmp_path)
    http_server.replace("/a", body=PAGE.replace(b"Tuesday", b"Friday"), headers=HTML)
    result = run(["capture", "a"], cwd=tmp_path)
    assert result.stdout.endswith("bytes (the page has changed since the last capture)\n")
    assert len(captures(tmp_path)) == 2
    assert sha256(PAGE.replace(b"Tuesday", b"Friday")) in path.read_text()


def test_pdfs_are_captured_with_their_text(http_server: LocalServer, tmp_path: Path, run) -> None:
    body = make_pdf([["Annual report of the harbour board", "Traffic doubled (again)."]])
    http_server.route("/r.pdf", body=body, headers={"Content-Type": "application/pdf"})
    write_map(tmp_path, {"r": {"url": http_server.url("/r.pdf")}}, [("r", "Traffic doubled")])
    assert run(["capture"], cwd=tmp_path).exit_code == 0
    [warc] = captures(tmp_path)
    page = read_warc(warc.read_bytes(), str(warc))
    assert page.text.text == "Annual report of the harbour board\nTraffic doubled (again)."  # type: ignore[union-attr]
    assert (page.content_type, page.digest) == ("application/pdf", sha256(body))


def test_dry_run_writes_neither_map_nor_capture(http_server: LocalServer, tmp_path: Path, run) -> None:
    http_server.route("/a", body=PAGE, headers=HTML)
    write_map(tmp_path, {"a": {"url": http_server.url("/a")}}, [("a", EXCERPT)])
    before = snapshot(tmp_path)
    result = run(["capture", "--dry-run"], cwd=tmp_path)
    assert result.exit_code == 0 and f"+    captured: {_today()} sha256:" in result.stdout
    assert snapshot(tmp_path) == before


def test_the_capture_folder_is_configurable(http_server: LocalServer, tmp_path: Path, run,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    http_server.route("/a", body=PAGE, headers=HTML)
    write_map(tmp_path, {"a": {"url": http_server.url("/a")}}, [("a", EXCERPT)])
    assert run(["capture", "--captures", "kept"], cwd=tmp_path).exit_code == 0
    assert [p.name for p in (tmp_path / "kept").iterdir()] == [f"{sha256(PAGE)}.warc.gz"]
    monkeypatch.setenv("REFMAP_CAPTURES", str(tmp_path / "env"))
    assert run(["capture", "a"], cwd=tmp_path).exit_code == 0
    assert len(list((tmp_path / "env").iterdir())) == 1


def test_pages_that_cannot_be_captured_are_listed_and_the_rest_kept(
        http_server: LocalServer, tmp_path: Path, run) -> None:
    http_server.route("/a", body=PAGE, headers=HTML)
    http_server.route("/gone", status=404)
    path = write_map(tmp_path, {"a": {"url": http_server.url("/a")},
                                "g": {"url": http_server.url("/gone")}}, [("a", EXCERPT), ("g", "x")])
    result = run(["capture"], cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (1, "g: not captured: the page answered 404\n")
    assert path.read_text().count("captured:") == 1


@pytest.mark.parametrize(("args", "message"), [
    (["capture", "nope"], "Error: no source 'nope' in the map\n"),
    (["capture", "ab"], "Error: no source 'ab' in the map; did you mean 'a'?\n"),
    (["capture", "--captures", "essay.txt"], "Error: essay.txt: capture folder is not a folder\n"),
    (["capture", "--captures", "essay.txt/sub"],
     "Error: essay.txt/sub: capture folder is not writable: Not a directory\n"),
])
def test_bad_input_is_one_line_and_changes_nothing(http_server: LocalServer, tmp_path: Path, run,
                                                   args: list[str], message: str) -> None:
    http_server.route("/a", body=PAGE, headers=HTML)
    write_map(tmp_path, {"a": {"url": http_server.url("/a")}}, [("a", EXCERPT)])
    before = snapshot(tmp_path)
    result = run(args, cwd=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)
    assert snapshot(tmp_path) == before
    assert http_server.hits("/a") == 0


def test_a_malformed_captured_field_is_a_load_error(tmp_path: Path, run) -> None:
    path = write_map(tmp_path, {"a": {"url": "http://127.0.0.1:9/", "captured": "yesterday"}},
                     [("a", EXCERPT)])
    result = run(["capture"], cwd=tmp_path)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: claims.yaml:9:15: source 'a': 'captured': not 'YYYY-MM-DD sha256:HEX' (64 hex "
        "digits), as `refmap capture` writes it\n")
    assert path.exists()


def test_a_page_larger_than_the_cap_and_an_unknown_charset(http_server: LocalServer,
                                                          tmp_path: Path) -> None:
    http_server.route("/big", body=b"<p>" + b"x" * 5000 + b"</p>", headers=HTML)
    http_server.route("/odd", body="<p>caf\u00e9 au lait for the harbour board</p>".encode("latin-1"),
                      headers={"Content-Type": "text/html; charset=x-unheard-of"})
    store = CaptureStore(tmp_path / "c")
    store.prepare()
    targets = [CaptureTarget("big", http_server.url("/big"), None),
               CaptureTarget("odd", http_server.url("/odd"), None)]
    big, odd = capture_pages(targets, HttpClient(allow_private=True, max_bytes=1000), store)
    assert big.saved is None and big.problem == "body of 5007 bytes is larger than 1000"
    assert odd.saved is not None
    page = store.load(odd.saved.stamp.digest)
    assert page.text.text == "caf\u00e9 au lait for the harbour board"  # type: ignore[union-attr]


def saved_capture(tmp_path: Path, http_server: LocalServer) -> tuple[CaptureStore, str]:
    http_server.route("/a", body=PAGE, headers=HTML)
    store = CaptureStore(tmp_path / "c")
    store.prepare()
    [result] = capture_pages([CaptureTarget("a", http_server.url("/a"), None)], HttpClient(allow_private=True), store)
    assert result.saved is not None
    return store, result.saved.stamp.digest


@pytest.mark.parametrize(("damage", "message"), [
    (lambda data: data[: len(data) // 2], "the capture is truncated: its response record is missing"),
    (lambda data: data[:-150], "the capture's text does not match its hash (truncated or altered)"),
    (lambda data: data[:-30], "the capture's text does not match its hash (truncated or altered)"),
    (lambda data: data[:-400], "the capture is truncated: its conversion record is missing"),
    (lambda data: b"this is not a WARC file at all", "not an intact refmap capture (WARC): "),
    (lambda data: gzip.compress(b"WARC/1.1\r\nWARC-Type: warcinfo\r\nContent-Length: 0\r\n\r\n\r\n\r\n"),
     "not a refmap capture: the WARC file has no refmap warcinfo record"),
])
def test_a_truncated_or_foreign_capture_is_one_line(tmp_path: Path, http_server: LocalServer,
                                                    damage, message: str) -> None:
    store, digest = saved_capture(tmp_path, http_server)
    path = store.path_for(digest)
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(CaptureError) as raised:
        store.load(digest)
    assert raised.value.lines()[0].startswith(f"{path}: {message}")
    assert len(raised.value.lines()) == 1


def test_a_capture_whose_hash_no_longer_matches(tmp_path: Path, http_server: LocalServer) -> None:
    store, digest = saved_capture(tmp_path, http_server)
    other = PAGE.replace(b"Tuesday", b"Friday")
    from refmap.net.capture import warc_bytes
    from refmap.net.http import Response
    from refmap.net.pages import page_text

    forged = Response("http://x/", "http://x/", 200, {"content-type": "text/html"}, other)
    store.path_for(digest).write_bytes(warc_bytes(forged, "*/*", "ua", page_text(other, "text/html"), 0.0))
    with pytest.raises(CaptureError) as raised:
        store.load(digest)
    assert str(raised.value).endswith(f"the capture's content no longer matches its hash "
                                      f"sha256:{digest[:12]}")


def test_a_damaged_capture_is_replaced_when_captured_again(tmp_path: Path,
                                                           http_server: LocalServer) -> None:
    store, digest = saved_capture(tmp_path, http_server)
    store.path_for(digest).write_bytes(b"junk")
    [again] = capture_pages([CaptureTarget("a", http_server.url("/a"), None)], HttpClient(allow_private=True), store)
    assert again.saved is not None and again.saved.new
    assert store.load(digest).digest == digest


def test_an_unchanged_page_is_not_read_again(tmp_path: Path, http_server: LocalServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Capturing content already kept checks the capture and takes its text from it."""
    store, digest = saved_capture(tmp_path, http_server)

    def not_again(*args: object) -> object:
        raise AssertionError("the page was read again")

    monkeypatch.setattr("refmap.net.capture.page_text", not_again)
    [again] = capture_pages([CaptureTarget("a", http_server.url("/a"), None)],
                            HttpClient(allow_private=True), store)
    assert again.saved is not None and not again.saved.new
    assert again.saved.text == store.load(digest).text
    assert again.saved.text.text.startswith("The harbour board met on Tuesday")  # type: ignore[union-attr]


def test_digests_are_checked_when_a_record_is_altered(tmp_path: Path, http_server: LocalServer) -> None:
    store, digest = saved_capture(tmp_path, http_server)
    path = store.path_for(digest)
    raw = gzip.decompress(path.read_bytes()).replace(b"outer channel", b"inner channel")
    path.write_bytes(gzip.compress(raw))
    with pytest.raises(CaptureError):
        store.load(digest)
    assert io  # the module is used for typing the records above


def test_add_url_with_capture(http_server: LocalServer, tmp_path: Path, run,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    http_server.route("/a", body=PAGE, headers=HTML)
    path = write_map(tmp_path, {"old": {"url": http_server.url("/other")}}, [("old", "x")])
    result = run(["add", f"url:{http_server.url('/a')}", "--key", "harbour", "--capture"],
                 cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    digest = sha256(PAGE)
    assert result.stdout.splitlines()[-1] == (
        f"harbour: captured {http_server.url('/a')} as sha256:{digest[:12]}, {len(PAGE)} bytes")
    import refmap

    source = refmap.load(path).cmap.sources["harbour"]
    assert source.captured == f"{_today()} sha256:{digest}"
    assert [p.name for p in captures(tmp_path)] == [f"{digest}.warc.gz"]


def test_cite_with_capture(http_server: LocalServer, tmp_path: Path, run) -> None:
    http_server.route("/a", body=PAGE, headers=HTML)
    path = write_map(tmp_path, {"a": {"url": http_server.url("/a")}}, [("a", "x")])
    result = run(["cite", "c1", "a", "--excerpt", EXCERPT, "--locator", "para. 1", "--capture"],
                 cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (0, (
        "claim 'c1' now cites 'a' at para. 1\n"
        f"a: captured {http_server.url('/a')} as sha256:{sha256(PAGE)[:12]}, {len(PAGE)} bytes\n"))
    assert f"captured: {_today()} sha256:{sha256(PAGE)}" in path.read_text()
    result = run(["cite", "c1", "a", "--excerpt", EXCERPT, "--locator", "para. 2", "--capture"],
                 cwd=tmp_path)
    assert result.stdout.splitlines()[-1] == (
        f"a: unchanged since the capture of {_today()} (sha256:{sha256(PAGE)[:12]})")


def test_cite_capture_of_a_source_without_url(tmp_path: Path, run) -> None:
    path = write_map(tmp_path, {"a": {"note": "a printed leaflet"}}, [("a", "x")])
    before = path.read_bytes()
    result = run(["cite", "c1", "a", "--excerpt", EXCERPT, "--locator", "p. 2", "--capture"],
                 cwd=tmp_path)
    assert (result.exit_code, result.stderr) == (
        2, "Error: --capture: source 'a' has no url to capture\n")
    assert path.read_bytes() == before


def test_the_same_content_twice_in_one_run_is_one_capture_read_once(
        tmp_path: Path, http_server: LocalServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two URLs with the same body: the second finds the first's capture (being written on
    the writer thread) and its text, and the page is read once."""
    import refmap.net.capture as capture

    reads: list[bytes] = []

    def counted(body: bytes, content_type: str | None) -> object:
        reads.append(body)
        return page_text(body, content_type)

    page_text = capture.page_text
    monkeypatch.setattr("refmap.net.capture.page_text", counted)
    http_server.route("/a", body=PAGE, headers=HTML)
    http_server.route("/b", body=PAGE, headers=HTML)
    store = CaptureStore(tmp_path / "c")
    store.prepare()
    first, second = capture_pages([CaptureTarget("a", http_server.url("/a"), None),
                                   CaptureTarget("b", http_server.url("/b"), None)],
                                  HttpClient(allow_private=True), store, workers=1)
    assert first.saved is not None and second.saved is not None
    assert (first.saved.new, second.saved.new) == (True, False)
    assert len(reads) == 1 and first.saved.text == second.saved.text
    assert [p.name for p in (tmp_path / "c").iterdir()] == [first.saved.path.name]
    assert store.load(first.saved.stamp.digest).text == first.saved.text


def test_a_capture_that_cannot_be_written_stops_the_run(tmp_path: Path, http_server: LocalServer,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A write that fails on the writer thread is the run's one-line WriteError."""
    from refmap.errors import WriteError

    def refused(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("refmap.net.capture.replace_with_bytes", refused)
    http_server.route("/a", body=PAGE, headers=HTML)
    store = CaptureStore(tmp_path / "c")
    store.prepare()
    with pytest.raises(WriteError) as raised:
        capture_pages([CaptureTarget("a", http_server.url("/a"), None)],
                      HttpClient(allow_private=True), store)
    assert str(raised.value).endswith("cannot write the capture: No space left on device")
    assert list((tmp_path / "c").iterdir()) == []


def test_a_run_lists_the_capture_folder_once(tmp_path: Path, http_server: LocalServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Which captures the folder holds is read from one listing at the start of a run, not
    asked of each capture file: a stat from the reading thread waits for the GIL behind the
    fetching threads. A capture kept before the run is still found and reused."""
    store, digest = saved_capture(tmp_path, http_server)
    http_server.route("/b", body=PAGE.replace(b"harbour", b"river"), headers=HTML)
    asked: list[str] = []
    exists = Path.exists

    def counted(self: Path) -> bool:
        if self.parent == store.directory:
            asked.append(self.name)
        return exists(self)

    monkeypatch.setattr(Path, "exists", counted)
    kept, new = capture_pages([CaptureTarget("a", http_server.url("/a"), None),
                               CaptureTarget("b", http_server.url("/b"), None)],
                              HttpClient(allow_private=True), store)
    assert asked == []
    assert kept.saved is not None and not kept.saved.new and kept.saved.stamp.digest == digest
    assert new.saved is not None and new.saved.new
    assert store.load(new.saved.stamp.digest).text == new.saved.text


def test_a_fault_on_the_writer_thread_is_not_lost(tmp_path: Path, http_server: LocalServer,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """An error other than a WriteError on the writer thread still ends the run, as it did
    when the file was written on the reading thread (a future nobody reads would drop it,
    and the map would name a capture that was never made)."""
    def broken(path: Path, data: bytes) -> None:
        raise RuntimeError("a fault in writing")

    monkeypatch.setattr("refmap.net.capture.replace_with_bytes", broken)
    http_server.route("/a", body=PAGE, headers=HTML)
    store = CaptureStore(tmp_path / "c")
    store.prepare()
    with pytest.raises(RuntimeError, match="a fault in writing"):
        capture_pages([CaptureTarget("a", http_server.url("/a"), None)],
                      HttpClient(allow_private=True), store)
    assert list((tmp_path / "c").iterdir()) == []
