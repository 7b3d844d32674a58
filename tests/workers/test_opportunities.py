"""A new or changed profile is scored against every open vacancy by a real worker; its counsellor reads
where it fits (title and sector only), and an erasure leaves no fit behind."""

from __future__ import annotations

import time

import pytest
from sqlmodel import col, select

from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.live import celery_worker, live_api


def wait_for_opportunities(http, profile_id: str, headers: dict, *, status: str, timeout: float = 120) -> dict:
    # Generous (CI is slow): the worker first consumes what earlier tests left in the run's shared queue.
    deadline = time.monotonic() + timeout
    while True:
        response = http.get(f"/v1/profiles/{profile_id}/opportunities?limit=50", headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] == status or time.monotonic() > deadline:
            return body
        time.sleep(0.1)


def fit_rows(profile_id: str) -> list:
    from matching.store.db import session_scope
    from matching.store.models import ProfileFit, ProfileFitRun

    with session_scope(read_only=True) as session:
        fits = session.exec(select(ProfileFit).where(ProfileFit.profile_id == profile_id)).all()
        runs = session.exec(select(ProfileFitRun).where(ProfileFitRun.profile_id == profile_id)).all()
        return [*fits, *runs]


@pytest.mark.e2e
def test_a_new_profile_learns_where_it_fits_and_erasure_removes_it(fresh_pg, tmp_path):
    from matching.store.db import session_scope
    from matching.store.models import OutboxMessage

    log = tmp_path / "worker.log"
    with live_api() as http, celery_worker(log, extra_env={"DATABASE_URL": fresh_pg}):
        world = create_world(http)
        counsellor, liaison = bearer(world.counsellor), bearer(world.liaison)

        def vacancy(**changes) -> str:
            response = http.post("/v1/vacancies", json=vacancy_body(employer_id=world.employer_id, **changes),
                                 headers=liaison)
            assert response.status_code == 201, response.text
            return response.json()["id"]

        fits = vacancy(title="Schoonmaker kantoren")
        lorry = vacancy(title="Schoonmaker met rijbewijs C", driving_licence="C")  # a hard licence it lacks
        bricks = vacancy(title="Metselaar", must_have=[{"label": "metselen"}], nice_to_have=[])  # no shared skill
        closed = vacancy(title="Gesloten")
        assert http.post(f"/v1/vacancies/{closed}/close", headers=liaison).status_code == 200

        profile_id = http.post("/v1/profiles", json=profile_body(), headers=counsellor).json()["id"]
        body = wait_for_opportunities(http, profile_id, counsellor, status="ready")
        assert body["status"] == "ready", (body, log.read_text()[-3000:])
        assert body["vacancies_scored"] == 3  # the open ones
        assert [item["vacancy_id"] for item in body["items"]] == [fits]
        (item,) = body["items"]
        assert item["vacancy_title"] == "Schoonmaker kantoren" and item["sector"] == "cleaning"
        assert 0 < item["score"] <= 1 and item["rank"] == 1
        text = str(body)
        assert world.employer_id not in text and "Clean & Co" not in text
        assert lorry not in text and bricks not in text

        # Unpublished: proposed to no one, so nothing to show; published again with a licence: the lorry fits.
        response = http.patch(f"/v1/profiles/{profile_id}", json={"published": False}, headers=counsellor)
        assert response.status_code == 200
        assert wait_for_opportunities(http, profile_id, counsellor, status="unpublished")["items"] == []
        mobility = {**profile_body()["mobility"], "driving_licences": ["C"]}
        response = http.patch(f"/v1/profiles/{profile_id}", json={"published": True, "mobility": mobility},
                              headers=counsellor)
        assert response.status_code == 200
        body = wait_for_opportunities(http, profile_id, counsellor, status="ready")
        assert {item["vacancy_id"] for item in body["items"]} == {fits, lorry}

        assert fit_rows(profile_id)
        assert http.delete(f"/v1/profiles/{profile_id}", headers=counsellor).status_code == 204
        assert fit_rows(profile_id) == []
        with session_scope(read_only=True) as session:
            messages = session.exec(select(OutboxMessage).where(col(OutboxMessage.task) == "profile.match")).all()
        assert messages and all(profile_id not in str(m.args) for m in messages)  # opaque run ids only


def test_fits_computed_before_an_erasure_or_a_change_are_not_stored(client):
    from matching.services import opportunities
    from matching.store.db import session_scope
    from matching.store.models import ProfileFitRun

    world = create_world(client)
    counsellor = bearer(world.counsellor)
    client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer))
    changed, erased = (client.post("/v1/profiles", json=profile_body(), headers=counsellor).json()["id"]
                       for _ in range(2))

    def computed(profile_id: str):
        with session_scope(read_only=True) as session:
            run_id = session.exec(select(ProfileFitRun.id).where(ProfileFitRun.profile_id == profile_id)).one()
            return opportunities.compute(session, run_id), run_id

    (before_change, _), (before_erasure, run_id) = computed(changed), computed(erased)
    assert before_change.fits and before_erasure.fits
    client.patch(f"/v1/profiles/{changed}", json={"pitch": "Toujours prêt."}, headers=counsellor)
    client.delete(f"/v1/profiles/{erased}", headers=counsellor)
    with session_scope() as session:
        assert opportunities.store(session, before_change) is False  # the task sent for the change stores
        assert opportunities.store(session, before_erasure) is False
    assert fit_rows(changed) == [r for r in fit_rows(changed) if isinstance(r, ProfileFitRun)]
    assert fit_rows(erased) == []
    with session_scope(read_only=True) as session:
        assert opportunities.compute(session, run_id) is None  # a late message for an erased profile
