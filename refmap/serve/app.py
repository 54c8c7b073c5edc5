"""The desk's routes (Starlette): pages and fragments, the same JSON as the CLI's
`--format json`, and the writes, each one library call on the loaded project through the
map editor and its guards.

A write names the map version its page was rendered from; if the file now holds other bytes
it is refused with 409 and the page refreshes (never merged blindly). A body that is not the
JSON object the endpoint takes is a 400 with the message; a body over MAX_BODY a 413.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from refmap.errors import RefmapError, UsageError, WriteError
from refmap.serve.desk import Desk, DeskState, map_version
from refmap.serve.security import Guard, Hosts, Keys, write_refusal

if TYPE_CHECKING:
    from refmap.mapfile.editor import MapEditor
    from refmap.references.lookup import LookedUp
    from refmap.net.http import HttpClient
    from refmap.project import Project

MAX_BODY = 64 * 1024
"""The largest request body a write takes (a note or an excerpt is far smaller)."""
STATIC = {"desk.js": "text/javascript; charset=utf-8", "desk.css": "text/css; charset=utf-8"}

Action = Callable[["Project", "MapEditor", dict[str, str]], str]


class BadRequest(Exception):
    """A request the endpoint cannot take: status and one-line message."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _error(status: int, message: str, **extra: object) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


async def read_body(request: Request) -> bytes:
    """The body, refused with 413 once it passes MAX_BODY (whatever Content-Length says)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BODY:
        raise BadRequest(413, f"request body over {MAX_BODY} bytes")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise BadRequest(413, f"request body over {MAX_BODY} bytes")
    return body


def parse_fields(body: bytes, required: tuple[str, ...], optional: tuple[str, ...],
                 version: bool = True) -> dict[str, str]:
    """The body as a JSON object of text fields: `version` (for a write) and the endpoint's
    fields."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadRequest(400, "the body is not JSON") from None
    if not isinstance(data, dict):
        raise BadRequest(400, "the body is not a JSON object")
    allowed = {"version", *required, *optional}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise BadRequest(400, f"unknown field '{unknown[0]}' (takes {', '.join(sorted(allowed))})")
    for name in (("version",) if version else ()) + required:
        if name not in data:
            raise BadRequest(400, f"missing field '{name}'")
    for name, value in data.items():
        if not isinstance(value, str):
            raise BadRequest(400, f"field '{name}' must be text")
    return {k: str(v) for k, v in data.items()}


class DeskApp:
    """The routes, bound to one desk and its keys."""

    def __init__(self, desk: Desk, keys: Keys, poll_ms: int = 1500,
                 network: Callable[[], HttpClient] | None = None,
                 cached: Callable[[], HttpClient] | None = None):
        self.desk = desk
        self.keys = keys
        self.poll_ms = poll_ms
        self.network = network
        """Opens the HTTP client for checking and looking up sources (the CLI's options)."""
        self.cached = cached
        """Opens a client that answers from the cache only (to check a new excerpt)."""

    # -- reading -----------------------------------------------------------------------

    async def state(self) -> DeskState:
        return await run_in_threadpool(self.desk.state)

    async def page(self, request: Request) -> Response:
        from refmap.serve.page import render_page

        state = await self.state()
        html = await run_in_threadpool(render_page, state, self.keys.token,
                                       self.keys.page_token(), self.poll_ms)
        return HTMLResponse(html)

    async def live(self, request: Request) -> Response:
        from refmap.serve.page import render_live

        state = await self.state()
        return HTMLResponse(await run_in_threadpool(render_live, state))

    async def claim_panel(self, request: Request) -> Response:
        from refmap.serve.page import render_claim

        state = await self.state()
        html = await run_in_threadpool(render_claim, state, request.path_params["claim"],
                                       self.desk.verify_marks)
        if html is None:
            return HTMLResponse("<p>No such claim in the map.</p>", status_code=404)
        return HTMLResponse(html)

    async def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return Response("not found\n", status_code=404, media_type="text/plain")
        data = resources.files("refmap.serve").joinpath("static", name).read_bytes()
        return Response(data, media_type=STATIC[name])

    async def version(self, request: Request) -> Response:
        state = await self.state()
        return JSONResponse({"version": state.version, "view": state.view, "error": state.error})

    async def api(self, request: Request) -> Response:
        """The same JSON as the CLI's --format json: check, coverage, list, anchors, show."""
        from refmap.render.views import claim_json, show_json

        state = await self.state()
        project = state.project
        if project is None:
            return _error(503, state.error or "the map does not load")
        what = request.path_params.get("what", "show")
        data: Any
        if what == "check":
            data = [f.to_json() for f in project.check().findings]
        elif what == "coverage":
            data = project.coverage().to_json()
        elif what == "claims":
            data = [claim_json(lc, project.essay) for lc in project.located]
        elif what == "anchors":
            data = project.anchor_report().to_json()
        elif "claim" not in request.path_params:
            return _error(404, f"no such endpoint: /api/{what}")
        else:
            located = project.locate(request.path_params["claim"])
            if located is None:
                return _error(404, "no such claim")
            data = show_json(located, project)
        return JSONResponse(data)

    # -- writing -----------------------------------------------------------------------

    async def write_fields(self, request: Request, required: tuple[str, ...],
                           optional: tuple[str, ...]) -> dict[str, str] | Response:
        """A write's fields, or the response refusing it (403, 400, 413)."""
        refusal = write_refusal(request.scope, self.keys)
        if refusal is not None:
            return _error(403, refusal)
        try:
            return parse_fields(await read_body(request), required, optional)
        except BadRequest as exc:
            return _error(exc.status, exc.message)

    async def write(self, request: Request, action: Action, required: tuple[str, ...],
                    optional: tuple[str, ...] = ()) -> Response:
        fields = await self.write_fields(request, required, optional)
        if isinstance(fields, Response):
            return fields
        return await run_in_threadpool(self._apply, action, fields)

    async def ask(self, request: Request, required: tuple[str, ...],
                  optional: tuple[str, ...],
                  action: Callable[[Project, HttpClient, dict[str, str]], dict[str, object]]
                  ) -> Response:
        """A request that goes to the network but writes nothing: guarded like a write (no
        other site may make the desk fetch), answered with JSON and an HTML fragment."""
        refusal = write_refusal(request.scope, self.keys)
        if refusal is not None:
            return _error(403, refusal)
        try:
            fields = parse_fields(await read_body(request), required, optional, version=False)
        except BadRequest as exc:
            return _error(exc.status, exc.message)
        state = await self.state()
        if state.project is None:
            return _error(409, state.error or "the map does not load", stale=True)
        if self.network is None:
            return _error(400, "this desk has no network access")
        project, network = state.project, self.network

        def run() -> Response:
            try:
                return JSONResponse(action(project, network(), fields))
            except RefmapError as exc:
                return _error(400, exc.lines()[0])

        return await run_in_threadpool(run)

    async def check_source(self, request: Request) -> Response:
        key = request.path_params["key"]

        def action(project: Project, client: HttpClient, f: dict[str, str]) -> dict[str, object]:
            from refmap.serve.network import check_source

            result = check_source(project, client, key)
            mark = result["mark"]
            if isinstance(mark, str):
                self.desk.verify_marks[key] = mark
            else:
                self.desk.verify_marks.pop(key, None)
            return result

        return await self.ask(request, (), (), action)

    async def look_up(self, request: Request) -> Response:
        def action(project: Project, client: HttpClient, f: dict[str, str]) -> dict[str, object]:
            from refmap.serve.network import look_up_source, render_preview

            report = look_up_source(project, client, f["identifier"], f.get("key"))
            return {"identifier": str(report.found.identifier), "fields": report.found.fields,
                    "key": report.key, "duplicate": report.match.key if report.match else None,
                    "html": render_preview(report, f["identifier"])}

        return await self.ask(request, ("identifier",), ("key",), action)

    async def add_source(self, request: Request) -> Response:
        """`refmap add ID [--key K]`: looked up before the map is locked, then written."""
        if self.network is None:
            return _error(400, "this desk has no network access")
        fields = await self.write_fields(request, ("identifier",), ("key",))
        if isinstance(fields, Response):
            return fields
        network = self.network

        def find() -> LookedUp:
            from refmap.references.lookup import look_up, parse_identifier

            return look_up(parse_identifier(fields["identifier"].strip()), network())

        try:
            found = await run_in_threadpool(find)
        except RefmapError as exc:
            return _error(400, exc.lines()[0])

        def action(project: Project, editor: MapEditor, f: dict[str, str]) -> str:
            from refmap.references.lookup import plan_add

            report = plan_add(project.cmap, found, f.get("key", "").strip() or None)
            if report.key is None:
                assert report.match is not None
                raise UsageError(f"already in the map as '{report.match.key}' (same "
                                 f"{report.match.by}); not added")
            editor.add_source(report.key, report.found.fields)
            return f"added source '{report.key}': {report.found.fields.get('title')}"

        return await run_in_threadpool(self._apply, action, fields)

    def _apply(self, action: Action, fields: dict[str, str]) -> Response:
        with self.desk.lock:
            try:
                on_disk = self.desk.map_path.read_bytes()
            except OSError as exc:
                return _error(409, f"cannot read {self.desk.map_path}: {exc.strerror}")
            if map_version(on_disk) != fields["version"]:
                return _error(409, "the map changed on disk since this page showed it; nothing "
                              "was written and the page now shows the file as it is",
                              stale=True)
            state = self.desk.state()
            if state.project is None or state.version != fields["version"]:
                return _error(409, state.error or "the map changed on disk", stale=True)
            project = state.project
            try:
                editor = project.editor
                message = action(project, editor, fields)
                editor.save()
            except WriteError as exc:
                return _error(409, exc.lines()[0], stale=True)
            except RefmapError as exc:
                return _error(400, exc.lines()[0])
            finally:
                self.desk.invalidate()
            return JSONResponse({"ok": True, "message": message,
                                 "version": self.desk.state().version})

    async def set_claim(self, request: Request) -> Response:
        claim = request.path_params["claim"]

        def action(project: Project, editor: MapEditor, f: dict[str, str]) -> str:
            from refmap.serve.edits import set_claim

            change = set_claim(project, editor, claim, kind=f.get("kind"),
                               status=f.get("status"), note=f.get("note"))
            if not change.fields:
                return f"claim {claim}: nothing to change"
            return f"claim {claim}: set " + ", ".join(sorted(change.fields))

        return await self.write(request, action, (), ("kind", "status", "note"))

    async def accept_quote(self, request: Request) -> Response:
        claim = request.path_params["claim"]

        def action(project: Project, editor: MapEditor, f: dict[str, str]) -> str:
            from refmap.serve.edits import accept_quote

            return accept_quote(project, editor, claim).describe()

        return await self.write(request, action, ())

    async def cite(self, request: Request) -> Response:
        claim = request.path_params["claim"]

        def action(project: Project, editor: MapEditor, f: dict[str, str]) -> str:
            from refmap.commands.claim_edits import cite

            report = cite(project.cmap, editor, claim, f["source"].strip(), f["excerpt"],
                          f.get("locator"))
            said = f"claim {claim}: cites {report.source}"
            if self.cached is not None:
                from refmap.serve.network import excerpt_on_cached_page

                where = excerpt_on_cached_page(project, self.cached(), report.source,
                                               report.excerpt)
                said += f"; {where}" if where else ""
            return said

        return await self.write(request, action, ("source", "excerpt"), ("locator",))

    async def add_claim(self, request: Request) -> Response:
        def action(project: Project, editor: MapEditor, f: dict[str, str]) -> str:
            from refmap.commands.claim_edits import add_claim

            kind = f.get("kind") or None
            if kind is not None:
                from refmap.mapfile.model import ClaimKind
                from refmap.serve.edits import checked_choice

                checked_choice("kind", kind, [str(k) for k in ClaimKind])
            new = add_claim(project.cmap, project.located, project.anchorer, editor, f["quote"],
                            kind)
            return f"new claim {new.id} ({new.kind})"

        return await self.write(request, action, ("quote",), ("kind",))

    async def ignore(self, request: Request) -> Response:
        def action(project: Project, editor: MapEditor, f: dict[str, str]) -> str:
            from refmap.serve.edits import ignore_sentence

            sentence = ignore_sentence(project, editor, f["text"])
            return f"dismissed as not a claim: \u201c{sentence}\u201d"

        return await self.write(request, action, ("text",))

    def routes(self) -> list[Route]:
        return [
            Route("/", self.page),
            Route("/fragment/live", self.live),
            Route("/fragment/claim/{claim:str}", self.claim_panel),
            Route("/static/{name:str}", self.static),
            Route("/api/version", self.version),
            Route("/api/{what:str}", self.api, methods=["GET"]),
            Route("/api/claims/{claim:str}", self.api, methods=["GET"]),
            Route("/api/claims", self.add_claim, methods=["POST"]),
            Route("/api/claims/{claim:str}", self.set_claim, methods=["POST"]),
            Route("/api/claims/{claim:str}/fix", self.accept_quote, methods=["POST"]),
            Route("/api/claims/{claim:str}/citations", self.cite, methods=["POST"]),
            Route("/api/ignore", self.ignore, methods=["POST"]),
            Route("/api/sources/lookup", self.look_up, methods=["POST"]),
            Route("/api/sources", self.add_source, methods=["POST"]),
            Route("/api/sources/{key:str}/check", self.check_source, methods=["POST"]),
        ]


def create_app(desk: Desk, keys: Keys, hosts: Hosts, poll_ms: int = 1500,
               network: Callable[[], HttpClient] | None = None,
               cached: Callable[[], HttpClient] | None = None) -> Guard:
    """The desk as an ASGI app, every request behind the token and host guard."""
    routes = DeskApp(desk, keys, poll_ms, network, cached)
    return Guard(Starlette(routes=routes.routes()), keys, hosts)
