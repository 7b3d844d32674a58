"""The canary: a profile with unique marker labels goes through the whole path, is erased, and leaves nothing.

`blindmatch serve` runs as a subprocess (API, its worker and beat) on a private redis-server and a
database of its own, its output captured. A counsellor publishes the canary with markers in every free
text it has (skill labels, preferred occupation, pitch, phase note); a real worker shortlists it, the
liaison presents it, the employer reads its card and decides; the counsellor erases it. Then the
database (SQLite: every byte of every file; PostgreSQL: every row of every table), every key of every
database of the Redis instance, and the captured logs are searched for the marker and the profile id.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from tests.conftest import fresh_postgres_database, missing_service
from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.live import free_port, wait_for_shortlist

pytestmark = pytest.mark.e2e
BLINDMATCH = str(Path(sys.executable).with_name("blindmatch"))
# The change log (matching/models.py ProfileChange) keeps the ids of changed profiles so that workers
# learn of an erasure; it holds no content. The only table allowed to name the erased profile.
ID_ALLOWED_TABLES = {"profile_change"}


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


def _walk_the_path(http: httpx.Client, admin: str, marker: str) -> str:
    """Publish the canary and five others, shortlist, present, view, decide, erase; the canary's id."""
    world = create_world(http, admin=admin)
    counsellor, liaison, employer = bearer(world.counsellor), bearer(world.liaison), bearer(world.employer)
    canary = profile_body(
        skills=[{"label": f"nettoyage de bureaux {marker}", "level": "advanced"}, {"label": f"{marker} poliment"},
                {"label": "utiliser une autolaveuse"}],
        preferences={"occupations": [f"agent {marker}"], "contract_types": ["permanent"]},
        pitch=f"Je suis {marker}, toujours à l'heure.",
        pitch_visible=True,
    )
    # With Idempotency-Keys: the answers kept for replays show the profile, and must go with it.
    keyed = {**counsellor, "Idempotency-Key": uuid.uuid4().hex}
    profile_id = _ok(http.post("/v1/profiles", json=canary, headers=keyed), 201)["id"]
    assert _ok(http.post("/v1/profiles", json=canary, headers=keyed), 201)["id"] == profile_id  # a replay
    for _ in range(5):
        _ok(http.post("/v1/profiles", json=profile_body(), headers=counsellor), 201)
    _ok(http.post(f"/v1/profiles/{profile_id}/phase", json={"phase": "job_search", "note": f"suivi {marker}"},
                  headers={**counsellor, "Idempotency-Key": uuid.uuid4().hex}))
    vacancy_id = _ok(http.post("/v1/vacancies", json=vacancy_body(employer_id=world.employer_id), headers=liaison),
                     201)["id"]
    accepted = _ok(http.post(f"/v1/vacancies/{vacancy_id}/shortlists", json={"size": 10}, headers=liaison), 202)
    shortlist = wait_for_shortlist(http, accepted["id"], liaison)
    assert shortlist["status"] == "ready", shortlist
    assert profile_id in [item["profile_id"] for item in shortlist["items"]]
    assert marker in str(shortlist)  # the canary's own label explains its match: the marker really travelled
    _ok(http.post(f"/v1/shortlists/{accepted['id']}/present", json={"profile_ids": [profile_id]}, headers=liaison))
    cards = _ok(http.get(f"/v1/vacancies/{vacancy_id}/candidates", headers=employer))
    assert marker in str(cards)  # the pitch was allowed
    ref = cards[0]["candidate_ref"]
    decide = f"/v1/vacancies/{vacancy_id}/candidates/{ref}/decision"
    _ok(http.post(decide, json={"decision": "interested"}, headers=employer))
    _ok(http.post(decide, json={"decision": "interview", "interview_at": "2027-01-12T10:00:00+01:00"},
                  headers=employer))
    assert marker in str(_ok(http.get(f"/v1/profiles/{profile_id}/trajectory", headers=counsellor)))
    _ok(http.get(f"/v1/profiles/{profile_id}/gaps", headers=counsellor))

    _ok(http.delete(f"/v1/profiles/{profile_id}", headers=counsellor), 204)

    assert http.get(f"/v1/profiles/{profile_id}", headers=counsellor).status_code == 404
    (card,) = _ok(http.get(f"/v1/vacancies/{vacancy_id}/candidates", headers=employer))
    assert card["candidate_ref"] == ref and card["status"] == "withdrawn" and card["skills"] == []
    after = _ok(http.get(f"/v1/shortlists/{accepted['id']}", headers=liaison))
    withdrawn = [item for item in after["items"] if item["withdrawn"]]
    assert len(withdrawn) == 1 and withdrawn[0]["profile_id"] is None and withdrawn[0]["explanation"] == {}
    # A shortlist computed after the erasure does not know the canary.
    again = _ok(http.post(f"/v1/vacancies/{vacancy_id}/shortlists", json={"size": 10}, headers=liaison), 202)
    again = wait_for_shortlist(http, again["id"], liaison)
    assert again["status"] == "ready" and len(again["items"]) == 5, again
    assert http.post(decide, json={"decision": "hired"}, headers=employer).status_code == 409
    entries = _ok(http.get("/v1/audit?action=profile.erased", headers=bearer(admin)))
    assert len(entries) == 1 and entries[0]["details"]["trigger"] == "counsellor"
    return profile_id


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


def _postgres_rows(url: str) -> list[tuple[str, str]]:
    import sqlalchemy

    engine = sqlalchemy.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    rows = []
    with engine.connect() as connection:
        tables = connection.execute(
            sqlalchemy.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ).scalars().all()
        for table in tables:
            for (text,) in connection.execute(sqlalchemy.text(f'SELECT t::text FROM "{table}" t')):
                rows.append((table, text))
    engine.dispose()
    return rows


def _sqlite_rows(path: Path) -> list[tuple[str, str]]:
    import sqlite3

    connection = sqlite3.connect(path)
    rows = []
    tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        for row in connection.execute(f'SELECT * FROM "{table}"'):
            rows.append((table, repr(row)))
    connection.close()
    return rows


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
            profile_id = _walk_the_path(http, admin_token, marker)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    import redis

    redis.Redis(port=redis_port).save()  # the instance's whole content, as it would be backed up
    needles = {"marker": marker.encode(), "profile id": profile_id.encode()}
    hits: dict[str, list[str]] = {"marker": [], "profile id": []}
    searched = {"files": 0, "rows": 0, "redis keys": 0, "log lines": 0}

    files = [p for p in (tmp_path / "data").rglob("*") if p.is_file()] + [redis_folder / "dump.rdb"]
    for path in files:
        content = path.read_bytes()
        searched["files"] += 1
        for name, needle in needles.items():
            if needle in content and not (name == "profile id" and path.name.startswith("blindmatch.db")):
                hits[name].append(f"file {path.name}")
    rows = _postgres_rows(database) if database else _sqlite_rows(tmp_path / "data" / "blindmatch.db")
    for table, text in rows:
        searched["rows"] += 1
        if marker in text:
            hits["marker"].append(f"row of {table}")
        if profile_id in text and table not in ID_ALLOWED_TABLES:
            hits["profile id"].append(f"row of {table}")
    if not database:  # the file's bytes hold the marker nowhere, not even in free pages or the WAL
        assert searched["files"] >= 2
    for key, value in _redis_values(redis_port):
        searched["redis keys"] += 1
        for name, needle in needles.items():
            if needle in value:
                hits[name].append(f"redis key {key}")
    for line in log.read_text(errors="replace").splitlines():
        searched["log lines"] += 1
        for name, needle in needles.items():
            if needle.decode() in line:
                hits[name].append(f"log line: {line[:200]}")
    print(f"\ncanary ({'postgresql' if database else 'sqlite'}): searched {searched}; hits {hits}")
    assert searched["rows"] > 50 and searched["log lines"] > 5, searched
    assert hits == {"marker": [], "profile id": []}
