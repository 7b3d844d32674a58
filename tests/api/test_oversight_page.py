"""The admin's Oversight page, in-process: the accuracy and fairness figures of the API's services, and the
ranking pause switch per liaison organisation (audited, CSRF-checked, admin only)."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.api.test_pages import csrf_of, sign_in_through_link
from tests.factories import admin_token, bearer, create_world, profile_body, vacancy_body


def post(client, path: str, body: dict, token: str) -> dict:
    response = client.post(path, json=body, headers=bearer(token))
    assert response.status_code < 300, response.text
    return response.json()


@pytest.fixture
def world(client):
    return create_world(client, admin=admin_token())


@pytest.fixture
def ranked(client, world):
    """Five vacancies ranked and presented from (a figure against presentations), one with an interview (a
    group of one list: no figure)."""
    from datetime import UTC, datetime, timedelta

    from matching.services import shortlists
    from matching.store.db import session_scope

    profile_ids = [post(client, "/v1/profiles", profile_body(), world.counsellor)["id"] for _ in range(6)]
    for index in range(5):
        vacancy_id = post(client, "/v1/vacancies", vacancy_body(employer_id=world.employer_id), world.liaison)["id"]
        shortlist_id = post(client, f"/v1/vacancies/{vacancy_id}/shortlists", {"size": 100}, world.liaison)["id"]
        with session_scope() as session:
            shortlists.compute(session, shortlist_id)
        post(client, f"/v1/shortlists/{shortlist_id}/present", {"profile_ids": profile_ids[:2]}, world.liaison)
        if index == 0:
            cards = client.get(f"/v1/vacancies/{vacancy_id}/candidates", headers=bearer(world.employer)).json()
            ref = (cards["items"] if isinstance(cards, dict) else cards)[0]["candidate_ref"]
            when = (datetime.now(UTC) + timedelta(days=3)).isoformat()
            post(client, f"/v1/vacancies/{vacancy_id}/candidates/{ref}/decision",
                 {"decision": "interview", "interview_at": when}, world.employer)
    return world


def sign_in_as_admin(client) -> None:
    from matching.services.accounts import create_admin
    from matching.services.signin import issue_link
    from matching.store.db import session_scope

    with session_scope() as session:
        admin, _token = create_admin(session, display_name="page admin")
        link = f"http://testserver/sign-in/{issue_link(session, user=admin)}"
    sign_in_through_link(client, link, f"admin-{uuid.uuid4().hex[:8]}")


def ranking_row(html: str, organisation_id: str) -> str:
    """The switch form of one liaison organisation."""
    return re.search(rf'<form[^>]*action="/admin/oversight/ranking">(?:(?!</form>).)*value="{organisation_id}"'
                     rf"(?:(?!</form>).)*</form>", html, re.S).group(0)


def audited(client, world, action: str) -> list[dict]:
    response = client.get("/v1/audit", params={"action": action, "limit": 1000}, headers=bearer(world.admin))
    return [e for e in response.json() if e["subject_id"] == world.liaison_id]


def test_the_admin_sees_the_figures_of_the_api_on_the_oversight_page(client, ranked):
    world = ranked
    sign_in_as_admin(client)
    page = client.get("/admin/oversight")
    assert page.status_code == 200, page.text
    assert '<a href="/admin/oversight">' in page.text  # in the admin navigation
    accuracy = client.get("/v1/reports/accuracy", headers=bearer(world.admin)).json()
    fairness = client.get("/v1/fairness", headers=bearer(world.admin)).json()
    kinds = {figure["precision"] is None for figure in accuracy["figures"]}
    assert kinds == {True, False}, accuracy  # groups with a figure, and groups too small for one
    for k in accuracy["ks"]:
        assert f"Precision at {k}</th>" in page.text
    for figure in accuracy["figures"]:
        shown = "too few lists" if figure["precision"] is None else f"{figure['precision']:.2f}"
        assert shown in page.text
    assert f"<dd>{fairness['window_days']} days</dd>" in page.text
    assert f"<dd>{fairness['qualified_profiles']}</dd>" in page.text
    own = next(o for o in fairness["organisations"] if o["organisation_id"] == world.counselling_id)
    assert f"<td>{own['shown']}</td>" in page.text
    assert '<th scope="col">' in page.text and '<th scope="row">' in page.text
    assert "style=" not in page.text and "<script>" not in page.text
    # The same page in French and Dutch.
    assert "Précision à 5" in client.get("/admin/oversight", headers={"Accept-Language": "fr"}).text
    assert "Rangschikking pauzeren" in client.get("/admin/oversight", headers={"Accept-Language": "nl"}).text


def test_the_admin_pauses_and_resumes_ranking_from_the_page_and_each_change_is_audited(client, world):
    sign_in_as_admin(client)
    page = client.get("/admin/oversight").text
    assert 'name="paused" value="yes"' in ranking_row(page, world.liaison_id)
    state = f"/v1/organisations/{world.liaison_id}/ranking"
    form = {"csrf_token": csrf_of(page), "liaison_id": world.liaison_id, "paused": "yes"}
    paused = client.post("/admin/oversight/ranking", data=form, follow_redirects=False)
    assert paused.status_code == 303 and paused.headers["location"].endswith("/admin/oversight")
    assert client.get(state, headers=bearer(world.admin)).json()["paused"] is True
    assert len(audited(client, world, "ranking.paused")) == 1
    page = client.get("/admin/oversight").text
    assert 'name="paused" value="no"' in ranking_row(page, world.liaison_id)
    assert "Paused since" in page
    client.post("/admin/oversight/ranking", data={**form, "paused": "no"}, follow_redirects=False)
    assert client.get(state, headers=bearer(world.admin)).json()["paused"] is False
    assert len(audited(client, world, "ranking.resumed")) == 1


def test_the_switch_without_its_csrf_token_is_refused_and_changes_nothing(client, world):
    sign_in_as_admin(client)
    client.get("/admin/oversight")
    form = {"liaison_id": world.liaison_id, "paused": "yes"}
    assert client.post("/admin/oversight/ranking", data=form).status_code == 403
    assert client.post("/admin/oversight/ranking", data={**form, "csrf_token": "not-it"}).status_code == 403
    state = client.get(f"/v1/organisations/{world.liaison_id}/ranking", headers=bearer(world.admin)).json()
    assert state["paused"] is False and not audited(client, world, "ranking.paused")


def test_a_liaison_may_not_open_the_oversight_page_nor_switch_there(client, world):
    sign_in_through_link(client, world.sign_in["liaison"], f"liaison-{uuid.uuid4().hex[:8]}")
    page = client.get("/vacancies")
    assert client.get("/admin/oversight").status_code == 403
    form = {"csrf_token": csrf_of(page.text), "liaison_id": world.liaison_id, "paused": "yes"}
    assert client.post("/admin/oversight/ranking", data=form).status_code == 403
    state = client.get(f"/v1/organisations/{world.liaison_id}/ranking", headers=bearer(world.admin)).json()
    assert state["paused"] is False
