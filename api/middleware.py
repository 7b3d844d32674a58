"""Request context: a request id on every request and answer, one structured log line per request, and
a bound on the size of request bodies.

The id comes from the caller's `X-Request-ID` when it is a safe token (letters, digits and `._:-`, at
most 64), else it is made here and the log line says the given one was replaced; it is set for the logs
of the request (matching/logs.py), stored with a shortlist and sent with its task, so the worker's log
lines carry it too. A client's id is thus never a way to write a line break, JSON or personal data into
a log line or a row.
"""

from __future__ import annotations

import logging
import time
import uuid
from functools import lru_cache
from urllib.parse import unquote_plus

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import idempotency, limits
from api.errors import error_body
from matching.logs import request_id_var, safe_request_id
from matching.privacy.screen import has_control_character
from matching.settings import get_settings

log = logging.getLogger("blindmatch.access")
HEADER = "X-Request-ID"
HIDDEN_SEGMENT = "{...}"


@lru_cache(maxsize=4)
def _route_words(app: ASGIApp) -> frozenset[str]:
    """The fixed segments of the app's routes ("v1", "profiles", "healthz"): the service's own words."""
    paths = [getattr(route, "path_format", "") for route in getattr(app, "routes", [])]
    openapi = getattr(app, "openapi", None)
    if callable(openapi):  # included routers are not listed one by one in app.routes; the schema has them all
        paths += list(openapi().get("paths", {}))
    return frozenset(part for path in paths for part in path.split("/") if "{" not in part)


def warm_up(app: ASGIApp) -> None:
    """Learn the routes' words before the first request: the OpenAPI schema they come from is built once, and
    building it blocks the event loop (every request waits) for longer than a card read takes."""
    _route_words(app)


def loggable_path(scope: Scope) -> str:
    """The path as the access log writes it: the routes' own words, nothing else.

    A client can put anything in a path (GET /v1/profiles/jan.peeters@gmail.com), ids included: a segment
    in the form of an id can still spell a person ("vac_jan_peeters_1990", "bm:occ:jan-peeters"), so every
    segment that is not a word of a route is written as {...}. The request id links the line to the rest.
    """
    words = _route_words(scope.get("app"))
    return "/".join(part if not part or part in words else HIDDEN_SEGMENT for part in scope["path"].split("/"))


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(HEADER)
        request_id = safe_request_id(given) or uuid.uuid4().hex
        replaced = {"request_id_replaced": True} if given is not None and request_id != given else {}
        token = request_id_var.set(request_id)
        status = 500  # what the caller gets when the app raises (the error middleware answers 500)
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            # The path only, and of it only what the service wrote: query strings and free path segments
            # may hold what a person typed.
            path = loggable_path(scope)
            log.info(
                "%s %s %s",
                scope["method"],
                path,
                status,
                extra={
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    **replaced,  # the caller sent an id that was not safe to keep; never the id itself
                },
            )
            request_id_var.reset(token)


class BodyLimitMiddleware:
    """413 for a body above BLINDMATCH_MAX_BODY_BYTES, before anything parses it or checks the token.

    A declared Content-Length above the limit is refused unread; a chunked body (or one that outgrows its
    declared length) is counted while it streams in and refused as soon as it passes the limit. The body
    is read here, at most the limit, and handed on as one message: every endpoint reads JSON whole anyway.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = get_settings().max_body_bytes
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client went away before its body arrived: nobody to answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(limit)(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body_sent = False

        async def replay() -> Message:
            nonlocal body_sent
            if body_sent:  # the app now only listens for the client going away
                return await receive()
            body_sent = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)


class ControlCharacterMiddleware:
    """A path (404) or query string (422) holding a control character (NUL, escape...) stops here.

    Path and query parameters are free strings that reach lookups: PostgreSQL refuses a NUL in any text
    (GET /v1/profiles/a%00b answered 500), and no id, code or search a person types holds one. A path so
    written names nothing, as any unknown id; bodies are checked field by field (matching/privacy/screen.py
    and the patterns of matching/schemas/resources.py).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        refusal = await self._refusal(scope) if scope["type"] == "http" else None
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    async def _refusal(scope: Scope) -> JSONResponse | None:
        query = unquote_plus(scope.get("query_string", b"").decode("latin-1"), errors="replace")
        in_path, in_query = has_control_character(scope["path"]), has_control_character(query)
        if not (in_path or in_query):
            return None
        # Authentication comes first: without a valid token the app answers 401, before any lookup.
        if not await run_in_threadpool(idempotency.still_valid, Headers(scope=scope).get("authorization", "")):
            return None
        if in_path:
            return JSONResponse(
                status_code=404,
                content=error_body("not_found", "Nothing is found at an address holding a control character."),
            )
        return JSONResponse(
            status_code=422,
            content=error_body(
                "invalid",
                "The query holds a control character (such as NUL); ids, codes and searches are plain text: "
                "remove it and send again.",
            ),
        )


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse(
        status_code=413,
        content=error_body(
            "body_too_large",
            f"The request body is larger than {limit} bytes, more than any request of this API needs; "
            "send less (fewer or shorter items).",
        ),
        headers={"Connection": "close"},  # the rest of the body is not read
    )


def install(app: FastAPI) -> None:
    """Outermost first: request id and log, body size, control characters in the address, rate limits,
    idempotency, then the app."""
    app.add_middleware(idempotency.IdempotencyMiddleware)
    limits.install(app)
    app.add_middleware(ControlCharacterMiddleware)
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(RequestContextMiddleware)
