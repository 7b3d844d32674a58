"""Rate limits per token and the employer card-view quota, counted in Redis across API processes.

Counters live in Redis (the `limits` library) so that every API process sees the same counts; without
REDIS_URL (the embedded default, one process) they live in memory. When Redis cannot be reached the
limits let requests through: an outage of the counter must not stop the service (a shortlist request
still answers 202 with the broker down).
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from functools import lru_cache

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from api.deps import CurrentActor
from api.errors import error_body
from matching.settings import Settings, get_settings

log = logging.getLogger("blindmatch.limits")
EXEMPT_PREFIXES = ("/healthz", "/readyz", "/docs", "/openapi.json", "/redoc")


class LimitExceeded(Exception):
    def __init__(self, message: str, *, code: str, retry_after: int) -> None:
        super().__init__(message)
        self.message, self.code, self.retry_after = message, code, retry_after


@dataclass
class Limits:
    """The counters of this process, over the shared storage."""

    per_token: RateLimitItem
    card_views: RateLimitItem
    moving: MovingWindowRateLimiter
    fixed: FixedWindowRateLimiter
    _warned_at: float = 0.0

    def check(self, strategy: MovingWindowRateLimiter | FixedWindowRateLimiter, item: RateLimitItem, *ids: str) -> int:
        """0 when allowed (and counted), else the seconds until the next request would be allowed."""
        try:
            if strategy.hit(item, *ids):
                return 0
            reset_at = strategy.get_window_stats(item, *ids).reset_time
        except Exception as exc:  # the counter is down: let the request through, say so now and then
            if time.monotonic() - self._warned_at > 60:
                self._warned_at = time.monotonic()
                log.warning("rate limit storage unreachable; not limiting", extra={"error": type(exc).__name__})
            return 0
        return max(1, math.ceil(reset_at - time.time()))


@lru_cache
def _limits_for(redis_url: str | None, namespace: str, per_token: str, card_views: str) -> Limits:
    if redis_url:
        # Short timeouts: a counter that does not answer at once is treated as down.
        storage = storage_from_string(
            redis_url,
            key_prefix=f"LIMITS:{namespace}",
            wrap_exceptions=True,
            socket_connect_timeout=0.5,
            socket_timeout=0.5,
        )
    else:
        storage = storage_from_string("memory://")
    return Limits(
        per_token=parse(per_token),
        card_views=parse(card_views),
        moving=MovingWindowRateLimiter(storage),
        fixed=FixedWindowRateLimiter(storage),
    )


def warm_up() -> None:
    """Connect to the counters' storage now rather than in the first request (a down Redis is not an error)."""
    try:
        current_limits().moving.storage.check()
    except Exception:  # noqa: BLE001 - counted as down when a request comes, as always
        pass


def current_limits(settings: Settings | None = None) -> Limits:
    settings = settings or get_settings()
    return _limits_for(settings.redis_url, settings.queue, settings.rate_limit, settings.card_view_quota)


def _token(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and credentials.strip():
                return credentials.strip()
    return None


class RateLimitMiddleware:
    """So many requests per token (valid or not) per window; 429 with Retry-After beyond."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = _token(scope) if scope["type"] == "http" else None
        # Calls without a token are refused (401) before any work; proxies limit them per address.
        if token is None or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        limits = current_limits()
        key = hashlib.sha256(token.encode()).hexdigest()[:32]
        retry_after = await run_in_threadpool(limits.check, limits.moving, limits.per_token, "token", key)
        if not retry_after:
            await self.app(scope, receive, send)
            return
        response = _too_many(
            LimitExceeded(
                f"Too many requests with this token (limit {limits.per_token}); try again in {retry_after} s.",
                code="rate_limited",
                retry_after=retry_after,
            )
        )
        await response(scope, receive, send)


def card_view_quota(actor: CurrentActor) -> None:
    """Count one view of a vacancy's candidate cards against the employer organisation's quota."""
    if actor.role != "employer":
        return
    limits = current_limits()
    retry_after = limits.check(limits.fixed, limits.card_views, "cards", actor.organisation_id)
    if retry_after:
        raise LimitExceeded(
            f"Your organisation has reached its quota of candidate-card views ({limits.card_views}); "
            f"try again in {retry_after} s or ask the liaison.",
            code="quota_exceeded",
            retry_after=retry_after,
        )


def _too_many(exc: LimitExceeded) -> JSONResponse:
    return JSONResponse(
        status_code=429, content=error_body(exc.code, exc.message), headers={"Retry-After": str(exc.retry_after)}
    )


def install(app: FastAPI) -> None:
    async def _handler(_: Request, exc: LimitExceeded) -> JSONResponse:
        return _too_many(exc)

    app.add_exception_handler(LimitExceeded, _handler)
    app.add_middleware(RateLimitMiddleware)
