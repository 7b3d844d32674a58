"""Idempotency keys, with Stripe's rules: the first answer to a key is replayed for 24 h.

A key is scoped to its caller (a hash of the bearer token). The same key with the same request gives
back the first answer; with another request it is refused; while the first is still being answered a
duplicate is refused as in flight. Only successful answers are kept: a refused request created
nothing, so its key may be used again. The HTTP side lives in api/idempotency.py.

Erasure reaches these answers too (`erase_mentions`): a record whose answer names an erased profile
(its id, or one of its per-vacancy candidate refs) keeps only its fingerprint until it expires, a
tombstone, so a replay is told the answer is gone instead of getting it or running the request again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import String, cast, delete, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from matching.privacy.redact import PROFILE_ID
from matching.store.models import IdempotencyRecord, Match, Profile, as_utc, utcnow

# An answer in flight for longer than this was cut off (its process died): the key may be claimed again.
ABANDONED_AFTER = timedelta(minutes=5)

Outcome = Literal["new", "replay", "in_flight", "mismatch", "erased", "not_kept"]
ERASED = "erased"  # a record's status once its answer went with an erased profile
NOT_KEPT = "not_kept"  # a record whose answer carried a secret shown once: only its fingerprint is kept
CANDIDATE_REF = re.compile(r"cand_[a-z2-7]{16}")  # matching/privacy/pseudonym.py


@dataclass(frozen=True)
class Claim:
    outcome: Outcome
    record: IdempotencyRecord | None = None


def claim(session: Session, *, owner: str, key: str, fingerprint: str, ttl: float) -> Claim:
    """Take the key for this request, or say why not; commits, so concurrent requests see the claim at once."""
    now = utcnow()
    record = session.get(IdempotencyRecord, (owner, key), with_for_update=True)
    if record is None:
        session.add(_fresh(owner, key, fingerprint, now, ttl))
        try:
            session.commit()
        except IntegrityError:  # a concurrent duplicate inserted first
            session.rollback()
            record = session.get(IdempotencyRecord, (owner, key), with_for_update=True)
            if record is None:  # and was released meanwhile: let the client try again
                return Claim("in_flight")
        else:
            return Claim("new")
    if as_utc(record.expires_at) <= now or (
        record.status == "in_flight" and as_utc(record.created_at) <= now - ABANDONED_AFTER
    ):
        _renew(record, fingerprint, now, ttl)
        session.add(record)
        session.commit()
        return Claim("new")
    outcome: Outcome
    if record.fingerprint != fingerprint:
        outcome = "mismatch"
    elif record.status == "in_flight":
        outcome = "in_flight"
    elif record.status == ERASED:
        outcome = "erased"
    elif record.status == NOT_KEPT:
        outcome = "not_kept"
    else:
        outcome = "replay"
    session.commit()
    return Claim(outcome, record)


def complete(session: Session, *, owner: str, key: str, status: int, headers: dict[str, str], body: str) -> None:
    """Keep the first answer, to replay it; a tombstone if a profile it names was erased meanwhile."""
    record = session.get(IdempotencyRecord, (owner, key), with_for_update=True)
    if record is not None and _names_someone_erased(session, f"{body}\n{headers}"):
        record.status = ERASED
        session.add(record)
    elif record is not None:
        record.status = "done"
        record.response_status = status
        record.response_headers = headers
        record.response_body = body
        session.add(record)


def complete_without_answer(session: Session, *, owner: str, key: str) -> None:
    """The request was answered, with a secret shown once: keep that (a replay creates nothing), not the answer."""
    record = session.get(IdempotencyRecord, (owner, key), with_for_update=True)
    if record is not None:
        record.status = NOT_KEPT
        record.response_status = None
        record.response_headers = {}
        record.response_body = None
        session.add(record)


def _names_someone_erased(session: Session, answer: str) -> bool:
    """Whether the answer names a profile id or a candidate ref that no longer exists.

    An erasure may commit between the request's own commit and this one. The rows read here are locked
    (shared): an erasure that comes later waits for this answer to be stored, then turns it into a
    tombstone (erase_mentions runs after it has removed the profile and its refs).
    """
    ids, refs = set(PROFILE_ID.findall(answer)), set(CANDIDATE_REF.findall(answer))
    if ids:
        found = session.exec(select(Profile.id).where(col(Profile.id).in_(ids)).with_for_update(read=True)).all()
        if len(set(found)) < len(ids):
            return True
    if refs:
        query = select(Match.candidate_ref).where(col(Match.candidate_ref).in_(refs)).with_for_update(read=True)
        if len(set(session.exec(query).all())) < len(refs):
            return True
    return False


def release(session: Session, *, owner: str, key: str) -> None:
    """Forget a claim whose request did not succeed: nothing was created, the key may be used again."""
    session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.owner == owner, IdempotencyRecord.key == key, IdempotencyRecord.status == "in_flight"
        )
    )


def erase_mentions(session: Session, *, needles: list[str]) -> int:
    """Turn every kept answer that mentions one of `needles` into a tombstone; how many were.

    Answers are scanned rather than indexed by the ids they name: an answer names a profile by its id,
    its candidate refs or a Location header, and a scan finds them all without each route declaring them.
    """
    needles = [needle for needle in needles if needle]
    if not needles:
        return 0
    body, headers = col(IdempotencyRecord.response_body), cast(col(IdempotencyRecord.response_headers), String)
    mentions = [
        column.contains(needle, autoescape=True) for needle in needles for column in (body, headers)
    ]
    result = session.execute(
        update(IdempotencyRecord)
        .where(or_(*mentions))
        .values(status=ERASED, response_status=None, response_headers={}, response_body=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def purge_expired(session: Session, *, now: datetime) -> int:
    result = session.execute(delete(IdempotencyRecord).where(col(IdempotencyRecord.expires_at) <= now))
    return result.rowcount or 0


def _fresh(owner: str, key: str, fingerprint: str, now: datetime, ttl: float) -> IdempotencyRecord:
    return IdempotencyRecord(
        owner=owner, key=key, fingerprint=fingerprint, created_at=now, expires_at=now + timedelta(seconds=ttl)
    )


def _renew(record: IdempotencyRecord, fingerprint: str, now: datetime, ttl: float) -> None:
    record.fingerprint = fingerprint
    record.status = "in_flight"
    record.response_status = None
    record.response_headers = {}
    record.response_body = None
    record.created_at = now
    record.expires_at = now + timedelta(seconds=ttl)
