"""Column types and defaults shared by every table: aware UTC timestamps, opaque random ids."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator):
    """An aware datetime, stored as UTC on every backend and read back as aware UTC.

    SQLite has no time zones: its driver writes the wall-clock digits and drops the offset, so
    10:00+01:00 would come back as 10:00 UTC (a token outliving its expiry by the offset). Converting
    to UTC on the way in makes SQLite and PostgreSQL store, compare and order the same instants; bound
    query values go through here too, so cut-offs compare in UTC. A naive value has no instant: it is
    refused, so a code path that forgets the time zone fails loudly instead of drifting by hours.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime refused: give it a time zone (e.g. utcnow(), or tzinfo=UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        # SQLite reads back the UTC digits written above, without an offset; PostgreSQL answers in the
        # session's time zone, which need not be UTC.
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def new_id(prefix: str) -> str:
    """An opaque random id with a readable type prefix (never sequential)."""
    return f"{prefix}_{secrets.token_urlsafe(12)}"


def _ts(**kwargs: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=UtcDateTime, **kwargs)


def _ts_nullable() -> Any:
    return Field(default=None, sa_type=UtcDateTime, nullable=True)
