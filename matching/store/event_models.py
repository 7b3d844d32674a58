"""Tables of the events other systems follow: the event log (change feed), webhook endpoints, deliveries.

Imported by matching/store/models.py, so every table is on the one metadata the migrations read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from matching.store.columns import UtcDateTime, _ts, _ts_nullable, new_id


class Event(SQLModel, table=True):
    """One event as one organisation sees it: a happening seen by three organisations is three rows, each
    holding only what its organisation may see (matching/services/events.py decides).

    `seq` is the feed's cursor: it only grows (AUTOINCREMENT on SQLite, so a deleted last row's number is
    never handed out again), and rows are written under one lock per transaction, so they commit in order.
    """

    __tablename__ = "event"
    __table_args__ = (Index("ix_event_organisation_seq", "organisation_id", "seq"), {"sqlite_autoincrement": True})
    seq: int | None = Field(default=None, primary_key=True)
    id: str = Field(default_factory=lambda: new_id("evt"), unique=True)
    organisation_id: str = Field(foreign_key="organisation.id")
    type: str
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # The profile the event is about, never shown to anyone: erasure removes its events with it.
    profile_id: str | None = Field(default=None, index=True)
    occurred_at: datetime = _ts(index=True)


class WebhookEndpoint(SQLModel, table=True):
    """An organisation's receiver: the events it asked for are posted to its URL, signed with its secret."""

    __tablename__ = "webhook_endpoint"
    id: str = Field(default_factory=lambda: new_id("wh"), primary_key=True)
    organisation_id: str = Field(foreign_key="organisation.id", index=True)
    url: str
    events: list[str] = Field(default_factory=list, sa_type=JSON)
    # Kept as given out (whsec_ and base64): signing needs the key itself, a hash would not do.
    secret: str
    created_by: str = Field(foreign_key="app_user.id")
    created_at: datetime = _ts()


class WebhookDelivery(SQLModel, table=True):
    """One event for one endpoint. Its id is the `webhook-id` of every attempt: receivers de-duplicate on it.

    `next_attempt_at` is when the maintenance loop sends it (again) if nothing else has: retries live here,
    not in a broker's countdown, so they outlive any worker restart.
    """

    __tablename__ = "webhook_delivery"
    __table_args__ = (UniqueConstraint("event_seq", "endpoint_id"),)
    id: str = Field(default_factory=lambda: new_id("msg"), primary_key=True)
    endpoint_id: str = Field(foreign_key="webhook_endpoint.id", index=True, ondelete="CASCADE")
    event_seq: int = Field(foreign_key="event.seq", index=True, ondelete="CASCADE")
    status: str = Field(default="pending", index=True)  # pending | delivered | failed
    attempts: int = 0  # attempts started (a worker killed mid-attempt counts)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UtcDateTime, nullable=True, index=True)
    last_status_code: int | None = None
    last_error: str | None = None
    delivered_at: datetime | None = _ts_nullable()
    created_at: datetime = _ts()


class WebhookAttempt(SQLModel, table=True):
    """One attempt of a delivery, as the delivery log shows it."""

    __tablename__ = "webhook_attempt"
    id: int | None = Field(default=None, primary_key=True)
    delivery_id: str = Field(foreign_key="webhook_delivery.id", index=True, ondelete="CASCADE")
    attempt: int
    status_code: int | None = None
    error: str | None = None  # what went wrong, in words of this service: never the receiver's answer
    at: datetime = _ts()
    next_attempt_at: datetime | None = _ts_nullable()
