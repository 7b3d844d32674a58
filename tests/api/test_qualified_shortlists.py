"""Over HTTP: each shortlist item says whether it qualifies, and a liaison can ask for qualified ones only."""

from __future__ import annotations

from tests.api.test_explanations_and_gaps import post
from tests.factories import bearer, create_world, profile_body, vacancy_body

VAN = {"label": "bestelwagen rijden"}


def computed(client, world, vacancy_id: str, body: dict) -> dict:
    from matching.services import shortlists
    from matching.store.db import session_scope

    shortlist_id = post(client, f"/v1/vacancies/{vacancy_id}/shortlists", {"size": 100, **body}, world.liaison)["id"]
    with session_scope() as session:
        shortlists.compute(session, shortlist_id)
    response = client.get(f"/v1/shortlists/{shortlist_id}", headers=bearer(world.liaison) | {"Accept-Language": "fr"})
    assert response.status_code == 200, response.text
    return response.json()


def test_items_say_whether_they_qualify_and_qualified_only_drops_the_tail(client):
    world = create_world(client)
    half = post(client, "/v1/profiles", profile_body(), world.counsellor)["id"]
    whole_body = profile_body()
    whole_body["skills"] = [*whole_body["skills"], {"label": "conduire une camionnette"}]
    whole = post(client, "/v1/profiles", whole_body, world.counsellor)["id"]
    body = vacancy_body(employer_id=world.employer_id, must_have=[*vacancy_body()["must_have"], VAN])
    vacancy_id = post(client, "/v1/vacancies", body, world.liaison)["id"]

    padded = computed(client, world, vacancy_id, {})
    assert padded["qualified_only"] is False
    items = {i["profile_id"]: i for i in padded["items"] if i["profile_id"] in (half, whole)}
    assert items[whole]["qualified"] is True and items[half]["qualified"] is False
    first_note = items[half]["explanation"]["notes"][0]
    assert first_note["code"] == "not_qualified"
    assert first_note["text"] == "ne remplit pas les conditions : il manque des exigences (« bestelwagen rijden »)"
    assert all(n["code"] != "not_qualified" for n in items[whole]["explanation"]["notes"])

    strict = computed(client, world, vacancy_id, {"qualified_only": True})
    assert strict["qualified_only"] is True
    ours = [i["profile_id"] for i in strict["items"] if i["profile_id"] in (half, whole)]
    assert ours == [whole]
    assert all(i["qualified"] for i in strict["items"])


def test_qualified_only_must_be_a_boolean(client):
    world = create_world(client)
    vacancy_id = post(client, "/v1/vacancies", vacancy_body(employer_id=world.employer_id), world.liaison)["id"]
    response = client.post(f"/v1/vacancies/{vacancy_id}/shortlists", json={"qualified_only": "perhaps"},
                           headers=bearer(world.liaison))
    assert response.status_code == 422 and response.json()["error"]["field"] == "qualified_only", response.text


def test_a_batch_asks_for_qualified_candidates_only_too(client):
    world = create_world(client)
    vacancy_id = post(client, "/v1/vacancies", vacancy_body(employer_id=world.employer_id), world.liaison)["id"]
    batch = client.post("/v1/shortlists/batch", json={"vacancy_ids": [vacancy_id], "qualified_only": True},
                        headers=bearer(world.liaison))
    assert batch.status_code == 202, batch.text
    read = client.get(f"/v1/shortlists/{batch.json()[0]['id']}", headers=bearer(world.liaison))
    assert read.status_code == 200 and read.json()["qualified_only"] is True, read.text
