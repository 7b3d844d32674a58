"""An employer learns only what the job needs: cards on a programme year of 60 profiles, over the API.

The shortlist is computed by calling the scoring service in this process (the worker's path is the
end-to-end and canary tests' business); everything else goes through HTTP.
"""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from tests.conftest import DATA_DIR, use_database
from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.population import POSTCODES, profile_bodies
from tests.processes import measure_cards_here

pytestmark = pytest.mark.usefixtures("redis_url")  # the shortlist messages sent here are cleaned up

ASKED = {"nl", "fr"}  # the vacancy's languages (tests/factories.py VACANCY)


def compute_in_process(shortlist_id: str) -> None:
    from matching.services import shortlists
    from matching.store.db import session_scope

    with session_scope() as session:
        shortlists.compute(session, shortlist_id)


def strings(value) -> list[str]:
    """Every string in a JSON value (numbers left out: a score's digits are not a postcode)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


@pytest.fixture(scope="module")
def programme():
    """A database of its own with one programme year published, a vacancy, and ten presented cards."""
    from api.app import app
    from matching.services.bootstrap import prepare_database

    # A file of its own each time the fixture is set up: should pytest set it up twice (tests of this module
    # not run together), a second programme year must not be published next to the first.
    use_database(f"sqlite:///{DATA_DIR / f'disclosure-{uuid.uuid4().hex[:8]}.db'}")
    prepare_database()
    with TestClient(app, raise_server_exceptions=False) as client:
        world = create_world(client)
        counsellor, liaison, employer = bearer(world.counsellor), bearer(world.liaison), bearer(world.employer)
        bodies = profile_bodies(seed=7)
        # One of them has everything a card must not show: a language not asked, a pitch not allowed.
        bodies[0] = profile_body(pitch="Je parle romani à la maison.", pitch_visible=False)
        profiles = []
        for body in bodies:
            response = client.post("/v1/profiles", json=body, headers=counsellor)
            assert response.status_code == 201, response.text
            profiles.append(response.json())
        vacancy = client.post("/v1/vacancies", json=vacancy_body(employer_id=world.employer_id), headers=liaison)
        assert vacancy.status_code == 201, vacancy.text
        vacancy_id = vacancy.json()["id"]
        accepted = client.post(f"/v1/vacancies/{vacancy_id}/shortlists", json={"size": 40}, headers=liaison)
        assert accepted.status_code == 202, accepted.text
        compute_in_process(accepted.json()["id"])
        shortlist = client.get(f"/v1/shortlists/{accepted.json()['id']}", headers=liaison).json()
        assert shortlist["status"] == "ready", shortlist
        chosen = [item["profile_id"] for item in shortlist["items"][:10]]
        if profiles[0]["id"] not in chosen:
            chosen[-1] = profiles[0]["id"]
            assert profiles[0]["id"] in {item["profile_id"] for item in shortlist["items"]}
        response = client.post(
            f"/v1/shortlists/{shortlist['id']}/present", json={"profile_ids": chosen}, headers=liaison
        )
        assert response.status_code == 200, response.text
        measure_cards_here()  # a worker's card keeper, in this process
        cards = client.get(f"/v1/vacancies/{vacancy_id}/candidates", headers=employer)
        assert cards.status_code == 200, cards.text
        yield {
            "client": client,
            "world": world,
            "profiles": {p["id"]: p for p in profiles},
            "vacancy_id": vacancy_id,
            "shortlist": shortlist,
            "chosen": chosen,
            "cards": cards.json(),
        }


def test_cards_show_only_the_languages_the_job_asks(programme):
    codes = {lang["code"] for card in programme["cards"] for lang in card["languages"]}
    assert codes <= ASKED, codes
    assert "rom" not in str(programme["cards"]) and "Romani" not in str(programme["cards"])


def test_cards_name_no_organisation_no_postcode_no_profile(programme):
    world = programme["world"]
    texts = set(strings(programme["cards"]))
    forbidden = {world.counselling_id, "Service de guidance", *POSTCODES, "1070", *programme["chosen"]}
    assert not forbidden & texts
    joined = " ".join(texts)
    for secret in forbidden:
        assert secret not in joined, secret
    for card in programme["cards"]:
        assert set(card) >= {"candidate_ref", "privacy"} and "profile_id" not in card
        assert "organisation_id" not in card and "postcode" not in str(card["commute"])


def test_the_pitch_shows_only_where_the_counsellor_allowed_it(programme):
    client, vacancy_id = programme["client"], programme["vacancy_id"]
    profiles, chosen = programme["profiles"], programme["chosen"]
    allowed = {profiles[i]["pitch"] for i in chosen if profiles[i]["pitch_visible"]}
    shown = {card["pitch"] for card in programme["cards"] if card["pitch"] is not None}
    assert shown <= allowed
    assert "Je parle romani à la maison." not in str(programme["cards"])
    with_pitch = [c for c in programme["cards"] if c["pitch"]]
    assert len(with_pitch) == len([i for i in chosen if profiles[i]["pitch_visible"]])
    # The counsellor allows it: the next view shows it.
    world = programme["world"]
    first = chosen[0]
    response = client.patch(f"/v1/profiles/{first}", json={"pitch_visible": True}, headers=bearer(world.counsellor))
    assert response.status_code == 200, response.text
    cards = client.get(f"/v1/vacancies/{vacancy_id}/candidates", headers=bearer(world.employer)).json()
    assert profiles[first]["pitch"] in {card["pitch"] for card in cards}


def test_every_card_hides_among_five_published_profiles(programme):
    for card in programme["cards"]:
        privacy = card["privacy"]
        assert privacy["k_target"] == 5 and privacy["met"] and privacy["k"] >= 5, card
        assert set(privacy["generalised"]) == {"area", "hours", "languages", "start", "shifts", "skills", "licence"}
        # Never the exact commute, hours or start day: bands, months or yes/no at most.
        assert "estimated_minutes" not in card["commute"]
        assert card["availability"].get("start") is None or len(card["availability"]["start"]) == 7
        for note in card["explanation"].get("notes", []):
            assert "limit" not in note and "days" not in note and "hours_min" not in note, note


def test_the_same_person_has_another_ref_on_another_vacancy(programme):
    client, world = programme["client"], programme["world"]
    liaison = bearer(world.liaison)
    other = client.post(
        "/v1/vacancies", json=vacancy_body(employer_id=world.employer_id, title="Nettoyage bureaux"), headers=liaison
    ).json()
    accepted = client.post(f"/v1/vacancies/{other['id']}/shortlists", json={"size": 40}, headers=liaison).json()
    compute_in_process(accepted["id"])
    shortlist = client.get(f"/v1/shortlists/{accepted['id']}", headers=liaison).json()
    both = [p for p in programme["chosen"] if p in {item["profile_id"] for item in shortlist["items"]}][:3]
    assert both
    response = client.post(f"/v1/shortlists/{shortlist['id']}/present", json={"profile_ids": both}, headers=liaison)
    assert response.status_code == 200, response.text
    measure_cards_here()
    first = {c["candidate_ref"] for c in programme["cards"]}
    second = {c["candidate_ref"] for c in client.get(f"/v1/vacancies/{other['id']}/candidates", headers=liaison).json()}
    assert len(second) == len(both) and not first & second


def test_views_presentations_and_decisions_are_audited_without_profile_ids(programme):
    client, world = programme["client"], programme["world"]
    card = programme["cards"][0]
    decide = f"/v1/vacancies/{programme['vacancy_id']}/candidates/{card['candidate_ref']}/decision"
    decided = client.post(decide, json={"decision": "declined", "reason": "language"}, headers=bearer(world.employer))
    assert decided.status_code == 200, decided.text
    assert decided.json()["privacy"]["k"] >= 5
    entries = client.get("/v1/audit?limit=1000", headers=bearer(world.admin)).json()
    actions = [e["action"] for e in entries]
    assert {"candidates.presented", "cards.viewed", "candidate.decided"} <= set(actions)
    text = str(entries)
    for profile_id in programme["profiles"]:
        assert profile_id not in text
    from matching.store.audit import ref_digest

    # Refs are kept as keyed digests: an erased person's ref is then stored nowhere, yet still findable.
    assert card["candidate_ref"] not in text and ref_digest(card["candidate_ref"]) in text
    verification = client.get("/v1/audit/verify", headers=bearer(world.admin)).json()
    assert verification["ok"] and verification["entries"] == len(entries), verification


def test_cards_follow_publishes_changes_and_closures_as_if_computed_afresh(programme):
    """The workers keep the crowds up to date from the change log; the cards must not tell."""
    from sqlalchemy import delete

    from matching.services import crowds
    from matching.store.db import session_scope
    from matching.store.models import CardCrowdState

    client, world, vacancy_id = programme["client"], programme["world"], programme["vacancy_id"]
    counsellor, employer = bearer(world.counsellor), bearer(world.employer)
    path = f"/v1/vacancies/{vacancy_id}/candidates"

    def cards_now_and_afresh() -> tuple[list, list]:
        measure_cards_here()  # the keeper's round after the changes: its crowds updated, not rebuilt
        kept = client.get(path, headers=employer)
        crowds.reset()  # a worker just started: crowds built from the profiles, every vacancy measured
        with session_scope() as session:
            session.execute(delete(CardCrowdState))
        assert measure_cards_here() >= 1
        fresh = client.get(path, headers=employer)
        assert kept.status_code == fresh.status_code == 200, (kept.text, fresh.text)
        return kept.json(), fresh.json()

    measure_cards_here()  # the crowd is built; everything below updates it
    chosen, others = programme["chosen"], [p for p in programme["profiles"] if p not in programme["chosen"]]
    # A presented candidate moves further away and works fewer hours; another is closed (still shown).
    moved = {"postcode": "1140", "max_commute_minutes": 60, "transport": ["public_transport"]}
    for profile_id, change in [
        (chosen[1], {"mobility": moved}),
        (chosen[2], {"availability": {"hours_min": 8, "hours_max": 12, "shifts": ["day"], "start": "2027-03-01"}}),
        (chosen[3], {"published": False}),
        (others[0], {"published": False}),
    ]:
        response = client.patch(f"/v1/profiles/{profile_id}", json=change, headers=counsellor)
        assert response.status_code == 200, response.text
    kept, fresh = cards_now_and_afresh()
    assert kept == fresh
    # New profiles like the moved one that pass the vacancy's hard constraints: the crowd grows (only
    # those who could have been presented count), and the cards may show more.
    for _ in range(6):
        body = profile_body(mobility=moved)
        assert client.post("/v1/profiles", json=body, headers=counsellor).status_code == 201
    erased = client.delete(f"/v1/profiles/{others[1]}", headers=counsellor)
    assert erased.status_code == 204, erased.text
    kept, fresh = cards_now_and_afresh()
    assert kept == fresh
    assert all(card["privacy"]["met"] for card in kept if card["status"] != "withdrawn")
