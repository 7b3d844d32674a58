"""Transactional outbox: a task is recorded with the rows it concerns and sent only after commit.

The relay (workers/dispatch.py, in every worker and `serve` process) sends pending messages and marks them
sent; a message that could not be sent stays pending and is sent later, so no job is lost between the
database and the broker. The API only records messages: it never talks to the broker itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from matching.logs import current_request_id
from matching.store.models import OutboxMessage, utcnow


def enqueue(session: Session, *, task: str, args: list[Any], request_id: str | None = None) -> OutboxMessage:
    """Record a task in the caller's transaction; it carries the request id into the worker's logs."""
    request_id = request_id or current_request_id()
    message = OutboxMessage(task=task, args=args, headers={"request_id": request_id} if request_id else {})
    session.add(message)
    return message


def has_pending(session: Session) -> bool:
    """Whether any message waits: a plain read, so relays polling often never queue behind writers."""
    query = select(OutboxMessage.id).where(col(OutboxMessage.sent_at).is_(None)).limit(1)
    return session.exec(query).first() is not None


def pending(session: Session, *, limit: int = 100, only: list[str] | None = None) -> list[OutboxMessage]:
    """Unsent messages, oldest first, locked: another relay (API or worker process) skips them meanwhile."""
    query = select(OutboxMessage).where(col(OutboxMessage.sent_at).is_(None))
    if only is not None:
        query = query.where(col(OutboxMessage.id).in_(only))
    query = query.order_by(OutboxMessage.created_at, OutboxMessage.id).limit(limit)
    return list(session.exec(query.with_for_update(skip_locked=True)))


def purge_sent(session: Session, *, before: datetime) -> int:
    """Forget messages sent before `before` (they only served the relay)."""
    result = session.execute(
        delete(OutboxMessage).where(col(OutboxMessage.sent_at).is_not(None), col(OutboxMessage.sent_at) < before)
    )
    return result.rowcount or 0


def mark_sent(session: Session, message: OutboxMessage) -> None:
    message.sent_at = utcnow()
    session.add(message)
