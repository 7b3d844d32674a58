"""The canary: a profile with unique marker labels goes through the whole path, is erased, and leaves nothing.

`blindmatch serve` runs as a subprocess (API, its worker and beat) on a private redis-server and a
database of its own, its output captured. A counsellor publishes the canary with markers in every free
text it has (skill labels, preferred occupation, pitch, phase note); a real worker shortlists it, the
liaison presents it, the employer reads its card and decides; the counsellor erases it. Then the
database (every column of every row of every table, found by reflection so a new table is covered; on
SQLite every byte of every file too), every key of every database of the Redis instance, and the
captured logs are searched for the marker, the profile id and the candidate refs employers saw. Every
request sent with an Idempotency-Key before the erasure is sent again: none may answer with the person.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from matching.schemas.events import EVENT_TYPES
from tests.conftest import fresh_postgres_database, missing_service
from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.live import free_port, wait_for_cards, wait_for_shortlist

pytestmark = pytest.mark.e2e
BLINDMATCH = str(Path(sys.executable).with_name("blindmatch"))
# Nothing may name the erased person afterwards: not the marker, not the profile id, not a candidate ref
# an employer saw, not the digest of its body a scoring run recorded (anyone holding the body could confirm
# the person was there). (The change log names profiles by a random key; audit entries keep refs as digests.)
NEEDLES = ("marker", "profile id", "candidate ref", "content digest")


@dataclass
class Walked:
    """What the path left to look for: the canary's id, the refs employers saw, every keyed request."""

    profile_id: str
    refs: list[str]
    keyed: list[tuple[str, dict, dict[str, str]]] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test's own: every key in it is ours to read."""
    binary = shutil.which("redis-server")
    if binary is None:
        missing_service("the redis-server binary")
    port = free_port()
    folder = tmp_path / "redis"
    folder.mkdir()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--save", "",
         "--appendonly", "no", "--rdbcompression", "no", "--dbfilename", "dump.rdb"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(port=port)
    deadline = time.monotonic() + 60  # generous: process start-up is slow on a loaded CI machine
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert process.poll() is None, "redis-server exited (port taken?)"
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield port, folder
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        yield None
        return
    with fresh_postgres_database(f"canary_{uuid.uuid4().hex[:6]}") as url:
        yield url


def _env(tmp_path: Path, redis_port: int, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        BLINDMATCH_DATA_DIR=str(tmp_path / "data"),
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        BLINDMATCH_QUEUE="canary",
        BLINDMATCH_SECRET_KEY=uuid.uuid4().hex * 2,
        # Webhooks to a closed loopback port: deliveries and failed attempts are logged, as for a receiver down.
        BLINDMATCH_WEBHOOKS_ALLOW_PRIVATE="true",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _serve(env: dict[str, str], log: Path, port: int) -> subprocess.Popen:
    with log.open("ab") as out:
        process = subprocess.Popen([BLINDMATCH, "serve", "--port", str(port)], env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        assert process.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(0.2)


def _ok(response, status: int = 200) -> dict | list:
    assert response.status_code == status, response.text
    return response.json() if response.content else {}


def _posted(http: httpx.Client, walked: Walked, path: str, body: dict, headers: dict, status: int) -> dict:
    """POST with an Idempotency-Key, remembered to be replayed after the erasure."""
    keyed = {**headers, "Idempotency-Key": uuid.uuid4().hex}
    walked.keyed.append((path, body, keyed))
    return _ok(http.post(path, json=body, headers=keyed), status)


def _wait_for_opportunities(http: httpx.Client, profile_id: str, headers: dict) -> dict:
    deadline = time.monotonic() + 120  # generous: it only bounds a hang on a slow machine
    while True:
        body = _ok(http.get(f"/v1/profiles/{profile_id}/opportunities?limit=50", headers=headers))
        if (body["status"] == "ready" and body["items"]) or time.monotonic() > deadline:
            return body
        time.sleep(0.1)


def _run_digests(url: str, profile_id: str) -> list[str]:
    """The content digests the scoring runs recorded for the profile (read before the erasure)."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        rows = connection.execute(sqlalchemy.text(
            "SELECT content_digest FROM shortlist_run_candidate WHERE profile_id = :id"), {"id": profile_id})
        found = [row[0] for row in rows if row[0]]
    engine.dispose()
    return found


def _walk_the_path(http: httpx.Client, admin: str, marker: str, url: str) -> Walked:
    """Publish the canary and five others, update, change phase, match, shortlist, present, view, decide,
    erase; every POST that stores an answer is sent with an Idempotency-Key."""
    world = create_world(http, admin=admin)
    counsellor, liaison, employer = bearer(world.counsellor), bearer(world.liaison), bearer(world.employer)
    walked = Walked(profile_id="", refs=[])
    hook = {"url": f"http://127.0.0.1:{free_port()}/hook", "events": list(EVENT_TYPES)}
    for token in (counsellor, liaison, employer):  # every event of the path gets a delivery and attempts
        _ok(http.post("/v1/webhooks", json=hook, headers=token), 201)
    vacancy_id = _posted(http, walked, "/v1/vacancies", vacancy_body(employer_id=world.employer_id), liaison, 201)["id"]
    canary = profile_body(
        skills=[{"label": f"nettoyage de bureaux {marker}", "level": "advanced"}, {"label": f"{marker} poliment"},
                {"label": "utiliser une autolaveuse"}],
        preferences={"occupations": [f"agent {marker}"], "contract_types": ["permanent"]},
        pitch=f"Je suis {marker}, toujours à l'heure.",
        pitch_visible=True,
    )
    created = _posted(http, walked, "/v1/profiles", canary, counsellor, 201)
    profile_id = walked.profile_id = created["id"]
    path, body, headers = walked.keyed[-1]
    assert _ok(http.post(path, json=body, headers=headers), 201)["id"] == profile_id  # a replay, before
    for _ in range(5):
        _ok(http.post("/v1/profiles", json=profile_body(), headers=counsellor), 201)
    update = {"skills": [*canary["skills"], {"label": f"repassage {marker}"}],
              "pitch": f"Je suis {marker}, ponctuel et soigneux."}
    _ok(http.patch(f"/v1/profiles/{profile_id}", json=update, headers=counsellor))
    # A client may build its key from the id: the stored key must not keep it.
    phase_path, phase_body = f"/v1/profiles/{profile_id}/phase", {"phase": "job_search", "note": f"suivi {marker}"}
    phase_headers = {**counsellor, "Idempotency-Key": f"phase-{profile_id}"}
    walked.keyed.append((phase_path, phase_body, phase_headers))
    _ok(http.post(phase_path, json=phase_body, headers=phase_headers))
    opportunities = _wait_for_opportunities(http, profile_id, counsellor)  # fits stored by a real worker
    assert opportunities["items"] and vacancy_id in str(opportunities), opportunities

    accepted = _posted(http, walked, f"/v1/vacancies/{vacancy_id}/shortlists", {"size": 10}, liaison, 202)
    shortlist = wait_for_shortlist(http, accepted["id"], liaison)
    assert shortlist["status"] == "ready", shortlist
    assert profile_id in [item["profile_id"] for item in shortlist["items"]]
    assert marker in str(shortlist)  # the canary's own label explains its match: the marker really travelled
    walked.digests = _run_digests(url, profile_id)
    assert walked.digests, "the scoring run recorded no digest of the canary"
    override = {"action": "move", "profile_id": profile_id, "position": 1, "reason": "knows_fit",
                "note": f"connu {marker}"}
    _posted(http, walked, f"/v1/shortlists/{accepted['id']}/overrides", override, liaison, 200)
    _ok(http.post(f"/v1/shortlists/{accepted['id']}/replay", headers=liaison))
    presented = _posted(http, walked, f"/v1/shortlists/{accepted['id']}/present", {"profile_ids": [profile_id]},
                        liaison, 200)
    assert profile_id in presented["presented"]
    cards = wait_for_cards(http, vacancy_id, employer)  # measured by the worker's card keeper
    assert marker in str(cards)  # the pitch was allowed
    ref = cards[0]["candidate_ref"]
    walked.refs.append(ref)
    decide = f"/v1/vacancies/{vacancy_id}/candidates/{ref}/decision"
    _posted(http, walked, decide, {"decision": "interested"}, employer, 200)
    decided = _posted(http, walked, decide, {"decision": "interview", "interview_at": "2027-01-12T10:00:00+01:00"},
                      employer, 200)
    assert decided["candidate_ref"] == ref
    assert marker in str(_ok(http.get(f"/v1/profiles/{profile_id}/trajectory", headers=counsellor)))
    _ok(http.get(f"/v1/profiles/{profile_id}/gaps", headers=counsellor))
    assert profile_id in str(_ok(http.get("/v1/events", headers=counsellor)))
    _ok(http.get(f"/v1/profiles/{profile_id}/explanations/{vacancy_id}", headers=counsellor))
    profiles_before = len(_ok(http.get("/v1/profiles", headers=counsellor)))

    _ok(http.delete(f"/v1/profiles/{profile_id}", headers=counsellor), 204)

    assert http.get(f"/v1/profiles/{profile_id}", headers=counsellor).status_code == 404
    (card,) = _ok(http.get(f"/v1/vacancies/{vacancy_id}/candidates", headers=employer))
    # Still one withdrawn candidate in the employer's history, under a reference that names nobody.
    assert card["status"] == "withdrawn" and card["skills"] == [] and card["candidate_ref"] != ref
    after = _ok(http.get(f"/v1/shortlists/{accepted['id']}", headers=liaison))
    withdrawn = [item for item in after["items"] if item["withdrawn"]]
    assert len(withdrawn) == 1 and withdrawn[0]["profile_id"] is None and withdrawn[0]["explanation"] == {}
    # A shortlist computed after the erasure does not know the canary.
    again = _ok(http.post(f"/v1/vacancies/{vacancy_id}/shortlists", json={"size": 10}, headers=liaison), 202)
    again = wait_for_shortlist(http, again["id"], liaison)
    assert again["status"] == "ready" and len(again["items"]) == 5, again
    assert http.post(decide, json={"decision": "hired"}, headers=employer).status_code == 404
    entries = _ok(http.get("/v1/audit?action=profile.erased", headers=bearer(admin)))
    assert len(entries) == 1 and entries[0]["details"]["trigger"] == "counsellor"
    assert _ok(http.get("/v1/audit/verify", headers=bearer(admin)))["ok"]

    _replay_everything(http, walked, marker)
    assert len(_ok(http.get("/v1/profiles", headers=counsellor))) == profiles_before - 1  # nothing re-created
    return walked


def _replay_everything(http: httpx.Client, walked: Walked, marker: str) -> None:
    """Every keyed request again: an answer that named the person is gone (410), and none shows them."""
    needles = [marker, walked.profile_id, *walked.refs]
    answers = []
    for path, body, headers in walked.keyed:
        replay = http.post(path, json=body, headers=headers)
        answers.append((path, replay.status_code))
        shown = [needle for needle in needles if needle in replay.text or needle in str(replay.headers)]
        assert not shown, (path, replay.status_code, shown)
        assert replay.status_code in (410, 201, 202), (path, replay.status_code, replay.text)
        if replay.status_code == 410:
            assert replay.json()["error"]["code"] == "erased", replay.text
        else:  # what never named the person (a vacancy, a shortlist request) may still be replayed
            assert replay.headers.get("Idempotent-Replayed") == "true", (path, replay.text)
    erased = [path for path, status in answers if status == 410]
    # The creation, the phase change, the override, the presentation and both decisions named the person.
    assert len(erased) == 6, answers


def _redis_values(port: int) -> list[tuple[str, bytes]]:
    """Every key of every database of the instance, each with its name and value as bytes."""
    import redis

    found = []
    for db in range(16):
        client = redis.Redis(port=port, db=db)
        for key in client.scan_iter(count=1000):
            kind = client.type(key).decode()
            if kind == "string":
                parts = [client.get(key) or b""]
            elif kind == "list":
                parts = client.lrange(key, 0, -1)
            elif kind == "hash":
                parts = [b for pair in client.hgetall(key).items() for b in pair]
            elif kind == "set":
                parts = list(client.smembers(key))
            elif kind == "zset":
                parts = [member for member, _ in client.zrange(key, 0, -1, withscores=True)]
            else:
                parts = [client.dump(key) or b""]
            found.append((f"db{db}:{key.decode(errors='replace')}", key + b"\n" + b"\n".join(parts)))
    return found


def _database_rows(url: str) -> list[tuple[str, str]]:
    """Every column of every row of every table the database holds, found by reflection, as text."""
    import sqlalchemy

    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    metadata = sqlalchemy.MetaData()
    metadata.reflect(engine)
    found = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            # Cast in SQL: text as stored, whatever type the reflection guessed (JSON, dates, blobs).
            columns = [sqlalchemy.cast(column, sqlalchemy.Text).label(column.name) for column in table.columns]
            for row in connection.execute(sqlalchemy.select(*columns)):
                for column, value in zip(table.columns.keys(), row, strict=True):
                    if value is not None:
                        found.append((f"{table.name}.{column}", str(value)))
    engine.dispose()
    assert len(metadata.tables) >= 15, sorted(metadata.tables)
    return found


def test_an_erased_canary_leaves_no_trace(tmp_path, private_redis, database):
    redis_port, redis_folder = private_redis
    env = _env(tmp_path, redis_port, database)
    marker = f"kanarie{uuid.uuid4().hex[:12]}"
    admin = subprocess.run([BLINDMATCH, "create-admin"], env=env, capture_output=True, text=True, timeout=120)
    assert admin.returncode == 0, admin.stderr
    admin_token = next(line.split()[-1] for line in admin.stdout.splitlines() if "token" in line)
    log = tmp_path / "serve.log"
    port = free_port()
    process = _serve(env, log, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            walked = _walk_the_path(http, admin_token, marker,
                                    database or f"sqlite:///{tmp_path / 'data' / 'blindmatch.db'}")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    import redis

    redis.Redis(port=redis_port).save()  # the instance's whole content, as it would be backed up
    needles = {"marker": [marker], "profile id": [walked.profile_id], "candidate ref": walked.refs,
               "content digest": walked.digests}
    assert walked.refs, "the canary was never shown to an employer"
    hits: dict[str, list[str]] = {name: [] for name in NEEDLES}
    searched = {"files": 0, "rows": 0, "columns": 0, "redis keys": 0, "log lines": 0}

    def look(where: str, content: str | bytes, only: tuple[str, ...] = NEEDLES) -> None:
        for name in only:
            for needle in needles[name]:
                if (needle.encode() if isinstance(content, bytes) else needle) in content:
                    hits[name].append(where)

    files = [p for p in (tmp_path / "data").rglob("*") if p.is_file()] + [redis_folder / "dump.rdb"]
    for path in files:
        searched["files"] += 1
        look(f"file {path.name}", path.read_bytes())  # SQLite: free pages and the WAL too
    url = database or f"sqlite:///{tmp_path / 'data' / 'blindmatch.db'}"
    rows = _database_rows(url)
    searched["columns"] = len({where for where, _ in rows})
    assert any(where.startswith("webhook_delivery.") for where, _ in rows)  # the new tables were searched too
    for where, text in rows:
        searched["rows"] += 1
        look(f"row of {where}", text)
    if not database:
        assert searched["files"] >= 2
    for key, value in _redis_values(redis_port):
        searched["redis keys"] += 1
        look(f"redis key {key}", value)
    for line in log.read_text(errors="replace").splitlines():
        searched["log lines"] += 1
        look(f"log line: {line[:200]}", line)
    print(f"\ncanary ({'postgresql' if database else 'sqlite'}): searched {searched}; "
          f"{len(walked.keyed)} keyed requests replayed; hits {hits}")
    assert searched["rows"] > 50 and searched["log lines"] > 5, searched
    assert hits == {name: [] for name in NEEDLES}
