"""Graceful shutdown on SIGTERM: the API answers the request in flight, the worker finishes its task."""

from __future__ import annotations

import hashlib
import signal
import threading
import uuid

import httpx
import pytest
import sqlalchemy

from tests.factories import admin_token, bearer
from tests.processes import ApiServer, Worker, api_server, seed, service_env, shortlist_row, wait_until

pytestmark = pytest.mark.e2e


def test_a_worker_stopped_with_sigterm_finishes_its_task(pg, queue, tmp_path):
    env = service_env(BLINDMATCH_QUEUE=queue, BLINDMATCH_TEST_SCORING_DELAY=3, BLINDMATCH_MAINTENANCE_INTERVAL=0)
    with api_server(tmp_path / "api.log", env) as api:
        world, vacancy_id, profile_ids = seed(api.http)
        worker = Worker(tmp_path / "worker.log", env)
        try:
            accepted = api.http.post(f"/v1/vacancies/{vacancy_id}/shortlists", json={}, headers=bearer(world.liaison))
            shortlist_id = accepted.json()["id"]
            wait_until(lambda: shortlist_row(shortlist_id).status == "running", timeout=120, what=worker.tail())
            assert worker.stop(timeout=60) == 0  # SIGTERM: Celery's warm shutdown
        finally:
            worker.stop(timeout=30)  # a no-op once stopped; a failed wait must not leave the worker running
    row = shortlist_row(shortlist_id)
    assert (row.status, row.attempts) == ("ready", 1)
    assert "Warm shutdown" in worker.tail()


def test_the_api_stopped_with_sigterm_answers_the_request_in_flight(pg, tmp_path):
    admin = admin_token()
    api = ApiServer(tmp_path / "api.log", service_env(BLINDMATCH_MAINTENANCE_INTERVAL=0))
    engine = sqlalchemy.create_engine(pg)
    key = uuid.uuid4().hex
    answers: list[httpx.Response] = []
    try:
        with engine.connect() as locker:
            # Hold new organisations back: the request below stays in flight until the lock goes.
            locker.execute(sqlalchemy.text("LOCK TABLE organisation IN EXCLUSIVE MODE"))
            request = threading.Thread(
                target=lambda: answers.append(
                    api.http.post(
                        "/v1/organisations",
                        json={"name": "Atelier de quartier", "kind": "employer"},
                        headers={**bearer(admin), "Idempotency-Key": key},
                    )
                )
            )
            request.start()

            def in_flight() -> bool:  # its Idempotency-Key is claimed before the handler runs
                with engine.connect() as reader:
                    query = "SELECT status FROM idempotency_record WHERE key = :key"
                    stored = hashlib.sha256(key.encode()).hexdigest()  # keys are stored as hashes
                    return reader.execute(sqlalchemy.text(query), {"key": stored}).scalar() == "in_flight"

            # Deadlines here are generous (CI machines are slow); they only bound a hang.
            wait_until(in_flight, timeout=120, what="the request to be in flight")
            api.process.send_signal(signal.SIGTERM)

            def refuses_new_connections() -> bool:
                try:
                    httpx.get(f"{api.base_url}/healthz", timeout=1)
                    return False
                except httpx.ConnectError:
                    return True
                except httpx.HTTPError:
                    # A connection accepted just as the server began to stop, or an answer slower than 1 s
                    # on a loaded machine, is no verdict yet (it used to fail the test): ask again.
                    return False

            wait_until(refuses_new_connections, timeout=60, what="the API to stop accepting connections")
            assert api.process.poll() is None  # still running: it waits for the request in flight
            locker.rollback()
        request.join(timeout=60)
        assert api.process.wait(timeout=60) == 0
    finally:
        api.stop()
        engine.dispose()
    (answer,) = answers
    assert answer.status_code == 201, answer.text
    with engine.connect() as reader:
        query = "SELECT count(*) FROM organisation WHERE id = :id"
        assert reader.execute(sqlalchemy.text(query), {"id": answer.json()["id"]}).scalar() == 1
