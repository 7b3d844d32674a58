"""Every free-text field of every request refuses contact data, by one rule (matching/privacy/screen.py).

The fields come from the app's OpenAPI: a request field added later is covered without editing this test.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.api.openapi_walk import concrete_path, operations, sample, string_fields, with_value
from tests.factories import bearer, create_world, vacancy_body

NAMES = ["jan", "ana", "maria", "florin", "elena", "peeters", "popescu", "dimitrov", "ionescu"]
DOMAINS = ["gmail.com", "hotmail.be", "skynet.be", "outlook.com", "yahoo.fr", "telenet.be", "proton.me"]
SEPARATORS = [".", "_", "-", ""]


def emails() -> st.SearchStrategy[str]:
    return st.builds(
        lambda first, sep, last, number, domain: f"{first}{sep}{last}{number}@{domain}",
        st.sampled_from(NAMES), st.sampled_from(SEPARATORS), st.sampled_from(NAMES),
        st.sampled_from(["", "1", "90", "2024"]), st.sampled_from(DOMAINS),
    )


def phones() -> st.SearchStrategy[str]:
    """Belgian mobile numbers as people write them: national or +32, grouped by spaces, dots or slashes."""

    def written(digits: str, international: bool, sep: str) -> str:
        groups = [digits[0:3], digits[3:5], digits[5:7], digits[7:9]]
        return ("+32 " if international else "0") + sep.join(groups)

    return st.builds(
        written,
        st.from_regex(r"4[5-9][0-9]{7}", fullmatch=True),
        st.booleans(),
        st.sampled_from([" ", ".", "/"]),
    )


@pytest.fixture(scope="module")
def spec(prepared_sqlite):
    from api.app import app

    return app.openapi()


@pytest.fixture
def unlimited(client, monkeypatch):
    """Rate limits out of the way: this test sends many requests with one token (limits have their tests)."""
    from matching.settings import get_settings

    monkeypatch.setenv("BLINDMATCH_RATE_LIMIT", "1000000/minute")
    get_settings.cache_clear()
    yield client
    monkeypatch.undo()
    get_settings.cache_clear()


def targets(spec) -> list[tuple]:
    return [
        (operation, field)
        for operation in operations(spec)
        for field in string_fields(spec, operation.schema)
    ]


def test_the_walk_finds_the_free_text_fields_we_know(spec):
    found = {(operation.label, field.path) for operation, field in targets(spec) if field.is_free_text}
    for known in [
        ("POST /v1/organisations", "name"),
        ("POST /v1/users", "display_name"),
        ("POST /v1/profiles", "pitch"),
        ("POST /v1/profiles", "skills[0].label"),
        ("POST /v1/profiles", "preferences.occupations[0]"),
        ("POST /v1/profiles/{profile_id}/phase", "note"),
        ("POST /v1/vacancies", "title"),
        ("POST /v1/vacancies", "occupation"),
        ("POST /v1/vacancies", "must_have[0].label"),
        ("PATCH /v1/vacancies/{vacancy_id}", "title"),
    ]:
        assert known in found, known


@settings(max_examples=4, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(contact=st.one_of(emails(), phones()))
def test_every_str_field_of_every_request_refuses_contact_data(unlimited, spec, contact):
    """Free text: 422 personal_data naming the field; a formatted field (ids, codes): 422 on that field.
    Never the value in the answer."""
    from matching.privacy import find_personal_data
    from tests.factories import admin_token

    # What the detector finds is its own test's matter (tests/matching/test_privacy.py); here, that every
    # field applies it.
    assume(find_personal_data(contact))
    token = bearer(admin_token())  # any valid token: the body is read before any role or lookup
    for operation, field in targets(spec):
        body = with_value(sample(spec, operation.schema), field.position, contact)
        response = unlimited.request(
            operation.method, concrete_path(operation.path), json=body, headers=token
        )
        where = f"{operation.label} {field.path}"
        assert response.status_code == 422, f"{where}: {response.status_code} {response.text}"
        error = response.json()["error"]
        assert error["field"] == field.path, f"{where}: {error}"
        if field.is_free_text:
            assert error["code"] == "personal_data", f"{where}: {error}"
        assert contact not in response.text, where


@pytest.mark.parametrize(
    "path, body",
    [
        ("/v1/organisations", {"name": "Roma Brussels", "kind": "employer"}),
        ("/v1/organisations", {"name": "Romano Centro asbl", "kind": "counselling"}),
    ],
)
def test_organisation_names_with_origin_words_are_accepted(client, path, body):
    from tests.factories import admin_token

    response = client.post(path, json=body, headers=bearer(admin_token()))
    assert response.status_code == 201, response.text


def test_a_vacancy_named_for_roma_work_is_accepted_and_one_with_a_phone_refused(client):
    world = create_world(client)
    accepted = client.post(
        "/v1/vacancies", json=vacancy_body(title="Roma mediator (m/v/x)"), headers=bearer(world.employer)
    )
    assert accepted.status_code == 201, accepted.text
    refused = client.post(
        "/v1/vacancies",
        json=vacancy_body(title="Schoonmaker, bel 0470 12 34 56"),
        headers=bearer(world.employer),
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "personal_data"
    assert refused.json()["error"]["field"] == "title"
    assert "phone" in refused.json()["error"]["message"]
    assert "0470" not in refused.text
