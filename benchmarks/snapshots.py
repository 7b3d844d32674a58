"""Worker start: building the profile index from facts vs opening a snapshot and catching up, side by side.

Per size, each way in a fresh process pinned to one thread, on the same synthetic profiles:
- build: `LiveIndex.rebuild` over every profile's facts (what a worker does from rows, minus the query);
- snapshot: open the newest snapshot memory-mapped (checksums verified), adopt it, and apply 1,000 changes
  (900 replaced profiles, 100 erased), as a worker replays the change log since the snapshot.
Both then rank one top-50 shortlist (the first one pages the mapped arrays in) and a median of 20 more,
and the resident memory is read. The snapshot is written beforehand by a third process (timed too).

    python benchmarks/snapshots.py [--sizes 100000] [--million]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
KEY = "benchmark"
CHANGES, ERASED = 1000, 100


def rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def changes(world, n: int):
    """The 1,000 changes since the snapshot: replaced profiles (same ids, other facts) and erased ones."""
    from benchmarks import synthetic

    replaced = synthetic.profiles(world, CHANGES - ERASED, seed=99, prefix="p")
    erased = [f"p{i:07d}" for i in range(n - ERASED, n)]
    return replaced, erased


def write_snapshot(n: int, folder: Path) -> dict:
    from benchmarks import synthetic
    from matching.ranking import index_snapshot
    from matching.ranking.scoring import ProfileIndex

    facts = sorted(synthetic.profiles(synthetic.World.load(), n), key=lambda p: p.profile_id)
    started = time.perf_counter()
    index = ProfileIndex().fit(facts)
    fitted = time.perf_counter()
    path = index_snapshot.write(folder, version=1, key=KEY, groups={"index": vars(index)})
    written = time.perf_counter()
    size = sum(f.stat().st_size for f in path.iterdir())
    return {"fit_s": fitted - started, "write_s": written - fitted, "size_mb": size / 2**20}


def start(n: int, way: str, folder: Path) -> dict:
    from benchmarks import synthetic
    from matching.ranking import index_snapshot
    from matching.ranking.live_index import LiveIndex
    from matching.ranking.scoring import ProfileIndex
    from matching.services.profile_index import release_free_memory

    world = synthetic.World.load()
    replaced, erased = changes(world, n)
    jobs = synthetic.vacancies(world, 21)
    if way == "build":
        facts = synthetic.profiles(world, n)
        # The index as it stands after the changes: what a build from rows would read.
        current = {p.profile_id: p for p in facts}
        current.update((p.profile_id, p) for p in replaced)
        for profile_id in erased:
            del current[profile_id]
        facts = list(current.values())
        del current
        started = time.perf_counter()
        index = LiveIndex(loader=lambda: facts).rebuild(facts, version=2)
        ready = time.perf_counter() - started
        opened_s = caught_up_s = 0.0
        del facts
    else:
        started = time.perf_counter()
        snapshot, refused = index_snapshot.newest(folder, key=KEY)
        assert snapshot is not None and not refused
        bulk = index_snapshot.restore(ProfileIndex, snapshot.groups["index"])
        index = LiveIndex.adopt(bulk, version=snapshot.version, loader=lambda: [])
        opened_s = time.perf_counter() - started
        index.apply(upserts=replaced, deletes=erased, version=2)
        ready = time.perf_counter() - started
        caught_up_s = ready - opened_s
    release_free_memory()
    started = time.perf_counter()
    first = index.rank(jobs[0], size=50)
    first_ms = (time.perf_counter() - started) * 1000
    timings = []
    for vacancy in jobs[1:]:
        started = time.perf_counter()
        index.rank(vacancy, size=50)
        timings.append((time.perf_counter() - started) * 1000)
    return {"ready_s": ready, "open_s": opened_s, "catch_up_s": caught_up_s, "first_ms": first_ms,
            "median_ms": statistics.median(timings), "rss_mb": rss_mb(), "profiles": len(index),
            "first_ids": [c.profile_id for c in first]}


def run(args: list[str]) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, __file__, *args], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--million", action="store_true", help="also 1,000,000 profiles (several minutes)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        step, n = args.one.split(":")
        folder = Path(args.folder)
        result = write_snapshot(int(n), folder) if step == "write" else start(int(n), step, folder)
        print(json.dumps(result))
        return
    sizes = [int(s) for s in args.sizes.split(",")] + ([1_000_000] if args.million else [])
    rows = []
    for n in sizes:
        folder = Path(tempfile.mkdtemp(prefix="blindmatch-snapshots-"))
        try:
            written = run(["--one", f"write:{n}", "--folder", str(folder)])
            built = run(["--one", f"build:{n}", "--folder", str(folder)])
            opened = run(["--one", f"snapshot:{n}", "--folder", str(folder)])
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        assert built["profiles"] == opened["profiles"] and built["first_ids"] == opened["first_ids"]
        rows.append((n, written, built, opened))
        print(f"measured {n:,} profiles: {json.dumps([written, built, opened])}", file=sys.stderr)
    print(f"\nWorker index start, one core ({os.cpu_count()} cores on the machine), load {os.getloadavg()[0]:.2f}\n")
    header = ("profiles", "way", "ready s", "open s", f"catch-up of {CHANGES:,} s", "first top-50 ms",
              "top-50 ms median", "RSS MB")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for n, _, built, opened in rows:
        for way, r in (("build from facts", built), ("snapshot + catch-up", opened)):
            print(f"{n:,} | {way} | {r['ready_s']:.2f} | {r['open_s']:.2f} | {r['catch_up_s']:.2f} | "
                  f"{r['first_ms']:.0f} | {r['median_ms']:.0f} | {r['rss_mb']:.0f}")
    print("\nsnapshot written beforehand (fit + write, MB on disk):")
    for n, written, _, _ in rows:
        print(f"{n:,}: fit {written['fit_s']:.2f} s + write {written['write_s']:.2f} s, {written['size_mb']:.0f} MB")


if __name__ == "__main__":
    main()
