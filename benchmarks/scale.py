"""Shortlists over 10k, 100k (and with --million, 1M) synthetic profiles, against the naive way and PostgreSQL.

Per size, in a fresh process pinned to one thread: index build time, update time for one profile,
worker compute for one top-50 shortlist (median and p95 over 50 vacancies, wall clock and CPU time),
resident memory. Peers on
the same data in the same run: the naive way (for each profile, each requirement's best rapidfuzz
token_set_ratio among the profile's skill labels, pair by pair in Python, timed on a sample and
extrapolated) and PostgreSQL (full-text query over the same skill text, GIN-indexed, ts_rank, best 50)
on the local server.

    python benchmarks/scale.py [--sizes 10000,100000] [--million] [--no-postgres]
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
NAIVE_SAMPLE = 2000


def rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def release_free_memory() -> None:
    """Hand the memory freed after the build back to the system, as a worker does (glibc only)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure_one(n: int, with_postgres: bool) -> dict:
    """Everything for one population size (runs in its own process)."""
    from rapidfuzz import fuzz

    from benchmarks import synthetic
    from matching.ranking.live_index import LiveIndex

    world = synthetic.World.load()
    jobs = synthetic.vacancies(world, 50)
    gc.collect()
    release_free_memory()
    memory_before = rss_mb()  # the interpreter, NumPy/SciPy and the ESCO material the generator reads
    facts = synthetic.profiles(world, n)
    # The PostgreSQL peer's text goes to a file, so that it is not counted in the index's memory.
    texts_file = tempfile.TemporaryFile("w+", encoding="utf-8")
    for profile in facts if with_postgres else ():
        texts_file.write(synthetic.skill_text(profile).replace("\n", " ") + "\n")
    sample_labels = [[s.label for s in p.skills] for p in facts[:NAIVE_SAMPLE]]
    updates = synthetic.profiles(world, 21, seed=99, prefix="p")  # same ids as existing profiles: replacements

    started = time.perf_counter()
    # With a loader, as the worker builds it (matching/services/profile_index.py): compaction reloads
    # from the database, so the index keeps no Python object per profile. Never called here.
    index = LiveIndex(compact_after=10**9, loader=lambda: synthetic.profiles(world, n)).rebuild(facts, version=1)
    build_s = time.perf_counter() - started
    del facts
    gc.collect()
    release_free_memory()
    memory = rss_mb()

    compute_ms, compute_cpu_ms, lengths = [], [], []
    for vacancy in jobs:
        started, started_cpu = time.perf_counter(), time.process_time()
        items = index.rank(vacancy, size=50)
        compute_ms.append((time.perf_counter() - started) * 1000)
        # CPU time too: on a shared machine the wall clock also counts the waits for a core.
        compute_cpu_ms.append((time.process_time() - started_cpu) * 1000)
        lengths.append(len(items))

    update_ms = []
    for version, facts_one in enumerate(updates, start=2):
        started = time.perf_counter()
        index.apply(upserts=[facts_one], version=version)
        update_ms.append((time.perf_counter() - started) * 1000)

    # The naive way: for each profile, each requirement's best rapidfuzz match among the profile's
    # skill labels, pair by pair in Python; timed on a sample and extrapolated to n.
    sample = sample_labels[:NAIVE_SAMPLE]
    started = time.perf_counter()
    for vacancy in jobs[:3]:
        wanted = [s.label for s in vacancy.must_have + vacancy.nice_to_have]
        scores = [
            sum(
                max((fuzz.token_set_ratio(w, label, processor=None, score_cutoff=0) for label in labels), default=0)
                for w in wanted
            )
            / len(wanted)
            for labels in sample
        ]
        sorted(range(len(scores)), key=scores.__getitem__, reverse=True)[:50]
    naive_ms = (time.perf_counter() - started) * 1000 / 3 * (n / len(sample))

    result = {
        "n": n,
        "build_s": build_s,
        "update_ms": statistics.median(update_ms),
        "compute_median_ms": statistics.median(compute_ms),
        "compute_p95_ms": percentile(compute_ms, 0.95),
        "compute_cpu_median_ms": statistics.median(compute_cpu_ms),
        "compute_cpu_p95_ms": percentile(compute_cpu_ms, 0.95),
        "rss_mb": memory,
        "rss_before_mb": memory_before,
        "naive_ms": naive_ms,
        "items_median": statistics.median(lengths),
    }
    if with_postgres:
        del index
        gc.collect()
        texts_file.seek(0)
        texts = [line.rstrip("\n") for line in texts_file]
        result.update(postgres_peer(texts, [synthetic.skill_text(v) for v in jobs]))
    return result


def postgres_peer(texts: list[str], queries: list[str]) -> dict:
    """Full-text search over the same skill text in PostgreSQL (GIN index), best 50 by ts_rank."""
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_profile")
        connection.execute(
            "CREATE UNLOGGED TABLE bench_profile (id int PRIMARY KEY, skills text, "
            "tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', skills)) STORED)"
        )
        with connection.cursor().copy("COPY bench_profile (id, skills) FROM STDIN") as copy:
            for i, text in enumerate(texts):
                copy.write_row((i, text))
        started = time.perf_counter()
        connection.execute("CREATE INDEX bench_profile_tsv ON bench_profile USING gin (tsv)")
        connection.execute("ANALYZE bench_profile")
        index_s = time.perf_counter() - started
        timings = []
        for query in queries:
            words = sorted({w for w in re.findall(r"[a-z]+", query.lower()) if len(w) > 2})
            tsquery = " | ".join(words)
            started = time.perf_counter()
            rows = connection.execute(
                "SELECT id FROM bench_profile WHERE tsv @@ to_tsquery('simple', %s) "
                "ORDER BY ts_rank(tsv, to_tsquery('simple', %s)) DESC, id LIMIT 50",
                (tsquery, tsquery),
            ).fetchall()
            timings.append((time.perf_counter() - started) * 1000)
            assert rows
        connection.execute("DROP TABLE bench_profile")
    return {"postgres_median_ms": statistics.median(timings), "postgres_index_s": index_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--million", action="store_true", help="also 1,000,000 profiles (several minutes)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.one, not args.no_postgres)))
        return
    sizes = [int(s) for s in args.sizes.split(",")] + ([1_000_000] if args.million else [])
    env = {
        **os.environ,
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "PYTHONPATH": str(ROOT),
    }
    results = []
    for n in sizes:
        command = [sys.executable, __file__, "--one", str(n)] + (["--no-postgres"] if args.no_postgres else [])
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"measured {n:,} profiles", file=sys.stderr)
    print(f"\nShortlist of 50, one core ({os.cpu_count()} cores on the machine); medians over 50 vacancies;"
          f" load average at the end {open('/proc/loadavg').read().split()[:3]}\n")
    header = (
        "profiles",
        "build s",
        "update ms",
        "top-50 ms median",
        "p95",
        "CPU ms median",
        "CPU p95",
        "RSS MB (before build)",
        "naive ms (x)",
        "PostgreSQL FTS ms (x)",
        "items",
    )
    print("(x) = how many times slower than blindmatch; items = median shortlist length (hard requirements")
    print("and the must-have rule leave some vacancies with fewer than 50 candidates); RSS = the worker process")
    print("with the index built (in brackets: the same process before the profiles were generated)\n")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for r in results:
        pg = (
            f"{r['postgres_median_ms']:.1f} ({r['postgres_median_ms'] / r['compute_median_ms']:.1f}x)"
            if "postgres_median_ms" in r
            else "-"
        )
        print(
            f"{r['n']:,} | {r['build_s']:.2f} | {r['update_ms']:.2f} | {r['compute_median_ms']:.1f} | "
            f"{r['compute_p95_ms']:.1f} | {r['compute_cpu_median_ms']:.1f} | {r['compute_cpu_p95_ms']:.1f} | "
            f"{r['rss_mb']:.0f} ({r['rss_before_mb']:.0f}) | "
            f"{r['naive_ms']:,.0f} ({r['naive_ms'] / r['compute_median_ms']:,.0f}x) | {pg} | {r['items_median']:.0f}"
        )


if __name__ == "__main__":
    main()
