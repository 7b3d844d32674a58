"""The outbox relay: send committed task messages to the broker, mark them sent.

The API only records messages in its transaction (matching/store/outbox.py); the relay loop of every worker
process and of `blindmatch serve` looks for them every BLINDMATCH_RELAY_INTERVAL seconds and sends them,
and the maintenance loop sends again whatever a broker outage left behind. Sending is at least once: the
task id is the outbox message's id, and the task itself is idempotent.
"""

from __future__ import annotations

import logging

from matching.store import outbox
from matching.store.db import session_scope
from workers.app import celery_app, queue_for
from workers.loops import Loop

log = logging.getLogger("blindmatch.dispatch")
# One quick retry covers a pooled connection that died with a broker restart; more would hold the loop.
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def relay_pending(limit: int = 100, only: list[str] | None = None) -> int:
    """Send pending outbox messages (`only` these ids, if given); on a broker error they stay pending."""
    sent = 0
    try:
        with session_scope(read_only=True) as session:
            if not outbox.has_pending(session):  # the usual answer: no write transaction, no row lock
                return 0
        with session_scope() as session:
            for message in outbox.pending(session, limit=limit, only=only):
                celery_app.send_task(
                    message.task,
                    args=message.args,
                    queue=queue_for(message.task),
                    task_id=message.id,
                    headers=message.headers or None,
                    retry_policy=RETRY_POLICY,
                )
                outbox.mark_sent(session, message)
                session.commit()  # one message at a time: a failure later does not resend earlier ones
                sent += 1
    except Exception as exc:  # the broker is down or the database busy: the relay tries again later
        log.warning(
            "outbox relay stopped after %d messages: %s", sent, type(exc).__name__, extra={"error": str(exc)[:200]}
        )
    return sent


class RelayLoop(Loop):
    """A daemon thread sending pending messages every `interval` seconds until stopped."""

    name = "blindmatch-relay"

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            while relay_pending() == 100:  # a full batch: more wait, send them without sleeping
                pass


_background: RelayLoop | None = None


def start_background(interval: float) -> RelayLoop | None:
    """Start this process's relay loop (once); an interval of 0 turns it off."""
    global _background
    if interval > 0 and _background is None:
        _background = RelayLoop(interval).start()
    return _background


def stop_background() -> None:
    global _background
    if _background is not None:
        _background.stop()
        _background = None
