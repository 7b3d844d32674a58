"""A NUL or another control character anywhere a client writes (a free-text field, a path or query
parameter) is refused with a 4xx naming where, on SQLite and on PostgreSQL alike.

PostgreSQL cannot store or even compare a text holding NUL (0x00): such a value used to reach the driver
and answer 500 (a skill label, an organisation name, GET /v1/profiles/a%00b, ?user_id=a%00b).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.api.openapi_walk import concrete_path, operations, sample, string_fields, with_value
from tests.conftest import use_database
from tests.factories import bearer, create_world
from tests.live import live_api

CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
# Inside the text: a label's edges are stripped like spaces, and some controls count as spaces there.
with_control = st.builds(
    lambda before, control, after: f"{before}{control}{after}",
    st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=8),
    st.sampled_from(CONTROLS),
    st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=8),
)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, redis_url):
    from matching.services.bootstrap import prepare_database
    from matching.settings import get_settings
    from tests.conftest import DATA_DIR

    url = f"sqlite:///{DATA_DIR / 'controls.db'}" if request.param == "sqlite" else (
        request.getfixturevalue("postgres_database")
    )
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("BLINDMATCH_RATE_LIMIT", "1000000/minute")
    use_database(url)
    prepare_database()
    with live_api() as http:
        yield http, create_world(http)
    use_database(None)
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def spec(served):
    http, _ = served
    return http.get("/openapi.json").json()


@settings(max_examples=4, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=with_control)
def test_a_control_character_in_any_free_text_field_is_refused_naming_it(served, spec, text):
    http, world = served
    for operation in operations(spec):
        for field in string_fields(spec, operation.schema):
            if not field.is_free_text:
                continue
            body = with_value(sample(spec, operation.schema), field.position, text)
            response = http.request(operation.method, concrete_path(operation.path), json=body,
                                    headers=bearer(world.admin))
            where = f"{operation.label} {field.path}"
            assert response.status_code == 422, f"{where}: {response.status_code} {response.text}"
            assert response.json()["error"]["field"] == field.path, where


@settings(max_examples=4, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=with_control)
def test_a_control_character_in_a_path_or_query_parameter_is_a_4xx_never_a_500(served, spec, text):
    http, world = served
    value = quote(text, safe="")
    for token in (world.admin, world.counsellor, world.liaison, world.employer):
        for path, methods in spec["paths"].items():
            for method, operation in methods.items():
                url = path
                for parameter in operation.get("parameters", []):
                    if parameter["in"] == "path":
                        url = url.replace("{" + parameter["name"] + "}", value)
                query = {p["name"]: text for p in operation.get("parameters", []) if p["in"] == "query"}
                response = http.request(method, url, params=query, headers=bearer(token))
                if path == "/readyz" and response.status_code == 503:
                    # Not ready while no warm worker runs (none does here): the probe's own answer, not an error.
                    assert response.json()["checks"]["workers"] == "no warm worker"
                    continue
                assert response.status_code < 500, f"{method.upper()} {path}: {response.status_code} {response.text}"
