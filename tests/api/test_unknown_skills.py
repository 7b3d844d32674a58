"""A skill label the taxonomy does not know is answered with a warning and the closest concepts to pick.

Accepted silently (`match: unknown`), such a skill counted for no vacancy and cost the candidate points.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.factories import bearer, create_world, profile_body, vacancy_body

# Words no taxonomy label holds: consonant runs, alone or inside an ordinary-looking French phrase.
nonsense = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=6, max_size=14)
unknown_labels = st.one_of(
    nonsense,
    st.builds(lambda head, word: f"{head} {word}", st.sampled_from(["gestion des", "soudure de", "réparation de",
                                                                    "pose de", "beheer van"]), nonsense),
)
KNOWN = ["carrelage", "nettoyage de bureaux", "kantoren schoonmaken", "heftruck"]


@pytest.fixture
def world(client):
    return create_world(client)


def check_unknown(client, world, skill: dict, label: str) -> None:
    assert skill["match"] == "unknown" and skill["concept_id"] is None
    assert skill["warning"] and label not in skill["warning"]  # why it matters, never the label again
    assert 1 <= len(skill["suggestions"]) <= 3
    for suggestion in skill["suggestions"]:
        concept = client.get(f"/v1/taxonomy/concepts/{suggestion['concept_id']}", headers=bearer(world.counsellor))
        assert concept.status_code == 200 and suggestion["label"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(label=unknown_labels)
def test_an_unknown_skill_of_a_profile_gets_a_warning_and_the_closest_concepts(client, world, label):
    response = client.post("/v1/profiles", json=profile_body(skills=[{"label": label}, {"label": "carrelage"}]),
                           headers=bearer(world.counsellor))
    assume(response.status_code == 201)  # a generated word the personal-data screen refuses is another test's
    unknown, known = response.json()["skills"]
    assume(unknown["match"] == "unknown")
    check_unknown(client, world, unknown, label)
    assert known["match"] == "exact" and known["warning"] is None and known["suggestions"] == []
    # the same answer on read, and one suggestion's concept_id is then understood exactly
    profile = client.get(f"/v1/profiles/{response.json()['id']}", headers=bearer(world.counsellor)).json()
    assert profile["skills"][0]["suggestions"] == unknown["suggestions"]
    picked = {"concept_id": unknown["suggestions"][0]["concept_id"]}
    fixed = client.post("/v1/profiles", json=profile_body(skills=[picked]), headers=bearer(world.counsellor))
    assert fixed.status_code == 201 and fixed.json()["skills"][0]["match"] == "exact"


@pytest.mark.parametrize("label", ["gestion des plaintes clients téléphoniques", "zxqvbnkrt", "karaoké"])
def test_an_unknown_requirement_of_a_vacancy_gets_the_same_help(client, world, label):
    body = vacancy_body(employer_id=world.employer_id, must_have=[{"label": label, "level": "basic"}],
                        nice_to_have=[{"label": label}])
    response = client.post("/v1/vacancies", json=body, headers=bearer(world.liaison))
    assert response.status_code == 201, response.text
    for name in ("must_have", "nice_to_have"):
        check_unknown(client, world, response.json()[name][0], label)


@pytest.mark.parametrize("label", KNOWN)
def test_a_known_skill_carries_no_warning(client, world, label):
    response = client.post("/v1/profiles", json=profile_body(skills=[{"label": label}]),
                           headers=bearer(world.counsellor))
    assert response.status_code == 201
    skill = response.json()["skills"][0]
    assert skill["match"] != "unknown" and skill["warning"] is None and skill["suggestions"] == []
