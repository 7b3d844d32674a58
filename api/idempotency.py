"""Idempotency-Key on every POST, with Stripe's rules (the records live in matching/store/idempotency.py).

- The same key and the same request (path and JSON body) within 24 h: the first answer again, with
  `Idempotent-Replayed: true`; nothing is created twice.
- The same key with another request: 422 `idempotency_key_reused`.
- The same key while the first request is still being answered: 409 `idempotency_in_flight`.
- A key whose answer named a profile that was erased since: 410 `erased` (the answer is gone; the
  request is not run again either, which would re-create what the person asked to remove).
- A key whose answer carried a secret shown once (`Cache-Control: no-store`, a new bearer token): 410
  `not_kept`; only that the request was answered is kept, so the secret is never stored in clear.
Keys belong to the token that sent them, and a replay is only for a token that is still valid: the
request is authenticated first, like any other. Only successful answers (2xx) are kept.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body
from matching.errors import Unauthenticated
from matching.services.accounts import authenticate
from matching.settings import get_settings
from matching.store import idempotency
from matching.store.db import session_scope

log = logging.getLogger("blindmatch.idempotency")
HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces, as Stripe accepts
REPLAYED_HEADERS = ("content-type", "location")


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    """What makes two requests the same: method, path, query and the body's JSON (key order ignored)."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode() if body else b""
    except ValueError:
        canonical = body
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, canonical):
        digest.update(part + b"\0")
    return digest.hexdigest()


def _refusal(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content=error_body(code, message, HEADER), headers=headers)


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get(HEADER)
        authorization = headers.get("authorization")
        if key is None or not authorization:  # without a token the request is refused (401) anyway
            await self.app(scope, receive, send)
            return
        if not KEY_PATTERN.match(key):
            response = _refusal(422, "invalid", f"{HEADER} takes 1 to 255 printable characters without spaces.")
            await response(scope, receive, send)
            return
        if not await run_in_threadpool(still_valid, authorization):
            # No replay for a revoked or expired token: the app answers 401 as it does to any request.
            await self.app(scope, receive, send)
            return
        body = await _read_body(receive)
        owner = hashlib.sha256(authorization.encode("latin-1")).hexdigest()
        # Stored as a hash: a client may build its keys from ids ("phase-prf_..."), which erasure must not miss.
        key = hashlib.sha256(key.encode()).hexdigest()
        print_ = fingerprint(scope["method"], scope["path"], scope.get("query_string", b""), body)
        claim = await run_in_threadpool(_claim, owner, key, print_)
        if claim.outcome != "new":
            await _answer_claimed(claim)(scope, receive, send)
            return
        await self._run(scope, body, receive, send, owner, key)

    async def _run(self, scope: Scope, body: bytes, receive: Receive, send: Send, owner: str, key: str) -> None:
        # The answer is held back until its record is stored: once the caller has it, a retry replays it.
        held: list[Message] = []
        started: Message = {}
        chunks: list[bytes] = []
        body_sent = False

        async def replay_body() -> Message:
            nonlocal body_sent
            if body_sent:  # the app now only listens for the client going away
                return await receive()
            body_sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            held.append(message)

        try:
            await self.app(scope, replay_body, capture)
        except BaseException:
            with anyio.CancelScope(shield=True):  # even when the client went away: free the key
                await run_in_threadpool(_release, owner, key)
            raise
        status = started.get("status", 500)
        if 200 <= status < 300:
            given = [(name.decode("latin-1").lower(), value.decode("latin-1")) for name, value in started["headers"]]
            kept = {name: value for name, value in given if name in REPLAYED_HEADERS}
            if any(name == "cache-control" and "no-store" in value.lower() for name, value in given):
                await run_in_threadpool(_complete_without_answer, owner, key)
            else:
                body = b"".join(chunks).decode("utf-8", "replace")
                await run_in_threadpool(_complete, owner, key, status, kept, body)
        else:
            await run_in_threadpool(_release, owner, key)
        for message in held:
            await send(message)


async def _read_body(receive: Receive) -> bytes:
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return body
        body += message.get("body", b"")
        if not message.get("more_body", False):
            return body


def _answer_claimed(claim: idempotency.Claim) -> Response:
    if claim.outcome == "mismatch":
        return _refusal(
            422,
            "idempotency_key_reused",
            f"This {HEADER} was already used with another request; use a new key for a new request.",
        )
    if claim.outcome == "in_flight":
        return _refusal(
            409,
            "idempotency_in_flight",
            f"A request with this {HEADER} is still being answered; try again in a moment.",
            {"Retry-After": "1"},
        )
    if claim.outcome == "not_kept":
        return _refusal(
            410,
            "not_kept",
            "The first answer to this request was not stored: a token is shown once (what it created exists, "
            "GET /v1/tokens lists users by organisation; issue a new token if you lost this one), and a vacancy "
            "draft is never kept (send the text again without this key).",
        )
    if claim.outcome == "erased":
        return _refusal(
            410,
            "erased",
            "The answer to this request named a profile that has since been erased, so it is no longer kept. "
            "Reload what you need (the erased profile is gone); send a new request with a new key.",
        )
    record = claim.record
    headers = {**record.response_headers, "Idempotent-Replayed": "true"}
    return Response(content=record.response_body or b"", status_code=record.response_status, headers=headers)


def still_valid(authorization: str) -> bool:
    """The same token check as every request: known, not revoked, not expired, its user still there."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    with session_scope(read_only=True) as session:
        try:
            authenticate(session, token.strip())
        except Unauthenticated:
            return False
    return True


def _claim(owner: str, key: str, print_: str) -> idempotency.Claim:
    with session_scope() as session:
        return idempotency.claim(
            session, owner=owner, key=key, fingerprint=print_, ttl=get_settings().idempotency_ttl
        )


def _complete(owner: str, key: str, status: int, headers: dict[str, str], body: str) -> None:
    with session_scope() as session:
        idempotency.complete(session, owner=owner, key=key, status=status, headers=headers, body=body)


def _complete_without_answer(owner: str, key: str) -> None:
    with session_scope() as session:
        idempotency.complete_without_answer(session, owner=owner, key=key)


def _release(owner: str, key: str) -> None:
    with session_scope() as session:
        idempotency.release(session, owner=owner, key=key)
