"""Nothing lost, nothing twice: a worker killed mid-task, Redis down at request time, Redis restarted mid-run.

Everything here is real: PostgreSQL, redis-server, `blindmatch serve` and `celery worker` processes.
"""

from __future__ import annotations

import os
import signal

import pytest
from sqlmodel import col, select

from tests.factories import bearer
from tests.processes import api_server, private_redis, seed, service_env, shortlist_row, wait_until, worker

pytestmark = pytest.mark.e2e
WIDE = {"size": 100}  # every published profile of the (shared) test database makes the list


def assert_one_result(http, world, shortlist_id: str, profile_ids: list[str]) -> dict:
    """Ready, each profile once, ranks 1..n: the shortlist was stored exactly once.

    The database is shared with other tests, whose published profiles are scored too.
    """
    body = http.get(f"/v1/shortlists/{shortlist_id}", headers=bearer(world.liaison)).json()
    assert body["status"] == "ready", body
    assert [item["rank"] for item in body["items"]] == list(range(1, len(body["items"]) + 1))
    ranked = [item["profile_id"] for item in body["items"]]
    assert len(set(ranked)) == len(ranked) and set(profile_ids) <= set(ranked)
    return body


def shortlisted_events(http, world, profile_id: str, vacancy_id: str) -> int:
    events = http.get(f"/v1/profiles/{profile_id}/trajectory", headers=bearer(world.counsellor)).json()["events"]
    return sum(1 for e in events if e["kind"] == "shortlisted" and e["vacancy_id"] == vacancy_id)


def test_a_worker_killed_mid_task_leaves_exactly_one_result(pg, queue, tmp_path):
    # Scoring waits 6 s (test-only setting) so the kills land mid-task: each kill must happen within that
    # window after this process saw the attempt start, and on a loaded 2-core CI machine (polling
    # PostgreSQL, the API and the worker busy) 3 s leaves little room for that. The time limit stays
    # above the delay and a 16 s visibility timeout, just above the time limit, still brings the message of a
    # dead worker back quickly. The reconciler stays off: the broker alone recovers here.
    env = service_env(
        BLINDMATCH_QUEUE=queue,
        BLINDMATCH_TEST_SCORING_DELAY=6,
        BLINDMATCH_TASK_TIME_LIMIT=15,
        BLINDMATCH_BROKER_VISIBILITY_TIMEOUT=16,
        BLINDMATCH_MAINTENANCE_INTERVAL=0,
    )
    with api_server(tmp_path / "api.log", env) as api:
        world, vacancy_id, profile_ids = seed(api.http)
        first = worker(tmp_path / "worker-1.log", env)
        w1 = first.__enter__()
        try:
            accepted = api.http.post(f"/v1/vacancies/{vacancy_id}/shortlists", json=WIDE, headers=bearer(world.liaison))
            assert accepted.status_code == 202, accepted.text
            shortlist_id = accepted.json()["id"]
            # Deadlines below are generous (CI is slow); they only bound a hang, the waits end at once.
            wait_until(lambda: shortlist_row(shortlist_id).status == "running", timeout=120, what="attempt 1")

            # 1. kill -9 of the pool process scoring it: the worker rejects the message back to the queue.
            (child,) = w1.children()
            os.kill(child, signal.SIGKILL)
            wait_until(lambda: shortlist_row(shortlist_id).attempts == 2, timeout=120, what="attempt 2")

            # 2. kill -9 of the whole worker (main process and pool) while attempt 2 scores.
            w1.kill_all()
        finally:
            first.__exit__(None, None, None)
        row = shortlist_row(shortlist_id)
        assert (row.status, row.attempts) == ("running", 2)

        # 3. A new worker: Redis hands it the unacknowledged message once the visibility timeout passed.
        with worker(tmp_path / "worker-2.log", env) as w2:
            wait_until(lambda: shortlist_row(shortlist_id).status == "ready", timeout=120, what=w2.tail())
        row = shortlist_row(shortlist_id)
        assert row.attempts == 3 and row.requeues == 0 and row.error is None
        assert_one_result(api.http, world, shortlist_id, profile_ids)
        for profile_id in profile_ids:
            assert shortlisted_events(api.http, world, profile_id, vacancy_id) == 1


def test_redis_down_at_request_time_then_back(pg, queue, tmp_path):
    from matching.store.db import session_scope
    from matching.store.models import OutboxMessage, utcnow

    # The workers' database is shared with the other tests here: one stopped while its reconciler had
    # just recorded a message may have left it unsent. Only this test's messages are looked at below.
    started = utcnow()
    with private_redis(tmp_path / "redis.log") as redis_server:
        env = service_env(REDIS_URL=redis_server.url, BLINDMATCH_QUEUE=queue, BLINDMATCH_MAINTENANCE_INTERVAL=1)
        with api_server(tmp_path / "api.log", env) as api, worker(tmp_path / "worker.log", env) as w:
            world, vacancy_id, profile_ids = seed(api.http)

            def unsent() -> list:
                with session_scope(read_only=True) as session:
                    return session.exec(select(OutboxMessage).where(
                        col(OutboxMessage.sent_at).is_(None), col(OutboxMessage.created_at) >= started)).all()

            wait_until(lambda: not unsent(), timeout=60, what="the relays to send the profiles' messages")
            redis_server.stop()
            not_ready = api.http.get("/readyz")
            assert not_ready.status_code == 503 and not_ready.json()["checks"]["broker"] != "ok", not_ready.text

            # The request is committed with its outbox message and answered; the broker is not needed for that.
            accepted = api.http.post(
                f"/v1/vacancies/{vacancy_id}/shortlists",
                json=WIDE,
                headers={**bearer(world.liaison), "X-Request-ID": "req-broker-down-1"},
            )
            assert accepted.status_code == 202, accepted.text
            assert accepted.headers["X-Request-ID"] == "req-broker-down-1"
            shortlist_id = accepted.json()["id"]
            pending = unsent()
            assert [m.args for m in pending] == [[shortlist_id]]
            assert shortlist_row(shortlist_id).status == "queued"

            redis_server.start()  # empty: whatever Redis held before is gone
            wait_until(lambda: shortlist_row(shortlist_id).status == "ready", timeout=120, what=w.tail())
            assert api.http.get("/readyz").status_code == 200
            assert shortlist_row(shortlist_id).attempts == 1
            assert_one_result(api.http, world, shortlist_id, profile_ids)
            with session_scope(read_only=True) as session:
                assert session.get(OutboxMessage, pending[0].id).sent_at is not None

        # The request id followed the shortlist from the API, through the outbox, into the worker's logs.
        api_lines = [line for line in api.log_lines() if line.get("request_id") == "req-broker-down-1"]
        assert any(line.get("path", "").endswith("/shortlists") and line.get("status") == 202 for line in api_lines)
        worker_lines = [line for line in w.log_lines() if line.get("shortlist_id") == shortlist_id]
        assert {line["message"] for line in worker_lines} >= {"shortlist started", "shortlist ready"}
        assert {line.get("request_id") for line in worker_lines} == {"req-broker-down-1"}


def test_redis_restart_during_a_run_of_50_shortlists(pg, queue, tmp_path):
    # Redis restarts without persistence: the messages still queued are lost with it. The reconciler
    # (every second, for shortlists queued over 5 s) sends them again; duplicates do nothing.
    with private_redis(tmp_path / "redis.log") as redis_server:
        env = service_env(
            REDIS_URL=redis_server.url,
            BLINDMATCH_QUEUE=queue,
            BLINDMATCH_MAINTENANCE_INTERVAL=1,
            BLINDMATCH_QUEUED_TIMEOUT=5,
            BLINDMATCH_TEST_SCORING_DELAY=0.1,
        )
        with api_server(tmp_path / "api.log", env) as api, worker(tmp_path / "worker.log", env) as w:
            world, vacancy_id, profile_ids = seed(api.http)
            ids = []
            for _ in range(50):
                accepted = api.http.post(
                    f"/v1/vacancies/{vacancy_id}/shortlists", json={"size": 100}, headers=bearer(world.liaison)
                )
                assert accepted.status_code == 202, accepted.text
                ids.append(accepted.json()["id"])

            def ready_count() -> int:
                return sum(shortlist_row(i).status == "ready" for i in ids)

            # Each poll reads 50 rows: poll every half second so as not to take CPU from the worker on a
            # 2-core CI machine, with deadlines that only bound a hang.
            wait_until(lambda: ready_count() >= 5, timeout=120, what="the first shortlists", every=0.5)
            redis_server.stop()
            redis_server.start()
            wait_until(lambda: ready_count() == 50, timeout=300, what=f"all 50 ready ({w.tail()})", every=0.5)

            rows = [shortlist_row(i) for i in ids]
            assert [r.status for r in rows] == ["ready"] * 50
            assert [r.attempts for r in rows] == [1] * 50  # none computed twice
            for shortlist_id in ids:
                assert_one_result(api.http, world, shortlist_id, profile_ids)
            resent = sum(r.requeues > 0 for r in rows)

            # The worker consumes again: a new request after the restart completes.
            accepted = api.http.post(f"/v1/vacancies/{vacancy_id}/shortlists", json=WIDE, headers=bearer(world.liaison))
            wait_until(lambda: shortlist_row(accepted.json()["id"]).status == "ready", timeout=120, what=w.tail())
    print(f"\n50 shortlists across a Redis restart: all ready, attempts 1 each, {resent} sent again by the reconciler")
