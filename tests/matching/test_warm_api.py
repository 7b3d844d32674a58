"""An API process's start-up warm-up: it writes nothing, and no state of the database stops the start."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select

from matching.services.warm_api import warm_up
from matching.store import audit
from matching.store.db import session_scope
from matching.store.models import AuditAnchor, AuditEntry
from tests.conftest import fresh_postgres_database, use_database


@pytest.fixture
def empty_postgres():
    """A PostgreSQL database of its own, with no table yet."""
    with fresh_postgres_database("warm") as url:
        use_database(url)
        yield url
        use_database(None)


def _chain() -> tuple[list[tuple[int, str]], tuple[int, str, str] | None]:
    with session_scope(read_only=True) as session:
        entries = [(e.seq, e.hash) for e in session.exec(select(AuditEntry).order_by(AuditEntry.seq))]
        anchor = session.get(AuditAnchor, AuditAnchor.SINGLE)
        return entries, None if anchor is None else (anchor.entries, anchor.head, anchor.signature)


def test_the_warm_up_leaves_the_audit_chain_and_its_anchor_as_they_were(empty_postgres, caplog):
    from matching.services.bootstrap import prepare_database

    prepare_database()
    with caplog.at_level(logging.INFO, logger="blindmatch.api"):
        warm_up()  # no entry yet: the rolled-back append would have been the first
    assert _chain() == ([], None)
    with session_scope() as session:
        audit.append(session, action="cards.viewed", actor=None, subject_type="vacancy", subject_id="vac_1")
    before = _chain()
    warm_up()
    assert _chain() == before
    with session_scope(read_only=True) as session:
        assert audit.verify(session).ok
    assert any(r.getMessage().startswith("API warm: card read prepared") for r in caplog.records)


def test_a_database_without_tables_does_not_stop_the_start(empty_postgres, caplog):
    with caplog.at_level(logging.WARNING, logger="blindmatch.api"):
        warm_up()  # the tables are missing: logged, not raised
    assert [r.getMessage() for r in caplog.records] == ["API warm-up skipped: ProgrammingError"]


def test_an_audit_append_held_elsewhere_does_not_hold_the_start(empty_postgres, caplog):
    from sqlalchemy import text

    from matching.services.bootstrap import prepare_database
    from matching.store.db import get_engine

    prepare_database()
    with get_engine().connect() as other:  # another process's append, in progress for long
        other.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": audit._ADVISORY_LOCK})
        with caplog.at_level(logging.WARNING, logger="blindmatch.api"):
            warm_up()  # gives up waiting for the lock (lock_timeout), says so, and the process starts
        other.rollback()
    assert [r.getMessage() for r in caplog.records] == ["API warm-up skipped: OperationalError"]
    assert _chain() == ([], None)
