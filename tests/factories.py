"""Keyword-only factories that build a small world of organisations and users through the API."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

PROFILE: dict[str, Any] = {
    "skills": [
        {"label": "nettoyage de bureaux", "level": "advanced", "evidence": "observed"},
        {"label": "utiliser une autolaveuse", "level": "intermediate", "evidence": "certified"},
        {"label": "travail en équipe"},
    ],
    "languages": [
        {"code": "fr", "spoken": "B2", "written": "A2"},
        {"code": "nl", "spoken": "A2", "written": "A1"},
        {"code": "rom", "spoken": "C2", "written": "A1"},
    ],
    "availability": {"hours_min": 19, "hours_max": 38, "shifts": ["early_morning", "day"], "start": "2026-12-01"},
    "mobility": {
        "postcode": "1070",
        "max_commute_minutes": 45,
        "transport": ["public_transport", "bike"],
        "driving_licences": [],
    },
    "preferences": {"occupations": ["agent d'entretien"], "contract_types": ["permanent", "art60"]},
    "phase": "job_search",
    "pitch": "J'aime le travail bien fait et je suis toujours à l'heure.",
}

VACANCY: dict[str, Any] = {
    "title": "Schoonmaker kantoren (m/v/x)",
    "occupation": "schoonmaker kantoren",
    "must_have": [{"label": "kantoren schoonmaken", "level": "basic"}],
    "nice_to_have": [{"label": "schrobmachine bedienen"}],
    "languages": [{"code": "nl", "spoken": "A2"}, {"code": "fr", "spoken": "B1"}],
    "location": {"postcode": "1000"},
    "hours_per_week": 30,
    "shifts": ["early_morning"],
    "contract_type": "permanent",
    "start": "2027-01-04",
    "driving_licence": None,
    "positions": 2,
}


def profile_body(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(PROFILE)
    body.update(changes)
    return body


def vacancy_body(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(VACANCY)
    body.update(changes)
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class World:
    """One programme: a counselling service, a liaison serving an employer, and their users' tokens."""

    admin: str
    counselling_id: str
    counsellor: str
    liaison_id: str
    liaison: str
    employer_id: str
    employer: str
    # The one-time sign-in links of the pages, per role (POST /v1/users answers them with the tokens).
    sign_in: dict[str, str] = field(default_factory=dict)


def admin_token() -> str:
    from matching.services.accounts import create_admin
    from matching.store.db import session_scope

    with session_scope() as session:
        return create_admin(session, display_name="test admin")[1]


def create_world(client, *, admin: str | None = None) -> World:
    admin = admin or admin_token()

    def post(path: str, body: dict) -> dict:
        response = client.post(path, json=body, headers=bearer(admin))
        assert response.status_code == 201, response.text
        return response.json()

    counselling = post("/v1/organisations", {"name": "Service de guidance", "kind": "counselling"})["id"]
    liaison = post("/v1/organisations", {"name": "Liaison asbl", "kind": "liaison"})["id"]
    employer = post("/v1/organisations", {"name": "Clean & Co", "kind": "employer"})["id"]
    response = client.put(f"/v1/organisations/{liaison}/employers/{employer}", headers=bearer(admin))
    assert response.status_code == 204, response.text

    links: dict[str, str] = {}

    def user(org: str, role: str) -> str:
        created = post("/v1/users", {"organisation_id": org, "role": role, "display_name": role})
        links[role] = created["sign_in_url"]
        return created["token"]

    return World(
        admin=admin,
        counselling_id=counselling,
        counsellor=user(counselling, "counsellor"),
        liaison_id=liaison,
        liaison=user(liaison, "liaison"),
        employer_id=employer,
        employer=user(employer, "employer"),
        sign_in=links,
    )
