"""Captures: each cited page kept as it was when it was cited, as WARC records beside the map.

A capture is one gzipped WARC file (warcio, the web-archiving community's library) named by
the SHA-256 of the page's body, in a folder beside the map (`.refmap/captures/` by default):

    <sha256>.warc.gz     warcinfo, request, response (status, headers and body as received,
                         Content-Encoding undone) and conversion (the page's text as refmap
                         matches excerpts in it, refmap.net.pages; absent when the page has none)

The name is the deduplication: a page captured twice with the same content is one file, and
two sources citing the same content share it. A source records its capture in the map as
`captured: YYYY-MM-DD sha256:<hex>` (the day of the fetch and the body's hash), so a capture
is found without an index and proves itself: reading it checks the body's SHA-256 against
the name and the text's against its record (`warcio check` checks every record's digest). A damaged, truncated or foreign file is a
CaptureError (one line), never a traceback.

Captures are plain files: commit them with the map, or keep them out of git (docs/format.md).
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from refmap import __version__
from refmap.errors import RefmapError, WriteError
from refmap.fileio import make_writable_folder, replace_with_bytes
from refmap.mapfile.model import CAPTURED_VALUE
from refmap.net.http import Response
from refmap.net.pages import PageText, Unverifiable, page_text

DEFAULT_DIR = Path(".refmap") / "captures"
"""Where captures go, relative to the map's folder, unless --captures says otherwise."""
SUFFIX = ".warc.gz"
STAMP = CAPTURED_VALUE
"""The `captured` field: the day of the capture and the SHA-256 of the page's body."""
PAGE_ACCEPT = "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.1"
"""What a page is asked for with (refmap verify asks the same)."""
TEXT_TYPE = "text/plain; charset=utf-8"
RECORDS_FIELD = "refmap-records"
"""The warcinfo line naming the records that follow, so a truncated file is told apart."""
DROPPED_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})
"""Headers that described the bytes on the wire, not the decoded body the record holds."""


class CaptureError(RefmapError):
    """A capture folder that cannot be used, or a capture file that cannot be trusted."""


class CaptureStamp(NamedTuple):
    """What a source's `captured` field says: when, and which content."""

    date: str
    """YYYY-MM-DD, the day the page was fetched."""
    digest: str
    """SHA-256 of the page's body, hex."""

    @property
    def value(self) -> str:
        """The field's value as the map writes it."""
        return f"{self.date} sha256:{self.digest}"


def parse_stamp(value: str) -> CaptureStamp | None:
    """The stamp in a `captured` value, or None when it is not `YYYY-MM-DD sha256:<64 hex>`."""
    match = STAMP.fullmatch(value.strip())
    return CaptureStamp(match.group(1), match.group(2)) if match else None


class CapturedPage(NamedTuple):
    """A capture read back: where the page was, when, and what it said."""

    url: str
    """The URL that answered (after redirects)."""
    fetched: str
    """WARC-Date of the response: when the page was fetched (UTC, ISO 8601)."""
    digest: str
    status: int
    content_type: str | None
    text: PageText | Unverifiable
    """The text kept at capture time, or why the page had none."""


class Saved(NamedTuple):
    """One page written (or found already written) to the capture folder."""

    stamp: CaptureStamp
    path: Path
    new: bool
    """False when a capture with the same content was already there (deduplicated)."""
    size: int
    """Bytes of the page's body."""
    text: PageText | Unverifiable


def sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class CaptureStore:
    """The capture folder of one map."""

    def __init__(self, directory: str | Path, write: bool = True) -> None:
        """write=False (--dry-run): save() says what it would keep and writes nothing."""
        self.directory = Path(directory)
        self.write = write
        self._writer: ThreadPoolExecutor | None = None
        self._writing: dict[str, PageText | Unverifiable] = {}
        """Captures handed to the writer thread in this run: digest -> the text they hold."""
        self._failed: list[Exception] = []
        """What went wrong on the writer thread, raised on this one by the next save() or at
        the end of writing_behind."""
        self._present: set[str] | None = None
        """Within writing_behind: the digests of the captures in the folder when it began."""

    @contextmanager
    def writing_behind(self) -> Iterator[None]:
        """Within it, save() hands each file to one writer thread and goes on: making a file
        costs about a millisecond of system time, which the thread spends without the GIL
        while the next page is read. Leaving waits for every write and raises the first
        WriteError (a later save() raises one already seen); every file is whole or absent.
        Which captures the folder holds is listed once, at the start, instead of asked of the
        file system page by page: a stat made from the reading thread gives up the GIL and
        waits to get it back behind the fetching threads (a third of a millisecond a page,
        7 percent of a capture of 1,000 pages). A capture another process writes meanwhile
        is written again, whole, with the same bytes' digest."""
        self._present = self._listed()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="refmap-capture-write")
        try:
            yield
        finally:
            writer, self._writer = self._writer, None
            writer.shutdown(wait=True)
            self._writing.clear()
            self._present = None
        self._raise_failed()

    def _listed(self) -> set[str]:
        try:
            names = os.listdir(self.directory)
        except OSError:
            return set()  # no folder yet (a dry run), or none readable: nothing to reuse
        return {name[:-len(SUFFIX)] for name in names if name.endswith(SUFFIX)}

    def _raise_failed(self) -> None:
        if self._failed:
            failed, self._failed = self._failed[0], []
            raise failed

    def _write_behind(self, path: Path, data: bytes) -> None:
        try:
            _atomic_write(path, data)
        except Exception as error:  # a WriteError, or a fault no future would ever report
            self._failed.append(error)

    def _kept_before(self, digest: str, path: Path) -> bool:
        """Whether the folder held a capture of this content: within writing_behind, by the
        listing made when it began."""
        return digest in self._present if self._present is not None else path.exists()

    def path_for(self, digest: str) -> Path:
        return self.directory / f"{digest}{SUFFIX}"

    def prepare(self) -> None:
        """Create the folder if needed and prove it writable: a one-line error before any
        request is sent."""
        shown = str(self.directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise WriteError("capture folder is not a folder", path=shown)
        if not self.write:
            return
        try:
            make_writable_folder(self.directory)
        except OSError as exc:
            raise WriteError(f"capture folder is not writable: {exc.strerror or exc}",
                             path=shown) from None

    def save(self, response: Response, accept: str, user_agent: str,
             text: PageText | Unverifiable | None = None) -> Saved:
        """Keep a fetched page (a 2xx answer with its body); an intact capture of the same
        content is reused (with the text it holds: the page is not read again), a damaged
        one replaced."""
        self._raise_failed()
        digest = sha256(response.body)
        fetched = response.fetched_at if response.fetched_at is not None else _now()
        stamp = CaptureStamp(_utc(fetched).date().isoformat(), digest)
        path = self.path_for(digest)
        if digest in self._writing:  # the same content earlier in this run, being written
            return Saved(stamp, path, False, len(response.body), self._writing[digest])
        if self._kept_before(digest, path):
            try:
                kept = self.load(digest)
                return Saved(stamp, path, False, len(response.body), kept.text)
            except CaptureError:
                pass  # damaged: write it anew
        if text is None:
            text = page_text(response.body, response.headers.get("content-type"))
        if self.write:
            data = warc_bytes(response, accept, user_agent, text, fetched, digest)
            if self._writer is None:
                _atomic_write(path, data)
            else:
                self._writing[digest] = text
                self._writer.submit(self._write_behind, path, data)
        return Saved(stamp, path, True, len(response.body), text)

    def load(self, digest: str) -> CapturedPage:
        """The capture with this content hash, its digests checked; CaptureError otherwise."""
        path = self.path_for(digest)
        shown = str(path)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CaptureError(f"no capture sha256:{digest[:12]} in the capture folder",
                               path=shown) from None
        except OSError as exc:
            raise CaptureError(f"cannot read the capture: {exc.strerror or exc}",
                               path=shown) from None
        page = read_warc(data, shown)
        if page.digest != digest:
            raise CaptureError(f"the capture's content no longer matches its hash "
                               f"sha256:{digest[:12]}", path=shown)
        return page


def _now() -> float:
    return datetime.now(timezone.utc).timestamp()


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc)


def _atomic_write(path: Path, data: bytes) -> None:
    try:
        replace_with_bytes(path, data)
    except OSError as exc:
        raise WriteError(f"cannot write the capture: {exc.strerror or exc}",
                         path=str(path.parent)) from None


# -- writing and reading WARC --------------------------------------------------------------


def warc_bytes(response: Response, accept: str, user_agent: str,
               text: PageText | Unverifiable, fetched: float, digest: str | None = None) -> bytes:
    """A gzipped WARC file: warcinfo, request, response and (when the page has text) the
    conversion record holding it. digest: the body's SHA-256, when the caller has it."""
    from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
    from warcio.timeutils import datetime_to_iso_date  # type: ignore[import-untyped]
    from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    date = datetime_to_iso_date(_utc(fetched).replace(tzinfo=None), use_micros=False)
    uri = response.final_url
    kinds = ["request", "response"] + (["conversion"] if isinstance(text, PageText) else [])
    writer.write_record(writer.create_warcinfo_record(
        f"{digest or sha256(response.body)}{SUFFIX}",
        {"software": f"refmap/{__version__}", "format": "WARC File Format 1.1",
         RECORDS_FIELD: " ".join(kinds)}))
    parts = urlsplit(uri)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request = StatusAndHeaders(f"GET {target} HTTP/1.1", [
        ("Host", parts.netloc), ("User-Agent", user_agent), ("Accept", accept),
        ("Accept-Encoding", "gzip, deflate"), ("Connection", "close")], is_http_request=True)
    response_headers = [(_title(k), v) for k, v in response.headers.items()
                        if k not in DROPPED_HEADERS]
    response_headers.append(("Content-Length", str(len(response.body))))
    status = StatusAndHeaders(f"{response.status} {_phrase(response.status)}", response_headers,
                              protocol="HTTP/1.1")
    response_record = writer.create_warc_record(
        uri, "response", payload=io.BytesIO(response.body), length=len(response.body),
        http_headers=status, warc_headers_dict={"WARC-Date": date})
    request_record = writer.create_warc_record(
        uri, "request", payload=io.BytesIO(b""), length=0, http_headers=request,
        warc_headers_dict={"WARC-Date": date, "WARC-Concurrent-To":
                           response_record.rec_headers.get_header("WARC-Record-ID")})
    writer.write_record(request_record)
    writer.write_record(response_record)
    if isinstance(text, PageText):
        encoded = text.text.encode("utf-8")
        writer.write_record(writer.create_warc_record(
            uri, "conversion", payload=io.BytesIO(encoded), length=len(encoded),
            warc_content_type=TEXT_TYPE, warc_headers_dict={
                "WARC-Date": date, "Content-Type": TEXT_TYPE,
                "WARC-Refers-To": response_record.rec_headers.get_header("WARC-Record-ID"),
                "WARC-Refmap-Page-Kind": text.kind, "WARC-Refmap-Text-SHA256": sha256(encoded),
                "WARC-Refmap-Encoding": text.encoding or ""}))
    return out.getvalue()


def _title(name: str) -> str:
    return "-".join(part.capitalize() for part in name.split("-"))


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def read_warc(data: bytes, shown: str) -> CapturedPage:
    """The page in a capture file, its text checked against its hash (the caller checks the
    body's against the file name); CaptureError for a truncated, damaged or foreign file."""
    from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]

    response: dict[str, Any] | None = None
    text: PageText | Unverifiable = Unverifiable("the capture holds no text")
    expected: list[str] | None = None
    seen: list[str] = []
    try:
        # the body's hash is checked against the name, the text's against its own header:
        # what an excerpt is proved on; `warcio check` checks every record's WARC digest
        for record in ArchiveIterator(io.BytesIO(data)):
            seen.append(record.rec_type)
            if record.rec_type == "warcinfo" and expected is None:
                expected = _expected_records(record.raw_stream.read())
            elif record.rec_type == "response" and response is None:
                body = record.raw_stream.read()
                http = record.http_headers
                response = {
                    "url": record.rec_headers.get_header("WARC-Target-URI") or "",
                    "fetched": record.rec_headers.get_header("WARC-Date") or "",
                    "status": int(http.get_statuscode()), "body": body,
                    "content_type": http.get_header("Content-Type")}
            elif record.rec_type == "conversion":
                raw = record.raw_stream.read()
                if sha256(raw) != record.rec_headers.get_header("WARC-Refmap-Text-SHA256"):
                    raise CaptureError("the capture's text does not match its hash "
                                       "(truncated or altered)", path=shown)
                content = raw.decode("utf-8")
                kind = record.rec_headers.get_header("WARC-Refmap-Page-Kind") or "text"
                encoding = record.rec_headers.get_header("WARC-Refmap-Encoding") or None
                text = PageText(content, kind, encoding)
            else:
                record.raw_stream.read()
    except CaptureError:
        raise
    except Exception as exc:  # warcio raises many kinds on a bad file; all mean one thing
        raise CaptureError(f"not an intact refmap capture (WARC): {_reason(exc)}",
                           path=shown) from None
    if expected is None:
        raise CaptureError("not a refmap capture: the WARC file has no refmap warcinfo record",
                           path=shown)
    missing = [kind for kind in expected if kind not in seen]
    if missing or response is None:
        raise CaptureError(f"the capture is truncated: its {(missing or ['response'])[0]} "
                           "record is missing", path=shown)
    body = response.pop("body")
    return CapturedPage(digest=sha256(body), text=text, **response)


def _expected_records(info: bytes) -> list[str] | None:
    """The record types a refmap warcinfo promises, or None for another tool's warcinfo."""
    for line in info.decode("utf-8", "replace").splitlines():
        name, _, value = line.partition(":")
        if name.strip().lower() == RECORDS_FIELD:
            return value.split()
    return None


def _reason(exc: BaseException) -> str:
    from refmap.values import inert

    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return inert(text[:120])
