"""The audit log: append-only, hash-chained, without personal data.

Each entry's hash covers its own fields and the previous entry's hash, so changing, removing or
re-ordering any past entry breaks every hash after it; `verify` walks the chain. Entries hold ids,
roles and codes, never profile content and never a profile id: the log is never rewritten, so it must
hold nothing that erasure would have to remove. Candidate refs (the names an employer saw) are kept as
keyed digests: after an erasure no stored ref is left to match them with.

A chain alone does not show that entries are missing at its end: deleting the last rows leaves a chain
that links. So every append also updates the anchor (one `audit_anchor` row: how many entries there are
and the last one's hash), in the same transaction and under the same lock, signed with an HMAC of the
service's secret key: who can delete rows but does not hold the key cannot write an anchor that matches.
`verify` compares the chain with the anchor and reports a shorter chain as truncated.

Neither shows a log deleted whole with its anchor (it reads as a fresh installation), nor a tail cut
back to an older anchor restored from a backup (its signature is genuine). What does: every user and
every token the service made was recorded as it was made, so each row of them still in the database
must find its entry in the chain; `verify` reports the ones that do not.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, text
from sqlmodel import Session, col, select

from matching.settings import get_settings
from matching.store import db
from matching.store.access import Actor
from matching.store.models import ApiToken, AuditAnchor, AuditEntry, User, as_utc, utcnow

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
        "model_rank",  # a shortlist override: where the model had put the candidate, and where it stands now
        "final_rank",
        "hard_misses",  # constraint names (languages, hours, ...) an added candidate does not meet
        "paused",  # the ranking switch of a liaison organisation (0 or 1)
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


def ref_digest(candidate_ref: str) -> str:
    """What an entry keeps of a candidate ref: keyed, so the log alone names nobody; an admin with the
    service holding the key can still find the entries about a ref someone quotes."""
    digest = hmac.new(get_settings().secret_key.encode(), f"audit-ref\0{candidate_ref}".encode(), hashlib.sha256)
    return "ref_" + digest.hexdigest()[:24]


def _digest_refs(details: dict[str, Any]) -> dict[str, Any]:
    if isinstance(details.get("candidate_ref"), str):
        details["candidate_ref"] = ref_digest(details["candidate_ref"])
    if isinstance(details.get("candidate_refs"), list):
        details["candidate_refs"] = [ref_digest(ref) if isinstance(ref, str) else ref
                                     for ref in details["candidate_refs"]]
    return details


def anchor_signature(entries: int, head: str) -> str:
    """HMAC of the entry count and the last hash with the service's secret key."""
    message = f"audit-anchor\0{entries}\0{head}".encode()
    return hmac.new(get_settings().secret_key.encode(), message, hashlib.sha256).hexdigest()


def _move_anchor(session: Session, entry: AuditEntry) -> None:
    # Locked like the chain's tail: two appends never both write the anchor from the same old state.
    anchor = session.get(AuditAnchor, AuditAnchor.SINGLE, with_for_update=True, populate_existing=True)
    if anchor is None:
        anchor = AuditAnchor(id=AuditAnchor.SINGLE, entries=0, head=GENESIS, signature="")
    anchor.entries = entry.seq
    anchor.head = entry.hash
    anchor.signature = anchor_signature(entry.seq, entry.hash)
    anchor.updated_at = utcnow()
    session.add(anchor)


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
    details = _digest_refs(details)
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
    _move_anchor(session, entry)
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
    """Recompute every hash and link, then hold the chain against the signed anchor.

    The first break is reported with its sequence number; a chain shorter than the anchor says how many
    entries the anchor counts. Read in one snapshot of its own (appends may go on meanwhile): the
    chain and the anchor are then seen as one commit left them.
    """
    engine = session.get_bind()
    if engine.dialect.name == "postgresql":
        snapshot = engine.execution_options(isolation_level="REPEATABLE READ")
    else:
        snapshot = db.reader(engine)
    with Session(snapshot) as reader:
        return _verify_snapshot(reader)


# Rows whose making is always recorded, in the same transaction: (table's id column, the entry's action).
RECORDED_ROWS = ((User.id, "user.created"), (ApiToken.id, "token.issued"))


def _unrecorded_rows(session: Session) -> dict[str, int]:
    """How many users and tokens the database holds without the entry that recorded their making."""
    missing = {}
    for id_column, action in RECORDED_ROWS:
        recorded = select(AuditEntry.subject_id).where(
            AuditEntry.action == action, col(AuditEntry.subject_id).isnot(None)  # NOT IN (.., NULL) is never true
        )
        query = select(func.count()).select_from(id_column.class_).where(col(id_column).not_in(recorded))
        count = session.exec(query).one()
        if count:
            missing[action] = count
    return missing


def _verify_snapshot(session: Session) -> Verification:
    anchor = session.get(AuditAnchor, AuditAnchor.SINGLE)
    chain = _verify_chain(session)
    if not chain.ok:
        return chain
    count, head = chain.entries, chain.head
    if anchor is None:
        if count == 0:  # a fresh installation, nothing appended yet, unless it holds what appends recorded
            return _held_against_the_rows(session, chain)
        return Verification(False, count, head, None, "the signed anchor is missing: nothing shows the log is whole")
    if not hmac.compare_digest(anchor.signature, anchor_signature(anchor.entries, anchor.head)):
        return Verification(
            False, count, head, None,
            "the anchor's signature does not match: it was rewritten without the service's key "
            "(or BLINDMATCH_SECRET_KEY changed)",
        )
    if count < anchor.entries:
        return Verification(
            False, count, head, count + 1,
            f"truncated: the signed anchor counts {anchor.entries} entries, only {count} are left",
        )
    if count > anchor.entries:
        return Verification(
            False, count, head, anchor.entries + 1,
            f"entries after {anchor.entries} were added outside the service: the signed anchor counts "
            f"{anchor.entries}, the log holds {count}",
        )
    if head != anchor.head:
        return Verification(False, count, head, count, "the last entry is not the one the signed anchor names")
    return _held_against_the_rows(session, chain)


def _held_against_the_rows(session: Session, chain: Verification) -> Verification:
    """A whole chain that agrees with its anchor still fails when users or tokens lack their entries."""
    missing = _unrecorded_rows(session)
    if not missing:
        return chain
    what = " and ".join(f"{n} {action.split('.')[0]}s" for action, n in missing.items())
    return Verification(
        False, chain.entries, chain.head, None,
        f"entries were removed: {what} of the database have no entry recording how they were made "
        "(the log was deleted, or cut back to an older signed anchor)",
    )


def _verify_chain(session: Session) -> Verification:
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
