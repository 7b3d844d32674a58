"""Webhooks delivered by real worker processes: every event of the whole path reaches each organisation's
receiver exactly once after de-duplication, signed, in the change feed's order, even from receivers that
refused or were down for a while, across a worker restart.

Everything is real: PostgreSQL, Redis, `blindmatch serve` and `celery worker` processes, and HTTP servers
on loopback as receivers (the operator's BLINDMATCH_WEBHOOKS_ALLOW_PRIVATE is set for them).
"""

from __future__ import annotations

import json

import pytest
from standardwebhooks.webhooks import Webhook

from matching.schemas.events import EVENT_TYPES
from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.processes import api_server, service_env, wait_until, worker
from tests.webhook_receiver import Receiver

pytestmark = pytest.mark.e2e
# Short retries (seconds) so that a receiver down for a while gets its events within the test; production
# waits 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
RETRY_DELAYS = "1,1,1,2,2,2,3,3,3,4,4,4,5,5,5,5"
PATH_TYPES = {
    "counsellor": ["profile.phase_changed", "candidate.shortlisted", "candidate.presented", "candidate.decision",
                   "candidate.decision"],
    "liaison": ["vacancy.opened", "shortlist.ready", "candidate.presented", "candidate.decision",
                "candidate.decision"],
    "employer": ["vacancy.opened", "candidate.presented", "candidate.decision", "candidate.decision"],
}


def feed(http, token: str) -> list[dict]:
    response = http.get("/v1/events", params={"limit": 500}, headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()["items"]


def deliveries(http, token: str, webhook_id: str) -> list[dict]:
    response = http.get(f"/v1/webhooks/{webhook_id}/deliveries", headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()


def walk_the_path(http, world) -> tuple[str, str]:
    """Publish, post a vacancy, shortlist (computed by the worker), present, interview, hire."""
    counsellor, liaison, employer = bearer(world.counsellor), bearer(world.liaison), bearer(world.employer)
    profile = http.post("/v1/profiles", json=profile_body(), headers=counsellor)
    assert profile.status_code == 201, profile.text
    profile_id = profile.json()["id"]
    vacancy = http.post("/v1/vacancies", json=vacancy_body(employer_id=world.employer_id), headers=liaison)
    assert vacancy.status_code == 201, vacancy.text
    vacancy_id = vacancy.json()["id"]
    # The database is shared with other tests: the largest shortlist keeps this test's profile on it.
    accepted = http.post(f"/v1/vacancies/{vacancy_id}/shortlists", json={"size": 100}, headers=liaison)
    assert accepted.status_code == 202, accepted.text
    shortlist_url = f"/v1/shortlists/{accepted.json()['id']}"
    wait_until(lambda: http.get(shortlist_url, headers=liaison).json()["status"] == "ready", timeout=180,
               what="the shortlist")
    presented = http.post(f"{shortlist_url}/present", json={"profile_ids": [profile_id]}, headers=liaison)
    assert presented.status_code == 200 and presented.json()["presented"] == [profile_id], presented.text
    (card,) = http.get(f"/v1/vacancies/{vacancy_id}/candidates", headers=employer).json()
    decide = f"/v1/vacancies/{vacancy_id}/candidates/{card['candidate_ref']}/decision"
    interview = {"decision": "interview", "interview_at": "2027-01-12T10:00:00+01:00"}
    assert http.post(decide, json=interview, headers=employer).status_code == 200
    assert http.post(decide, json={"decision": "hired"}, headers=employer).status_code == 200
    return profile_id, card["candidate_ref"]


# A database of its own: in the shared one, other tests' profiles scoring the same fill the fair draw's band
# (matching/ranking/fair_order.py), so this test's profile could be left off the shortlist.
def test_every_event_of_the_path_reaches_each_receiver_once_signed_even_after_it_was_down(fresh_pg, queue, tmp_path):
    env = service_env(
        BLINDMATCH_QUEUE=queue,
        BLINDMATCH_WEBHOOKS_ALLOW_PRIVATE="true",
        BLINDMATCH_WEBHOOK_RETRY_DELAYS=RETRY_DELAYS,
        BLINDMATCH_MAINTENANCE_INTERVAL=0.5,
    )
    receivers = {
        "counsellor": Receiver().start(),
        "employer": Receiver(refuse_first=3).start(),  # answers 503 to its first three deliveries
        "liaison": Receiver(),  # down (nothing listens) until the path is over and a worker restarted
    }
    try:
        with api_server(tmp_path / "api.log", env) as api:
            http = api.http
            world = create_world(http)
            tokens = {role: getattr(world, role) for role in receivers}
            hooks = {}
            for role, receiver in receivers.items():
                created = http.post("/v1/webhooks", json={"url": receiver.url, "events": list(EVENT_TYPES)},
                                    headers=bearer(tokens[role]))
                assert created.status_code == 201, created.text
                hooks[role] = created.json()

            first = worker(tmp_path / "worker-1.log", env)
            w1 = first.__enter__()
            try:
                profile_id, candidate_ref = walk_the_path(http, world)

                def liaison_refused_twice() -> bool:
                    log = deliveries(http, world.liaison, hooks["liaison"]["id"])
                    return any(len(d["log"]) >= 2 for d in log)

                wait_until(liaison_refused_twice, timeout=180, what=f"failed attempts: {w1.tail()}")
            finally:
                first.__exit__(None, None, None)  # retries are due in the database, not in this worker

            receivers["liaison"].start()
            with worker(tmp_path / "worker-2.log", env) as w2:
                expected = {role: feed(http, tokens[role]) for role in receivers}
                for role, receiver in receivers.items():
                    assert [e["type"] for e in expected[role]] == PATH_TYPES[role]
                    count = len(expected[role])
                    wait_until(lambda r=receiver, n=count: len(r.unique()) >= n, timeout=180,
                               what=f"the {role}'s events: {w2.tail()}")
                    wait_until(
                        lambda r=role: all(d["status"] == "delivered"
                                           for d in deliveries(http, tokens[r], hooks[r]["id"])),
                        timeout=60, what=f"the {role}'s delivery log to settle",
                    )

            for role, receiver in receivers.items():
                # Exactly once after de-duplication, in the feed's order, each body the feed's item itself.
                assert receiver.events() == expected[role], role
                assert len(receiver.unique()) == len(expected[role])
                for headers, body in receiver.unique().values():
                    Webhook(hooks[role]["secret"]).verify(body, headers)  # raises on a bad signature
                    assert headers["webhook-id"].startswith("msg_")

            employer_bodies = [body for _, body in receivers["employer"].unique().values()]
            assert profile_id not in "".join(employer_bodies) and world.counselling_id not in "".join(employer_bodies)
            assert {json.loads(b)["data"].get("candidate_ref") for b in employer_bodies} == {None, candidate_ref}

            # The delivery logs tell the story: 503s then a 2xx for the employer, refused connections for the
            # liaison before it came up.
            employer_log = deliveries(http, world.employer, hooks["employer"]["id"])
            codes = [a["status_code"] for d in employer_log for a in d["log"]]
            assert codes.count(503) == 3 and codes.count(204) == len(expected["employer"])
            refused = [a for d in deliveries(http, world.liaison, hooks["liaison"]["id"]) for a in d["log"]
                       if a["status_code"] is None]
            assert refused and all(a["error"] and a["next_attempt_at"] for a in refused)
    finally:
        for receiver in receivers.values():
            receiver.stop()
