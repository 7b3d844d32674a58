"""A client's X-Request-ID is kept only when it is a safe token; anything else never reaches a log line or a
row (the shortlist and its task message store the id): a new id is made, and the log line says so."""

from __future__ import annotations

import json
import logging
import string

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from tests.factories import bearer, create_world, vacancy_body

SAFE = string.ascii_letters + string.digits + "._:-"
safe_ids = st.text(st.sampled_from(SAFE), min_size=1, max_size=64)
unsafe_chars = st.characters(codec="utf-8", exclude_characters=SAFE, exclude_categories=["Cs"])
# "Qrid" marks the generated ids, so that finding one in a log line is never a coincidence.
unsafe_ids = st.one_of(
    st.builds(lambda head, bad, tail: f"Qrid{head}{bad}{tail}", safe_ids, unsafe_chars, st.text(st.sampled_from(SAFE))),
    st.builds(lambda long: "Qrid" + long, st.text(st.sampled_from(SAFE), min_size=61, max_size=300)),  # too long
)


def logged_texts(line: str) -> list[str]:
    """Every text of a JSON log line, decoded (an id escaped as JSON is still that id)."""
    texts: list[str] = []

    def collect(value) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                texts.append(key)
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(json.loads(line))
    return texts


class JsonLines(logging.Handler):
    """The log lines as the service writes them (one JSON object each), formatted when they are emitted."""

    def __init__(self) -> None:
        from matching.logs import JsonFormatter

        super().__init__(logging.INFO)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def programme(client, redis_url, monkeypatch):
    from matching.settings import get_settings

    monkeypatch.setenv("BLINDMATCH_RATE_LIMIT", "1000000/minute")
    get_settings.cache_clear()
    world = create_world(client)
    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()
    lines = JsonLines()
    root, access = logging.getLogger(), logging.getLogger("blindmatch.access")
    root.addHandler(lines)
    level = access.level
    access.setLevel(logging.INFO)
    yield client, world, vacancy["id"], lines
    access.setLevel(level)
    root.removeHandler(lines)
    monkeypatch.undo()
    get_settings.cache_clear()


def request_shortlist(programme, given: bytes):
    """POST a shortlist with this X-Request-ID; the answer's id, the stored rows' ids and the log lines."""
    from matching.store.db import session_scope
    from matching.store.models import OutboxMessage, Shortlist

    client, world, vacancy_id, lines = programme
    lines.lines.clear()
    response = client.post(
        f"/v1/vacancies/{vacancy_id}/shortlists", headers={**bearer(world.liaison), "X-Request-ID": given}
    )
    assert response.status_code == 202, response.text
    with session_scope() as session:
        shortlist = session.get(Shortlist, response.json()["id"])
        messages = session.exec(select(OutboxMessage)).all()
        stored = [shortlist.request_id] + [
            m.headers.get("request_id") for m in messages if m.args == [shortlist.id]
        ]
    return response.headers["X-Request-ID"], stored, list(lines.lines)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given_id=unsafe_ids)
@example(given_id="good-id\n")
@example(given_id="good-id\r\nX-Admin: yes")
@example(given_id='{"request_id": "forged", "level": "error"}')
@example(given_id='abc" injected="1')
@example(given_id="jan.peeters@gmail.com")
@example(given_id="x" * 10_000)
@example(given_id="a\x00b\x1b[31mred")
def test_an_unsafe_request_id_reaches_no_log_line_and_no_row(programme, given_id):
    answered, stored, lines = request_shortlist(programme, given_id.encode("utf-8"))
    assert answered != given_id
    assert len(answered) <= 64 and set(answered) <= set(SAFE)
    assert stored and all(value == answered for value in stored), stored
    access = [line for line in lines if '"blindmatch.access"' in line]
    assert access and all('"request_id_replaced": true' in line for line in access), access
    for line in lines:
        assert not any(given_id in text for text in logged_texts(line)), line


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given_id=safe_ids)
@example(given_id="7f9c2ba4-e88f-4c3e-9a21-5d2f0f6a8b10")
@example(given_id="gateway:2026-12-01T00.50:req_42")
def test_a_safe_request_id_round_trips_to_the_answer_the_rows_and_the_log(programme, given_id):
    answered, stored, lines = request_shortlist(programme, given_id.encode("ascii"))
    assert answered == given_id
    assert stored and all(value == given_id for value in stored), stored
    access = [line for line in lines if '"blindmatch.access"' in line]
    assert access and all(f'"request_id": "{given_id}"' in line for line in access)
    assert not any("request_id_replaced" in line for line in access)
