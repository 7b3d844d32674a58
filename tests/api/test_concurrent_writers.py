"""Concurrent writers: versions refuse stale writes (409); SQLite serialises read-then-write transactions."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest
from sqlmodel import col, select

from tests.conftest import DATA_DIR, use_database
from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.live import live_api
from tests.processes import compute_here, present_top


def test_stale_profile_updates_and_decisions_get_409(client, redis_url):
    world = create_world(client)
    counsellor, employer = bearer(world.counsellor), bearer(world.employer)
    profile = client.post("/v1/profiles", json=profile_body(), headers=counsellor).json()
    path = f"/v1/profiles/{profile['id']}"
    updated = client.patch(path, json={"version": profile["version"], "pitch": "Ponctuelle."}, headers=counsellor)
    assert updated.status_code == 200 and updated.json()["version"] == profile["version"] + 1
    stale = client.patch(path, json={"version": profile["version"], "pitch": "Autre."}, headers=counsellor)
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    assert client.get(path, headers=counsellor).json()["pitch"] == "Ponctuelle."

    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=employer).json()
    shortlist_id = compute_here(client, world, vacancy["id"])
    present_top(client, world, shortlist_id)
    (card,) = client.get(f"/v1/vacancies/{vacancy['id']}/candidates", headers=employer).json()
    decide = f"/v1/vacancies/{vacancy['id']}/candidates/{card['candidate_ref']}/decision"
    first = client.post(decide, json={"decision": "interested", "version": card["version"]}, headers=employer)
    assert first.status_code == 200 and first.json()["version"] == card["version"] + 1
    late = client.post(decide, json={"decision": "declined", "reason": "skills", "version": card["version"]},
                       headers=employer)
    assert late.status_code == 409 and late.json()["error"]["code"] == "stale_version"


@pytest.fixture(params=["sqlite", "postgresql"])
def live(request, redis_url):
    from matching.services.bootstrap import prepare_database

    if request.param == "sqlite":
        url = f"sqlite:///{DATA_DIR / 'writers.db'}"
    else:
        url = request.getfixturevalue("postgres_database")
    use_database(url)
    prepare_database()
    with live_api() as http:
        yield http
    use_database(None)


def test_eight_concurrent_updates_from_one_version_one_wins(live):
    http = live
    world = create_world(http)
    counsellor = bearer(world.counsellor)
    profile = http.post("/v1/profiles", json=profile_body(), headers=counsellor).json()
    barrier, answers = threading.Barrier(8), []

    def update(n: int) -> None:
        barrier.wait()
        body = {"version": profile["version"], "pitch": f"Version {n}."}
        answers.append(http.patch(f"/v1/profiles/{profile['id']}", json=body, headers=counsellor))

    threads = [threading.Thread(target=update, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200] + [409] * 7
    (winner,) = [a.json() for a in answers if a.status_code == 200]
    final = http.get(f"/v1/profiles/{profile['id']}", headers=counsellor).json()
    assert (final["version"], final["pitch"]) == (profile["version"] + 1, winner["pitch"])


# Each process: read a counter, add one, write it back, and add a row, in one transaction, many times.
READ_THEN_WRITE = textwrap.dedent(
    """
    import sys
    from matching.store.db import session_scope
    from matching.store.models import MetaValue

    worker, rounds = sys.argv[1], int(sys.argv[2])
    for n in range(rounds):
        with session_scope() as session:
            counter = session.get(MetaValue, "test.counter")
            counter.value = str(int(counter.value) + 1)
            session.add(counter)
            session.add(MetaValue(key=f"test.row.{worker}.{n}", value=counter.value))
    """
)


def test_eight_processes_read_then_write_on_sqlite_without_database_is_locked(tmp_path):
    from matching.services.bootstrap import prepare_database
    from matching.store.db import session_scope
    from matching.store.models import MetaValue

    url = f"sqlite:///{tmp_path / 'writers.db'}"
    use_database(url)
    try:
        prepare_database()
        with session_scope() as session:
            session.add(MetaValue(key="test.counter", value="0"))
        processes, rounds = 8, 40
        running = [
            subprocess.Popen(
                [sys.executable, "-c", READ_THEN_WRITE, str(n), str(rounds)],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for n in range(processes)
        ]
        outputs = [p.communicate(timeout=300)[0] for p in running]
        assert [p.returncode for p in running] == [0] * processes, outputs
        assert not any("database is locked" in output for output in outputs)
        with session_scope(read_only=True) as session:
            assert session.get(MetaValue, "test.counter").value == str(processes * rounds)
            rows = session.exec(select(MetaValue).where(col(MetaValue.key).like("test.row.%")))
            values = sorted(int(row.value) for row in rows)
        # Every increment saw the one before it: the values written are exactly 1..320, none twice.
        assert values == list(range(1, processes * rounds + 1))
    finally:
        use_database(None)
