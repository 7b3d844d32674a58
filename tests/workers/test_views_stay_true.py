"""Views that stay true, with a real worker: a vacancy posted reaches the opportunities of a profile that did
not change, and leaves them when it closes; the shortlist, the opportunities and the gap view give a profile
the same score and agree on its eligibility."""

from __future__ import annotations

import time

import pytest

from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.live import celery_worker, live_api, wait_for_shortlist
from tests.workers.test_opportunities import wait_for_opportunities

pytestmark = pytest.mark.e2e


def wait_for(read, until, *, timeout: float = 120):
    """Read until `until(value)` holds (or the time is up: the caller's assertion then says what it read)."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if until(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def test_a_vacancy_posted_then_closed_reaches_then_leaves_an_unchanged_profile(fresh_pg, tmp_path):
    log = tmp_path / "worker.log"
    with live_api() as http, celery_worker(log, extra_env={"DATABASE_URL": fresh_pg}):
        world = create_world(http)
        counsellor, liaison = bearer(world.counsellor), bearer(world.liaison)
        profile = http.post("/v1/profiles", json=profile_body(), headers=counsellor).json()
        body = wait_for_opportunities(http, profile["id"], counsellor, status="ready")
        assert (body["status"], body["items"], body["vacancies_scored"]) == ("ready", [], 0), log.read_text()[-3000:]

        posted = http.post("/v1/vacancies", json=vacancy_body(employer_id=world.employer_id), headers=liaison)
        assert posted.status_code == 201, posted.text
        vacancy_id = posted.json()["id"]

        def read() -> dict:
            return http.get(f"/v1/profiles/{profile['id']}/opportunities", headers=counsellor).json()

        body = wait_for(read, lambda b: b["items"])
        assert [item["vacancy_id"] for item in body["items"]] == [vacancy_id], (body, log.read_text()[-3000:])
        assert body["status"] == "ready" and body["vacancies_scored"] == 1
        unchanged = http.get(f"/v1/profiles/{profile['id']}", headers=counsellor).json()
        assert unchanged["version"] == profile["version"]  # the vacancy's task did it, not a profile change

        assert http.post(f"/v1/vacancies/{vacancy_id}/close", headers=liaison).status_code == 200
        from matching.store.db import session_scope
        from matching.store.models import ProfileFit

        def stored() -> list:
            with session_scope(read_only=True) as session:
                return list(session.exec(ProfileFit.__table__.select().where(ProfileFit.vacancy_id == vacancy_id)))

        assert wait_for(stored, lambda rows: not rows) == [], log.read_text()[-3000:]  # gone, not only hidden
        body = read()
        assert (body["items"], body["vacancies_scored"]) == ([], 0)


def test_the_shortlist_the_opportunities_and_the_gaps_agree(fresh_pg, tmp_path):
    """The shared fixture: a vacancy naming two must-haves, the profile holding one (through a related skill).
    Its shortlist holds the profile; the gap view once read "0 eligible" for it, demanding every must-have."""
    log = tmp_path / "worker.log"
    with live_api() as http, celery_worker(log, extra_env={"DATABASE_URL": fresh_pg}):
        world = create_world(http)
        counsellor, liaison = bearer(world.counsellor), bearer(world.liaison)
        profile_id = http.post("/v1/profiles", json=profile_body(), headers=counsellor).json()["id"]
        must = [{"label": "kantoren schoonmaken", "level": "basic"}, {"label": "metselen"}]
        posted = http.post("/v1/vacancies", json=vacancy_body(employer_id=world.employer_id, must_have=must),
                           headers=liaison)
        assert posted.status_code == 201, posted.text
        vacancy_id = posted.json()["id"]
        accepted = http.post(f"/v1/vacancies/{vacancy_id}/shortlists", json={}, headers=liaison).json()
        shortlist = wait_for_shortlist(http, accepted["id"], liaison)
        assert shortlist["status"] == "ready", (shortlist, log.read_text()[-3000:])
        (item,) = [i for i in shortlist["items"] if i["profile_id"] == profile_id]
        assert item["explanation"]["missing"], item  # one must-have is missing, yet the profile is on the list

        def read(view: str) -> dict:
            return http.get(f"/v1/profiles/{profile_id}/{view}", headers=counsellor).json()

        opportunities = wait_for(lambda: read("opportunities"),
                                 lambda b: b["status"] == "ready" and b["vacancies_scored"] == 1)
        assert [(i["vacancy_id"], i["score"]) for i in opportunities["items"]] == [(vacancy_id, item["score"])]
        gaps = wait_for(lambda: read("gaps"), lambda b: b["status"] == "ready")
        assert gaps["status"] == "ready", (gaps, log.read_text()[-3000:])
        assert (gaps["open_vacancies"], gaps["eligible_vacancies"], gaps["best_score"]) == (1, 1, item["score"])
        # The missing must-have is a gap that raises this vacancy's score; it opens nothing more (already in).
        masonry = [g for g in gaps["gaps"] if g["kind"] == "skill" and g["opens"] == 0 and g["improves"] == 1]
        assert masonry and masonry[0]["best_score_after"] > item["score"], gaps
