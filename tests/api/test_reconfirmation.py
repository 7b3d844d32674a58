"""Reconfirmation over HTTP: a profile its counsellor has not reconfirmed for BLINDMATCH_RECONFIRM_DAYS
is flagged on the counsellor's list, leaves shortlists and opportunities once the maintenance pass has
logged it, shows the employer nothing of the person, and comes back with one action (or an edit)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from matching.settings import get_settings
from matching.store.db import session_scope
from matching.store.models import Profile, utcnow
from tests.api.test_explanations_and_gaps import computed_shortlist, post
from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.processes import measure_cards_here
from workers import maintenance


@pytest.fixture
def world(client):
    return create_world(client)


def let_time_pass(profile_id: str, *, days_past_limit: float) -> None:
    """As if the profile had last been reconfirmed long ago: the stored moment moves back, and nothing is
    written to the change log (time passing writes nothing by itself)."""
    before = utcnow() - timedelta(days=get_settings().reconfirm_days + days_past_limit)
    with session_scope() as session:
        session.execute(update(Profile).where(Profile.id == profile_id).values(reconfirmed_at=before))


def listed(client, world, profile_id: str) -> dict:
    response = client.get("/v1/profiles", params={"limit": 500}, headers=bearer(world.counsellor))
    assert response.status_code == 200, response.text
    return next(p for p in response.json() if p["id"] == profile_id)


def shortlisted(client, world, vacancy_id: str) -> set[str]:
    shortlist_id = computed_shortlist(client, world, vacancy_id)
    response = client.get(f"/v1/shortlists/{shortlist_id}", headers=bearer(world.liaison))
    assert response.status_code == 200, response.text
    return {item["profile_id"] for item in response.json()["items"]}


def distinctive_pair(client, world) -> tuple[str, str]:
    """A profile and a vacancy asking for a skill only this test's profile holds (so it makes the list)."""
    skills = [{"label": "conduite d'engins de chantier", "level": "advanced"}]
    profile_id = post(client, "/v1/profiles", profile_body(skills=skills), world.counsellor)["id"]
    body = vacancy_body(employer_id=world.employer_id, must_have=[{"label": "conduite d'engins de chantier"}],
                        nice_to_have=[])
    vacancy_id = post(client, "/v1/vacancies", body, world.liaison)["id"]
    return profile_id, vacancy_id


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days_past_limit=st.floats(min_value=0.01, max_value=2000), comeback=st.sampled_from(["reconfirm", "edit"]))
def test_a_stale_profile_is_flagged_unmatched_and_comes_back_with_one_action(client, days_past_limit, comeback):
    world = create_world(client)  # a world per example: each token has its own rate limit
    profile_id, vacancy_id = distinctive_pair(client, world)
    fresh = listed(client, world, profile_id)
    assert fresh["needs_reconfirmation"] is False and fresh["stale_since"] is None
    assert profile_id in shortlisted(client, world, vacancy_id)

    let_time_pass(profile_id, days_past_limit=days_past_limit)
    stale = listed(client, world, profile_id)
    assert stale["needs_reconfirmation"] is True
    reconfirmed_at = datetime.fromisoformat(stale["reconfirmed_at"])
    assert datetime.fromisoformat(stale["stale_since"]) == reconfirmed_at + timedelta(
        days=get_settings().reconfirm_days)
    maintenance.log_stale_profiles()  # what the loop does every few seconds
    assert profile_id not in shortlisted(client, world, vacancy_id)
    opportunities = client.get(f"/v1/profiles/{profile_id}/opportunities", headers=bearer(world.counsellor))
    assert opportunities.json()["status"] == "needs_reconfirmation" and opportunities.json()["items"] == []

    if comeback == "reconfirm":
        response = client.post(f"/v1/profiles/{profile_id}/reconfirm", headers=bearer(world.counsellor))
    else:
        response = client.patch(f"/v1/profiles/{profile_id}", json={"pitch": "Toujours disponible."},
                                headers=bearer(world.counsellor))
    assert response.status_code == 200, response.text
    assert response.json()["needs_reconfirmation"] is False and response.json()["stale_since"] is None
    assert listed(client, world, profile_id)["needs_reconfirmation"] is False
    assert profile_id in shortlisted(client, world, vacancy_id)


def test_the_index_keeps_a_stale_profile_only_until_the_maintenance_pass(client, world):
    profile_id, vacancy_id = distinctive_pair(client, world)
    assert profile_id in shortlisted(client, world, vacancy_id)
    let_time_pass(profile_id, days_past_limit=1)
    maintenance.log_stale_profiles()
    assert profile_id not in shortlisted(client, world, vacancy_id)
    assert maintenance.log_stale_profiles() == 0  # logged once, not at every pass


def test_a_presented_then_stale_candidate_shows_the_employer_nothing_until_reconfirmed(client, world):
    # An ordinary profile and vacancy: the crowd is large enough for the card to show skills.
    for _ in range(6):
        post(client, "/v1/profiles", profile_body(), world.counsellor)
    profile_id = post(client, "/v1/profiles", profile_body(), world.counsellor)["id"]
    vacancy_id = post(client, "/v1/vacancies", vacancy_body(employer_id=world.employer_id), world.liaison)["id"]
    shortlist_id = computed_shortlist(client, world, vacancy_id)
    presented = client.post(f"/v1/shortlists/{shortlist_id}/present", json={"profile_ids": [profile_id]},
                            headers=bearer(world.liaison))
    assert presented.status_code == 200, presented.text
    measure_cards_here()  # a worker's card keeper, in this process

    def card() -> dict:
        response = client.get(f"/v1/vacancies/{vacancy_id}/candidates", headers=bearer(world.employer))
        assert response.status_code == 200, response.text
        [only] = response.json()
        return only

    shown = card()
    assert shown["skills"] and shown["status"] == "presented"
    let_time_pass(profile_id, days_past_limit=3)
    paused = card()
    assert paused["status"] == "awaiting_reconfirmation" and paused["candidate_ref"] == shown["candidate_ref"]
    assert paused["skills"] == [] and paused["languages"] == [] and paused["availability"] == {}
    assert paused["pitch"] is None and paused["explanation"] == {}
    decided = client.post(f"/v1/vacancies/{vacancy_id}/candidates/{shown['candidate_ref']}/decision",
                          json={"decision": "interested"}, headers=bearer(world.employer))
    assert decided.status_code == 409 and decided.json()["error"]["code"] == "needs_reconfirmation", decided.text
    # A liaison cannot present it elsewhere meanwhile either.
    again = client.post(f"/v1/shortlists/{shortlist_id}/present", json={"profile_ids": [profile_id]},
                        headers=bearer(world.liaison))
    assert again.status_code == 409 and again.json()["error"]["field"] == "profile_ids[0]", again.text

    assert client.post(f"/v1/profiles/{profile_id}/reconfirm", headers=bearer(world.counsellor)).status_code == 200
    assert card() == shown  # the same card, under the same pseudonym
