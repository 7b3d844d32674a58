"""The life of a shortlist's computation: started by a worker, retried, recovered when stuck, or failed.

Nothing is lost and nothing is done twice: a task message may arrive twice (redelivered after a worker
died, re-sent by the reconciler, sent twice by two relays), so `start` decides whether this delivery
should work, and the reconciler re-sends what no worker is doing; after `max_attempts` the shortlist is
failed with a reason the liaison can read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, or_, true
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from matching.services.shortlists import COMPUTE_TASK
from matching.store import outbox
from matching.store.models import Shortlist, as_utc, utcnow

AGAIN = "Ask for a new shortlist; if it happens again, tell the service team."


def start(
    session: Session, shortlist_id: str, *, task_id: str, max_attempts: int, stale_after: float
) -> Shortlist | None:
    """Mark a shortlist running and count the attempt; None when this delivery has nothing to do."""
    shortlist = session.get(Shortlist, shortlist_id, with_for_update=True)
    if shortlist is None or shortlist.status in ("ready", "failed"):
        return None  # finished work: a late duplicate does nothing
    now = utcnow()
    if shortlist.status == "running" and shortlist.task_id != task_id:
        started_at = as_utc(shortlist.started_at)
        if started_at is not None and now - started_at < timedelta(seconds=stale_after):
            return None  # another message for the same shortlist is being worked on right now
    # Same task id while running: the broker redelivered the message of a worker that died mid-task.
    if shortlist.attempts >= max_attempts:
        _fail(shortlist, f"The scoring was interrupted {shortlist.attempts} times before it finished. {AGAIN}")
        session.add(shortlist)
        return None
    shortlist.status = "running"
    shortlist.attempts += 1
    shortlist.task_id = task_id
    shortlist.started_at = now
    session.add(shortlist)
    return shortlist


def back_to_queue(session: Session, shortlist_id: str) -> None:
    """A worker will retry it (after an error it may recover from)."""
    shortlist = session.get(Shortlist, shortlist_id, with_for_update=True)
    if shortlist is not None and shortlist.status == "running":
        shortlist.status = "queued"
        shortlist.queued_at = utcnow()
        session.add(shortlist)


def fail(session: Session, shortlist_id: str, *, reason: str) -> None:
    """Give up on a shortlist that is not ready, with a reason the liaison can read."""
    shortlist = session.get(Shortlist, shortlist_id, with_for_update=True)
    if shortlist is not None and shortlist.status not in ("ready", "failed"):
        _fail(shortlist, reason)
        session.add(shortlist)
        session.flush()


def _fail(shortlist: Shortlist, reason: str) -> None:
    shortlist.status = "failed"
    shortlist.error = reason
    shortlist.finished_at = utcnow()


@dataclass
class Reconciled:
    resent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def reconcile(
    session: Session,
    *,
    queued_timeout: float,
    running_timeout: float,
    max_attempts: int,
    now: datetime | None = None,
    limit: int = 200,
) -> Reconciled:
    """Send again the shortlists whose message was lost or whose worker died; fail them after N tries.

    Running past `running_timeout` (above the task time limit): its worker is gone. Queued past
    `queued_timeout`: lost when the workers are idle (nothing started or running lately), or when a
    shortlist queued after it has already started (the queue is first in, first out). A queued
    shortlist behind a long backlog is neither: it is left alone, and never failed for waiting.
    """
    now = now or utcnow()
    queued_before = now - timedelta(seconds=queued_timeout)
    later = aliased(Shortlist)
    overtaken = exists().where(later.queued_at > Shortlist.queued_at, later.started_at > Shortlist.queued_at)
    lost = overtaken if _workers_busy(session, now, queued_before, running_timeout) else true()
    stuck = (
        select(Shortlist)
        .where(
            or_(
                and_(Shortlist.status == "queued", col(Shortlist.queued_at) < queued_before, lost),
                and_(
                    Shortlist.status == "running", col(Shortlist.started_at) < now - timedelta(seconds=running_timeout)
                ),
            )
        )
        .order_by(Shortlist.queued_at, Shortlist.id)
        .limit(limit)
        # Several API and worker processes reconcile: each stuck shortlist is handled by one of them.
        .with_for_update(skip_locked=True)
    )
    done = Reconciled()
    for shortlist in session.exec(stuck):
        if shortlist.attempts >= max_attempts:
            _fail(shortlist, f"The scoring was interrupted {shortlist.attempts} times before it finished. {AGAIN}")
            done.failed.append(shortlist.id)
        elif shortlist.requeues >= max_attempts:
            minutes = max(1, round((now - as_utc(shortlist.created_at)).total_seconds() / 60))
            sendings = shortlist.requeues + 1
            _fail(shortlist, f"No worker took this shortlist up in {minutes} min ({sendings} sendings). {AGAIN}")
            done.failed.append(shortlist.id)
        else:
            shortlist.status = "queued"
            shortlist.requeues += 1
            shortlist.queued_at = now
            outbox.enqueue(session, task=COMPUTE_TASK, args=[shortlist.id], request_id=shortlist.request_id)
            done.resent.append(shortlist.id)
        session.add(shortlist)
    session.flush()
    return done


def _workers_busy(session: Session, now: datetime, queued_before: datetime, running_timeout: float) -> bool:
    """Did a worker start a shortlist lately, or is one still working on one?"""
    last_start = as_utc(session.exec(select(func.max(Shortlist.started_at))).one())
    if last_start is not None and last_start >= queued_before:
        return True
    running = select(Shortlist.id).where(
        Shortlist.status == "running", col(Shortlist.started_at) >= now - timedelta(seconds=running_timeout)
    )
    return session.exec(running.limit(1)).first() is not None
