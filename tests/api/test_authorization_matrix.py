"""The whole authorization matrix: every endpoint of the OpenAPI schema x every caller x own and foreign objects.

An endpoint the schema has and MATRIX does not (or the other way round) fails the test: adding an
endpoint means adding one line below saying who may call it. Callers are the four roles, plus no
token, a revoked token and an expired token. "Own" objects belong to the caller's programme (world A:
its counselling service, its liaison and the employer that liaison serves); "foreign" ones to another
programme (world B), whose objects carry a marker that no answer to world A may contain.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.api.page_matrix import PAGE_MATRIX
from tests.conftest import DATA_DIR, use_database
from tests.factories import World, bearer, create_world, profile_body, vacancy_body

pytestmark = pytest.mark.usefixtures("redis_url")  # shortlist requests send messages; cleaned up at the end

ROLES = ("admin", "counsellor", "liaison", "employer")
NO_ACCESS = ("anonymous", "revoked", "expired")
PROFILE_MARKER, VACANCY_MARKER = "FOREIGNPROFILE", "FOREIGNVACANCY"
CONCEPT = "bm:skill:office-cleaning"


@dataclass
class Objects:
    """One programme's objects, named as the path parameters that take them."""

    world: World
    profile_id: str
    spare_profile_id: str  # on the shortlist, not presented yet
    vacancy_id: str
    shortlist_id: str
    candidate_ref: str
    user_id: str
    token_id: str
    liaison_id: str
    employer_id: str
    webhook_ids: dict[str, str]  # each role's organisation's own webhook
    concept_id: str = CONCEPT


Body = Callable[[Objects, str], Any]


@dataclass(frozen=True)
class Rule:
    """Who may call an endpoint and what a successful call answers."""

    allowed: frozenset[str]
    status: int | tuple[int, ...] = 200
    body: Body | None = None
    query: str = ""
    scoped: bool = True  # its objects belong to an organisation: a foreign one answers 404 to allowed roles
    foreign_status: int = 404
    foreign_body: bool = False  # the foreign object is named in the body, not the path
    fresh: bool = False  # it changes state: each allowed call gets objects of its own
    public: bool = False
    # A counsellor's trajectory names every vacancy its profile was shortlisted for, whoever posted it
    # (API.md): vacancy ids and titles of the other programme are expected there, candidate data never.
    sees_other_vacancies: bool = False


def rule(allowed: str = "", status: int | tuple[int, ...] = 200, **kwargs: Any) -> Rule:
    return Rule(frozenset(ROLES if allowed == "*" else allowed.split()), status, **kwargs)


def _today() -> str:
    from datetime import UTC, datetime

    return datetime.now(UTC).date().isoformat()


def _vacancy(o: Objects, role: str) -> dict:
    return vacancy_body(title="Poste", employer_id=None if role == "employer" else o.employer_id)


MATRIX: dict[str, Rule] = {
    "GET /healthz": rule(public=True),
    "GET /readyz": rule(status=(200, 503), public=True),
    "GET /v1/organisations": rule("admin", scoped=False),
    "POST /v1/organisations": rule("admin", 201, body=lambda o, r: {"name": "Org", "kind": "employer"}, scoped=False),
    "POST /v1/users": rule(
        "admin", 201, body=lambda o, r: {"organisation_id": o.employer_id, "role": "employer", "display_name": "e"},
        scoped=False,
    ),
    "PUT /v1/organisations/{liaison_id}/employers/{employer_id}": rule("admin", 204, scoped=False),
    "DELETE /v1/organisations/{liaison_id}/employers/{employer_id}": rule("admin", 204, scoped=False, fresh=True),
    "GET /v1/tokens": rule("admin", scoped=False),
    "POST /v1/users/{user_id}/tokens": rule("admin", 201, scoped=False),
    "POST /v1/tokens/{token_id}/revoke": rule("admin", scoped=False, fresh=True),
    "GET /v1/audit": rule("admin", scoped=False),
    "GET /v1/audit/verify": rule("admin", scoped=False),
    "GET /v1/taxonomy/search": rule("*", query="?q=nettoyage", scoped=False),
    "GET /v1/taxonomy/concepts/{concept_id}": rule("*", scoped=False),
    "POST /v1/profiles": rule("counsellor", 201, body=lambda o, r: profile_body(), scoped=False),
    "GET /v1/profiles": rule("counsellor", scoped=False),
    "GET /v1/profiles/{profile_id}": rule("counsellor"),
    "PATCH /v1/profiles/{profile_id}": rule("counsellor", body=lambda o, r: {"pitch_visible": True}),
    "DELETE /v1/profiles/{profile_id}": rule("counsellor", 204, fresh=True),
    "POST /v1/profiles/{profile_id}/phase": rule("counsellor", body=lambda o, r: {"phase": "training"}),
    "POST /v1/profiles/{profile_id}/reconfirm": rule("counsellor"),
    "GET /v1/profiles/{profile_id}/trajectory": rule("counsellor", sees_other_vacancies=True),
    "GET /v1/profiles/{profile_id}/gaps": rule("counsellor"),
    "GET /v1/profiles/{profile_id}/explanations/{vacancy_id}": rule("counsellor", sees_other_vacancies=True),
    "POST /v1/profiles/{profile_id}/follow-ups": rule(
        "counsellor", 201, body=lambda o, r: {"at": _today(), "kind": "leaving", "outcome": "employed"}
    ),
    "GET /v1/profiles/{profile_id}/follow-ups": rule("counsellor"),
    "GET /v1/reports/programme": rule("counsellor admin", scoped=False),
    "GET /v1/reports/accuracy": rule("admin", scoped=False),
    "GET /v1/profiles/{profile_id}/opportunities": rule("counsellor", sees_other_vacancies=True),
    "POST /v1/vacancies": rule("liaison employer", 201, body=_vacancy, foreign_body=True, foreign_status=422),
    "GET /v1/vacancies": rule("liaison employer", scoped=False),
    "POST /v1/vacancies/draft": rule(
        "liaison employer", body=lambda o, r: {"text": "Nettoyeur/euse de bureaux\nProfil : expérience exigée."},
        scoped=False,
    ),
    "GET /v1/vacancies/{vacancy_id}": rule("liaison employer"),
    "PATCH /v1/vacancies/{vacancy_id}": rule("liaison employer", body=lambda o, r: {"positions": 3}),
    "POST /v1/vacancies/{vacancy_id}/close": rule("liaison employer", fresh=True),
    "POST /v1/vacancies/{vacancy_id}/shortlists": rule("liaison", 202, body=lambda o, r: {"size": 5}),
    "POST /v1/shortlists/batch": rule(
        "liaison", 202, body=lambda o, r: {"vacancy_ids": [o.vacancy_id], "size": 5}, scoped=False, foreign_body=True
    ),
    "GET /v1/shortlists/{shortlist_id}": rule("liaison"),
    "POST /v1/shortlists/{shortlist_id}/present": rule(
        "liaison", body=lambda o, r: {"profile_ids": [o.spare_profile_id]}, fresh=True
    ),
    "GET /v1/vacancies/{vacancy_id}/candidates": rule("liaison employer"),
    "POST /v1/vacancies/{vacancy_id}/candidates/{candidate_ref}/decision": rule(
        "employer", body=lambda o, r: {"decision": "interested"}, fresh=True
    ),
    "POST /v1/shortlists/{shortlist_id}/overrides": rule(
        "liaison",
        # Not fresh: a shortlist computed later would list the other programme's profiles too (shortlists
        # score every published profile), which this answer echoes; moving one candidate changes nothing else.
        body=lambda o, r: {"action": "move", "profile_id": o.spare_profile_id, "position": 1, "reason": "knows_fit"},
    ),
    "POST /v1/shortlists/{shortlist_id}/replay": rule("liaison"),
    # The admin switches any liaison organisation, a liaison only its own (tests/api/test_oversight.py).
    "GET /v1/organisations/{liaison_id}/ranking": rule("admin liaison", scoped=False),
    "PUT /v1/organisations/{liaison_id}/ranking": rule(
        "admin liaison", body=lambda o, r: {"paused": False}, scoped=False
    ),
    "GET /v1/fairness": rule("admin", scoped=False),
    # Events and webhooks: each organisation its own (a webhook path takes the caller's organisation's one).
    # A counsellor's feed names the vacancies its profiles were shortlisted for, as the trajectory does.
    "GET /v1/events": rule("counsellor liaison employer", scoped=False, sees_other_vacancies=True),
    "POST /v1/webhooks": rule("counsellor liaison employer", 201, body=lambda o, r: WEBHOOK, scoped=False),
    "GET /v1/webhooks": rule("counsellor liaison employer", scoped=False),
    "DELETE /v1/webhooks/{webhook_id}": rule("counsellor liaison employer", 204, fresh=True),
    "GET /v1/webhooks/{webhook_id}/deliveries": rule("counsellor liaison employer"),
}
WEBHOOK = {"url": "https://93.184.215.14/hooks", "events": ["candidate.decision", "vacancy.opened"]}


# --- building the two programmes ------------------------------------------------------------------


def _ok(response, status: int = 200) -> dict:
    assert response.status_code == status, response.text
    return response.json() if response.content else {}


def compute_in_process(shortlist_id: str) -> None:
    from matching.services import shortlists
    from matching.store.db import session_scope

    with session_scope() as session:
        shortlists.compute(session, shortlist_id)


def build_objects(client, world: World, *, foreign: bool = False) -> Objects:
    """Two profiles, a vacancy, a ready shortlist, one presented candidate, a spare employer, user and token."""
    admin, counsellor, liaison = bearer(world.admin), bearer(world.counsellor), bearer(world.liaison)
    pitch = f"Ponctuel et motivé {PROFILE_MARKER if foreign else ''}".strip()
    title = f"Poste {VACANCY_MARKER if foreign else ''}".strip()
    profiles = [
        _ok(client.post("/v1/profiles", json=profile_body(pitch=pitch, pitch_visible=True), headers=counsellor), 201)
        for _ in range(2)
    ]
    vacancy = _ok(
        client.post("/v1/vacancies", json=vacancy_body(title=title, employer_id=world.employer_id),
                    headers=liaison),
        201,
    )
    # Every build publishes two more identical profiles into this module's database (about fifty by the
    # last one, more in another test order) and ties among identical profiles fall by random profile id:
    # ask for the largest shortlist the API allows, so that this build's two are sure to be on it.
    accepted = _ok(client.post(f"/v1/vacancies/{vacancy['id']}/shortlists", json={"size": 100}, headers=liaison),
                   202)
    compute_in_process(accepted["id"])
    shortlist = _ok(client.get(f"/v1/shortlists/{accepted['id']}", headers=liaison))
    on_list = {item["profile_id"] for item in shortlist["items"]}
    assert {p["id"] for p in profiles} <= on_list, shortlist
    _ok(client.post(f"/v1/shortlists/{accepted['id']}/present", json={"profile_ids": [profiles[0]["id"]]},
                    headers=liaison))
    cards = _ok(client.get(f"/v1/vacancies/{vacancy['id']}/candidates", headers=liaison))
    spare_employer = _ok(client.post("/v1/organisations", json={"name": "Spare", "kind": "employer"}, headers=admin),
                         201)
    _ok(client.put(f"/v1/organisations/{world.liaison_id}/employers/{spare_employer['id']}", headers=admin), 204)
    user = _ok(client.post("/v1/users", json={"organisation_id": world.counselling_id, "role": "counsellor",
                                              "display_name": "spare"}, headers=admin), 201)
    tokens = _ok(client.get(f"/v1/tokens?user_id={user['id']}", headers=admin))
    return Objects(
        world=world,
        profile_id=profiles[0]["id"],
        spare_profile_id=profiles[1]["id"],
        vacancy_id=vacancy["id"],
        shortlist_id=accepted["id"],
        candidate_ref=cards[0]["candidate_ref"],
        user_id=user["id"],
        token_id=tokens[0]["id"],
        liaison_id=world.liaison_id,
        employer_id=world.employer_id if foreign else spare_employer["id"],
        webhook_ids=_webhooks(client, world),
    )


_WEBHOOK_SETS: dict[str, list[dict[str, str]]] = {}  # per programme: its first set of webhooks, then the last one


def _webhooks(client, world: World) -> dict[str, str]:
    """A webhook of each role's organisation. A fresh set's predecessor is deleted first (it served one call),
    so an organisation stays under its webhook limit however many fresh objects the matrix builds."""
    sets = _WEBHOOK_SETS.setdefault(world.employer_id, [])
    if len(sets) > 1:
        for role, webhook_id in sets.pop().items():
            client.delete(f"/v1/webhooks/{webhook_id}", headers=bearer(getattr(world, role)))
    sets.append({
        role: _ok(client.post("/v1/webhooks", json=WEBHOOK, headers=bearer(getattr(world, role))), 201)["id"]
        for role in ("counsellor", "liaison", "employer")
    })
    return sets[-1]


def _expired_token(user_id: str) -> str:
    from matching.services.accounts import issue_token
    from matching.store.db import session_scope
    from matching.store.models import User, utcnow

    with session_scope() as session:
        return issue_token(session, user=session.get(User, user_id), expires_at=utcnow() - timedelta(minutes=1))[1]


@pytest.fixture(scope="module", autouse=True)
def no_rate_limit():
    """The matrix sends a few hundred requests a minute with one admin token: the rate limit is tested elsewhere."""
    import os

    from matching.settings import get_settings

    before = os.environ.get("BLINDMATCH_RATE_LIMIT")
    os.environ["BLINDMATCH_RATE_LIMIT"] = "1000000/minute"
    get_settings.cache_clear()
    yield
    if before is None:
        os.environ.pop("BLINDMATCH_RATE_LIMIT", None)
    else:
        os.environ["BLINDMATCH_RATE_LIMIT"] = before
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def programmes():
    from fastapi.testclient import TestClient

    from api.app import app
    from matching.services.bootstrap import prepare_database

    # A file of its own each time the fixture is set up: should pytest set it up twice (tests of this module
    # not run together), the second set of programmes must not meet the first one's profiles.
    use_database(f"sqlite:///{DATA_DIR / f'matrix-{uuid.uuid4().hex[:8]}.db'}")
    prepare_database()
    with TestClient(app, raise_server_exceptions=False) as client:
        world = create_world(client)
        other = create_world(client, admin=world.admin)
        own = build_objects(client, world)
        foreign = build_objects(client, other, foreign=True)
        admin = bearer(world.admin)
        revoked_user = _ok(client.post("/v1/users", json={"organisation_id": world.counselling_id,
                                                          "role": "counsellor", "display_name": "gone"},
                                       headers=admin), 201)
        token_id = _ok(client.get(f"/v1/tokens?user_id={revoked_user['id']}", headers=admin))[0]["id"]
        _ok(client.post(f"/v1/tokens/{token_id}/revoke", headers=admin))
        tokens = {
            "admin": world.admin,
            "counsellor": world.counsellor,
            "liaison": world.liaison,
            "employer": world.employer,
            "anonymous": None,
            "revoked": revoked_user["token"],
            "expired": _expired_token(own.user_id),
        }
        yield client, own, foreign, tokens


# --- the walk -------------------------------------------------------------------------------------


def operations() -> set[str]:
    from api.app import app

    return {
        f"{method.upper()} {path}"
        for path, item in app.openapi()["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }


def test_every_endpoint_is_in_the_matrix():
    missing, stale = operations() - set(MATRIX), set(MATRIX) - operations()
    assert not missing, f"endpoints without a line in MATRIX (say who may call them): {sorted(missing)}"
    assert not stale, f"MATRIX lines for endpoints that no longer exist: {sorted(stale)}"


def _url(key: str, objects: Objects, rule_: Rule, caller: str = "employer") -> tuple[str, str]:
    method, template = key.split(" ", 1)
    values = {name: getattr(objects, name) for name in Objects.__dataclass_fields__ if name != "world"}
    values["webhook_id"] = objects.webhook_ids.get(caller, objects.webhook_ids["employer"])
    try:
        path = template.format(**values)
    except KeyError as exc:
        raise AssertionError(f"{key}: no object for path parameter {exc}; add it to Objects") from None
    return method, path + rule_.query


def _call(client, key: str, rule_: Rule, objects: Objects, caller: str, token: str | None, body_from: Objects):
    method, url = _url(key, objects, rule_, caller)
    # A body that names a foreign object is built as a liaison would (naming the employer) for every caller.
    body_role = caller if caller in ROLES and body_from is objects else "liaison"
    body = rule_.body(body_from, body_role) if rule_.body else None
    headers = bearer(token) if token else {}
    return client.request(method, url, json=body, headers=headers)


def _expect(response, statuses: tuple[int, ...], where: str) -> None:
    assert response.status_code in statuses, f"{where}: {response.status_code} {response.text[:300]}"
    if where.startswith("GET /readyz") and response.status_code == 503:
        # Not ready while no warm worker runs (none does here): the probe's own answer, not an error.
        assert response.json()["checks"]["workers"] == "no warm worker", where
        return
    assert response.status_code < 500, where
    if response.status_code >= 400:
        error = response.json()["error"]
        assert set(error) == {"code", "message", "field"} and error["message"], where
    assert "Traceback" not in response.text and 'File "' not in response.text, where


def _no_leak(response, foreign: Objects, rule_: Rule, where: str) -> None:
    text = response.text
    secrets = [PROFILE_MARKER, foreign.profile_id, foreign.spare_profile_id, foreign.candidate_ref]
    if not rule_.sees_other_vacancies:
        secrets += [VACANCY_MARKER, foreign.vacancy_id, foreign.shortlist_id]
    for secret in secrets:
        assert secret not in text, f"{where}: the answer shows {secret!r} of another programme"


@pytest.mark.parametrize("key", sorted(MATRIX))
def test_authorization_matrix(programmes, key, matrix_counts):
    client, own, foreign, tokens = programmes
    rule_ = MATRIX[key]
    expected_ok = rule_.status if isinstance(rule_.status, tuple) else (rule_.status,)
    calls = 0
    # Refused first, so nothing has changed yet when the allowed callers come.
    for caller in NO_ACCESS:
        response = _call(client, key, rule_, own, caller, tokens[caller], own)
        _expect(response, expected_ok if rule_.public else (401,), f"{key} as {caller}")
        calls += 1
    if rule_.public:
        matrix_counts.append((key, calls))
        return
    if rule_.scoped or rule_.foreign_body:
        for caller in ROLES:
            # A state-changing call gets fresh foreign objects too: should it wrongly succeed, it must not
            # hide the next caller's leak by having erased or closed the object first.
            other = build_objects(client, foreign.world, foreign=True) if rule_.fresh else foreign
            target, body_from = (own, other) if rule_.foreign_body else (other, other)
            response = _call(client, key, rule_, target, caller, tokens[caller], body_from)
            statuses = (rule_.foreign_status,) if caller in rule_.allowed else (403, 404)
            _expect(response, statuses, f"{key} as {caller} on a foreign object")
            if caller != "admin":
                _no_leak(response, other, rule_, f"{key} as {caller} on a foreign object")
            calls += 1
    for caller in ROLES:
        if caller in rule_.allowed:
            continue
        response = _call(client, key, rule_, own, caller, tokens[caller], own)
        _expect(response, (403,), f"{key} as {caller}")
        calls += 1
    for caller in sorted(rule_.allowed):
        objects = build_objects(client, own.world) if rule_.fresh else own
        response = _call(client, key, rule_, objects, caller, tokens[caller], objects)
        _expect(response, expected_ok, f"{key} as {caller} on its own object")
        if caller != "admin":
            _no_leak(response, foreign, rule_, f"{key} as {caller}")
        calls += 1
    matrix_counts.append((key, calls))


@pytest.fixture(scope="module")
def matrix_counts():
    counts: list[tuple[str, int]] = []
    yield counts
    print(f"\nauthorization matrix: {len(counts)} endpoints x {len(ROLES) + len(NO_ACCESS)} callers, "
          f"{sum(n for _, n in counts)} calls checked")


def test_a_revoked_token_gets_401_on_its_next_call(programmes):
    client, own, _, tokens = programmes
    admin = bearer(tokens["admin"])
    user = _ok(client.post("/v1/users", json={"organisation_id": own.world.employer_id, "role": "employer",
                                              "display_name": "soon gone"}, headers=admin), 201)
    employer = bearer(user["token"])
    assert client.get("/v1/vacancies", headers=employer).status_code == 200
    listed = _ok(client.get(f"/v1/tokens?user_id={user['id']}", headers=admin))
    assert len(listed) == 1 and listed[0]["status"] == "active"
    assert listed[0]["prefix"] == user["token"][:10] and user["token"] not in str(listed)
    revoked = _ok(client.post(f"/v1/tokens/{listed[0]['id']}/revoke", headers=admin))
    assert revoked["status"] == "revoked"
    response = client.get("/v1/vacancies", headers=employer)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"
    # A new token for the same user works; the old one stays dead.
    issued = _ok(client.post(f"/v1/users/{user['id']}/tokens", json={}, headers=admin), 201)
    assert issued["token"].startswith("bm_") and issued["expires_at"]
    assert client.get("/v1/vacancies", headers=bearer(issued["token"])).status_code == 200
    assert client.get("/v1/vacancies", headers=employer).status_code == 401
    actions = [e["action"] for e in _ok(client.get("/v1/audit?action=token.revoked&limit=1000", headers=admin))]
    assert actions and set(actions) == {"token.revoked"}


def test_tokens_are_32_random_bytes_stored_as_a_hash(programmes):
    from sqlmodel import select

    from matching.services.accounts import hash_token
    from matching.store.db import session_scope
    from matching.store.models import ApiToken

    _, own, _, tokens = programmes
    token = tokens["counsellor"]
    assert len(token) == len("bm_") + 43  # base64url of 32 bytes
    with session_scope() as session:
        rows = session.exec(select(ApiToken)).all()
    assert all(token not in (row.token_hash, row.prefix) for row in rows)
    assert hash_token(token) in {row.token_hash for row in rows}


def _reads(client, token: str, objects: Objects) -> dict[str, bool]:
    """May this liaison read the shortlist? Asked of the fast read path, the ORM path and the vacancy rule."""
    from matching.errors import NotFound
    from matching.services import shortlists
    from matching.services.accounts import authenticate
    from matching.store.db import session_scope

    fast = client.get(f"/v1/shortlists/{objects.shortlist_id}", headers=bearer(token))
    assert fast.status_code in (200, 404), fast.text
    with session_scope(read_only=True) as session:
        try:
            shortlists.visible_shortlist(session, authenticate(session, token), objects.shortlist_id)
            orm = True
        except NotFound:
            orm = False
    vacancy = client.get(f"/v1/vacancies/{objects.vacancy_id}", headers=bearer(token))
    return {"fast path": fast.status_code == 200, "ORM path": orm, "vacancy": vacancy.status_code == 200}


@settings(max_examples=15)
@given(changes=st.lists(st.tuples(st.sampled_from(["own", "other"]), st.booleans()), min_size=1, max_size=5))
@example(changes=[("own", False), ("own", True)])  # the liaison unlinked loses reads at once, then gets them back
def test_linking_and_unlinking_a_liaison_changes_shortlist_reads_at_once_on_both_paths(programmes, changes):
    """The fast path serves a ready shortlist from memory: after any (un)link it must agree with the ORM path."""
    client, own, foreign, tokens = programmes
    admin = bearer(tokens["admin"])
    liaisons = {"own": (own.world.liaison_id, tokens["liaison"]), "other": (foreign.world.liaison_id,
                                                                             foreign.world.liaison)}
    linked = {"own": True, "other": False}
    assert _reads(client, tokens["liaison"], own)["fast path"]  # rendered and kept in memory from here on
    try:
        for who, serve in changes:
            path = f"/v1/organisations/{liaisons[who][0]}/employers/{own.world.employer_id}"
            _ok(client.put(path, headers=admin) if serve else client.delete(path, headers=admin), 204)
            linked[who] = serve
            for name, (_, token) in liaisons.items():
                reads = _reads(client, token, own)
                assert set(reads.values()) == {linked[name]}, (changes, name, reads)
    finally:
        _ok(client.put(f"/v1/organisations/{own.world.liaison_id}/employers/{own.world.employer_id}", headers=admin),
            204)
        _ok(client.delete(f"/v1/organisations/{foreign.world.liaison_id}/employers/{own.world.employer_id}",
                          headers=admin), 204)


# --- the pages for people: the same rules, through the browser session ------------------------------


def test_every_page_route_is_in_the_page_matrix():
    from api.app import app
    from tests.api.page_matrix import page_routes

    missing, stale = page_routes(app) - set(PAGE_MATRIX), set(PAGE_MATRIX) - page_routes(app)
    assert not missing, f"page routes without a line in PAGE_MATRIX (say who may open them): {sorted(missing)}"
    assert not stale, f"PAGE_MATRIX lines for page routes that no longer exist: {sorted(stale)}"


@pytest.fixture(scope="module")
def page_browsers(programmes):
    """A signed-in browser (own cookie jar) per role of the own programme, and one not signed in."""
    from api.app import app
    from matching.services.signin import issue_link
    from matching.store.db import session_scope
    from matching.store.models import User
    from tests.api.page_matrix import browser_for

    client, own, _, _ = programmes
    links = dict(own.world.sign_in)
    with session_scope() as session:
        admin = session.exec(select_admin(User)).first()
        links["admin"] = f"http://testserver/sign-in/{issue_link(session, user=admin)}"
    suffix = uuid.uuid4().hex[:6]
    browsers = {role: browser_for(app, links[role], f"{role}-{suffix}") for role in ROLES}
    browsers["anonymous"] = browser_for(app, None, "")
    browsers["usernames"] = {role: f"{role}-{suffix}" for role in ROLES}
    return browsers


def select_admin(user_model):
    from sqlmodel import select

    return select(user_model).where(user_model.role == "admin")


def _page_values(objects: Objects) -> dict[str, str]:
    return {name: getattr(objects, name) for name in Objects.__dataclass_fields__ if name != "world"}


@pytest.mark.parametrize("key", sorted(PAGE_MATRIX))
def test_page_authorization_matrix(programmes, page_browsers, key):
    from tests.api.page_matrix import call

    client, own, foreign, _ = programmes
    rule_ = PAGE_MATRIX[key]
    expected = rule_.status if isinstance(rule_.status, tuple) else (rule_.status,)
    anonymous = call(page_browsers["anonymous"], key, rule_, _page_values(own), own, "anonymous")
    if rule_.public:
        assert anonymous.status_code in expected, f"{key} not signed in: {anonymous.status_code}"
        return
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/sign-in"), key
    for role in ROLES:
        if rule_.scoped:
            # The other programme's objects as they are: a call that wrongly succeeded fails here at once.
            response = call(page_browsers[role], key, rule_, _page_values(foreign), foreign, role)
            statuses = (rule_.foreign_status,) if role in rule_.allowed else (403, 404)
            assert response.status_code in statuses, f"{key} as {role} on a foreign object: {response.status_code}"
            assert PROFILE_MARKER not in response.text, f"{key} as {role} shows another programme's profile"
        if role not in rule_.allowed:
            response = call(page_browsers[role], key, rule_, _page_values(own), own, role)
            assert response.status_code == 403, f"{key} as {role}: {response.status_code}"
    for role in sorted(rule_.allowed):
        objects = build_objects(client, own.world) if rule_.fresh else own
        browser = page_browsers[role]
        if key == "POST /sign-out":  # not the browser the next routes use
            from api.app import app
            from tests.api.page_matrix import password_browser

            browser = password_browser(app, page_browsers["usernames"][role])
        response = call(browser, key, rule_, _page_values(objects), objects, role)
        assert response.status_code in expected, f"{key} as {role}: {response.status_code} {response.text[:300]}"
