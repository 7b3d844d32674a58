"""Interactive work first: a shortlist requested behind a backlog of profiles' opportunity tasks is taken
before that backlog, on Redis and on the embedded broker, by a real worker."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.processes import Worker, api_server, service_env, shortlist_row, wait_until

pytestmark = pytest.mark.e2e
BACKLOG = 80  # profiles published before the shortlist is requested: one background task each


def computed_runs(profile_ids: list[str]) -> list:
    """When each of these profiles' opportunities were computed (None: not yet)."""
    from matching.store.db import session_scope
    from matching.store.models import ProfileFitRun

    with session_scope(read_only=True) as session:
        query = select(ProfileFitRun.computed_at).where(col(ProfileFitRun.profile_id).in_(profile_ids))
        return list(session.exec(query))


@pytest.mark.parametrize("broker", ["redis", "embedded"])
def test_a_shortlist_is_taken_before_the_background_backlog(pg, queue, tmp_path, broker):
    overrides = {"BLINDMATCH_QUEUE": queue, "BLINDMATCH_MAINTENANCE_INTERVAL": 1}
    if broker == "embedded":
        overrides.update(REDIS_URL="", BLINDMATCH_DATA_DIR=str(tmp_path / "data"))
    env = service_env(**overrides)
    with api_server(tmp_path / "api.log", env) as api:
        world = create_world(api.http)
        counsellor, liaison = bearer(world.counsellor), bearer(world.liaison)
        vacancy = api.http.post("/v1/vacancies", json=vacancy_body(employer_id=world.employer_id), headers=liaison)
        assert vacancy.status_code == 201, vacancy.text
        # The bulk publish: each profile sends a task that scores it against every open vacancy.
        profile_ids = []
        for index in range(BACKLOG):
            hours = {"hours_min": 10 + index % 20, "hours_max": 38, "shifts": ["early_morning"]}
            body = profile_body(availability=hours)
            response = api.http.post("/v1/profiles", json=body, headers=counsellor)
            assert response.status_code == 201, response.text
            profile_ids.append(response.json()["id"])
        accepted = api.http.post(f"/v1/vacancies/{vacancy.json()['id']}/shortlists", json={}, headers=liaison)
        assert accepted.status_code == 202, accepted.text
        shortlist_id = accepted.json()["id"]

        worker = Worker(tmp_path / "worker.log", env)
        try:
            wait_until(lambda: shortlist_row(shortlist_id).status == "ready", timeout=180, what=worker.tail())
            finished = shortlist_row(shortlist_id).finished_at
            # Taken first: at most the one background task a worker may hold already ran before it.
            before = [at for at in computed_runs(profile_ids) if at is not None and at <= finished]
            assert len(before) <= 1, (len(before), worker.tail())
            # ... and the backlog is still worked through afterwards.
            wait_until(lambda: all(at is not None for at in computed_runs(profile_ids)), timeout=300,
                       what=f"the background backlog: {worker.tail()}")
        finally:
            worker.stop(timeout=30)
