"""The outbox relay: send committed task messages to the broker, mark them sent.

It runs after each request that recorded a message, and every few seconds in the maintenance loop of
each API (`blindmatch serve`) and worker process, so a message that could not be sent (broker down)
is sent once the broker is back. Sending is at least once: the task id is the outbox message's id,
and the task itself is idempotent.
"""

from __future__ import annotations

import logging

from matching import outbox
from matching.db import session_scope
from workers.app import celery_app, queue_for

log = logging.getLogger("blindmatch.dispatch")
# One quick retry covers a pooled connection that died with a broker restart; more would hold the request.
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def relay_pending(limit: int = 100, only: list[str] | None = None) -> int:
    """Send pending outbox messages (`only` these ids, if given); on a broker error they stay pending."""
    sent = 0
    try:
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
