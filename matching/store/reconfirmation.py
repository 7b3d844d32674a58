"""Reconfirmation: a published profile its counsellor has not confirmed for BLINDMATCH_RECONFIRM_DAYS
is stale. A stale profile is not matched (shortlists, opportunities, the crowds cards are measured
against), is flagged on the counsellor's list, and comes back when reconfirmed or edited.

Stale is a condition on the stored `reconfirmed_at`, evaluated at each read: no process keeps a timer.
Workers' in-memory indexes learn only from the change log, so `log_newly_stale` (run by the maintenance
loop every few seconds) writes a change for each profile that has just gone stale.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, not_
from sqlmodel import Session, col, select

from matching.settings import get_settings
from matching.store.models import Profile, as_utc, utcnow

# Profiles written per maintenance pass: a backlog (a first start after an upgrade) drains over passes.
STALE_BATCH = 500


def cutoff(now: datetime | None = None) -> datetime:
    """Profiles reconfirmed at or before this moment are stale."""
    return (now or utcnow()) - timedelta(days=get_settings().reconfirm_days)


def stale_since(reconfirmed_at: datetime) -> datetime:
    """When a profile reconfirmed at this moment goes (or went) stale unless reconfirmed again."""
    at = as_utc(reconfirmed_at)
    assert at is not None
    return at + timedelta(days=get_settings().reconfirm_days)


def is_stale(published: bool, reconfirmed_at: datetime, now: datetime | None = None) -> bool:
    """A published profile not reconfirmed in time (a closed or unpublished one is not matched anyway)."""
    return published and stale_since(reconfirmed_at) <= (now or utcnow())


def is_matchable(published: bool, reconfirmed_at: datetime, now: datetime | None = None) -> bool:
    """Published and reconfirmed recently enough: the same test as the SQL condition `matchable`."""
    return published and not is_stale(published, reconfirmed_at, now)


def matchable(now: datetime | None = None) -> Any:
    """SQL condition: published and reconfirmed recently enough to be matched."""
    return and_(col(Profile.published), col(Profile.reconfirmed_at) > cutoff(now))


def stale(now: datetime | None = None) -> Any:
    """SQL condition: published but not reconfirmed in time."""
    return and_(col(Profile.published), col(Profile.reconfirmed_at) <= cutoff(now))


def mark_reconfirmed(profile: Profile) -> None:
    """The counsellor vouched for the profile now (reconfirm, edit, phase change)."""
    profile.reconfirmed_at = utcnow()
    profile.stale_logged = False


def log_newly_stale(session: Session, *, now: datetime | None = None) -> int:
    """Write a change for each profile that went stale since the last pass; how many were written.

    Setting `stale_logged` is a row update, so the change log records it (matching/store/models.py) and every
    worker's index and crowd drops the profile at its next look.
    """
    rows = session.exec(
        select(Profile).where(stale(now), not_(col(Profile.stale_logged))).order_by(Profile.id)
        .limit(STALE_BATCH).with_for_update(skip_locked=True)
    ).all()
    for profile in rows:
        profile.stale_logged = True
        session.add(profile)
    session.flush()
    return len(rows)
