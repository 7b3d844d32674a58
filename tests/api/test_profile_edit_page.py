"""The counsellor's edit page: the profile form filled with what the profile holds, saved through the same
service as PATCH /v1/profiles/{id} (screen, version check, re-scoring), by its own organisation only."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlmodel import select

from tests.api.test_pages import sign_in_through_link
from tests.factories import bearer, create_world, profile_body


@pytest.fixture
def world(client):
    return create_world(client)


@pytest.fixture
def profile_id(client, world) -> str:
    response = client.post("/v1/profiles", json=profile_body(), headers=bearer(world.counsellor))
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.fixture
def signed_in(client, world):
    sign_in_through_link(client, world.sign_in["counsellor"], f"c-{uuid.uuid4().hex[:8]}")
    return client


def form_of(html: str) -> dict[str, str | list[str]]:
    """The edit form as a browser would send it untouched: text, hidden, chosen options, ticked boxes."""
    fields: dict[str, str | list[str]] = {}
    for tag in re.findall(r"<input [^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or ('type="checkbox"' in tag and " checked" not in tag) or 'type="radio"' in tag:
            continue
        text = value.group(1).replace("&#39;", "'").replace("&amp;", "&") if value else ""
        if name.group(1) in ("shifts", "transport", "driving_licences"):
            fields.setdefault(name.group(1), []).append(text)  # type: ignore[union-attr]
        else:
            fields[name.group(1)] = text
    for name, body in re.findall(r'<select id="[^"]+" name="([^"]+)">(.*?)</select>', html, flags=re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        fields[name] = chosen.group(1) if chosen else ""
    return fields


def profile_of(client, world, profile_id: str) -> dict:
    return client.get(f"/v1/profiles/{profile_id}", headers=bearer(world.counsellor)).json()


def test_the_edit_form_opens_filled_and_saving_changes_what_the_profile_page_shows(signed_in, world, profile_id):
    client = signed_in
    page = client.get(f"/profiles/{profile_id}")
    assert f'href="/profiles/{profile_id}/edit"' in page.text
    form = client.get(f"/profiles/{profile_id}/edit")
    assert form.status_code == 200
    values = form_of(form.text)
    assert values["skill_label_0"] == "nettoyage de bureaux" and values["skill_level_0"] == "advanced"
    assert values["lang_code_2"] == "rom" and values["lang_spoken_2"] == "C2"
    assert values["postcode"] == "1070" and values["hours_max"] == "38"
    assert values["transport"] == ["public_transport", "bike"]
    before = profile_of(client, world, profile_id)

    values |= {"skill_label_3": "repassage", "skill_level_3": "basic", "hours_max": "30", "postcode": "1000"}
    saved = client.post(f"/profiles/{profile_id}/edit", data=values, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/profiles/{profile_id}?notice=saved"
    shown = client.get(saved.headers["location"])
    assert "Your changes are saved." in shown.text and "repassage" in shown.text

    after = profile_of(client, world, profile_id)
    assert after["version"] == before["version"] + 1
    assert [s["label"] for s in after["skills"]][-1] == "repassage"
    assert after["availability"]["hours_max"] == 30 and after["mobility"]["postcode"] == "1000"
    # What the form does not show is kept: evidence, preferences, the pitch, the phase.
    assert [s["evidence"] for s in after["skills"][:2]] == ["observed", "certified"]
    for kept in ("preferences", "pitch", "pitch_visible", "phase", "languages"):
        assert after[kept] == before[kept], kept


def test_saving_asks_the_workers_to_score_the_profile_again(signed_in, world, profile_id):
    from matching.store.db import session_scope
    from matching.store.models import OutboxMessage, ProfileFitRun

    client = signed_in
    values = form_of(client.get(f"/profiles/{profile_id}/edit").text) | {"hours_min": "20"}
    assert client.post(f"/profiles/{profile_id}/edit", data=values, follow_redirects=False).status_code == 303
    version = profile_of(client, world, profile_id)["version"]
    with session_scope(read_only=True) as session:
        run = session.exec(select(ProfileFitRun).where(ProfileFitRun.profile_id == profile_id)).one()
        assert run.requested_version == version  # the worker's run (tests/workers) scores this version
        messages = session.exec(select(OutboxMessage)).all()
        assert any(run.id in (message.args or []) for message in messages)


def test_an_edit_without_its_csrf_token_is_refused_and_changes_nothing(signed_in, world, profile_id):
    client = signed_in
    values = form_of(client.get(f"/profiles/{profile_id}/edit").text) | {"hours_max": "20"}
    before = profile_of(client, world, profile_id)
    for token in (None, "not-the-cookie-token"):
        data = {k: v for k, v in values.items() if k != "csrf_token"} | ({"csrf_token": token} if token else {})
        assert client.post(f"/profiles/{profile_id}/edit", data=data).status_code == 403
    assert profile_of(client, world, profile_id) == before


def test_another_organisations_profile_cannot_be_edited(client, signed_in, world, profile_id):
    other = create_world(client, admin=world.admin)
    foreign = client.post("/v1/profiles", json=profile_body(), headers=bearer(other.counsellor)).json()["id"]
    own_form = form_of(signed_in.get(f"/profiles/{profile_id}/edit").text)
    opened = signed_in.get(f"/profiles/{foreign}/edit")
    assert opened.status_code == 404 and "nettoyage" not in opened.text
    sent = signed_in.post(f"/profiles/{foreign}/edit", data=own_form | {"hours_max": "20"})
    assert sent.status_code == 404
    assert profile_of(client, other, foreign)["availability"]["hours_max"] == 38


def test_personal_data_in_a_skill_is_refused_by_the_field_without_echo_and_nothing_changes(signed_in, world,
                                                                                         profile_id):
    client = signed_in
    client.get("/language/fr?next=/")
    values = form_of(client.get(f"/profiles/{profile_id}/edit").text)
    before = profile_of(client, world, profile_id)
    refused = client.post(f"/profiles/{profile_id}/edit",
                          data=values | {"skill_label_1": "autolaveuse, appeler le 0470 12 34 56", "hours_max": "25"})
    assert refused.status_code == 422
    assert "0470" not in refused.text
    assert 'id="error-skills-1-label"' in refused.text
    assert "numéro de téléphone" in refused.text  # in the person's language, naming the kind only
    assert 'value="25"' in refused.text  # the rest of what was typed stays in the form
    assert profile_of(client, world, profile_id) == before


def test_a_stale_edit_is_refused_with_a_message_and_the_other_change_stays(signed_in, world, profile_id):
    client = signed_in
    opened = form_of(client.get(f"/profiles/{profile_id}/edit").text)
    # Another counsellor (here through the API) saves a change after this form was opened.
    other = client.patch(f"/v1/profiles/{profile_id}", json={"availability": {"hours_min": 10, "hours_max": 20}},
                         headers=bearer(world.counsellor))
    assert other.status_code == 200
    stale = client.post(f"/profiles/{profile_id}/edit", data=opened | {"hours_max": "36"})
    assert stale.status_code == 409
    assert "Someone else saved this profile after you opened this form." in stale.text
    assert 'value="36"' in stale.text  # the person's own change is shown, to make again
    assert profile_of(client, world, profile_id)["availability"]["hours_max"] == 20
    # A version that is none at all (not from this form) is refused the same way, never ignored.
    forged = client.post(f"/profiles/{profile_id}/edit", data=opened | {"version": "latest", "hours_max": "36"})
    assert forged.status_code == 409
    assert profile_of(client, world, profile_id)["availability"]["hours_max"] == 20


def test_an_unknown_postcode_is_shown_by_its_field_in_dutch(signed_in, world, profile_id):
    client = signed_in
    client.get("/language/nl?next=/")
    values = form_of(client.get(f"/profiles/{profile_id}/edit").text) | {"postcode": "9999"}
    refused = client.post(f"/profiles/{profile_id}/edit", data=values)
    assert refused.status_code == 422
    assert 'id="error-mobility-postcode"' in refused.text and "Onbekende Belgische postcode" in refused.text
    assert profile_of(client, world, profile_id)["mobility"]["postcode"] == "1070"
