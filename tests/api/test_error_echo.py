"""No error answer repeats what the client sent: not a key, not a value, not a path or query parameter.

A key can carry personal data as well as a value ({"jan.peeters@gmail.com": 1}); errors name positions.
Keys and values are generated around a canary that must appear nowhere in any error answer (body and
headers), for every operation of the app's OpenAPI.
"""

from __future__ import annotations

import logging
import re
import string
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.openapi_walk import (
    alternatives,
    concrete_path,
    json_path,
    operations,
    sample,
    walk,
    with_value,
)
from tests.api.test_request_ids import JsonLines
from tests.factories import bearer, create_world

CANARY = "Qzxjanpeeters"
affixes = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6)
with_canary = st.builds(lambda before, after: f"{before}{CANARY}{after}", affixes, affixes)
identity_like = st.sampled_from(["", "email_", "name_", "phone_", "first-name-"])
canary_keys = st.builds(lambda prefix, text: prefix + text, identity_like, with_canary)


def assert_not_echoed(response, where: str) -> None:
    if where.startswith("GET /readyz") and response.status_code == 503:
        # Not ready while no warm worker runs (none does here): the probe's own answer, which echoes nothing.
        assert CANARY.lower() not in response.text.lower() and response.json()["checks"]["workers"] == "no warm worker"
        return
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text}"
    if response.status_code < 400:
        return  # an accepted request; only error answers are under test here
    answer = response.text + " ".join(f"{name}: {value}" for name, value in response.headers.items())
    assert CANARY.lower() not in answer.lower(), f"{where}: {response.status_code} {answer}"


@pytest.fixture(scope="module")
def spec(prepared_sqlite):
    from api.app import app

    return app.openapi()


@pytest.fixture
def world(client, monkeypatch):
    from matching.settings import get_settings

    monkeypatch.setenv("BLINDMATCH_RATE_LIMIT", "1000000/minute")  # many requests per token here
    get_settings.cache_clear()
    yield create_world(client)
    monkeypatch.undo()
    get_settings.cache_clear()


def test_an_unknown_key_is_named_by_position(client, world):
    from tests.factories import profile_body

    body = profile_body()
    body["skills"][0]["jan.peeters@gmail.com"] = 1
    response = client.post("/v1/profiles", json=body, headers=bearer(world.counsellor))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "unknown_field"
    assert error["field"] == "skills[0]"
    assert error["message"].startswith("The 4th key of skills[0] ")  # after label, level and evidence
    assert "jan.peeters" not in response.text


settings_for_bodies = settings(
    max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@settings_for_bodies
@given(key=canary_keys, value=with_canary)
def test_unknown_keys_in_every_object_of_every_body_are_not_echoed(client, spec, world, key, value):
    headers = bearer(world.admin)
    for operation in operations(spec):
        base = sample(spec, operation.schema)
        for position, node in walk(spec, operation.schema):
            if node.get("type") != "object" or not _present(base, position):
                continue
            body = with_value(base, position, {**_at(base, position), key: value})
            response = client.request(operation.method, concrete_path(operation.path), json=body, headers=headers)
            assert_not_echoed(response, f"{operation.label} key in {json_path(position) or 'body'}")


@settings_for_bodies
@given(value=with_canary)
def test_bad_values_in_every_formatted_field_are_not_echoed(client, spec, world, value):
    """Ids, codes, choices, dates, numbers and booleans given a text: the rule is named, not the text."""
    headers = bearer(world.admin)
    for operation in operations(spec):
        base = sample(spec, operation.schema)
        for position, node in walk(spec, operation.schema):
            if not position or not _present(base, position) or _free_text(spec, node):
                continue
            body = with_value(base, position, value)
            response = client.request(operation.method, concrete_path(operation.path), json=body, headers=headers)
            assert_not_echoed(response, f"{operation.label} value at {json_path(position)}")


@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=with_canary)
def test_path_query_header_and_broken_json_are_not_echoed(client, spec, world, value):
    for token in (world.admin, world.counsellor, world.liaison, world.employer):
        headers = bearer(token)
        for path, methods in spec["paths"].items():
            for method, operation in methods.items():
                url = path.replace("{", "").replace("}", "")
                for name in [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]:
                    url = url.replace(name, quote(value, safe=""), 1)
                query = {p["name"]: value for p in operation.get("parameters", []) if p["in"] == "query"}
                response = client.request(method, url, params=query, headers=headers)
                assert_not_echoed(response, f"{method.upper()} {path} with the value in its parameters")
    broken = ('{"' + value + '": "' + value).encode()
    for operation in operations(spec):
        response = client.request(
            operation.method, concrete_path(operation.path), content=broken,
            headers={**bearer(world.admin), "Content-Type": "application/json"},
        )
        assert_not_echoed(response, f"{operation.label} broken JSON")
    for header in ("Accept-Language", "Idempotency-Key"):
        response = client.post(
            "/v1/organisations", json={"name": "x"}, headers={**bearer(world.admin), header: value.encode()}
        )
        assert_not_echoed(response, f"{header} header")


def _present(body, position) -> bool:
    try:
        _at(body, position)
    except (KeyError, IndexError, TypeError):
        return False
    return True


def _at(body, position):
    for part in position:
        body = body[part]
    return body


def _free_text(spec, node) -> bool:
    """A free-text string accepts the canary (it is not personal data): nothing is refused to echo."""
    options = alternatives(spec, node)
    return any(
        option.get("type") == "string" and not {"pattern", "enum", "const", "format"} & set(option)
        for option in options
    )


@contextmanager
def access_log_lines() -> Iterator[list[str]]:
    """The access log's lines, as the service writes them, while the block runs."""
    lines = JsonLines()
    access = logging.getLogger("blindmatch.access")
    access.addHandler(lines)
    level = access.level
    access.setLevel(logging.INFO)
    try:
        yield lines.lines
    finally:
        access.setLevel(level)
        access.removeHandler(lines)


@pytest.mark.parametrize(
    "path",
    ["/v1/profiles/jan.peeters@gmail.com", "/v1/vacancies/Jan%20Peeters%200470123456/candidates", "/no/jan.peeters"],
)
def test_what_a_client_puts_in_a_path_is_not_written_into_the_access_log(client, world, path):
    with access_log_lines() as lines:
        response = client.get(path, headers=bearer(world.admin))
    assert response.status_code in (403, 404), response.text
    (line,) = lines
    assert "jan" not in line.lower() and "0470" not in line, line
    expected = {"/v1/profiles/jan.peeters@gmail.com": "/v1/profiles/{...}",
                "/v1/vacancies/Jan%20Peeters%200470123456/candidates": "/v1/vacancies/{...}/candidates",
                "/no/jan.peeters": "/{...}/{...}"}[path]
    assert f'"path": "{expected}"' in line, line


ID_ALPHABET = string.ascii_letters + string.digits + "._:~-"
# Segments written in the alphabet and form of this service's ids ("vac_" + 16 characters, "bm:occ:...",
# "prf_..."): a client can still spell a person in them ("vac_jan_peeters_1990", "bm:occ:jan-peeters").
id_shaped_segments = st.builds(
    lambda prefix, before, after: f"{prefix}{before}{CANARY}{after}",
    st.sampled_from(["vac_", "prf_", "org_", "sl_", "usr_", "cand_", "bm:occ:", "esco:", "x:", "_", ""]),
    st.text(st.sampled_from(ID_ALPHABET), max_size=4),
    st.text(st.sampled_from(ID_ALPHABET), max_size=4),
)


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(segment=id_shaped_segments)
def test_a_path_segment_shaped_like_an_id_is_not_written_into_the_access_log(client, spec, world, segment):
    with access_log_lines() as lines:
        for path, methods in spec["paths"].items():
            if "{" not in path:
                continue
            url = re.sub(r"\{[^}]+\}", segment, path)
            for method in methods:
                client.request(method, url, headers=bearer(world.admin))
    assert lines
    leaked = [line for line in lines if CANARY.lower() in line.lower()]
    assert leaked == [], leaked[:3]
