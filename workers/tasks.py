"""Thin tasks: take ids, call the matching services, commit. Retries live here."""

from __future__ import annotations

import logging
import time

from celery.exceptions import SoftTimeLimitExceeded

from matching.services import opportunities, shortlist_runs, shortlists, vacancy_fits
from matching.settings import get_settings
from matching.store.db import session_scope
from workers import shard_tasks
from workers.app import celery_app
from workers.attempts import attempt_shortlist

log = logging.getLogger("blindmatch.tasks")


@celery_app.task(name="shortlist.compute", bind=True, max_retries=None)
def compute_shortlist(self, shortlist_id: str) -> None:
    """Score every published profile against the shortlist's vacancy; safe to run twice."""
    settings = get_settings()
    context = {"shortlist_id": shortlist_id, "task_id": self.request.id}
    with session_scope() as session:
        started = shortlist_runs.start(
            session,
            shortlist_id,
            task_id=self.request.id,
            max_attempts=settings.max_attempts,
            stale_after=settings.stale_running_after,
        )
        attempt = started.attempts if started is not None else None
    if attempt is None:
        log.info("shortlist: nothing to do for this delivery", extra=context)
        return
    log.info("shortlist started", extra={**context, "attempt": attempt})
    if settings.test_scoring_delay:  # tests only: a window in which to kill or stop the worker
        time.sleep(settings.test_scoring_delay)

    def score_and_store() -> None:
        if settings.scoring_shards > 1:
            # Every shard scores its own profiles; the chord's callback merges, stores or retries.
            shard_tasks.fan_out(shortlist_id, attempt=attempt)
            return
        # Score in a read-only transaction, then write in a short one: on SQLite a write transaction
        # holds the database's only write lock, and the API must stay writable while a worker scores.
        with session_scope(read_only=True) as session:
            ranked = shortlists.score(session, shortlist_id)
        if ranked is not None:
            with session_scope() as session:
                shortlists.store(session, shortlist_id, ranked)
        log.info("shortlist ready", extra={**context, "attempt": attempt})

    def again(exc: Exception) -> None:
        raise self.retry(exc=exc, countdown=2**attempt) from exc

    attempt_shortlist(shortlist_id, attempt=attempt, context=context, work=score_and_store, again=again)


@celery_app.task(name="profile.match", bind=True, max_retries=3)
def match_profile(self, run_id: str) -> None:
    """Score a new or changed profile against every open vacancy and store its fits and gaps; safe to run twice."""
    _compute_then_store(self, opportunities, run_id, what="profile match")


@celery_app.task(name="vacancy.match", bind=True, max_retries=3)
def match_vacancy(self, run_id: str) -> None:
    """Score a posted, changed or closed vacancy against every published profile and update their fits."""
    _compute_then_store(self, vacancy_fits, run_id, what="vacancy match")


def _compute_then_store(task, service, run_id: str, *, what: str) -> None:
    """Compute without a lock (the rows stay writable), store in a short transaction. A store that finds its
    row changed meanwhile records a new message, which this worker's relay loop sends within a moment."""
    try:
        with session_scope(read_only=True) as session:
            computed = service.compute(session, run_id)
        if computed is None:
            return
        with session_scope() as session:
            service.store(session, computed)
    except SoftTimeLimitExceeded:
        log.error(f"{what} stopped at the time limit", extra={"run_id": run_id})
    except Exception as exc:
        log.exception(f"{what} failed", extra={"run_id": run_id})
        raise task.retry(exc=exc, countdown=2 ** (task.request.retries + 1)) from exc


@celery_app.task(name="privacy.retention")
def apply_retention() -> int:
    """Erase profiles inactive for BLINDMATCH_RETENTION_MONTHS months (periodic; running twice is harmless)."""
    from matching.services import erasure
    from matching.settings import get_settings

    with session_scope() as session:
        return erasure.apply_retention(session, months=get_settings().retention_months)


@celery_app.task(name="webhook.deliver")
def deliver_webhook(delivery_id: str, attempts_before: int) -> None:
    """One attempt of a webhook delivery; a retry is scheduled in the database (the maintenance loop sends it),
    so it outlives this worker. Safe to run twice: the second run finds the attempt started and sends nothing."""
    from matching.services import webhooks

    with session_scope() as session:
        outgoing = webhooks.claim(session, delivery_id, attempts_before=attempts_before)
    if outgoing is None:
        return
    outcome = webhooks.attempt(outgoing)  # outside any transaction: a slow receiver holds no lock
    with session_scope() as session:
        delivery = webhooks.record(session, outgoing, outcome)
    context = {"delivery_id": delivery_id, "attempt": outgoing.attempt, "status_code": outcome.status_code}
    if outcome.delivered:
        log.info("webhook delivered", extra=context)
    else:
        log.warning("webhook attempt failed", extra={**context, "error": outcome.error,
                                                    "status": delivery.status if delivery else "deleted"})
