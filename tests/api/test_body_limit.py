"""Bounded requests: an oversized body is refused (413) before it is parsed or its token checked, whether
its length is declared or it streams in chunks; every list and string of a request body has a bound."""

from __future__ import annotations

import json

import pytest

from matching.ranking.facts import EVIDENCE_KINDS, SHIFTS, SKILL_LEVELS, TRANSPORT_MODES
from tests.api.openapi_walk import operations, walk
from tests.factories import bearer, create_world, profile_body

MB = 1024 * 1024


def assert_too_large(response) -> None:
    assert response.status_code == 413, response.text
    error = response.json()["error"]
    assert error["code"] == "body_too_large"
    assert "bytes" in error["message"]


@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_a_10_mb_body_is_refused_before_authentication(client, token):
    body = json.dumps(profile_body(pitch="x" * (10 * MB))).encode()
    headers = {"Content-Type": "application/json", **(bearer(token) if token else {})}
    assert_too_large(client.post("/v1/profiles", content=body, headers=headers))


def test_a_chunked_body_is_counted_while_it_streams_and_the_rest_is_not_read(client):
    """At the ASGI level, as a server hands over a chunked upload: 4 MB in 64 KiB chunks, no length."""
    import anyio

    from api.app import app
    from matching.settings import get_settings

    chunk, chunks_in_body = 64 * 1024, 64
    read = 0
    answer: list[dict] = []

    async def receive() -> dict:
        nonlocal read
        read += 1
        return {"type": "http.request", "body": b" " * chunk, "more_body": read < chunks_in_body}

    async def send(message: dict) -> None:
        answer.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/v1/profiles", "raw_path": b"/v1/profiles", "query_string": b"", "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")],
        "client": ("127.0.0.1", 1), "server": ("testserver", 80),
    }
    anyio.run(app, scope, receive, send)
    assert answer[0]["status"] == 413
    assert b"body_too_large" in b"".join(m.get("body", b"") for m in answer[1:])
    assert read == get_settings().max_body_bytes // chunk + 1  # refused at the first chunk past the limit


def test_the_limit_is_a_setting(client, monkeypatch):
    from matching.settings import get_settings

    world = create_world(client)
    body = json.dumps(profile_body(pitch=("Travail soigné, toujours à l'heure. " * 30)[:1000])).encode()
    monkeypatch.setenv("BLINDMATCH_MAX_BODY_BYTES", str(len(body) - 1))
    get_settings.cache_clear()
    try:
        headers = {"Content-Type": "application/json", **bearer(world.counsellor)}
        assert_too_large(client.post("/v1/profiles", content=body, headers=headers))
        monkeypatch.setenv("BLINDMATCH_MAX_BODY_BYTES", str(len(body)))
        get_settings.cache_clear()
        assert client.post("/v1/profiles", content=body, headers=headers).status_code == 201
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def largest_profile(letter: str) -> dict:
    """A profile at every bound of ProfileCreate: the largest request the API takes."""
    return {
        "skills": [
            {"label": f"{index:02d}" + letter * 198, "level": max(SKILL_LEVELS, key=len),
             "evidence": max(EVIDENCE_KINDS, key=len)}
            for index in range(60)
        ],
        "languages": [{"code": f"r{chr(97 + i)}m", "spoken": "C2", "written": "C2"} for i in range(15)],
        "availability": {"hours_min": 10, "hours_max": 40, "shifts": list(SHIFTS), "start": "2027-01-04"},
        "mobility": {
            "postcode": "1070", "max_commute_minutes": 240, "transport": list(TRANSPORT_MODES),
            "driving_licences": ["AM", "A1", "A2", "A", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D",
                                 "DE", "G"],
        },
        "preferences": {
            "occupations": [f"{index:02d}" + letter * 198 for index in range(20)],
            "contract_types": ["permanent", "temporary", "art60", "internship", "training"],
        },
        "phase": "job_search",
        "pitch": letter * 1000,
        "pitch_visible": True,
        "published": True,
    }


def test_the_largest_legitimate_request_fits_under_the_default_limit(client, capsys):
    from matching.settings import Settings

    limit = Settings().max_body_bytes
    sizes = {
        "ASCII": len(json.dumps(largest_profile("a"), ensure_ascii=False).encode()),
        "UTF-8, 2-byte letters": len(json.dumps(largest_profile("é"), ensure_ascii=False).encode()),
        "\\u-escaped (json.dumps default)": len(json.dumps(largest_profile("é")).encode()),
        "\\u-escaped, indented": len(json.dumps(largest_profile("é"), indent=2).encode()),
    }
    with capsys.disabled():
        print(f"\nlargest profile body in bytes (limit {limit}): {sizes}")
    assert max(sizes.values()) <= limit
    world = create_world(client)
    body = json.dumps(largest_profile("é"), indent=2).encode()
    response = client.post(
        "/v1/profiles", content=body, headers={"Content-Type": "application/json", **bearer(world.counsellor)}
    )
    assert response.status_code == 201, response.text[:500]


def test_no_request_body_has_an_unbounded_list_or_string_and_no_query_an_unbounded_number(client):
    from api.app import app

    spec = app.openapi()
    unbounded = []
    for operation in operations(spec):
        for position, node in walk(spec, operation.schema):
            where = f"{operation.label} {'.'.join(map(str, position)) or 'body'}"
            if node.get("type") == "array" and "maxItems" not in node:
                unbounded.append(f"{where}: a list without maxItems")
            # A choice or a date is bounded by its parser; any other string needs maxLength.
            if node.get("type") == "string" and not ({"maxLength", "enum", "const"} & set(node)) and node.get(
                "format"
            ) not in ("date", "date-time"):
                unbounded.append(f"{where}: a string without maxLength")
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                for node in parameter["schema"].get("anyOf", [parameter["schema"]]):
                    where = f"{method.upper()} {path} ?{parameter['name']}"
                    if node.get("type") == "integer" and "maximum" not in node:
                        unbounded.append(f"{where}: an integer without maximum")
                    if node.get("type") == "string" and not ({"maxLength", "enum", "pattern"} & set(node)):
                        unbounded.append(f"{where}: a string without maxLength")
    assert not unbounded, "\n".join(unbounded)
