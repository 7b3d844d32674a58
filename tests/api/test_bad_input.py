"""Bad input gets a clear 4xx in the error shape of API.md, never a 500, and nothing half-written."""

from __future__ import annotations

import pytest

from tests.factories import bearer, create_world, profile_body, vacancy_body


@pytest.fixture
def world(client):
    return create_world(client)


def profile_count(client, world) -> int:
    return len(client.get("/v1/profiles", headers=bearer(world.counsellor)).json())


UNCHECKED = object()


def assert_error(response, status: int, code: str, field: str | None | object = UNCHECKED) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    assert error["message"]
    if field is not UNCHECKED:
        assert error["field"] == field, error
    return error


@pytest.mark.parametrize(
    "body, code, field",
    [
        # An unexpected key is named by the object that holds it, never by its own name (it may be data).
        (profile_body(name="Jan"), "identity_field", None),
        (profile_body(birth_date="1990-01-01"), "identity_field", None),
        (profile_body(nationality="RO"), "identity_field", None),
        (profile_body(firstName="Ana"), "identity_field", None),
        (profile_body(mobility={"postcode": "1070", "address": "somewhere"}), "identity_field", "mobility"),
        (profile_body(favourite_colour="blue"), "unknown_field", None),
        (profile_body(languages=[{"code": "nl", "spoken": "B3"}]), "invalid", "languages[0].spoken"),
        (profile_body(languages=[{"code": "Dutch", "spoken": "B1"}]), "invalid", "languages[0].code"),
        (profile_body(mobility={"postcode": "9999"}), "unknown_postcode", "mobility.postcode"),
        (profile_body(mobility={"postcode": "10700"}), "invalid", "mobility.postcode"),
        (profile_body(skills=[]), "invalid", "skills"),
        (profile_body(skills=[{"level": "basic"}]), "invalid", "skills[0]"),
        (profile_body(skills=[{"concept_id": "c:no-such-concept"}]), "unknown_concept", "skills[0].concept_id"),
        (profile_body(skills=[{"concept_id": "no such concept"}]), "invalid", "skills[0].concept_id"),
        (profile_body(availability={"hours_min": 30, "hours_max": 10}), "invalid", "availability"),
        (profile_body(phase="hired"), "invalid", "phase"),
    ],
)
def test_a_bad_profile_is_refused_and_nothing_is_written(client, world, body, code, field):
    before = profile_count(client, world)
    response = client.post("/v1/profiles", json=body, headers=bearer(world.counsellor))
    assert_error(response, 422, code, field)
    assert profile_count(client, world) == before


@pytest.mark.parametrize(
    "pitch, kind",
    [
        ("Contact: ana.popescu@example.com", "e-mail"),
        ("Appelez le 0470 12 34 56", "phone"),
        ("Mon compte BE71 0961 2345 6769", "IBAN"),
        ("Je vis rue Haute 12", "street address"),
    ],
)
def test_personal_data_in_free_text_is_refused_without_echoing_it(client, world, pitch, kind):
    response = client.post("/v1/profiles", json=profile_body(pitch=pitch), headers=bearer(world.counsellor))
    error = assert_error(response, 422, "personal_data", "pitch")
    assert kind.lower() in error["message"].lower()
    secret = pitch.split()[-1]
    assert secret not in response.text


def test_personal_data_in_a_skill_label_names_that_label(client, world):
    body = profile_body(skills=[{"label": "nettoyage"}, {"label": "voir www.mon-cv.be"}])
    assert_error(
        client.post("/v1/profiles", json=body, headers=bearer(world.counsellor)),
        422,
        "personal_data",
        "skills[1].label",
    )


def test_malformed_json_and_malformed_ids(client, world):
    headers = {**bearer(world.counsellor), "Content-Type": "application/json"}
    assert_error(client.post("/v1/profiles", content=b"{not json", headers=headers), 422, "invalid_json")
    for bad in ("nope", "prf_%00", "1", "' OR 1=1 --"):
        assert_error(client.get(f"/v1/profiles/{bad}", headers=bearer(world.counsellor)), 404, "not_found")
    assert_error(client.get("/v1/shortlists/xyz", headers=bearer(world.liaison)), 404, "not_found")


def test_bad_vacancies(client, world):
    liaison = bearer(world.liaison)
    assert_error(client.post("/v1/vacancies", json=vacancy_body(), headers=liaison), 422, "required", "employer_id")
    body = vacancy_body(employer_id=world.employer_id, location={"postcode": "0000"})
    assert_error(client.post("/v1/vacancies", json=body, headers=liaison), 422, "unknown_postcode", "location.postcode")
    body = vacancy_body(employer_id=world.employer_id, must_have=[])
    assert_error(client.post("/v1/vacancies", json=body, headers=liaison), 422, "invalid", "must_have")
    body = vacancy_body(employer_id=world.employer_id, languages=[{"code": "nl", "spoken": "D1"}])
    assert_error(client.post("/v1/vacancies", json=body, headers=liaison), 422, "invalid", "languages[0].spoken")
    assert client.get("/v1/vacancies", headers=liaison).json() == []


def test_authentication_and_roles(client, world):
    assert_error(client.get("/v1/profiles"), 401, "unauthenticated")
    assert_error(client.get("/v1/profiles", headers=bearer("bm_not-a-token")), 401, "unauthenticated")
    assert_error(client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.counsellor)), 403, "forbidden")
    assert_error(
        client.post("/v1/organisations", json={"name": "x", "kind": "employer"}, headers=bearer(world.liaison)),
        403,
        "forbidden",
    )
    other = create_world(client, admin=world.admin)
    profile = client.post("/v1/profiles", json=profile_body(), headers=bearer(world.counsellor)).json()
    assert_error(client.get(f"/v1/profiles/{profile['id']}", headers=bearer(other.counsellor)), 404, "not_found")
    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()
    assert_error(client.get(f"/v1/vacancies/{vacancy['id']}", headers=bearer(other.employer)), 404, "not_found")
    assert_error(client.get(f"/v1/vacancies/{vacancy['id']}", headers=bearer(other.liaison)), 404, "not_found")
    assert client.get(f"/v1/vacancies/{vacancy['id']}", headers=bearer(world.liaison)).status_code == 200


def test_closed_vacancy_cannot_be_shortlisted(client, world):
    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()
    assert client.post(f"/v1/vacancies/{vacancy['id']}/close", headers=bearer(world.employer)).status_code == 200
    response = client.post(f"/v1/vacancies/{vacancy['id']}/shortlists", json={}, headers=bearer(world.liaison))
    assert_error(response, 409, "vacancy_closed")
