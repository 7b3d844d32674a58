"""Idempotency-Key on every creating POST, with Stripe's rules."""

from __future__ import annotations

import hashlib
import threading
import uuid
from datetime import timedelta

import pytest
import sqlalchemy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from tests.conftest import DATA_DIR, use_database
from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.live import live_api
from tests.processes import wait_until


@pytest.fixture
def world(client):
    return create_world(client)


def keyed(token: str, key: str) -> dict[str, str]:
    return {**bearer(token), "Idempotency-Key": key}


def stored_key(key: str) -> str:
    """Keys are stored as hashes: a client may build them from ids."""
    return hashlib.sha256(key.encode()).hexdigest()


def profile_count(client, token: str) -> int:
    return len(client.get("/v1/profiles", headers=bearer(token)).json())


def test_same_key_and_body_replays_the_first_answer_and_creates_nothing_twice(client, world):
    before = profile_count(client, world.counsellor)
    key = uuid.uuid4().hex
    first = client.post("/v1/profiles", json=profile_body(), headers=keyed(world.counsellor, key))
    assert first.status_code == 201, first.text
    assert "Idempotent-Replayed" not in first.headers
    # The same JSON with its keys in another order is the same request.
    reordered = dict(reversed(list(profile_body().items())))
    again = client.post("/v1/profiles", json=reordered, headers=keyed(world.counsellor, key))
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert profile_count(client, world.counsellor) == before + 1


def test_same_key_with_another_body_is_refused(client, world):
    key = uuid.uuid4().hex
    assert client.post("/v1/profiles", json=profile_body(), headers=keyed(world.counsellor, key)).status_code == 201
    other = client.post("/v1/profiles", json=profile_body(phase="training"), headers=keyed(world.counsellor, key))
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert other.json()["error"]["field"] == "Idempotency-Key"
    # Another path with the same key is another request too.
    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=keyed(world.counsellor, key))
    assert vacancy.json()["error"]["code"] == "idempotency_key_reused"


def test_keys_belong_to_their_token_and_refusals_are_not_kept(client, world):
    key = uuid.uuid4().hex
    mine = client.post("/v1/profiles", json=profile_body(), headers=keyed(world.counsellor, key))
    other_world = create_world(client, admin=world.admin)
    theirs = client.post("/v1/profiles", json=profile_body(), headers=keyed(other_world.counsellor, key))
    assert theirs.status_code == 201 and theirs.json()["id"] != mine.json()["id"]

    # A refused request created nothing: its key may carry the corrected request.
    retry_key = uuid.uuid4().hex
    bad = client.post("/v1/profiles", json=profile_body(name="Ana"), headers=keyed(world.counsellor, retry_key))
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "identity_field"
    good = client.post("/v1/profiles", json=profile_body(), headers=keyed(world.counsellor, retry_key))
    assert good.status_code == 201 and "Idempotent-Replayed" not in good.headers

    malformed = client.post("/v1/profiles", json=profile_body(), headers=keyed(world.counsellor, "two words"))
    assert malformed.status_code == 422 and malformed.json()["error"]["field"] == "Idempotency-Key"


def test_after_24_hours_a_key_is_forgotten(client, world):
    from datetime import timedelta

    from matching.store import idempotency
    from matching.store.db import session_scope
    from matching.store.models import IdempotencyRecord, utcnow

    key = uuid.uuid4().hex
    first = client.post("/v1/profiles", json=profile_body(), headers=keyed(world.counsellor, key))
    with session_scope() as session:
        (record,) = session.exec(select(IdempotencyRecord).where(IdempotencyRecord.key == stored_key(key))).all()
        assert record.expires_at.replace(tzinfo=None) - record.created_at.replace(tzinfo=None) == timedelta(hours=24)
        record.expires_at = utcnow() - timedelta(seconds=1)
        session.add(record)
    again = client.post("/v1/profiles", json=profile_body(), headers=keyed(world.counsellor, key))
    assert again.status_code == 201 and again.json()["id"] != first.json()["id"]  # a new request now
    with session_scope() as session:
        assert idempotency.purge_expired(session, now=utcnow() + timedelta(hours=25)) >= 1
        assert session.get(IdempotencyRecord, (record.owner, stored_key(key))) is None


def test_a_shortlist_request_is_replayed_with_its_location(client, world, redis_url):
    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()
    key = uuid.uuid4().hex
    path = f"/v1/vacancies/{vacancy['id']}/shortlists"
    first = client.post(path, json={"size": 5}, headers=keyed(world.liaison, key))
    again = client.post(path, json={"size": 5}, headers=keyed(world.liaison, key))
    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert again.headers["Location"] == first.headers["Location"] == f"/v1/shortlists/{first.json()['id']}"


def serve(url: str):
    """A real uvicorn server in this process, on the database at `url`."""
    from matching.services.bootstrap import prepare_database

    use_database(url)
    prepare_database()
    with live_api() as http:
        yield http
    use_database(None)


@pytest.fixture(params=["sqlite", "postgresql"])
def live(request, redis_url):
    if request.param == "sqlite":
        url = f"sqlite:///{DATA_DIR / 'idempotency.db'}"
    else:
        url = request.getfixturevalue("postgres_database")
    for http in serve(url):
        yield request.param, http


@pytest.fixture
def live_pg(postgres_database, redis_url):
    for http in serve(postgres_database):
        yield postgres_database, http


def test_twenty_concurrent_identical_requests_create_one_object(live):
    _, http = live
    world = create_world(http)
    key, barrier, answers = uuid.uuid4().hex, threading.Barrier(20), []

    def send() -> None:
        barrier.wait()
        answers.append(http.post("/v1/profiles", json=profile_body(), headers=keyed(world.counsellor, key)))

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409}, statuses
    created = {a.json()["id"] for a in answers if a.status_code == 201}
    assert len(created) == 1
    for refused in (a for a in answers if a.status_code == 409):
        assert refused.json()["error"]["code"] == "idempotency_in_flight" and refused.headers["Retry-After"]
    listed = http.get("/v1/profiles", headers=bearer(world.counsellor)).json()
    assert [p["id"] for p in listed] == list(created)
    print(f"\n20 concurrent identical POSTs ({live[0]}): {statuses.count(201)} x 201, {statuses.count(409)} x 409")


def test_a_duplicate_while_the_first_is_in_flight_gets_409(live_pg):
    # A PostgreSQL table lock holds the first request in its handler, after its key was claimed.
    url, http = live_pg
    world = create_world(http)
    key, first = uuid.uuid4().hex, []
    engine = sqlalchemy.create_engine(url)
    with engine.connect() as locker:
        locker.execute(sqlalchemy.text("LOCK TABLE profile IN EXCLUSIVE MODE"))  # the first request waits
        thread = threading.Thread(
            target=lambda: first.append(
                http.post("/v1/profiles", json=profile_body(), headers=keyed(world.counsellor, key))
            )
        )
        thread.start()

        def claimed() -> bool:
            with engine.connect() as reader:
                query = "SELECT status FROM idempotency_record WHERE key = :key"
                return reader.execute(sqlalchemy.text(query), {"key": stored_key(key)}).scalar() == "in_flight"

        # Generous deadlines (CI machines are slow): they only bound a hang.
        wait_until(claimed, timeout=120, what="the first request to be in flight")
        duplicate = http.post("/v1/profiles", json=profile_body(), headers=keyed(world.counsellor, key))
        assert duplicate.status_code == 409
        assert duplicate.json()["error"]["code"] == "idempotency_in_flight"
        locker.rollback()
    thread.join(timeout=120)
    engine.dispose()
    assert first and first[0].status_code == 201, "the first request did not finish"
    replay = http.post("/v1/profiles", json=profile_body(), headers=keyed(world.counsellor, key))
    assert replay.status_code == 201 and replay.json()["id"] == first[0].json()["id"]


# --- a replay is authenticated first ------------------------------------------------------------------

KEYS = st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=60)


def _token_row(token: str):
    from matching.services.accounts import hash_token
    from matching.store.db import session_scope
    from matching.store.models import ApiToken

    with session_scope() as session:
        return session.exec(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).one()


def _revoke(client, world, token: str) -> None:
    response = client.post(f"/v1/tokens/{_token_row(token).id}/revoke", headers=bearer(world.admin))
    assert response.status_code == 200, response.text


def _expire(client, world, token: str) -> None:
    from matching.store.db import session_scope
    from matching.store.models import ApiToken, utcnow

    with session_scope() as session:  # what a day passing does to a token issued with a short life
        row = session.get(ApiToken, _token_row(token).id)
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)


def _fresh_token(client, world, token: str) -> str:
    """Another token of the same user, issued by the admin."""
    user_id = _token_row(token).user_id
    response = client.post(f"/v1/users/{user_id}/tokens", json={}, headers=bearer(world.admin))
    assert response.status_code == 201, response.text
    return response.json()["token"]


INVALIDATE = {"revoked": _revoke, "expired": _expire}


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(how=st.sampled_from(sorted(INVALIDATE)), key=KEYS, kind=st.sampled_from(["create", "phase"]))
def test_a_revoked_or_expired_token_gets_no_replay(client, how, key, kind):
    world = create_world(client)
    # A token of its own for the request, so the world's token stays usable to set the scene up.
    token = _fresh_token(client, world, world.counsellor)
    if kind == "create":
        path, body = "/v1/profiles", profile_body()
    else:
        profile_id = client.post("/v1/profiles", json=profile_body(), headers=bearer(world.counsellor)).json()["id"]
        path, body = f"/v1/profiles/{profile_id}/phase", {"phase": "job_search"}
    first = client.post(path, json=body, headers=keyed(token, key))
    assert first.status_code in (200, 201), first.text
    INVALIDATE[how](client, world, token)
    replay = client.post(path, json=body, headers=keyed(token, key))
    assert replay.status_code == 401, (how, replay.status_code, replay.text)
    assert replay.json()["error"]["code"] == "unauthenticated"
    assert "Idempotent-Replayed" not in replay.headers and first.json().get("id", "-") not in replay.text


def test_another_users_token_with_the_same_key_gets_no_replay(client):
    world = create_world(client)
    colleague = create_world(client, admin=world.admin)  # a counsellor of another service
    key = uuid.uuid4().hex
    mine = client.post("/v1/profiles", json=profile_body(), headers=keyed(world.counsellor, key))
    theirs = client.post("/v1/profiles", json=profile_body(), headers=keyed(colleague.counsellor, key))
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers and theirs.json()["id"] != mine.json()["id"]
    # A second token of the same user is another caller too: keys belong to the token that sent them.
    other_token = _fresh_token(client, world, world.counsellor)
    again = client.post("/v1/profiles", json=profile_body(), headers=keyed(other_token, key))
    assert again.status_code == 201 and again.json()["id"] != mine.json()["id"]


# --- a replay after an erasure -------------------------------------------------------------------------


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=KEYS, phases=st.lists(st.sampled_from(["training", "job_search", "employed"]), max_size=3, unique=True))
def test_replays_after_an_erasure_answer_410_and_run_nothing(client, key, phases):
    world = create_world(client)
    counsellor = world.counsellor
    # The key itself may name the profile: clients build keys from what they have.
    create = client.post("/v1/profiles", json=profile_body(), headers=keyed(counsellor, key))
    profile_id = create.json()["id"]
    sent = [("/v1/profiles", profile_body(), key)]
    for phase in phases:
        phase_key = f"{phase}-{profile_id}"
        path, body = f"/v1/profiles/{profile_id}/phase", {"phase": phase, "note": "suivi"}
        assert client.post(path, json=body, headers=keyed(counsellor, phase_key)).status_code == 200
        sent.append((path, body, phase_key))
    before = profile_count(client, counsellor)
    assert client.delete(f"/v1/profiles/{profile_id}", headers=bearer(counsellor)).status_code == 204

    for path, body, sent_key in sent:
        replay = client.post(path, json=body, headers=keyed(counsellor, sent_key))
        assert replay.status_code == 410, replay.text
        error = replay.json()["error"]
        assert error["code"] == "erased" and error["field"] == "Idempotency-Key" and "new key" in error["message"]
        assert profile_id not in replay.text
    assert profile_count(client, counsellor) == before - 1  # the creation was not run again

    from sqlalchemy import String, cast, or_

    from matching.store.db import session_scope
    from matching.store.models import IdempotencyRecord

    with session_scope() as session:
        mentions = session.exec(select(IdempotencyRecord).where(or_(
            IdempotencyRecord.key.contains(profile_id),
            IdempotencyRecord.response_body.contains(profile_id),
            cast(IdempotencyRecord.response_headers, String).contains(profile_id),
        ))).all()
    assert mentions == []


@pytest.mark.parametrize("names", ["profile id", "candidate ref"])
def test_an_answer_stored_just_after_an_erasure_is_kept_as_a_tombstone(client, names):
    """The request committed, the erasure committed, then the answer was stored: it must not be replayed."""
    import json

    from matching.store import idempotency
    from matching.store.db import session_scope

    world = create_world(client)
    profile_id = client.post("/v1/profiles", json=profile_body(), headers=bearer(world.counsellor)).json()["id"]
    assert client.delete(f"/v1/profiles/{profile_id}", headers=bearer(world.counsellor)).status_code == 204
    named = profile_id if names == "profile id" else "cand_" + "a2" * 8  # a ref no candidate holds any more
    owner, key = uuid.uuid4().hex, uuid.uuid4().hex
    with session_scope() as session:
        assert idempotency.claim(session, owner=owner, key=key, fingerprint="f", ttl=60).outcome == "new"
    with session_scope() as session:
        idempotency.complete(session, owner=owner, key=key, status=200, headers={}, body=json.dumps({"x": named}))
    with session_scope() as session:
        claim = idempotency.claim(session, owner=owner, key=key, fingerprint="f", ttl=60)
    assert claim.outcome == "erased" and claim.record.response_body is None


def _database_texts() -> list[str]:
    """Every column of every row of the session's database, as text (tables found by reflection)."""
    from matching.store.db import get_engine

    engine = get_engine()
    metadata = sqlalchemy.MetaData()
    metadata.reflect(engine)
    texts = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            columns = [sqlalchemy.cast(column, sqlalchemy.Text) for column in table.columns]
            texts += [str(value) for row in connection.execute(sqlalchemy.select(*columns)) for value in row if value]
    return texts


@settings(max_examples=3, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=40))
def test_an_answer_that_shows_a_token_once_is_never_stored_and_its_replay_creates_nothing(client, key):
    """A token is shown once and stored only as a hash: a keyed answer that carries it is not kept either."""
    world = create_world(client)
    key = f"{uuid.uuid4().hex}{key}"
    body = {"organisation_id": world.employer_id, "role": "employer", "display_name": "second employer"}
    created = client.post("/v1/users", json=body, headers=keyed(world.admin, key))
    assert created.status_code == 201, created.text
    user_id, shown = created.json()["id"], created.json()["token"]
    issued = client.post(f"/v1/users/{user_id}/tokens", json={}, headers=keyed(world.admin, key + "-again"))
    assert issued.status_code == 201, issued.text
    shown_again = issued.json()["token"]
    for answer in (created, issued):
        assert "no-store" in answer.headers.get("cache-control", "")  # nor kept by a proxy or a browser

    stored = _database_texts()
    assert not any(shown in text or shown_again in text for text in stored)

    tokens_before = len(client.get("/v1/tokens", params={"user_id": user_id}, headers=bearer(world.admin)).json())
    for path, payload, used in (("/v1/users", body, key), (f"/v1/users/{user_id}/tokens", {}, key + "-again")):
        replay = client.post(path, json=payload, headers=keyed(world.admin, used))
        assert replay.status_code == 410, replay.text
        assert replay.json()["error"]["code"] == "not_kept"
        assert shown not in replay.text and shown_again not in replay.text
    listed = client.get("/v1/tokens", params={"organisation_id": world.employer_id}, headers=bearer(world.admin))
    assert len({token["user_id"] for token in listed.json()}) == 2  # the first employer user and this one only
    tokens_after = len(client.get("/v1/tokens", params={"user_id": user_id}, headers=bearer(world.admin)).json())
    assert tokens_after == tokens_before
