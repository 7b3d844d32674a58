"""What the readiness probe checks: the database, the broker, and at least one warm worker.

The API never talks to the broker through Celery (it only records outbox messages): it checks that the
broker answers the way the relays will reach it, a Redis ping or the embedded broker's folder.
"""

from __future__ import annotations

import os

from sqlalchemy import text
from sqlmodel import Session

from matching.services import warmup
from matching.settings import Settings
from matching.store.db import get_engine, reader


def check_database() -> str:
    """"ok", or the kind of error the database answered with."""
    try:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        return type(exc).__name__
    return "ok"


def check_broker(settings: Settings) -> str:
    """"ok" when Redis answers (or the embedded broker's folder is writable), else the kind of error."""
    if settings.redis_url:
        import redis

        try:
            client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=2, socket_timeout=2)
            with client:
                client.ping()
        except Exception as exc:
            return type(exc).__name__
        return "ok"
    folder = settings.broker_folder / "queue"
    return "ok" if folder.is_dir() and os.access(folder, os.W_OK) else "BrokerFolderMissing"


def check_workers(session: Session, settings: Settings) -> tuple[str, int]:
    """"ok" and how many workers are warm and alive (their heartbeats, in the database)."""
    try:
        count = warmup.warm_workers(session, interval=settings.heartbeat_interval)
    except Exception as exc:
        return type(exc).__name__, 0
    return ("ok" if count else "no warm worker"), count


def report(settings: Settings) -> tuple[bool, dict]:
    """Ready or not, and the probe's answer: each check, and how many warm workers were seen lately."""
    checks = {"database": check_database(), "broker": check_broker(settings), "workers": "unknown"}
    warm = 0
    if checks["database"] == "ok":
        with Session(reader(get_engine())) as session:
            checks["workers"], warm = check_workers(session, settings)
    ready = all(v == "ok" for v in checks.values())
    return ready, {"status": "ok" if ready else "unavailable", "checks": checks, "warm_workers": warm}
