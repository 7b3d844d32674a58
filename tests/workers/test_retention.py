"""Retention: profiles inactive for BLINDMATCH_RETENTION_MONTHS months are erased by a periodic task."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from sqlmodel import select

from tests.factories import bearer, create_world, profile_body


def _backdate(profile_id: str, moment: datetime, *, keep_event: str | None = None) -> None:
    """Make the profile and its trajectory look untouched since `moment` (one event may stay recent)."""
    from matching.store.db import session_scope
    from matching.store.models import Profile, TrajectoryEvent

    with session_scope() as session:
        profile = session.get(Profile, profile_id)
        profile.updated_at = moment
        session.add(profile)
        for event in session.exec(select(TrajectoryEvent).where(TrajectoryEvent.profile_id == profile_id)):
            if event.kind != keep_event:
                event.at = moment
                session.add(event)


def _event(profile_id: str, kind: str) -> None:
    from matching.services.profiles import record_event
    from matching.store.db import session_scope

    with session_scope() as session:
        record_event(session, profile_id, kind=kind, vacancy_id="vac_x", vacancy_title="Poste")


def _exists(profile_id: str) -> bool:
    from matching.store.db import session_scope
    from matching.store.models import Profile

    with session_scope() as session:
        return session.get(Profile, profile_id) is not None


@pytest.fixture
def aged(client):
    """Four profiles: active, dormant, dormant but presented lately, dormant but only shortlisted lately."""
    from matching.store.models import utcnow

    world = create_world(client)
    ids = {}
    for name in ("active", "dormant", "presented", "shortlisted"):
        response = client.post("/v1/profiles", json=profile_body(), headers=bearer(world.counsellor))
        assert response.status_code == 201, response.text
        ids[name] = response.json()["id"]
    long_ago = utcnow() - timedelta(days=400)
    _event(ids["presented"], "presented")
    _event(ids["shortlisted"], "shortlisted")
    _backdate(ids["dormant"], long_ago)
    _backdate(ids["presented"], long_ago, keep_event="presented")
    _backdate(ids["shortlisted"], long_ago, keep_event="shortlisted")
    return world, ids


def test_retention_erases_what_nobody_worked_on(client, aged):
    from matching.services.erasure import apply_retention
    from matching.store.db import session_scope

    world, ids = aged
    with session_scope() as session:
        assert apply_retention(session, months=0) == 0  # 0: keep everything
    assert all(_exists(i) for i in ids.values())
    with session_scope() as session:
        erased = apply_retention(session, months=12)
    assert erased >= 2
    assert _exists(ids["active"]) and _exists(ids["presented"])
    # Being shortlisted by a worker is not somebody working with the person.
    assert not _exists(ids["dormant"]) and not _exists(ids["shortlisted"])
    entries = client.get("/v1/audit?action=profile.erased&limit=1000", headers=bearer(world.admin)).json()
    by_retention = [e for e in entries if e["details"]["trigger"] == "retention"]
    assert len(by_retention) >= 2 and all(e["actor_role"] == "system" and e["subject_id"] is None for e in by_retention)
    assert ids["dormant"] not in str(entries)


def test_months_are_calendar_months():
    from matching.services.erasure import months_before

    assert months_before(datetime(2027, 3, 31, 12), 1) == datetime(2027, 2, 28, 12)
    assert months_before(datetime(2027, 1, 15), 12) == datetime(2026, 1, 15)
    assert months_before(datetime(2027, 1, 15), 13) == datetime(2025, 12, 15)


def test_the_periodic_task_is_scheduled_and_runs_in_a_real_worker(client, aged, redis_url, prepared_sqlite, tmp_path):
    from blindmatch.cli import worker_command
    from tests.live import celery_worker
    from workers.app import celery_app

    schedule = celery_app.conf.beat_schedule["privacy.retention"]
    assert schedule["task"] == "privacy.retention" and schedule["schedule"] > 0
    assert "-B" in worker_command(beat=True) and "-B" not in worker_command()
    _, ids = aged
    with celery_worker(tmp_path / "worker.log", extra_env={"DATABASE_URL": prepared_sqlite}):
        celery_app.send_task("privacy.retention", queue=celery_app.conf.task_default_queue)
        # Generous (CI is slow): the worker starts, and may first consume what earlier tests left in the
        # run's shared queue; the loop ends as soon as the profile is gone.
        deadline = time.monotonic() + 120
        while _exists(ids["dormant"]) and time.monotonic() < deadline:
            time.sleep(0.2)
    assert not _exists(ids["dormant"]), (tmp_path / "worker.log").read_text()[-3000:]
    assert _exists(ids["active"])
