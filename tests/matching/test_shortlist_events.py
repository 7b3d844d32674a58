"""A counsellor hears once that a profile was shortlisted for a vacancy, however many shortlists ran."""

from __future__ import annotations

import threading

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from tests.conftest import use_database
from tests.factories import bearer, create_world, profile_body, vacancy_body

pytestmark = pytest.mark.usefixtures("redis_url")  # shortlist requests send messages; cleaned up at the end


def test_two_shortlists_of_one_vacancy_stored_at_once_record_one_event_per_profile(postgres_database):
    from api.app import app
    from matching.services import shortlist_runs, shortlists
    from matching.services.bootstrap import prepare_database
    from matching.services.profile_index import reset
    from matching.store.db import get_engine, session_scope
    from matching.store.models import TrajectoryEvent

    use_database(postgres_database)
    prepare_database()
    with TestClient(app) as http:
        world = create_world(http)
        profile_ids = [http.post("/v1/profiles", json=profile_body(), headers=bearer(world.counsellor)).json()["id"]
                       for _ in range(3)]
        vacancy = http.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()
        requested = [http.post(f"/v1/vacancies/{vacancy['id']}/shortlists", json={}, headers=bearer(world.liaison))
                     for _ in range(2)]
    first, second = (r.json()["id"] for r in requested)
    reset()
    rankings = {}
    for shortlist_id in (first, second):
        with session_scope() as session:
            shortlist_runs.start(session, shortlist_id, task_id="here", max_attempts=3, stale_after=660)
        with session_scope(read_only=True) as session:
            rankings[shortlist_id] = shortlists.score(session, shortlist_id)
    assert {c.profile_id for c in rankings[first].candidates} >= set(profile_ids)

    # The first store holds its transaction open while the second runs: without the vacancy's lock the
    # second finishes now, not seeing the first's events; with it, it waits for the first's commit.
    holding = Session(get_engine())
    shortlists.store(holding, first, rankings[first])

    def store_second() -> None:
        with session_scope() as session:
            shortlists.store(session, second, rankings[second])

    racer = threading.Thread(target=store_second)
    racer.start()
    racer.join(timeout=3)
    holding.commit()
    holding.close()
    racer.join(timeout=60)
    assert not racer.is_alive()

    with session_scope(read_only=True) as session:
        counts = dict(session.exec(
            select(TrajectoryEvent.profile_id, func.count()).where(
                TrajectoryEvent.vacancy_id == vacancy["id"], TrajectoryEvent.kind == "shortlisted"
            ).group_by(TrajectoryEvent.profile_id)
        ).all())
    assert {profile_id: counts.get(profile_id) for profile_id in profile_ids} == dict.fromkeys(profile_ids, 1)
    use_database(None)
