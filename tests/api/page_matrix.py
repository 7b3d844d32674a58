"""Who may open which page: every page route, read by tests/api/test_authorization_matrix.py.

A page answers as the API does, in HTML: a signed-in role the page is not for gets 403, an object of
another programme 404, a browser not signed in is sent to the sign-in form (303). Forms carry their
CSRF token here (the refusal without it is tested in tests/api/test_pages.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PASSWORD = "a long enough password"
Form = Callable[[Any, str], dict]


@dataclass(frozen=True)
class PageRule:
    allowed: frozenset[str]
    status: int | tuple[int, ...] = 200
    form: Form | None = None
    query: str = ""
    scoped: bool = True  # names an object of an organisation: a foreign one answers 404
    foreign_status: int = 404
    public: bool = False  # answered without signing in (the status is `status`)
    fresh: bool = False  # changes state: each allowed call gets objects of its own


def page(allowed: str = "", status: int | tuple[int, ...] = 200, **kwargs: Any) -> PageRule:
    roles = ("admin", "counsellor", "liaison", "employer")
    return PageRule(frozenset(roles if allowed == "*" else allowed.split()), status, **kwargs)


def _profile_form(o, role: str) -> dict:
    return {"skill_label_0": "nettoyage de bureaux", "phase": "intake"}


def _vacancy_form(o, role: str) -> dict:
    return {"title": "Poste", "must_label_0": "nettoyage de bureaux", "postcode": "1000",
            **({"employer_id": o.employer_id} if role == "liaison" else {})}


PAGE_MATRIX: dict[str, PageRule] = {
    "GET /": page(status=303, public=True, scoped=False),
    "GET /sign-in": page(public=True, scoped=False),
    "POST /sign-in": page(status=401, public=True, scoped=False, form=lambda o, r: {"username": "x", "password": "y"}),
    "GET /sign-in/{token}": page(status=404, public=True, scoped=False),
    "POST /sign-in/{token}": page(status=404, public=True, scoped=False),
    "GET /language/{lang}": page(status=303, public=True, scoped=False),
    "POST /sign-out": page("*", 303, scoped=False),  # called on a browser of its own (see password_browser)
    "GET /labels/understand": page("*", query="?slot=skill_label_0&skill_label_0=nettoyage", scoped=False),
    "GET /postcodes/check": page("*", query="?postcode=1070", scoped=False),
    "GET /profiles": page("counsellor", scoped=False),
    "GET /profiles/new": page("counsellor", scoped=False),
    "POST /profiles/new": page("counsellor", 303, form=_profile_form, scoped=False),
    "GET /profiles/{profile_id}": page("counsellor"),
    "GET /profiles/{profile_id}/gaps": page("counsellor"),
    "GET /profiles/{profile_id}/edit": page("counsellor"),
    "POST /profiles/{profile_id}/edit": page("counsellor", 303, form=_profile_form),
    "POST /profiles/{profile_id}/phase": page("counsellor", 303, form=lambda o, r: {"phase": "training"}),
    "POST /profiles/{profile_id}/reconfirm": page("counsellor", 303),
    "GET /profiles/{profile_id}/erase": page("counsellor"),
    "POST /profiles/{profile_id}/erase": page("counsellor", 303, fresh=True),
    "GET /employers": page("liaison", scoped=False),
    "GET /decisions": page("liaison", scoped=False),
    "GET /vacancies": page("liaison employer", scoped=False),
    "GET /vacancies/new": page("liaison employer", scoped=False),
    "POST /vacancies/new": page("liaison employer", 303, form=_vacancy_form, scoped=False),
    "GET /vacancies/{vacancy_id}": page("liaison employer"),
    "POST /vacancies/{vacancy_id}/shortlists": page("liaison", 303),
    "GET /shortlists/{shortlist_id}": page("liaison"),
    "POST /shortlists/{shortlist_id}/present": page(
        "liaison", 303, form=lambda o, r: {"profile_ids": o.spare_profile_id}, fresh=True),
    "POST /vacancies/{vacancy_id}/candidates/{candidate_ref}/decision": page(
        "employer", 303, form=lambda o, r: {"decision": "interested"}, fresh=True),
    "GET /admin": page("admin", scoped=False),
    "POST /admin/organisations": page("admin", 303, form=lambda o, r: {"name": "Org", "kind": "employer"},
                                      scoped=False),
    "GET /admin/users": page("admin", scoped=False),
    "POST /admin/users": page("admin", form=lambda o, r: {"organisation_id": o.employer_id, "role": "employer",
                                                          "display_name": "e"}, scoped=False),
    "POST /admin/users/{user_id}/sign-in-link": page("admin", scoped=False),
    "GET /admin/links": page("admin", scoped=False),
    "POST /admin/links": page("admin", 303, form=lambda o, r: {"liaison_id": o.liaison_id,
                                                               "employer_id": o.employer_id}, scoped=False),
    "GET /admin/audit": page("admin", scoped=False),
    "GET /admin/oversight": page("admin", scoped=False),
    "POST /admin/oversight/ranking": page("admin", 303, form=lambda o, r: {"liaison_id": o.liaison_id, "paused": "no"},
                                            scoped=False),
}


def page_routes(app) -> set[str]:
    from api.pages import ROUTERS

    return {f"{method} {route.path}" for router in ROUTERS for route in router.routes for method in route.methods
            if method != "HEAD"}


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def browser_for(app, link: str | None, username: str):
    """A client with a cookie jar of its own, signed in through `link` (None: not signed in)."""
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    if link:
        path = re.sub(r"^https?://[^/]+", "", link)
        token = csrf_of(client.get(path).text)
        response = client.post(path, data={"csrf_token": token, "username": username, "password": PASSWORD,
                                           "password_again": PASSWORD}, follow_redirects=False)
        assert response.status_code == 303, response.text
    return client


def password_browser(app, username: str):
    """Another browser of the same person, signed in with the user name and password."""
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    token = csrf_of(client.get("/sign-in").text)
    response = client.post("/sign-in", data={"csrf_token": token, "username": username, "password": PASSWORD},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def call(client, key: str, rule: PageRule, values: dict[str, str], form_from, role: str):
    method, template = key.split(" ", 1)
    path = template.format(token="no-such-token", lang="nl", **values) + rule.query
    if method == "GET":
        return client.get(path, follow_redirects=False)
    token = csrf_of(client.get("/sign-in").text) if "bm_csrf" not in client.cookies else client.cookies["bm_csrf"]
    data = {"csrf_token": token, **(rule.form(form_from, role) if rule.form else {})}
    return client.post(path, data=data, follow_redirects=False)
