"""The audit log: append-only, hash-chained, without personal data.

Each entry's hash covers its own fields and the previous entry's hash, so changing, removing or
re-ordering any past entry breaks every hash after it; `verify` walks the chain. Entries hold ids,
roles and codes, never profile content and never a profile id: the log is never rewritten, so it must
hold nothing that erasure would have to remove.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from matching.access import Actor
from matching.models import AuditEntry, as_utc, utcnow

GENESIS = "0" * 64
# What an entry may say beyond who did what to which object. A key that is not listed is refused,
# so a new caller has to decide here, in one reviewed place, that what it logs is not personal data.
DETAIL_KEYS = frozenset(
    {
        "candidate_ref",  # a per-vacancy pseudonym, computable only with the server secret
        "candidate_refs",
        "count",
        "decision",
        "reason",  # the employer's reason code (skills, language, ...), never free text
        "vacancy_id",
        "shortlist_id",
        "user_id",
        "employer_id",
        "role",
        "kind",
        "token_prefix",
        "expires_at",
        "trigger",  # counsellor | retention
        "withdrawn_matches",
        "withdrawn_items",
        "months",
    }
)
# Serialises appends on PostgreSQL: two transactions must not both chain onto the same last entry.
# SQLite allows one writer at a time anyway.
_ADVISORY_LOCK = 0x61756469  # "audi"


# What the hash covers, and (with the hash itself) what the admin API shows.
CHAINED_FIELDS = ("seq", "at", "action", "actor_id", "actor_role", "organisation_id", "subject_type",
                  "subject_id", "details", "prev_hash")


def _canonical(entry: AuditEntry) -> bytes:
    fields = {name: getattr(entry, name) for name in CHAINED_FIELDS}
    fields["at"] = as_utc(entry.at).astimezone(UTC).isoformat(timespec="microseconds")
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def entry_hash(entry: AuditEntry) -> str:
    """SHA-256 of the entry's canonical JSON, which includes the previous entry's hash."""
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _check_details(details: dict[str, Any]) -> None:
    unknown = set(details) - DETAIL_KEYS
    if unknown:
        raise ValueError(f"audit details may not carry {sorted(unknown)}: add them to DETAIL_KEYS if they are safe")
    for value in details.values():
        if not isinstance(value, str | int | list):  # bool is an int; floats and dicts are refused
            raise ValueError("audit details hold ids, codes, counts and lists of ids only")


def append(
    session: Session,
    *,
    action: str,
    actor: Actor | None,
    subject_type: str | None = None,
    subject_id: str | None = None,
    details: dict[str, Any] | None = None,
    organisation_id: str | None = None,
) -> AuditEntry:
    """Add an entry in the caller's transaction: it commits (or rolls back) with what it records."""
    details = {key: value for key, value in (details or {}).items() if value is not None}
    _check_details(details)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
    last = session.exec(select(AuditEntry).order_by(col(AuditEntry.seq).desc()).limit(1)).first()
    entry = AuditEntry(
        seq=(last.seq + 1) if last else 1,
        # Microseconds are what both SQLite and PostgreSQL keep: the hash must survive the round trip.
        at=utcnow(),
        action=action,
        actor_id=actor.user_id if actor else None,
        actor_role=actor.role if actor else "system",
        organisation_id=organisation_id or (actor.organisation_id if actor else None),
        subject_type=subject_type,
        subject_id=subject_id,
        details=details,
        prev_hash=last.hash if last else GENESIS,
        hash="",
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    return entry


def entries(session: Session, *, after: int = 0, limit: int = 100, action: str | None = None) -> list[AuditEntry]:
    """Entries after sequence number `after`, oldest first."""
    query = select(AuditEntry).where(AuditEntry.seq > after)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(session.exec(query.order_by(AuditEntry.seq).limit(limit)))


@dataclass(frozen=True, slots=True)
class Verification:
    """The outcome of walking the chain: ok, or the first entry that does not hold."""

    ok: bool
    entries: int
    head: str
    broken_at: int | None = None
    reason: str | None = None


def _walk(session: Session, batch: int = 1000) -> Iterator[AuditEntry]:
    after = 0
    while True:
        rows = entries(session, after=after, limit=batch)
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1].seq


def verify(session: Session) -> Verification:
    """Recompute every hash and link; the first break is reported with its sequence number."""
    previous, count = GENESIS, 0
    for entry in _walk(session):
        count += 1
        if entry.seq != count:
            return Verification(False, count - 1, previous, entry.seq, f"entry {count} is missing")
        if entry.prev_hash != previous:
            return Verification(False, count - 1, previous, entry.seq, "does not link to the entry before it")
        if entry_hash(entry) != entry.hash:
            return Verification(False, count - 1, previous, entry.seq, "its content was changed")
        previous = entry.hash
    return Verification(True, count, previous)


def describe(entry: AuditEntry) -> dict[str, Any]:
    """The entry as the admin API shows it."""
    return {**{name: getattr(entry, name) for name in CHAINED_FIELDS}, "at": as_utc(entry.at), "hash": entry.hash}


def iso(value: datetime | None) -> str | None:
    """A datetime as details store it (JSON has no datetime)."""
    return as_utc(value).isoformat() if value else None
