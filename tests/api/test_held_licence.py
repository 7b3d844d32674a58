"""Over HTTP: a vacancy listing "permis B" among its must-haves credits a profile holding licence B in
its mobility fully, and the shortlist says so."""

from __future__ import annotations

import pytest

from tests.api.test_explanations_and_gaps import computed_shortlist, post
from tests.factories import bearer, create_world, profile_body, vacancy_body


@pytest.fixture
def world(client):
    return create_world(client)


@pytest.mark.parametrize("label", ["permis B", "rijbewijs B", "driving licence B"])
def test_a_permis_b_must_have_is_met_by_the_licence_the_profile_holds(client, world, label):
    mobility = profile_body()["mobility"] | {"driving_licences": ["B"]}
    profile_id = post(client, "/v1/profiles", profile_body(mobility=mobility), world.counsellor)["id"]
    body = vacancy_body(employer_id=world.employer_id, must_have=[{"label": label}], nice_to_have=[])
    vacancy = post(client, "/v1/vacancies", body, world.liaison)
    assert vacancy["must_have"][0]["concept_id"] == "bm:skill:driving-licence-b", vacancy
    shortlist_id = computed_shortlist(client, world, vacancy["id"])
    response = client.get(f"/v1/shortlists/{shortlist_id}", headers=bearer(world.liaison))
    assert response.status_code == 200, response.text
    item = next(i for i in response.json()["items"] if i["profile_id"] == profile_id)
    assert item["breakdown"]["must_have"] == 0.4
    [matched] = item["explanation"]["matched"]
    assert matched["requirement"] == label and matched["via"] == "driving licence B"
    assert item["explanation"]["missing"] == [] and item["explanation"]["partial"] == []
