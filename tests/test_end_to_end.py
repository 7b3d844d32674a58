"""The whole blind-matching path over HTTP, with a real `celery worker` on Redis, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from contextlib import ExitStack

import pytest

from tests.conftest import DATA_DIR, fresh_postgres_database, use_database
from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.live import celery_worker, live_api, wait_for_cards, wait_for_shortlist

pytestmark = pytest.mark.e2e


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, redis_url):
    from matching.services.bootstrap import prepare_database

    # A database of its own: profiles other tests published would compete in this shortlist.
    with ExitStack() as stack:
        if request.param == "sqlite":
            # Fresh each time (a re-run must not find the first run's identical profiles tied with these).
            url = f"sqlite:///{DATA_DIR / f'e2e-{uuid.uuid4().hex[:8]}.db'}"
        else:
            url = stack.enter_context(fresh_postgres_database("e2e"))
        use_database(url)
        prepare_database()
        yield url
        use_database(None)


def test_the_whole_path(backend, tmp_path):
    with live_api() as http, celery_worker(tmp_path / "worker.log", extra_env={"DATABASE_URL": backend}):
        world = create_world(http)
        counsellor, liaison, employer = bearer(world.counsellor), bearer(world.liaison), bearer(world.employer)

        # 2. A counsellor publishes anonymised profiles; each label shows how it was understood.
        strong = http.post("/v1/profiles", json=profile_body(), headers=counsellor)
        assert strong.status_code == 201, strong.text
        understood = {s["label"]: s for s in strong.json()["skills"]}
        assert understood["nettoyage de bureaux"]["match"] == "exact"
        assert understood["nettoyage de bureaux"]["concept_id"]
        far = profile_body(
            mobility={"postcode": "1180", "max_commute_minutes": 15, "transport": ["walk"]},
            languages=[{"code": "fr", "spoken": "A2", "written": "A1"}],
        )
        lacking = profile_body(skills=[{"label": "nettoyage de bureaux"}, {"label": "travail en équipe"}])
        unrelated = profile_body(skills=[{"label": "réassort en magasin"}, {"label": "travail en équipe"}])
        ids = {"strong": strong.json()["id"]}
        for name, body in (("far", far), ("lacking", lacking), ("unrelated", unrelated)):
            response = http.post("/v1/profiles", json=body, headers=counsellor)
            assert response.status_code == 201, response.text
            ids[name] = response.json()["id"]

        # 3. The liaison posts a vacancy on the employer's behalf (in Dutch).
        # Language levels soft: the "far" candidate (no Dutch) stays on the list, ranked lower.
        body = vacancy_body(employer_id=world.employer_id, constraints={"languages": "soft"},
                            must_have=[{"label": "kantoren schoonmaken", "level": "basic"},
                                       {"label": "schrobmachine bedienen"}], nice_to_have=[])
        vacancy = http.post("/v1/vacancies", json=body, headers=liaison)
        assert vacancy.status_code == 201, vacancy.text
        vacancy_id = vacancy.json()["id"]
        assert vacancy.json()["must_have"][0]["concept_id"] == understood["nettoyage de bureaux"]["concept_id"]

        # 4. A shortlist: 202 at once, computed by the worker process.
        accepted = http.post(f"/v1/vacancies/{vacancy_id}/shortlists", json={"size": 10}, headers=liaison)
        assert accepted.status_code == 202, accepted.text
        assert accepted.json()["status"] == "queued"
        assert accepted.headers["Location"] == f"/v1/shortlists/{accepted.json()['id']}"
        shortlist = wait_for_shortlist(http, accepted.json()["id"], liaison)
        assert shortlist["status"] == "ready", (shortlist, (tmp_path / "worker.log").read_text()[-3000:])
        ranked = [item["profile_id"] for item in shortlist["items"]]
        assert ranked[0] == ids["strong"]
        assert ranked.index(ids["strong"]) < ranked.index(ids["far"])
        assert ranked.index(ids["strong"]) < ranked.index(ids["lacking"])
        assert ids["unrelated"] not in ranked  # holds none of the must-haves: no candidacy
        for item in shortlist["items"]:
            assert abs(sum(item["breakdown"].values()) - item["score"]) < 1e-6
        lacking_item = next(i for i in shortlist["items"] if i["profile_id"] == ids["lacking"])
        assert lacking_item["explanation"]["missing"], lacking_item

        # 5. The liaison presents two candidates; the employer sees anonymised cards and decides.
        presented = http.post(
            f"/v1/shortlists/{shortlist['id']}/present",
            json={"profile_ids": [ids["strong"], ids["far"]]},
            headers=liaison,
        )
        assert presented.status_code == 200, presented.text
        cards = wait_for_cards(http, vacancy_id, employer)  # measured by the worker's card keeper
        assert len(cards) == 2 and all(card["privacy"] for card in cards)
        text = str(cards)
        for secret in (ids["strong"], ids["far"], world.counselling_id, "1070", "Service de guidance"):
            assert secret not in text
        # Romani is not asked for by the job: showing it could reveal origin.
        assert {lang["code"] for card in cards for lang in card["languages"]} <= {"nl", "fr"}
        assert cards[0]["pitch"] is None  # the counsellor did not allow it
        ref = cards[0]["candidate_ref"]
        decide = f"/v1/vacancies/{vacancy_id}/candidates/{ref}/decision"
        assert http.post(decide, json={"decision": "interested"}, headers=employer).status_code == 200
        response = http.post(
            decide, json={"decision": "interview", "interview_at": "2027-01-12T10:00:00+01:00"}, headers=employer
        )
        assert response.status_code == 200, response.text
        assert http.post(decide, json={"decision": "hired"}, headers=employer).status_code == 200
        refused = http.post(decide, json={"decision": "declined", "reason": "skills"}, headers=employer)
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "invalid_transition"
        other = f"/v1/vacancies/{vacancy_id}/candidates/{cards[1]['candidate_ref']}/decision"
        assert (
            http.post(other, json={"decision": "declined", "reason": "mobility"}, headers=employer).status_code == 200
        )

        # 6. Each counsellor reads the trajectory: phase changes and every employer-side event, newest first.
        # Cards show a score band, not the score, so which card is which person is the counsellor's to see.
        latest = {
            key: http.get(f"/v1/profiles/{ids[key]}/trajectory", headers=counsellor).json()["events"][0]["kind"]
            for key in ("strong", "far")
        }
        hired_id = ids["strong"] if latest["strong"] == "hired" else ids["far"]
        trajectory = http.get(f"/v1/profiles/{hired_id}/trajectory", headers=counsellor).json()
        kinds = [event["kind"] for event in trajectory["events"]]
        assert kinds == ["hired", "interview", "interested", "presented", "shortlisted", "phase_changed"]
        assert trajectory["events"][0]["vacancy_title"] == "Schoonmaker kantoren (m/v/x)"
        assert trajectory["opportunities"][0]["status"] == "hired"
        declined_id = ids["far"] if hired_id == ids["strong"] else ids["strong"]
        declined = http.get(f"/v1/profiles/{declined_id}/trajectory", headers=counsellor).json()
        assert declined["events"][0]["kind"] == "declined"
        assert declined["events"][0]["reason"] == "mobility"
