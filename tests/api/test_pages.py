"""Pages for people, in-process: sign-in links, passwords, sessions, CSRF, throttling, CSP, languages, scoping."""

from __future__ import annotations

import re

import pytest

from tests.factories import bearer, create_world, profile_body

PASSWORD = "a long enough password"


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def sign_in_through_link(client, url: str, username: str) -> None:
    """Open a sign-in link, choose a user name and password: the browser is signed in."""
    form = client.get(path_of(url))
    assert form.status_code == 200, form.text
    response = client.post(path_of(url), data={"csrf_token": csrf_of(form.text), "username": username,
                                                "password": PASSWORD, "password_again": PASSWORD},
                           follow_redirects=False)
    assert response.status_code == 303, response.text


@pytest.fixture
def world(client):
    return create_world(client)


def _name(prefix: str) -> str:
    import uuid

    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_a_sign_in_link_lets_the_person_choose_a_password_once_then_sign_in_by_name(client, world):
    username = _name("counsellor")
    assert world.sign_in["counsellor"].startswith("http://testserver/sign-in/")
    sign_in_through_link(client, world.sign_in["counsellor"], username)
    assert client.get("/profiles").status_code == 200
    # The link worked once.
    assert client.get(path_of(world.sign_in["counsellor"])).status_code == 404
    # Signed out, the pages send the browser to the sign-in form; the password signs in again.
    page = client.get("/profiles")
    client.post("/sign-out", data={"csrf_token": csrf_of(page.text)})
    response = client.get("/profiles", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")
    form = client.get("/sign-in")
    signed = client.post("/sign-in", data={"csrf_token": csrf_of(form.text), "username": username,
                                           "password": PASSWORD, "next": "/profiles"}, follow_redirects=False)
    assert signed.status_code == 303 and signed.headers["location"] == "/profiles"
    cookie = signed.headers["set-cookie"]
    assert "bm_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")


def test_failed_sign_ins_are_throttled_per_user_name_even_with_the_right_password_next(client, world):
    username = _name("liaison")
    sign_in_through_link(client, world.sign_in["liaison"], username)
    client.cookies.clear()
    token = csrf_of(client.get("/sign-in").text)
    statuses = [client.post("/sign-in", data={"csrf_token": token, "username": username, "password": "wrong!"}
                            ).status_code for _ in range(5)]
    assert statuses == [401] * 5
    right = client.post("/sign-in", data={"csrf_token": token, "username": username, "password": PASSWORD},
                        follow_redirects=False)
    assert right.status_code == 429 and "bm_session" not in right.headers.get("set-cookie", "")


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(client, world):
    sign_in_through_link(client, world.sign_in["counsellor"], _name("c"))
    before = client.get("/v1/profiles", headers=bearer(world.counsellor)).headers["x-total-count"]
    form = {"skill_label_0": "nettoyage de bureaux", "lang_code_0": "fr", "lang_spoken_0": "B2", "phase": "intake"}
    refused = client.post("/profiles/new", data=form)
    assert refused.status_code == 403
    wrong = client.post("/profiles/new", data={**form, "csrf_token": "not-the-cookie-token"})
    assert wrong.status_code == 403
    assert client.get("/v1/profiles", headers=bearer(world.counsellor)).headers["x-total-count"] == before
    # With the token, the same form publishes.
    token = csrf_of(client.get("/profiles/new").text)
    assert client.post("/profiles/new", data={**form, "csrf_token": token}, follow_redirects=False).status_code == 303


def test_every_page_carries_a_strict_content_security_policy(client, world):
    for path in ("/sign-in", path_of(world.sign_in["employer"]), "/static/site.css"):
        csp = client.get(path).headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "http" not in csp


def test_a_page_of_another_organisations_profile_is_not_found(client, world):
    other = create_world(client, admin=world.admin)
    foreign = client.post("/v1/profiles", json=profile_body(), headers=bearer(other.counsellor)).json()["id"]
    own = client.post("/v1/profiles", json=profile_body(), headers=bearer(world.counsellor)).json()["id"]
    sign_in_through_link(client, world.sign_in["counsellor"], _name("c"))
    assert client.get(f"/profiles/{own}").status_code == 200
    response = client.get(f"/profiles/{foreign}")
    assert response.status_code == 404 and "Not found" in response.text
    assert "Skills as understood" not in response.text  # nothing of the profile shows
    assert client.get(f"/profiles/{foreign}/erase").status_code == 404


def test_pages_speak_the_browsers_language_and_remember_a_chosen_one(client):
    assert "Se connecter" in client.get("/sign-in", headers={"Accept-Language": "fr-BE,fr;q=0.9"}).text
    assert "Aanmelden" in client.get("/sign-in", headers={"Accept-Language": "nl-BE"}).text
    client.get("/language/nl?next=/sign-in")
    assert "Aanmelden" in client.get("/sign-in", headers={"Accept-Language": "fr"}).text
    # The switch only sends back within this site.
    assert client.get("/language/fr?next=//evil.example", follow_redirects=False).headers["location"] == "/"


def test_the_profile_form_shows_errors_next_to_the_field_at_fault(client, world):
    sign_in_through_link(client, world.sign_in["counsellor"], _name("c"))
    token = csrf_of(client.get("/profiles/new").text)
    response = client.post("/profiles/new", data={"csrf_token": token, "skill_label_0": "nettoyage de bureaux",
                                                  "postcode": "9999", "phase": "intake"})
    assert response.status_code == 422
    assert 'id="error-mobility-postcode"' in response.text
    assert 'value="nettoyage de bureaux"' in response.text  # what was typed stays in the form
