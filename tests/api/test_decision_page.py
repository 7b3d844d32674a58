"""The employer's decision form: a refused decision shows by the field at fault of that card, on the vacancy
page itself, with what was chosen kept; nothing is recorded."""

from __future__ import annotations

import re
import uuid

from tests.api.test_explanations_and_gaps import computed_shortlist, post
from tests.api.test_pages import csrf_of, sign_in_through_link
from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.processes import measure_cards_here


def test_a_refused_decision_shows_by_its_field_with_the_choice_kept(client):
    world = create_world(client)
    profile_id = post(client, "/v1/profiles", profile_body(), world.counsellor)["id"]
    vacancy_id = post(client, "/v1/vacancies", vacancy_body(employer_id=world.employer_id), world.liaison)["id"]
    shortlist_id = computed_shortlist(client, world, vacancy_id)
    presented = client.post(f"/v1/shortlists/{shortlist_id}/present", json={"profile_ids": [profile_id]},
                            headers=bearer(world.liaison))
    assert presented.status_code == 200, presented.text
    measure_cards_here()
    sign_in_through_link(client, world.sign_in["employer"], f"e-{uuid.uuid4().hex[:8]}")
    client.get("/language/fr?next=/")
    page = client.get(f"/vacancies/{vacancy_id}")
    ref = re.search(r'/candidates/([^/"]+)/decision', page.text).group(1)
    decide = f"/vacancies/{vacancy_id}/candidates/{ref}/decision"

    declined = client.post(decide, data={"csrf_token": csrf_of(page.text), "decision": "declined", "reason": ""})
    assert declined.status_code == 422
    assert f'id="error-{ref}-reason"' in declined.text and "Dites pourquoi" in declined.text
    assert f'aria-describedby="error-{ref}-reason" aria-invalid="true"' in declined.text
    assert '<option value="declined" selected>' in declined.text  # the choice stays

    interview = client.post(decide, data={"csrf_token": csrf_of(page.text), "decision": "interview",
                                          "interview_at": "pas une date"})
    assert interview.status_code == 422 and f'id="error-{ref}-interview_at"' in interview.text
    assert '<option value="interview" selected>' in interview.text

    cards = client.get(f"/v1/vacancies/{vacancy_id}/candidates", headers=bearer(world.employer)).json()
    assert [card["status"] for card in cards] == ["presented"]  # nothing was recorded
    # Chosen well, the same form records the decision.
    done = client.post(decide, data={"csrf_token": csrf_of(page.text), "decision": "declined", "reason": "skills"},
                       follow_redirects=False)
    assert done.status_code == 303
