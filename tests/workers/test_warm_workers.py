"""A worker loads the taxonomy and its index before its first task, and is counted ready only then."""

from __future__ import annotations

import pytest

from tests.factories import bearer
from tests.processes import api_server, seed, service_env, shortlist_row, wait_until, worker

pytestmark = pytest.mark.e2e


def messages(w, start: str) -> list[dict]:
    return [line for line in w.log_lines() if line.get("message", "").startswith(start)]


# A database of its own: in the shared one, other tests' profiles scoring the same fill the fair draw's band
# (matching/ranking/fair_order.py), so this test's profiles could be left off a shortlist of ten.
def test_readiness_waits_for_a_warm_worker_whose_first_shortlist_loads_nothing(fresh_pg, queue, tmp_path):
    # One-second heartbeats: a worker stopped by another test no longer counts after three seconds.
    env = service_env(BLINDMATCH_QUEUE=queue, BLINDMATCH_HEARTBEAT_INTERVAL=1, BLINDMATCH_MAINTENANCE_INTERVAL=0)
    with api_server(tmp_path / "api.log", env) as api:
        world, vacancy_id, profile_ids = seed(api.http)
        cold = wait_until(lambda: (r := api.http.get("/readyz")).json()["warm_workers"] == 0 and r,
                          timeout=30, what="workers of earlier tests to expire")
        assert cold.status_code == 503 and cold.json()["checks"]["workers"] == "no warm worker"
        assert cold.json()["checks"]["database"] == cold.json()["checks"]["broker"] == "ok"

        with worker(tmp_path / "worker.log", env) as w:
            ready = wait_until(lambda: (r := api.http.get("/readyz")).status_code == 200 and r,
                               timeout=120, what=w.tail())
            assert ready.json()["warm_workers"] == 1
            (warm,) = messages(w, "worker warm")
            assert warm["profiles"] >= len(profile_ids) and warm["concepts"] > 0
            assert len(messages(w, "taxonomy loaded")) == 1 and len(messages(w, "profile index built")) == 1

            accepted = api.http.post(f"/v1/vacancies/{vacancy_id}/shortlists", json={}, headers=bearer(world.liaison))
            assert accepted.status_code == 202, accepted.text
            shortlist_id = accepted.json()["id"]
            wait_until(lambda: shortlist_row(shortlist_id).status == "ready", timeout=120, what=w.tail())
            body = api.http.get(f"/v1/shortlists/{shortlist_id}", headers=bearer(world.liaison)).json()
            assert {item["profile_id"] for item in body["items"]} >= set(profile_ids)
            # The shortlist was scored from what the warm-up loaded: nothing was loaded again.
            assert len(messages(w, "taxonomy loaded")) == 1 and len(messages(w, "profile index built")) == 1
            assert messages(w, "shortlist ready")

        # A stopped worker removes its heartbeat: no warm worker any more.
        after = api.http.get("/readyz")
        assert after.status_code == 503 and after.json()["warm_workers"] == 0
