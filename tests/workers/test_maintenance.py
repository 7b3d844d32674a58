"""The maintenance clean-up forgets old profile changes but never the newest one."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func
from sqlmodel import select

from matching.store.db import session_scope
from matching.store.models import ProfileChange, utcnow
from tests.conftest import use_database
from workers import maintenance


def test_purge_forgets_changes_older_than_a_day(prepared_sqlite):
    use_database(prepared_sqlite)  # an earlier test may have pointed the process elsewhere
    old = utcnow() - timedelta(days=2)
    with session_scope() as session:
        session.add_all([ProfileChange(profile_key="prf_old_a", created_at=old),
                         ProfileChange(profile_key="prf_old_b", created_at=old),
                         ProfileChange(profile_key="prf_new", created_at=utcnow())])
    maintenance.purge()
    with session_scope() as session:
        ids = set(session.exec(select(ProfileChange.profile_key)))
        newest = session.exec(select(func.max(ProfileChange.seq))).one()
    assert "prf_old_a" not in ids and "prf_old_b" not in ids
    assert "prf_new" in ids and newest is not None
