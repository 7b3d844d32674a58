"""The API under concurrent users, against real workers, Redis and PostgreSQL, with 100k published profiles.

A fresh PostgreSQL database (dropped at the end unless --keep) gets the schema, the ESCO export and the
Belgian postcode table through the product's import code; the synthetic ESCO profiles of
benchmarks/synthetic.py are bulk-inserted as the service stores them (Profile rows, skills as understood);
vacancies, organisations, users and tokens are created through the services. Then, as subprocesses: a
private redis-server, the API (uvicorn, --api-workers processes, JSON request logs as `serve` writes
them) and a `celery worker`. Measured, on this machine:

- the worker's start: process start to ready, profile index build (its log line), first shortlist from
  request to ready; the same after a restart;
- reads alone (`wrk`, --connections open connections): a ready shortlist, an employer's candidate cards;
- shortlists one after the other on an otherwise idle service: request to ready;
- everything at once for --seconds: liaisons reading ready shortlists and asking for new ones (polling
  every 10 ms until ready), counsellors publishing profiles (each publish also sends a `profile.match`
  task); then the cards alone, and everything at once again with employers reading cards too.

    apt-get install -y wrk     # the read phases; without it they run on the Python generator
    python benchmarks/load.py [--profiles 100000] [--vacancies 1000] [--seconds 20] [--keep]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import loadgen, synthetic  # noqa: E402
from benchmarks.load_setup import (  # noqa: E402
    Population,
    api_server,
    free_port,
    populate,
    private_redis,
    shortlists_ready,
    worker,
)

ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
TARGETS = {"reads": 1000.0, "ready_ms": 300.0}


@contextmanager
def fresh_database(keep: bool):
    """A PostgreSQL database of this run's own; yields its URL."""
    import sqlalchemy

    admin = sqlalchemy.create_engine(ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"),
                                     isolation_level="AUTOCOMMIT")
    name = f"blindmatch_load_{secrets.token_hex(4)}"
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        if keep:
            print(f"kept database {name}", file=sys.stderr)
        else:
            with admin.connect() as connection:
                connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


def wrk(port: int, paths: list[str], token: str, *, seconds: float, connections: int, folder: Path,
        timeout: float = 10.0) -> dict:
    """`wrk` on these paths (one at random per request): requests/s, p50, p99, failed or timed-out requests."""
    script = folder / f"wrk-{secrets.token_hex(3)}.lua"
    listed = ", ".join(f'"{p}"' for p in paths)
    script.write_text(
        f"paths = {{{listed}}}\n"
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
        "request = function() return wrk.format(nil, paths[math.random(#paths)]) end\n"
    )
    command = ["wrk", "-t2", f"-c{connections}", f"-d{int(seconds)}s", f"--timeout={int(timeout)}s", "--latency",
               "-s", str(script), f"http://127.0.0.1:{port}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def latency(label: str) -> float:
        found = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)] if found else float("nan")

    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, sockets.groups())) if sockets else 0)
    return {"requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50": latency("50%"), "p99": latency("99%"), "errors": errors}


def summarise(records: list[loadgen.Record], seconds: float) -> dict[str, dict]:
    """Per kind of request: count, rate, p50 and p99 in ms, answers that were not 2xx."""
    by_kind: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for what, status, elapsed in records:
        by_kind[what].append((status, elapsed))
    out = {}
    for what, rows in sorted(by_kind.items()):
        times = [elapsed * 1000 for _, elapsed in rows]
        out[what] = {"requests": len(rows), "rps": len(rows) / seconds, "p50": percentile(times, 0.5),
                     "p99": percentile(times, 0.99), "errors": sum(1 for s, _ in rows if s and not 200 <= s < 300)}
    return out


def print_rows(title: str, rows: dict[str, dict]) -> None:
    print(f"\n{title}\n")
    print(f"{'request':<48} {'count':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for what, r in rows.items():
        print(f"{what:<48} {r['requests']:>7} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p99']:>8.1f} {r['errors']:>6}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--vacancies", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each timed phase")
    parser.add_argument("--connections", type=int, default=16, help="open connections in the read phases")
    parser.add_argument("--api-workers", type=int, default=2)
    parser.add_argument("--worker-concurrency", type=int, default=1)
    parser.add_argument("--generators", type=int, default=2, help="load generator processes (mixed phase)")
    parser.add_argument("--sequential", type=int, default=40, help="shortlists one after the other")
    parser.add_argument("--think", type=float, default=0.25,
                        help="mixed phase: seconds a liaison, employer or counsellor waits between two actions")
    parser.add_argument("--readers", type=int, default=16, help="mixed phase: liaisons reading ready shortlists")
    parser.add_argument("--read-think", type=float, default=0.05,
                        help="mixed phase: seconds a reader waits between two reads")
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="blindmatch-load-"))
    try:
        run(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(args: argparse.Namespace, folder: Path) -> None:
    figures: dict = {}
    with private_redis(folder) as redis_url, fresh_database(args.keep) as database_url:
        env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url,
               "BLINDMATCH_DATA_DIR": str(folder / "data"), "BLINDMATCH_QUEUE": "blindmatch-load",
               "BLINDMATCH_SECRET_KEY": secrets.token_urlsafe(32),
               # The benchmark's few tokens send what thousands of users would: no per-token limit, no quota.
               "BLINDMATCH_RATE_LIMIT": "100000000/minute", "BLINDMATCH_CARD_VIEW_QUOTA": "100000000/day",
               "PYTHONPATH": str(ROOT)}
        os.environ.update(env)  # the setup below runs the product's code in this process, on the same services
        world = synthetic.World.load()
        population: Population = populate(world, profiles=args.profiles, vacancies=args.vacancies, figures=figures)
        port = free_port()
        with api_server(env, port, folder, workers=args.api_workers) as http:
            for attempt in ("start", "restart"):
                with worker(env, folder, concurrency=args.worker_concurrency, figures=figures, label=attempt):
                    started = time.perf_counter()
                    first = shortlists_ready(http, population, population.vacancy_ids[:1])
                    figures[f"{attempt}: first shortlist, request to ready s"] = time.perf_counter() - started
                    if attempt == "restart":
                        phases(args, folder, port, http, population, first, figures)
    report(args, figures)


def phases(args, folder: Path, port: int, http, population: Population, first: list[str], figures: dict) -> None:
    """Reads alone, shortlists one by one, everything at once; then the cards alone, and everything with them."""
    from benchmarks.load_setup import present, server_side_ready_ms, wait_idle, warm, warm_publishing

    ready = first + shortlists_ready(http, population, population.vacancy_ids[1:20])
    carded = present(http, population, ready[:4])  # employer token -> vacancies with presented candidates
    warm_publishing(port, population)  # each API process loads the taxonomy on its first publish
    wait_idle()  # the worker has scored those profiles against every open vacancy
    liaison = population.liaisons[0]
    shortlist_paths = [f"/v1/shortlists/{i}" for i in ready]
    token, vacancy_ids = next(iter(carded.items()))
    card_paths = [f"/v1/vacancies/{v}/candidates" for v in vacancy_ids]
    figures["reads"] = {}
    read_alone(args, folder, port, figures, "GET /v1/shortlists/{id} (ready)", shortlist_paths, liaison, ready)

    since = time.time()
    plan = loadgen.Plan("127.0.0.1", port, 0, liaisons=[(liaison, population.vacancy_ids[20:])],
                        sequential_shortlists=args.sequential)
    figures["sequential"] = summarise(loadgen.run([plan]), 1.0)
    figures["sequential_server_ms"] = server_side_ready_ms(since)

    # Everything at once, without the cards and then with them: each API process builds a vacancy's
    # k-anonymity crowd on its first card read (seconds at 100k), then keeps it up to date from the change log.
    employers = list(carded.items())
    for label, with_cards in (("mixed", False), ("mixed with cards", True)):
        if with_cards:
            wait_idle()
            # Each API process builds a vacancy's crowd on its first card read: every employer's vacancies
            # are read until both processes answer fast, so the phase below measures the kept crowds.
            started = time.perf_counter()
            for employer_token, carded_ids in employers:
                warm(port, employer_token, [f"/v1/vacancies/{v}/candidates" for v in carded_ids])
            figures[f"cards: first reads of {sum(len(v) for _, v in employers)} vacancies' cards, crowds built in "
                    "each API process s"] = time.perf_counter() - started
            read_alone(args, folder, port, figures, "GET /v1/vacancies/{id}/candidates", card_paths, token, ready)
        since, restarts = time.time(), api_restarts(folder)
        plans = [
            loadgen.Plan(
                "127.0.0.1", port, args.seconds, think=args.think, read_think=args.read_think,
                readers=[(population.liaisons[1 + r % 4], ready) for r in range(args.readers // args.generators)],
                employers=employers[g::args.generators] if with_cards else [],
                liaisons=[(population.liaisons[5 + g], population.vacancy_ids[20 + g::args.generators])],
                counsellors=[(population.counsellors[g], population.bodies[g::args.generators])],
            )
            for g in range(args.generators)
        ]
        figures[label] = summarise(loadgen.run(plans), args.seconds)
        figures[f"{label}_server_ms"] = server_side_ready_ms(since)
        figures[f"{label}: API processes restarted"] = api_restarts(folder) - restarts


def read_alone(args, folder: Path, port: int, figures: dict, what: str, paths: list[str], token: str,
               ready: list[str]) -> None:
    """One kind of read, nothing else, as fast as --connections connections go (wrk, else the generator)."""
    if shutil.which("wrk"):
        figures["reads"][what] = wrk(port, paths, token, seconds=args.seconds, connections=args.connections,
                                     folder=folder)
    elif what.startswith("GET /v1/shortlists"):
        plans = [loadgen.Plan("127.0.0.1", port, args.seconds,
                              readers=[(token, ready)] * (args.connections // args.generators))
                 for _ in range(args.generators)]
        figures["reads"].update(summarise(loadgen.run(plans), args.seconds))


def api_restarts(folder: Path) -> int:
    """API processes uvicorn found hung and replaced so far (its log)."""
    return (folder / "api.log").read_text().count("died")


def report(args: argparse.Namespace, figures: dict) -> None:
    print(f"\nLoad on this machine ({os.cpu_count()} cores, shared by the API, the worker, PostgreSQL, Redis and the "
          f"load generator): {args.profiles:,} published profiles, {args.vacancies:,} open vacancies, API "
          f"{args.api_workers} uvicorn processes, 1 celery worker (concurrency {args.worker_concurrency})\n")
    order = ("setup", "start", "restart", "mixed")
    for name, value in sorted(figures.items(), key=lambda kv: order.index(kv[0].split(":")[0].split(" ")[0])
                              if kv[0].split(":")[0].split(" ")[0] in order else len(order)):
        if isinstance(value, float | int):
            print(f"{name:<56} {value:>8.2f}")
    tool = "wrk" if shutil.which("wrk") else "python generator"
    print_rows(f"Reads alone ({tool}, {args.connections} connections, {args.seconds:.0f} s each)", figures["reads"])
    print_rows(f"Shortlists one after the other ({args.sequential}), the liaison polling every 10 ms",
               figures["sequential"])
    for label in ("mixed", "mixed with cards"):
        print_rows(f"Everything at once{' but the cards' if label == 'mixed' else ', cards too'} for "
                   f"{args.seconds:.0f} s ({args.generators} generator processes: {args.readers} liaisons reading "
                   f"shortlists, pausing {args.read_think} s; {args.generators} asking for shortlists, "
                   f"{args.generators} counsellors publishing{'' if label == 'mixed' else ', employers reading cards'}"
                   f", pausing {args.think} s)", figures[label])
    for label in ("sequential", "mixed", "mixed with cards"):
        server = figures[f"{label}_server_ms"]
        client = figures[label].get("request to ready")
        if client and server:
            print(f"\n{label}: request to ready, median {client['p50']:.0f} ms as the liaison saw it (polling); "
                  f"in the database (created_at to finished_at) median {statistics.median(server):.0f} ms, "
                  f"p90 {percentile(server, 0.9):.0f} ms, {len(server)} shortlists")
    read = figures["reads"]["GET /v1/shortlists/{id} (ready)"]["rps"]
    print(f"\ntargets: ready shortlist reads {read:.0f}/s (target >= {TARGETS['reads']:.0f}/s); request to ready "
          f"median {statistics.median(figures['sequential_server_ms'] or [float('nan')]):.0f} ms alone, "
          f"{statistics.median(figures['mixed_server_ms'] or [float('nan')]):.0f} ms under load without cards "
          f"(target < {TARGETS['ready_ms']:.0f} ms)")


if __name__ == "__main__":
    main()
