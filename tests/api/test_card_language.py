"""Employers read their candidates' cards in their own language: Dutch, French or English."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from tests.conftest import DATA_DIR, use_database
from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.processes import compute_here, present_top

pytestmark = pytest.mark.usefixtures("redis_url")  # the shortlist message sent here is cleaned up


@pytest.fixture(scope="module")
def carded():
    """Six alike profiles (so nothing needs generalising), one presented on a Dutch-speaking vacancy."""
    from api.app import app
    from matching.services.bootstrap import prepare_database

    use_database(f"sqlite:///{DATA_DIR / f'card-language-{uuid.uuid4().hex[:8]}.db'}")
    prepare_database()
    with TestClient(app, raise_server_exceptions=False) as http:
        world = create_world(http)
        for _ in range(6):
            assert http.post("/v1/profiles", json=profile_body(), headers=bearer(world.counsellor)).status_code == 201
        vacancy = http.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()
        present_top(http, world, compute_here(http, world, vacancy["id"]))
        yield http, world, vacancy["id"]
    use_database(None)


@pytest.mark.parametrize(
    ("accept", "lang", "words"),
    [("nl-BE,nl;q=0.9", "nl", ("vereiste", "reistijd")), ("fr-BE", "fr", ("exigence", "trajet")),
     (None, "en", ("must-have", "commute"))],
)
def test_cards_and_decisions_speak_the_readers_language(carded, accept, lang, words):
    http, world, vacancy_id = carded
    headers = bearer(world.employer) | ({"Accept-Language": accept} if accept else {})
    response = http.get(f"/v1/vacancies/{vacancy_id}/candidates", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Language"] == lang
    (card,) = response.json()
    explanation = card["explanation"]
    assert explanation["lang"] == lang and card["privacy"]["k"] >= 5
    texts = [item["text"] for item in explanation["matched"]] + [note["text"] for note in explanation["notes"]]
    assert any(words[0] in text for text in texts), texts
    assert any(words[1] in text for text in texts), texts
    assert all("{" not in text for text in texts), texts

    decided = http.post(
        f"/v1/vacancies/{vacancy_id}/candidates/{card['candidate_ref']}/decision",
        json={"decision": "interview", "interview_at": "2027-01-10T10:00:00Z"}
        if card["status"] != "interview" else {"decision": "interview", "interview_at": "2027-01-11T10:00:00Z"},
        headers=headers,
    )
    assert decided.status_code == 200, decided.text
    assert decided.headers["Content-Language"] == lang and decided.json()["explanation"]["lang"] == lang
