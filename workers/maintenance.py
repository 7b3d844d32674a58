"""The maintenance loop: outbox relay, stuck-shortlist reconciler, stale profiles and clean-up, every few
seconds.

It runs in a thread of every API process started by `blindmatch serve` and of every worker's main
process, so it works whether the API and the workers share a machine or not; row locks let several
loops run at once without doing anything twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from matching.services import profile_index, shortlist_runs, webhooks
from matching.settings import get_settings
from matching.store import idempotency, outbox, reconfirmation
from matching.store.db import session_scope
from matching.store.models import utcnow
from workers.dispatch import relay_pending
from workers.loops import Loop

log = logging.getLogger("blindmatch.maintenance")
PURGE_EVERY = 3600.0  # seconds between two clean-ups of expired idempotency records and sent messages
KEEP_SENT = timedelta(days=7)
KEEP_CHANGES = timedelta(days=1)


def reconcile_stuck() -> shortlist_runs.Reconciled:
    """Re-send the shortlists no worker took up or finished in time; fail those tried too often."""
    settings = get_settings()
    with session_scope() as session:
        done = shortlist_runs.reconcile(
            session,
            queued_timeout=settings.queued_timeout,
            running_timeout=settings.stale_running_after,
            max_attempts=settings.max_attempts,
        )
    for shortlist_id in done.resent:
        log.warning("shortlist stuck, sent again", extra={"shortlist_id": shortlist_id})
    for shortlist_id in done.failed:
        log.error("shortlist stuck too often, failed", extra={"shortlist_id": shortlist_id})
    return done


def log_stale_profiles() -> int:
    """Tell the workers' indexes and crowds, through the change log, which profiles just went stale."""
    with session_scope() as session:
        written = reconfirmation.log_newly_stale(session)
    if written:
        log.info("profiles awaiting reconfirmation left matching", extra={"profiles": written})
    return written


def send_due_webhooks() -> int:
    """Webhook deliveries whose next attempt is due (a retry, or a sending lost with a worker): to the outbox,
    which the next step relays."""
    with session_scope() as session:
        due = webhooks.send_due(session)
    if due:
        log.info("webhook deliveries due, sent", extra={"deliveries": due})
    return due


def purge() -> None:
    with session_scope() as session:
        now = utcnow()
        records = idempotency.purge_expired(session, now=now)
        messages = outbox.purge_sent(session, before=now - KEEP_SENT)
        # Workers asleep longer than this rebuild their index instead of replaying the log.
        changes = profile_index.prune_change_log(session, before=now - KEEP_CHANGES)
        events = webhooks.purge(session, before=now - timedelta(days=get_settings().events_keep_days))
    if records or messages or changes or events:
        log.info("purged", extra={"idempotency_records": records, "outbox_messages": messages,
                                  "profile_changes": changes, "events": events})


def run_once(*, purge_too: bool = False) -> None:
    """One round; each step fails alone (a broker outage must not stop the reconciler)."""
    steps: list[Callable[[], object]] = [reconcile_stuck, send_due_webhooks, relay_pending, log_stale_profiles]
    if purge_too:
        steps.append(purge)
    for step in steps:
        try:
            step()
        except Exception:
            log.exception("maintenance step %s failed", step.__name__)


class Maintenance(Loop):
    """A daemon thread running `run_once` every `interval` seconds until stopped."""

    name = "blindmatch-maintenance"

    def _run(self) -> None:
        last_purge = 0.0
        while not self._stop.wait(self.interval):
            purge_too = time.monotonic() - last_purge > PURGE_EVERY
            run_once(purge_too=purge_too)
            if purge_too:
                last_purge = time.monotonic()


_background: Maintenance | None = None


def start_background(interval: float) -> Maintenance | None:
    """Start this process's loop (once); an interval of 0 turns it off."""
    global _background
    if interval > 0 and _background is None:
        _background = Maintenance(interval).start()
        log.info("maintenance loop started", extra={"interval_seconds": interval})
    return _background


def stop_background() -> None:
    global _background
    if _background is not None:
        _background.stop()
        _background = None
