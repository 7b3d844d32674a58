"""The change feed and webhook management over HTTP: each organisation reads its own events, in order, each
carrying only what that organisation may see; webhooks are its own, their secret shown once.

Deliveries themselves (a worker posting to a receiver) are tested with real processes in
tests/workers/test_webhook_delivery.py.
"""

from __future__ import annotations

import json

import pytest

from matching.schemas.events import EVENT_TYPES
from tests.api.test_explanations_and_gaps import computed_shortlist, post
from tests.factories import bearer, create_world, profile_body, vacancy_body

# Everything an event may tell the employer's side: ids of its own, the vacancy as it reads it, the card's state.
EMPLOYER_SIDE_KEYS = {"vacancy_id", "employer_id", "title", "sector", "status", "candidate_ref", "decision", "reason",
                      "interview_at", "version", "shortlist_id", "items"}


def feed(client, token: str, *, after: int = 0, limit: int = 100) -> list[dict]:
    """Every event after `after`, following `next` page by page."""
    items: list[dict] = []
    while True:
        response = client.get("/v1/events", params={"after": after, "limit": limit}, headers=bearer(token))
        assert response.status_code == 200, response.text
        page = response.json()
        items += page["items"]
        if len(page["items"]) < limit:
            assert "link" not in response.headers
            return items
        assert f"after={page['next']}" in response.headers["link"]
        after = page["next"]


def walk_the_path(client):
    """Publish, post a vacancy, shortlist, present, interview, hire: the world, ids and the hired card."""
    world = create_world(client)
    profile = post(client, "/v1/profiles", profile_body(), world.counsellor)
    vacancy = post(client, "/v1/vacancies", vacancy_body(employer_id=world.employer_id), world.liaison)
    shortlist_id = computed_shortlist(client, world, vacancy["id"])
    presented = client.post(f"/v1/shortlists/{shortlist_id}/present", json={"profile_ids": [profile["id"]]},
                            headers=bearer(world.liaison))
    assert presented.status_code == 200, presented.text
    (card,) = client.get(f"/v1/vacancies/{vacancy['id']}/candidates", headers=bearer(world.employer)).json()
    decide = f"/v1/vacancies/{vacancy['id']}/candidates/{card['candidate_ref']}/decision"
    interview = {"decision": "interview", "interview_at": "2027-01-12T10:00:00+01:00"}
    assert client.post(decide, json=interview, headers=bearer(world.employer)).status_code == 200
    hired = client.post(decide, json={"decision": "hired"}, headers=bearer(world.employer))
    assert hired.status_code == 200, hired.text
    return world, profile["id"], vacancy["id"], shortlist_id, hired.json()


def test_each_organisation_follows_the_path_in_order_with_what_it_may_see(client):
    world, profile_id, vacancy_id, shortlist_id, card = walk_the_path(client)

    counsellor = feed(client, world.counsellor, limit=2)  # small pages: `next` and Link carry the reader on
    assert [e["type"] for e in counsellor] == ["profile.phase_changed", "candidate.shortlisted",
                                               "candidate.presented", "candidate.decision", "candidate.decision"]
    assert [e["cursor"] for e in counsellor] == sorted(e["cursor"] for e in counsellor)
    assert all(e["data"]["profile_id"] == profile_id for e in counsellor)
    assert counsellor[0]["data"] == {"profile_id": profile_id, "phase": "job_search", "previous_phase": None,
                                     "published": True}
    interview, hired = counsellor[3]["data"], counsellor[4]["data"]
    assert (interview["decision"], interview["interview_at"]) == ("interview", "2027-01-12T09:00:00Z")
    assert hired["decision"] == "hired" and hired["vacancy_title"] == vacancy_body()["title"]
    assert "candidate_ref" not in json.dumps(counsellor)  # the employer's name for the person stays there
    assert world.employer_id not in json.dumps(counsellor)

    liaison = feed(client, world.liaison)
    assert [e["type"] for e in liaison] == ["vacancy.opened", "shortlist.ready", "candidate.presented",
                                            "candidate.decision", "candidate.decision"]
    assert liaison[1]["data"]["shortlist_id"] == shortlist_id

    employer = feed(client, world.employer)
    assert [e["type"] for e in employer] == ["vacancy.opened", "candidate.presented", "candidate.decision",
                                             "candidate.decision"]
    for events in (liaison, employer):
        text = json.dumps(events)
        assert profile_id not in text and world.counselling_id not in text and "pitch" not in text
        for event in events:
            assert set(event["data"]) <= EMPLOYER_SIDE_KEYS, event
        last = events[-1]["data"]
        # The card's own pseudonym and state, nothing of the person.
        assert (last["candidate_ref"], last["status"], last["version"]) == (card["candidate_ref"], "hired",
                                                                            card["version"])
    assert employer[-2]["data"]["interview_at"] == "2027-01-12T09:00:00Z"
    assert {e["data"]["vacancy_id"] for e in employer + liaison} == {vacancy_id}

    # Reading on from the last cursor gives nothing new; the next cursor stays where it was.
    after = employer[-1]["cursor"]
    page = client.get("/v1/events", params={"after": after}, headers=bearer(world.employer)).json()
    assert page == {"items": [], "next": after}


def test_phase_changes_and_closing_reach_their_organisations_only(client):
    world = create_world(client)
    other = create_world(client)
    profile = post(client, "/v1/profiles", profile_body(phase="intake"), world.counsellor)
    phase = {"phase": "training", "note": "Formation en nettoyage industriel"}
    assert client.post(f"/v1/profiles/{profile['id']}/phase", json=phase,
                       headers=bearer(world.counsellor)).status_code == 200
    vacancy = post(client, "/v1/vacancies", vacancy_body(employer_id=world.employer_id), world.employer)
    assert client.post(f"/v1/vacancies/{vacancy['id']}/close", headers=bearer(world.employer)).status_code == 200
    assert client.post(f"/v1/vacancies/{vacancy['id']}/close", headers=bearer(world.employer)).status_code == 200

    changed = feed(client, world.counsellor)[-1]
    assert changed["type"] == "profile.phase_changed"
    assert changed["data"] == {"profile_id": profile["id"], "phase": "training", "previous_phase": "intake",
                               "published": True}
    assert "nettoyage" not in json.dumps(changed)  # the counsellor's note stays with the counsellor
    for token in (world.employer, world.liaison):  # the liaison follows the employer's vacancies too
        assert [e["type"] for e in feed(client, token)] == ["vacancy.opened", "vacancy.closed"]  # closed once
    for token in (other.counsellor, other.liaison, other.employer):
        assert feed(client, token) == []
    refused = client.get("/v1/events", headers=bearer(world.admin))
    assert refused.status_code == 403


def test_an_erased_profile_leaves_no_event_behind(client):
    world, profile_id, _vacancy_id, _shortlist_id, card = walk_the_path(client)
    assert client.delete(f"/v1/profiles/{profile_id}", headers=bearer(world.counsellor)).status_code == 204
    assert feed(client, world.counsellor) == []
    for token in (world.employer, world.liaison):
        text = json.dumps(feed(client, token))
        assert card["candidate_ref"] not in text and "candidate." not in text


@pytest.fixture
def allow_private(monkeypatch):
    from matching.settings import get_settings

    monkeypatch.setenv("BLINDMATCH_WEBHOOKS_ALLOW_PRIVATE", "true")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("BLINDMATCH_WEBHOOKS_ALLOW_PRIVATE")
    get_settings.cache_clear()


def test_webhooks_are_the_organisations_own_and_the_secret_is_shown_once(client, allow_private):
    world = create_world(client)
    body = {"url": "http://127.0.0.1:9/hooks/blindmatch", "events": ["candidate.decision", "vacancy.opened"]}
    created = client.post("/v1/webhooks", json=body, headers=bearer(world.employer))
    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "no-store"
    hook = created.json()
    assert hook["secret"].startswith("whsec_") and hook["events"] == body["events"]
    listed = client.get("/v1/webhooks", headers=bearer(world.employer)).json()
    assert [h["id"] for h in listed] == [hook["id"]] and "secret" not in listed[0]

    # Another organisation, even the liaison serving this employer, neither sees nor deletes it.
    for token in (world.liaison, world.counsellor):
        assert client.get("/v1/webhooks", headers=bearer(token)).json() == []
        assert client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=bearer(token)).status_code == 404
        assert client.delete(f"/v1/webhooks/{hook['id']}", headers=bearer(token)).status_code == 404

    # Each event it asked for gets a delivery, to be sent by a worker; the others none.
    vacancy = post(client, "/v1/vacancies", vacancy_body(employer_id=world.employer_id), world.employer)
    assert client.post(f"/v1/vacancies/{vacancy['id']}/close", headers=bearer(world.employer)).status_code == 200
    deliveries = client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=bearer(world.employer))
    assert deliveries.status_code == 200 and deliveries.headers["x-total-count"] == "1"
    (delivery,) = deliveries.json()
    assert delivery["event_type"] == "vacancy.opened" and delivery["status"] == "pending"
    assert delivery["id"].startswith("msg_") and delivery["event_id"] == feed(client, world.employer)[0]["id"]

    assert client.delete(f"/v1/webhooks/{hook['id']}", headers=bearer(world.employer)).status_code == 204
    assert client.get(f"/v1/webhooks/{hook['id']}/deliveries", headers=bearer(world.employer)).status_code == 404
    assert client.get("/v1/webhooks", headers=bearer(world.employer)).json() == []


def test_a_webhook_request_is_checked(client):
    world = create_world(client)

    def refused(body: dict) -> dict:
        response = client.post("/v1/webhooks", json=body, headers=bearer(world.counsellor))
        assert response.status_code == 422, response.text
        return response.json()["error"]

    for url in ("ftp://hooks.example.org/in", "http://127.0.0.1:8080/hook", "http://[::1]/hook",
                "http://10.1.2.3/hook", "http://user:pw@93.184.215.14/hook", "javascript://alert(1)",
                "https://xn--localhost/hook", "https://xn--zz.example/hook"):
        error = refused({"url": url, "events": ["candidate.decision"]})
        assert error["field"] == "url" and error["code"] == "url_not_allowed", error
        assert url not in error["message"]
    assert refused({"url": "hooks.example.org/in", "events": ["candidate.decision"]})["field"] == "url"
    assert refused({"url": "https://93.184.215.14/hook", "events": []})["field"] == "events"
    assert refused({"url": "https://93.184.215.14/hook", "events": ["profile.erased"]})["field"].startswith("events")
    accepted = client.post("/v1/webhooks", json={"url": "https://93.184.215.14/hook", "events": list(EVENT_TYPES)},
                           headers=bearer(world.counsellor))
    assert accepted.status_code == 201, accepted.text
    assert client.post("/v1/webhooks", json={"url": "https://93.184.215.14/hook", "events": ["vacancy.opened"]},
                       headers=bearer(world.admin)).status_code == 403


def test_a_decline_carries_its_reason_to_both_sides(client):
    world = create_world(client)
    profile = post(client, "/v1/profiles", profile_body(), world.counsellor)
    vacancy = post(client, "/v1/vacancies", vacancy_body(employer_id=world.employer_id), world.liaison)
    shortlist_id = computed_shortlist(client, world, vacancy["id"])
    assert client.post(f"/v1/shortlists/{shortlist_id}/present", json={"profile_ids": [profile["id"]]},
                       headers=bearer(world.liaison)).status_code == 200
    (card,) = client.get(f"/v1/vacancies/{vacancy['id']}/candidates", headers=bearer(world.employer)).json()
    decide = f"/v1/vacancies/{vacancy['id']}/candidates/{card['candidate_ref']}/decision"
    declined = client.post(decide, json={"decision": "declined", "reason": "language"}, headers=bearer(world.employer))
    assert declined.status_code == 200, declined.text

    counsellor = feed(client, world.counsellor)[-1]["data"]
    assert (counsellor["decision"], counsellor["reason"], counsellor["profile_id"]) == ("declined", "language",
                                                                                       profile["id"])
    for token in (world.employer, world.liaison):
        data = feed(client, token)[-1]["data"]
        assert (data["decision"], data["status"], data["reason"]) == ("declined", "declined", "language")
        assert data["candidate_ref"] == card["candidate_ref"] and "profile_id" not in data


def test_a_card_awaiting_reconfirmation_shows_no_more_in_events_than_on_the_card(client):
    from tests.api.test_reconfirmation import let_time_pass

    world = create_world(client)
    profile = post(client, "/v1/profiles", profile_body(), world.counsellor)
    vacancy = post(client, "/v1/vacancies", vacancy_body(employer_id=world.employer_id), world.liaison)
    shortlist_id = computed_shortlist(client, world, vacancy["id"])
    assert client.post(f"/v1/shortlists/{shortlist_id}/present", json={"profile_ids": [profile["id"]]},
                       headers=bearer(world.liaison)).status_code == 200
    (card,) = client.get(f"/v1/vacancies/{vacancy['id']}/candidates", headers=bearer(world.employer)).json()
    let_time_pass(profile["id"], days_past_limit=1)
    decide = f"/v1/vacancies/{vacancy['id']}/candidates/{card['candidate_ref']}/decision"
    declined = client.post(decide, json={"decision": "declined", "reason": "availability"},
                           headers=bearer(world.employer))
    assert declined.status_code == 200, declined.text
    assert (declined.json()["status"], declined.json()["reason"]) == ("awaiting_reconfirmation", None)
    data = feed(client, world.employer)[-1]["data"]
    assert (data["status"], data["reason"], data["interview_at"]) == ("awaiting_reconfirmation", None, None)
