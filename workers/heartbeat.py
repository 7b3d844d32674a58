"""Warm-up before the first task, then a heartbeat that tells the API this worker is ready.

The main process warms up before its pool starts (prefork children inherit what it loaded) and before it
consumes; it writes its heartbeat row only once warm, then every BLINDMATCH_HEARTBEAT_INTERVAL seconds.
"""

from __future__ import annotations

import logging
import os
import socket

from matching.ranking.shards import Shard
from matching.services import warmup
from matching.settings import get_settings
from matching.store.db import session_scope
from matching.store.models import utcnow
from workers.loops import Loop

log = logging.getLogger("blindmatch.worker")
WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"
_started_at = utcnow()
_warmed: warmup.Warmed | None = None


_indexes: list[Shard | None] = [None]  # the profile indexes this worker's queues need (workers/queues.py)


def warm_up(indexes: list[Shard | None] | None = None) -> warmup.Warmed | None:
    """Load the taxonomy and the indexes now; on failure the worker starts cold and says so."""
    global _warmed, _indexes
    if indexes is not None:
        _indexes = indexes
    try:
        with session_scope(read_only=True) as session:
            _warmed = warmup.warm(session, indexes=_indexes, snapshots=get_settings().index_snapshot_folder)
    except Exception:
        log.exception("worker warm-up failed: the first tasks will load what they need")
    return _warmed


def holds_whole_index() -> bool:
    """Whether this worker scores the whole population (not only scoring shards)."""
    return None in _indexes


class Heartbeat(Loop):
    """A daemon thread writing this worker's heartbeat row every `interval` seconds until stopped."""

    name = "blindmatch-heartbeat"

    def stop(self, timeout: float = 10.0) -> None:
        super().stop(timeout)
        try:
            with session_scope() as session:
                warmup.forget(session, WORKER_NAME)
        except Exception:
            log.warning("worker heartbeat row not removed; it expires by itself")

    def _run(self) -> None:
        while True:
            try:
                if _warmed is None:
                    warm_up()  # a cold start (database down at first): ready once it worked
                with session_scope() as session:
                    warmup.beat(session, WORKER_NAME, warmed=_warmed, started_at=_started_at)
            except Exception as exc:
                log.warning("worker heartbeat not written: %s", type(exc).__name__)
            if self._stop.wait(self.interval):
                return


_background: Heartbeat | None = None


def start_background(interval: float) -> None:
    global _background
    if _background is None:
        _background = Heartbeat(interval).start()


def stop_background() -> None:
    global _background
    if _background is not None:
        _background.stop()
        _background = None
