"""Bad input at scale: schemathesis against the OpenAPI schema, for each role and without a token.

For every operation, Hypothesis generates requests that follow the schema and requests that break it,
with made-up ids and with the ids of a real programme (so handlers run past their lookups). Every
answer must be below 500 and conform to the schema (status code, content type, headers, body); a
call without a token must get 401. The number of cases is printed (run with -s to see it).
"""

from __future__ import annotations

import collections

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis import checks as st_checks

from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.processes import compute_here, present_top

MAX_EXAMPLES = 6  # per operation, per mode, per role: enough to find crashes, small enough for CI
CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_headers_conformance,
    st_checks.response_schema_conformance,
]  # not negative_data_rejection: like most HTTP services, unknown query parameters are ignored, not refused
ROLES = ["admin", "counsellor", "liaison", "employer", None]
CASES: collections.Counter = collections.Counter()


@pytest.fixture(scope="module")
def programme(prepared_sqlite, redis_url):
    """A world with a profile presented on a vacancy: real ids for the path parameters."""
    from fastapi.testclient import TestClient

    from api.app import app
    from tests.conftest import use_database

    use_database(prepared_sqlite)
    with TestClient(app) as http:
        world = create_world(http)
        profile = http.post("/v1/profiles", json=profile_body(), headers=bearer(world.counsellor)).json()
        vacancy = http.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()
        shortlist_id = compute_here(http, world, vacancy["id"])
        present_top(http, world, shortlist_id)
        (card,) = http.get(f"/v1/vacancies/{vacancy['id']}/candidates", headers=bearer(world.employer)).json()
    ids = {
        "profile_id": profile["id"],
        "vacancy_id": vacancy["id"],
        "shortlist_id": shortlist_id,
        "candidate_ref": card["candidate_ref"],
        "liaison_id": world.liaison_id,
        "employer_id": world.employer_id,
        "concept_id": profile["skills"][0]["concept_id"],
    }
    yield world, ids
    print(f"\nschemathesis cases per role: {dict(CASES)}; total {sum(CASES.values())}")


@pytest.fixture
def schema(client, monkeypatch):
    """The app's schema, with rate limits out of the way (they are tested on their own)."""
    from api.app import app
    from matching.settings import get_settings

    monkeypatch.setenv("BLINDMATCH_RATE_LIMIT", "1000000/minute")
    get_settings.cache_clear()
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    monkeypatch.undo()
    get_settings.cache_clear()


def strategies(operation, ids: dict[str, str], *, anonymous: bool):
    names = [parameter.name for parameter in operation.path_parameters]
    known = {name: ids[name] for name in names if name in ids}
    yield "positive", operation.as_strategy(GenerationMode.POSITIVE)
    if known:
        yield "positive, real ids", operation.as_strategy(GenerationMode.POSITIVE, path_parameters=known)
    if not anonymous:
        yield "negative", operation.as_strategy(GenerationMode.NEGATIVE)


def fuzz(operation, mode: str, strategy, *, role: str | None, headers: dict, failures: list[str]):
    """Run the generated cases of one operation in one mode, collecting what fails."""
    must_authenticate = role is None and operation.path.startswith("/v1/")

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same cases on every run: a failure here is reproducible
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case) -> None:
        response = case.call(headers=headers)
        CASES[role or "no-token"] += 1
        if operation.label == "GET /readyz" and response.status_code == 503:
            # Not ready while no warm worker runs (none does here): the probe's own answer, not a server error.
            if response.json()["checks"]["workers"] != "no warm worker":
                failures.append(f"{operation.label} [{mode}] -> 503: {response.text[:600]}")
            return
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
            if must_authenticate:
                assert response.status_code == 401, f"{response.status_code} without a token"
        except BaseException as exc:  # noqa: B036 - schemathesis raises exception groups
            failures.append(f"{operation.label} [{mode}] -> {response.status_code}: {str(exc)[:600]}")

    try:
        run()
    except Unsatisfiable:
        pass  # e.g. no way to break the request of an operation that takes no input


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "no-token")
def test_no_5xx_and_every_answer_conforms(schema, programme, role):
    world, ids = programme
    headers = bearer(getattr(world, role)) if role else {}
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode, strategy in strategies(operation, ids, anonymous=role is None):
            fuzz(operation, mode, strategy, role=role, headers=headers, failures=failures)
    assert not failures, "\n\n".join(dict.fromkeys(failures))
