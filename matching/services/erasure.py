"""Erasure and retention: a profile removed everywhere, by its counsellor or after N months of inactivity.

What stays is what the employer side needs to make sense of its own history: the match row stays as
a "withdrawn" candidate, under a new random reference (the old one named the person on that vacancy);
the shortlist keeps its ranks. Neither keeps the profile id, a candidate ref, a score, an explanation,
a commute or the employer's reason and interview date about that person. The audit entry says that a
profile was erased, by whom, never which one (audit entries carry candidate refs only as keyed digests).

Stored answers go too: every Idempotency-Key answer naming the profile or one of its candidate refs
becomes a tombstone (matching/store/idempotency.py), and the change log names profiles by a random change
key that leaves with the profile (matching/store/models.py ProfileChange), so nothing left can be tied to
the person.
"""

from __future__ import annotations

import base64
import secrets
from datetime import datetime

from sqlalchemy import delete, event, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from matching.services import events, renderings
from matching.store import audit, idempotency
from matching.store.access import Actor
from matching.store.models import (
    CardDisclosure,
    Match,
    Profile,
    ProfileFit,
    ProfileFitRun,
    Shortlist,
    ShortlistItem,
    TrajectoryEvent,
    utcnow,
)
from matching.store.models_oversight import ExposureCount, ShortlistOverride, ShortlistRunCandidate

# A shortlist is computed by a worker for every published profile: it says nothing of whether
# anyone still works with the person, so it does not keep a profile alive.
AUTOMATIC_EVENTS = ("shortlisted",)
RETENTION_BATCH = 200


def erase(session: Session, profile: Profile, *, actor: Actor | None, trigger: str) -> None:
    """Remove the profile and every trace of its content, in the caller's transaction."""
    items = session.exec(select(ShortlistItem).where(ShortlistItem.profile_id == profile.id)).all()
    for item in items:
        item.profile_id = None
        item.withdrawn = True
        item.score = 0.0
        item.breakdown = {}
        item.explanation = {}
        item.commute_minutes = None
        session.add(item)
    if items:  # their shortlists read differently now: renderings cached by version are dropped
        emptied = {item.shortlist_id for item in items}
        session.execute(update(Shortlist).where(col(Shortlist.id).in_(emptied)).values(version=Shortlist.version + 1))
        # Here at once and after the commit (a read in between may render the old version again); other
        # processes drop theirs when they next read the new version.
        renderings.forget(emptied)
        event.listen(session, "after_commit", lambda _session: renderings.forget(emptied), once=True)
    matches = session.exec(select(Match).where(Match.profile_id == profile.id)).all()
    refs = [match.candidate_ref for match in matches]
    # What the workers measured of the person's cards goes with them, in this transaction.
    for match in matches:
        session.execute(delete(CardDisclosure).where(col(CardDisclosure.vacancy_id) == match.vacancy_id,
                                                     col(CardDisclosure.candidate_ref) == match.candidate_ref))
    for match in matches:
        match.profile_id = None
        match.candidate_ref = _withdrawn_ref()
        match.status = "withdrawn"
        match.score = 0.0
        match.explanation = {}
        match.commute_minutes = None
        match.reason = None
        match.interview_at = None
        match.version += 1
        match.updated_at = utcnow()
        session.add(match)
    # Oversight records keep their counts and reasons, not the person: the override's note may speak of them.
    session.execute(update(ShortlistOverride).where(col(ShortlistOverride.profile_id) == profile.id)
                    .values(profile_id=None, note=None))
    # The run keeps the candidate's place and score for replays; not the digest of the body, which anyone
    # holding that body could match to confirm the person was considered.
    session.execute(update(ShortlistRunCandidate).where(col(ShortlistRunCandidate.profile_id) == profile.id)
                    .values(profile_id=None, content_digest=""))
    for trajectory_event in session.exec(select(TrajectoryEvent).where(TrajectoryEvent.profile_id == profile.id)):
        session.delete(trajectory_event)
    events.forget_profile(session, profile.id)  # the feed's and webhooks' events about the person, everywhere
    session.flush()
    organisation_id = profile.organisation_id
    session.delete(profile)
    session.flush()
    # After the profile's delete, which waited for a worker storing its fits (that worker locks the profile
    # first): what it stored is removed here. The foreign keys cascade as well.
    for table in (ProfileFit, ProfileFitRun, ExposureCount):
        session.execute(delete(table).where(col(table.profile_id) == profile.id))
    # Answers kept for Idempotency-Key replays (24 h) that show the profile: its creation, a phase change,
    # its presentation, an employer's decision on its card. Last: an answer being stored right now holds
    # a shared lock on the profile or match rows changed above, so by now it is stored and found here.
    idempotency.erase_mentions(session, needles=[profile.id, *refs])
    audit.append(
        session,
        action="profile.erased",
        actor=actor,
        organisation_id=organisation_id,
        subject_type="profile",
        details={"trigger": trigger, "withdrawn_matches": len(matches), "withdrawn_items": len(items)},
    )
    _checkpoint_after_commit(session)


def _withdrawn_ref() -> str:
    """A fresh reference for a withdrawn candidate, shaped like a real one and tied to nobody."""
    return "cand_" + base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower()


def _checkpoint_after_commit(session: Session) -> None:
    """On SQLite, fold the write-ahead log into the file and truncate it once the erasure commits.

    With secure_delete the database file keeps no erased bytes, but the WAL still holds the pages as
    they were before, until a checkpoint; TRUNCATE empties it. Best effort: a long reader in another
    process can make it a partial checkpoint, and the next erasure or retention run tries again.
    """
    engine = session.get_bind()
    if not isinstance(engine, Engine) or engine.dialect.name != "sqlite":
        return

    def checkpoint(_session: Session) -> None:
        raw = engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()

    event.listen(session, "after_commit", checkpoint, once=True)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (the last day of a shorter month)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a 28th")


def inactive_profiles(session: Session, *, cutoff: datetime, limit: int = RETENTION_BATCH) -> list[Profile]:
    """Profiles with no edit and no human event (presentation, decision, phase change) since `cutoff`."""
    recent = select(TrajectoryEvent.profile_id).where(
        col(TrajectoryEvent.at) >= cutoff, col(TrajectoryEvent.kind).not_in(AUTOMATIC_EVENTS)
    )
    query = (
        select(Profile)
        .where(col(Profile.updated_at) < cutoff, col(Profile.id).not_in(recent))
        .order_by(Profile.updated_at, Profile.id)
        .limit(limit)
    )
    return list(session.exec(query))


def apply_retention(session: Session, *, months: int, now: datetime | None = None) -> int:
    """Close and erase profiles inactive for `months` months (0: keep everything); the count erased."""
    if months <= 0:
        return 0
    cutoff = months_before(now or utcnow(), months)
    erased = 0
    while batch := inactive_profiles(session, cutoff=cutoff):
        for profile in batch:
            erase(session, profile, actor=None, trigger="retention")
            erased += 1
    return erased
