"""Request context: a request id on every request and answer, and one structured log line per request.

The id comes from the caller's `X-Request-ID` when it looks like one, else it is made here; it is set
for the logs of the request (matching/logs.py), stored with a shortlist and sent with its task, so the
worker's log lines carry it too.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from fastapi import FastAPI
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import idempotency, limits
from matching.logs import request_id_var

log = logging.getLogger("blindmatch.access")
HEADER = "X-Request-ID"
ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(HEADER, "")
        request_id = given if ACCEPTED_ID.match(given) else uuid.uuid4().hex
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
            # The path only: query strings may hold what a person typed.
            log.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status,
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            request_id_var.reset(token)


def install(app: FastAPI) -> None:
    """Outermost first: request id and log, then rate limits, then idempotency, then the app."""
    app.add_middleware(idempotency.IdempotencyMiddleware)
    limits.install(app)
    app.add_middleware(RequestContextMiddleware)
