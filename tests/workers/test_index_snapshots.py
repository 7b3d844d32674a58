"""A worker starts from the machine's index snapshot and the change log since, ranks as a fresh build does,
never brings back a profile erased meanwhile, rewrites the snapshot after the erasure, and refuses a
corrupt snapshot (building from rows instead)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import bearer, profile_body
from tests.processes import api_server, compute_here, seed, service_env, shortlist_row, wait_until, worker

pytestmark = pytest.mark.e2e
WIDE = {"size": 100}


def messages(w, start: str) -> list[dict]:
    return [line for line in w.log_lines() if line.get("message", "").startswith(start)]


def scores(http, world, shortlist_id: str) -> dict[str, float]:
    body = http.get(f"/v1/shortlists/{shortlist_id}", headers=bearer(world.liaison)).json()
    assert body["status"] == "ready", body
    return {item["profile_id"]: item["score"] for item in body["items"]}


def shortlist(http, world, vacancy_id: str, w) -> dict[str, float]:
    accepted = http.post(f"/v1/vacancies/{vacancy_id}/shortlists", json=WIDE, headers=bearer(world.liaison))
    assert accepted.status_code == 202, accepted.text
    shortlist_id = accepted.json()["id"]
    wait_until(lambda: shortlist_row(shortlist_id).status == "ready", timeout=120, what=w.tail())
    return scores(http, world, shortlist_id)


def holding(folder: Path, text: str) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file() and text.encode() in path.read_bytes()]


def test_a_worker_starts_from_a_snapshot_and_the_log_since(fresh_pg, queue, tmp_path):
    folder = tmp_path / "snapshots"
    env = service_env(BLINDMATCH_QUEUE=queue, BLINDMATCH_HEARTBEAT_INTERVAL=1, BLINDMATCH_MAINTENANCE_INTERVAL=0,
                      BLINDMATCH_INDEX_SNAPSHOTS=folder, BLINDMATCH_INDEX_SNAPSHOT_INTERVAL=1)
    with api_server(tmp_path / "api.log", env) as api:
        world, vacancy_id, profile_ids = seed(api.http, profiles=4)
        counsellor = bearer(world.counsellor)
        with worker(tmp_path / "first.log", env) as first:  # no snapshot yet: built from rows, then written
            wait_until(lambda: messages(first, "index snapshot written"), timeout=180, what=first.tail())
            (warm,) = messages(first, "worker warm")
            assert warm["from_snapshot"] is False and "built from rows" in warm["message"]
        assert holding(folder, profile_ids[0])

        # While no worker runs: a new profile, a changed one.
        body = profile_body(availability={"hours_min": 12, "hours_max": 38, "shifts": ["early_morning"]})
        added = api.http.post("/v1/profiles", json=body, headers=counsellor).json()["id"]
        changed = api.http.patch(f"/v1/profiles/{profile_ids[1]}", json={"mobility": {"postcode": "1180"}},
                                 headers=counsellor)
        assert changed.status_code == 200, changed.text
        erased = profile_ids[0]

        with worker(tmp_path / "second.log", env) as second:
            wait_until(lambda: messages(second, "worker warm"), timeout=180, what=second.tail())
            (warm,) = messages(second, "worker warm")
            assert warm["from_snapshot"] is True and "from snapshot" in warm["message"], warm
            assert not messages(second, "profile index built")
            # An erasure of a profile the snapshot holds, the worker running: replayed before the next
            # shortlist, and the snapshot holding the person deleted within seconds, then written anew.
            assert api.http.delete(f"/v1/profiles/{erased}", headers=counsellor).status_code == 204
            ranked = shortlist(api.http, world, vacancy_id, second)
            assert added in ranked and erased not in ranked
            wait_until(lambda: not holding(folder, erased) and list(folder.glob("snap-*")), timeout=180,
                       what=second.tail())
        fresh = scores(api.http, world, compute_here(api.http, world, vacancy_id))  # built from rows here
        assert ranked == fresh

        (current,) = [path for path in folder.iterdir() if path.name.startswith("snap-")]
        largest = max(current.iterdir(), key=lambda path: path.stat().st_size)
        raw = bytearray(largest.read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        largest.write_bytes(bytes(raw))
        with worker(tmp_path / "third.log", env) as third:  # a corrupt snapshot: refused, built from rows
            wait_until(lambda: messages(third, "worker warm"), timeout=180, what=third.tail())
            (warm,) = messages(third, "worker warm")
            assert warm["from_snapshot"] is False and messages(third, "index snapshot refused")
            assert shortlist(api.http, world, vacancy_id, third) == fresh
            # ... and its keeper replaces the corrupt snapshot with a sound one.
            wait_until(lambda: messages(third, "index snapshot written"), timeout=180, what=third.tail())
        assert not current.exists() and len(list(folder.glob("snap-*"))) == 1
