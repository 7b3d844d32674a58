"""Over HTTP: a vacancy shows its hard/soft requirements, a shortlist explains itself in the reader's
language, and a counsellor sees which skill or language level would open more vacancies."""

from __future__ import annotations

import pytest

from tests.factories import bearer, create_world, profile_body, vacancy_body


@pytest.fixture
def world(client):
    return create_world(client)


def post(client, path: str, body: dict, token: str) -> dict:
    response = client.post(path, json=body, headers=bearer(token))
    assert response.status_code in (201, 202), response.text
    return response.json()


def computed_shortlist(client, world, vacancy_id: str) -> str:
    """Request a shortlist over HTTP and run the worker's own service function on it, in this process."""
    from matching.services import shortlists
    from matching.store.db import session_scope

    # The session's shared database holds every profile other tests published, many identical to this
    # test's (ties fall by random profile id): the largest size the API allows keeps this test's on the list.
    shortlist_id = post(client, f"/v1/vacancies/{vacancy_id}/shortlists", {"size": 100}, world.liaison)["id"]
    with session_scope() as session:
        shortlists.compute(session, shortlist_id)
    return shortlist_id


def test_a_vacancy_shows_which_requirements_are_hard_and_a_bad_mode_is_a_422(client, world):
    body = vacancy_body(employer_id=world.employer_id, constraints={"commute": "hard"})
    vacancy = post(client, "/v1/vacancies", body, world.liaison)
    assert vacancy["constraints"] == {"languages": "hard", "hours": "hard", "commute": "hard",
                                      "driving_licence": "hard"}
    patched = client.patch(f"/v1/vacancies/{vacancy['id']}", json={"constraints": {"languages": "soft"}},
                           headers=bearer(world.liaison))
    assert patched.status_code == 200, patched.text
    assert patched.json()["constraints"]["languages"] == "soft"
    assert patched.json()["constraints"]["commute"] == "hard"  # what was set before stays
    bad = client.post("/v1/vacancies", json=vacancy_body(employer_id=world.employer_id,
                                                         constraints={"languages": "strict"}),
                      headers=bearer(world.liaison))
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "constraints.languages", bad.text


def test_a_shortlist_explains_itself_in_the_readers_language(client, world):
    profile_id = post(client, "/v1/profiles", profile_body(), world.counsellor)["id"]
    # Dutch spoken B1 asked softly: the candidate (A2) stays on the list, with a gap note.
    body = vacancy_body(employer_id=world.employer_id, languages=[{"code": "nl", "spoken": "B1"}],
                        constraints={"languages": "soft"})
    vacancy_id = post(client, "/v1/vacancies", body, world.liaison)["id"]
    shortlist_id = computed_shortlist(client, world, vacancy_id)

    read = {}
    for header, lang in ((None, "en"), ("fr-BE,fr;q=0.9", "fr"), ("nl-BE", "nl")):
        headers = bearer(world.liaison) | ({"Accept-Language": header} if header else {})
        response = client.get(f"/v1/shortlists/{shortlist_id}", headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-language"] == lang
        item = next(i for i in response.json()["items"] if i["profile_id"] == profile_id)
        assert item["explanation"]["lang"] == lang
        read[lang] = item

    gaps = {lang: next(n["text"] for n in item["explanation"]["notes"] if n["code"] == "language_gap")
            for lang, item in read.items()}
    assert gaps == {
        "en": "Dutch spoken A2, the vacancy asks B1",
        "fr": "néerlandais oral A2, l'offre demande B1",
        "nl": "Nederlands mondeling A2, de vacature vraagt B1",
    }
    matched = read["fr"]["explanation"]["matched"][0]
    assert matched["text"] == f"exigence « kantoren schoonmaken » : couverte par « {matched['via']} »"
    commute = next(n for n in read["nl"]["explanation"]["notes"] if n["code"].startswith("commute"))
    assert f"{commute['minutes']} min" in commute["text"] and "reistijd" in commute["text"]
    # The same stored codes and numbers whatever the language.
    assert read["en"]["breakdown"] == read["fr"]["breakdown"] == read["nl"]["breakdown"]


def test_a_counsellor_sees_which_language_level_would_open_more_vacancies(client, world):
    from tests.processes import fits_here

    profile_id = post(client, "/v1/profiles", profile_body(), world.counsellor)["id"]  # Dutch spoken A2
    fits_here(profile_ids=[profile_id])  # computed before the vacancies below: the view asks again
    vacancy_ids = [post(client, "/v1/vacancies", vacancy_body(employer_id=world.employer_id,
                                                               languages=[{"code": "nl", "spoken": "B1"}]),
                        world.liaison)["id"] for _ in range(2)]
    fits_here(vacancy_ids=vacancy_ids)
    headers = bearer(world.counsellor) | {"Accept-Language": "fr"}
    assert client.get(f"/v1/profiles/{profile_id}/gaps", headers=headers).json()["status"] == "pending"
    fits_here(profile_ids=[profile_id])  # the worker's task the read asked for
    response = client.get(f"/v1/profiles/{profile_id}/gaps", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["profile_id"] == profile_id and body["lang"] == "fr" and body["status"] == "ready"
    assert body["open_vacancies"] >= 2
    dutch = next(g for g in body["gaps"] if (g["kind"], g["language"], g["channel"], g["level"]) ==
                 ("language", "nl", "spoken", "B1"))
    assert dutch["opens"] >= 2
    assert dutch["text"] == f"néerlandais oral B1 ouvrirait {dutch['opens']} offres de plus"
    assert dutch["best_score_after"] >= body["best_score"]

    # Another organisation's counsellor, an employer: the profile is not theirs to see.
    other = create_world(client, admin=world.admin)
    assert client.get(f"/v1/profiles/{profile_id}/gaps", headers=bearer(other.counsellor)).status_code == 404
    assert client.get(f"/v1/profiles/{profile_id}/gaps", headers=bearer(world.employer)).status_code == 403
    assert client.get(f"/v1/profiles/{profile_id}/gaps?limit=0", headers=bearer(world.counsellor)).status_code == 422
