"""A real worker process on PostgreSQL: start to ready building its index from rows vs from a snapshot.

One database of this run's own with N bulk-inserted profiles (benchmarks/load_setup.py). First worker:
no snapshot, it builds from rows, becomes ready, and its keeper writes the snapshot. Then 1,000 changes
through the ORM (900 profiles changed, 100 deleted), logged in the change log as the API would. Second
worker: starts from the snapshot and replays those changes. Per worker: process start to "ready."
(Celery's line, printed after the warm-up), the index part of its warm-up, and its resident memory.

    python benchmarks/snapshot_worker.py [--profiles 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import synthetic  # noqa: E402
from benchmarks.load import fresh_database  # noqa: E402
from benchmarks.load_setup import populate, private_redis, wait_for  # noqa: E402

CHANGED, DELETED = 900, 100


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def start_worker(env: dict, log_path: Path, *, wait_for_snapshot: bool) -> dict:
    from blindmatch.cli import worker_command

    started = time.perf_counter()
    with open(log_path, "ab") as log:
        process = subprocess.Popen(worker_command(concurrency=1), env=env, cwd=ROOT, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: b" ready." in log_path.read_bytes(), timeout=1800, what="the worker")
        ready_s = time.perf_counter() - started
        memory = rss_mb(process.pid)
        if wait_for_snapshot:
            wait_for(lambda: b"index snapshot written" in log_path.read_bytes(), timeout=1800, what="the snapshot")
        warm = next(json.loads(line) for line in log_path.read_text().splitlines()
                    if line.startswith("{") and "worker warm" in line)
        return {"ready_s": ready_s, "index_s": warm["index_seconds"], "profiles": warm["profiles"],
                "rss_mb": memory, "message": warm["message"]}
    finally:
        process.terminate()
        process.wait(timeout=120)


def change_profiles() -> None:
    """1,000 changes through the ORM, so each is logged in the change log as an API write is."""
    from sqlalchemy.orm.attributes import flag_modified
    from sqlmodel import select

    from matching.store.db import session_scope
    from matching.store.models import Profile

    with session_scope() as session:
        profiles = session.exec(select(Profile).order_by(Profile.id).limit(CHANGED + DELETED)).all()
        for profile in profiles[:CHANGED]:
            profile.data = {**profile.data, "availability": {**profile.data.get("availability", {}), "hours_min": 9}}
            flag_modified(profile, "data")
            session.add(profile)
        for profile in profiles[CHANGED:]:
            session.delete(profile)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="blindmatch-snapshot-worker-"))
    figures: dict = {}
    try:
        with private_redis(folder) as redis_url, fresh_database(False) as database_url:
            env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
                   "BLINDMATCH_DATA_DIR": str(folder / "data"), "BLINDMATCH_QUEUE": "blindmatch-snapshot-bench",
                   "BLINDMATCH_SECRET_KEY": secrets.token_urlsafe(32), "BLINDMATCH_MAINTENANCE_INTERVAL": "0",
                   "BLINDMATCH_INDEX_SNAPSHOTS": str(folder / "snapshots"),
                   "BLINDMATCH_INDEX_SNAPSHOT_INTERVAL": "3600", "PYTHONPATH": str(ROOT)}
            os.environ.update(env)
            populate(synthetic.World.load(), profiles=args.profiles, vacancies=1, figures=figures)
            rows = start_worker(env, folder / "rows.log", wait_for_snapshot=True)
            change_profiles()
            snapshot = start_worker(env, folder / "snapshot.log", wait_for_snapshot=False)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\nWorker process start to ready, {args.profiles:,} profiles on PostgreSQL, "
          f"load {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)\n")
    print("start | profiles | start to ready s | index s | RSS MB (main process)")
    print("--- | --- | --- | --- | ---")
    for name, r in (("from rows (no snapshot)", rows), (f"from snapshot + {CHANGED + DELETED:,} changes", snapshot)):
        print(f"{name} | {r['profiles']:,} | {r['ready_s']:.1f} | {r['index_s']:.2f} | {r['rss_mb']:.0f}")
    print(f"\n{snapshot['message']}")


if __name__ == "__main__":
    main()
