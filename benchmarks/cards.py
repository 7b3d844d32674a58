"""Employer card reads at 100k published profiles while profiles are published: crowds built by the API
process on read (before) against disclosures measured by a worker and stored (now), in the same run.

Every card is generalised until k profiles that could have been presented share what it shows
(matching/privacy/disclosure.py), so measuring a card needs every published profile's traits for the
vacancy. Before, each API process kept the crowds itself (matching/services/crowds.py, caught up from the
change log on each read, behind one lock); now a worker's card keeper does that (workers/cards.py) and
writes `card_disclosure` rows, and the API only reads them (matching/services/card_store.py).

Per size, on a fresh PostgreSQL database (ESCO, the postcode table, `size` synthetic profiles bulk
inserted as the service stores them): a shortlist of the first vacancy computed and its top 10 presented.
Then, with a counsellor publishing a profile every 0.2 s (a process of its own, as an API process) and
the card keeper running its round every second (another process, as a worker), the employer's card list is
read through the service layer in this process (no HTTP: it adds the same few milliseconds to both ways):

- before: cards measured in the reading process (the crowd kept up to date on each read), and its first
  read after a start (the population and the crowd built);
- now: cards read from the stored rows; and the first HTTP read of a `blindmatch serve --no-worker`
  process started on the database, timed from its first request (nothing loaded before).

    python benchmarks/cards.py [--sizes 100000] [--reads 200]
    python benchmarks/cards.py --first-read-only [--sizes 100000] [--starts 5]

`--first-read-only` sets up the same database (the keeper's first round run once, in this process) and times
only the first HTTP read of new API processes, started alternately with the start-up warm-up (as served) and
without it (a peer in the same run), and each one's second read.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PUBLISH_EVERY = 0.2  # seconds between two publishes while cards are read
KEEPER_EVERY = 1.0  # the default BLINDMATCH_CARDS_INTERVAL


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def first_http_reads(url: str, path: str, token: str, *, warm: bool = True) -> tuple[float, float]:
    """Start an API process on the database and time its very first card read and the next one (ms).

    `warm=False` starts the same process with its start-up warm-up left out (`--cold-api`), as a peer.
    """
    from tests.live import free_port

    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "BLINDMATCH_RATE_LIMIT": "100000/minute",
           "BLINDMATCH_MAINTENANCE_INTERVAL": "0", "BLINDMATCH_RELAY_INTERVAL": "0"}
    command = ([sys.executable, "-m", "blindmatch.cli", "serve", "--no-worker", "--port", str(port)] if warm
               else [sys.executable, __file__, "--cold-api", str(port)])
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as http:
            deadline = time.monotonic() + 180
            while True:
                try:
                    if http.get("/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("the API process did not start")
                time.sleep(0.2)
            reads = []
            for _ in range(2):
                started = time.perf_counter()
                response = http.get(path, headers={"Authorization": f"Bearer {token}"})
                reads.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200 and all(card["privacy"] for card in response.json()), response.text
            return reads[0], reads[1]
    finally:
        process.terminate()
        process.wait(timeout=60)


def serve_cold(port: int) -> None:
    """`blindmatch serve --no-worker` with the API's start-up warm-up left out: what a first read costs without."""
    import api.app
    from blindmatch.cli import serve

    api.app.warm_up = lambda: None
    api.app.limits.warm_up = lambda: None
    api.app.middleware.warm_up = lambda _app: None
    serve(port=port, worker=False)


@contextmanager
def presented_vacancy(size: int, world) -> Iterator[SimpleNamespace]:
    """A fresh database with `size` profiles, the first vacancy's top 10 presented; dropped afterwards."""
    from benchmarks.load import fresh_database
    from benchmarks.load_setup import populate
    from matching.schemas.resources import ShortlistRequest
    from matching.services import crowds, profile_index, shortlist_runs, shortlists
    from matching.services.accounts import authenticate
    from matching.settings import get_settings
    from matching.store.db import get_engine, session_scope

    with fresh_database(keep=False) as url:
        os.environ["DATABASE_URL"] = url
        get_settings.cache_clear()
        get_engine.cache_clear()
        profile_index.reset()
        crowds.reset()
        population = populate(world, profiles=size, vacancies=3, figures={})
        vacancy_id = population.vacancy_ids[0]
        employer_token = population.employers[population.vacancy_employer[vacancy_id]]
        with session_scope() as session:
            liaison = authenticate(session, population.liaisons[0])
            shortlist_id = shortlists.request_shortlist(session, liaison, vacancy_id,
                                                        payload=ShortlistRequest(size=10)).id
        with session_scope() as session:
            shortlist_runs.start(session, shortlist_id, task_id="bench", max_attempts=1, stale_after=600)
        with session_scope() as session:
            shortlists.compute(session, shortlist_id)
        with session_scope() as session:
            chosen = [i.profile_id for i in shortlists.to_public(session, shortlists.visible_shortlist(
                session, liaison, shortlist_id)).items]
            assert chosen, "the shortlist is empty"
            shortlists.present(session, liaison, shortlist_id, profile_ids=chosen, secret=get_settings().secret_key)
        try:
            yield SimpleNamespace(url=url, population=population, vacancy_id=vacancy_id,
                                  employer_token=employer_token, chosen=chosen)
        finally:
            crowds.reset()
            get_engine().dispose()
            get_engine.cache_clear()


def first_reads(size: int, world, starts: int) -> dict:
    """Only the first HTTP read of new API processes, warmed at start-up and not, alternately (`starts` each)."""
    from matching.services import card_store
    from matching.store.db import session_scope

    with presented_vacancy(size, world) as setup:
        with session_scope() as session:  # the card keeper's first round, as a worker's
            card_store.refresh(session)
        path = f"/v1/vacancies/{setup.vacancy_id}/candidates"
        cold, warm = [], []
        for _ in range(starts):
            cold.append(first_http_reads(setup.url, path, setup.employer_token, warm=False))
            warm.append(first_http_reads(setup.url, path, setup.employer_token))
    return {"size": size, "cold": cold, "warm": warm}


def measure(size: int, world, reads: int) -> dict:
    from sqlmodel import col, select

    from benchmarks.load import percentile
    from matching.privacy.card import Presented, employer_cards
    from matching.services import crowds, reviews, taxonomy
    from matching.services.accounts import authenticate
    from matching.store import reconfirmation
    from matching.store.db import session_scope
    from matching.store.models import Match, Profile, as_utc

    figures: dict = {"size": size}
    with presented_vacancy(size, world) as setup:
        url, population, vacancy_id = setup.url, setup.population, setup.vacancy_id
        employer_token, chosen = setup.employer_token, setup.chosen
        bodies = iter(population.bodies)

        def read_stored() -> None:
            with session_scope() as session:
                cards = reviews.list_candidates(session, authenticate(session, employer_token), vacancy_id)
                assert len(cards) == len(chosen) and all(c.privacy for c in cards), cards

        def cards_measured_here(session, vacancy, lang):
            """reviews._cards as it was: the crowd caught up and the cards measured in the reading process."""
            matches = session.exec(select(Match).where(Match.vacancy_id == vacancy.id)).all()
            ids = [m.profile_id for m in matches if m.profile_id]
            everyone = list(session.exec(select(Profile).where(col(Profile.id).in_(ids)))) if ids else []
            paused = {p.id for p in everyone if reconfirmation.is_stale(p.published, p.reconfirmed_at)}
            rows = {p.id: p for p in everyone if p.id not in paused}
            asked, disclosures = crowds.card_disclosures(session, vacancy, rows)
            presented = [
                Presented(candidate_ref=m.candidate_ref, profile_id=m.profile_id if m.profile_id in rows else None,
                          paused=m.profile_id in paused, status=m.status, reason=m.reason,
                          interview_at=as_utc(m.interview_at), version=m.version,
                          pitch=rows[m.profile_id].pitch if m.profile_id in rows else None,
                          pitch_visible=bool(m.profile_id in rows and rows[m.profile_id].pitch_visible))
                for m in matches
            ]
            return employer_cards(asked, presented, disclosures, taxonomy.snapshot(session).preferred, lang)

        def read_measured_here() -> None:
            """The same read (token, access, audit entry) with the cards measured as before, in this process."""
            stored_way = reviews._cards
            reviews._cards = cards_measured_here
            try:
                read_stored()
            finally:
                reviews._cards = stored_way

        # Before: the first read of a process builds the population and the crowd (the taxonomy is loaded
        # apart, as it was on the first shortlist read anyway).
        with session_scope() as session:
            taxonomy.snapshot(session)
        crowds.reset()
        figures["before_first"] = timed(read_measured_here)
        # Now: the keeper and a counsellor publishing, each in a process of its own (a worker, an API
        # process); the keeper's first round builds its crowds like a worker just started.
        folder = Path(os.environ["BLINDMATCH_DATA_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "bodies.json").write_text(json.dumps(list(itertools.islice(bodies, 5000))))
        env = {**os.environ, "DATABASE_URL": url, "BENCH_COUNSELLOR": population.counsellors[0]}
        keeper_log, publisher_log = folder / "keeper.log", folder / "publisher.log"
        with open(keeper_log, "w") as log:
            keeper = subprocess.Popen([sys.executable, __file__, "--keeper"], env=env, stdout=log,
                                      stderr=subprocess.STDOUT, cwd=ROOT)
        publisher = None
        try:
            while not keeper_log.read_text().count("round"):  # its first round done: crowds built
                if keeper.poll() is not None:
                    raise RuntimeError(keeper_log.read_text())
                time.sleep(0.2)
            with open(publisher_log, "w") as log:
                publisher = subprocess.Popen([sys.executable, __file__, "--publisher"], env=env, stdout=log,
                                             stderr=subprocess.STDOUT, cwd=ROOT)
            while not publisher_log.read_text().count("published"):  # its first publish loads the taxonomy
                if publisher.poll() is not None:
                    raise RuntimeError(publisher_log.read_text())
                time.sleep(0.2)
            before = publisher_log.read_text().count("published")
            stored, measured_here = [], []
            for _ in range(reads):  # interleaved: both ways under the same load
                stored.append(timed(read_stored))
                measured_here.append(timed(read_measured_here))
            published = [publisher_log.read_text().count("published") - before]
        finally:
            for process in (publisher, keeper):
                if process is not None:
                    process.terminate()
                    process.wait(timeout=60)
        keeper_rounds = [float(line.split()[1]) for line in keeper_log.read_text().splitlines()
                         if line.startswith("round")]
        figures["keeper_first"] = keeper_rounds[0]
        figures["stored_p50"], figures["stored_p99"] = statistics.median(stored), percentile(stored, 0.99)
        figures["before_p50"] = statistics.median(measured_here)
        figures["before_p99"] = percentile(measured_here, 0.99)
        figures["keeper_round"] = statistics.median(keeper_rounds[1:]) if keeper_rounds[1:] else float("nan")
        figures["published"] = published[0]
        figures["http_first"], _ = first_http_reads(url, f"/v1/vacancies/{vacancy_id}/candidates", employer_token)
    return figures


def keep_cards() -> None:
    """The card keeper's loop, as a worker runs it, printing each round's time (ms)."""
    from matching.services import card_store
    from matching.store.db import session_scope

    while True:
        started = time.perf_counter()
        with session_scope() as session:
            measured = card_store.refresh(session)
        print(f"round {(time.perf_counter() - started) * 1000:.1f} {measured}", flush=True)
        time.sleep(KEEPER_EVERY)


def publish_profiles() -> None:
    """A counsellor publishing a profile every PUBLISH_EVERY seconds, through the service."""
    from matching.schemas.resources import ProfileCreate
    from matching.services.accounts import authenticate
    from matching.services.profiles import create_profile
    from matching.store.db import session_scope

    bodies = json.loads((Path(os.environ["BLINDMATCH_DATA_DIR"]) / "bodies.json").read_text())
    for body in bodies:
        time.sleep(PUBLISH_EVERY)
        with session_scope() as session:
            counsellor = authenticate(session, os.environ["BENCH_COUNSELLOR"])
            create_profile(session, counsellor, payload=ProfileCreate(**body))
        print("published", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--first-read-only", action="store_true",
                        help="only the first HTTP read of new API processes, warmed at start-up and not")
    parser.add_argument("--starts", type=int, default=5, help="API processes started each way (--first-read-only)")
    parser.add_argument("--cold-api", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--keeper", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--publisher", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_api:
        serve_cold(args.cold_api)
        return
    if args.keeper:
        keep_cards()
        return
    if args.publisher:
        publish_profiles()
        return
    os.environ.setdefault("BLINDMATCH_SECRET_KEY", secrets.token_urlsafe(32))
    os.environ.setdefault("BLINDMATCH_DATA_DIR", str(ROOT / "var" / "bench-cards"))
    from benchmarks import synthetic

    world = synthetic.World.load()
    if args.first_read_only:
        print_first_reads([first_reads(int(size), world, args.starts) for size in args.sizes.split(",")], args.starts)
        return
    rows = [measure(int(size), world, args.reads) for size in args.sizes.split(",")]
    print(f"\nEmployer card list (10 cards) on PostgreSQL, {os.cpu_count()} cores, {args.reads} reads each way while "
          f"a profile is published every {PUBLISH_EVERY} s and the card keeper runs every {KEEPER_EVERY} s; ms\n")
    print("profiles | read p50 / p99, measured in the API (before) | read p50 / p99, stored rows (now) | "
          "first read after a start, before | first HTTP read of a new API process, now | keeper round: first "
          "/ median | profiles published meanwhile")
    print("--- | --- | --- | --- | --- | --- | ---")
    for f in rows:
        print(f"{f['size']:,} | {f['before_p50']:.1f} / {f['before_p99']:.1f} | {f['stored_p50']:.1f} / "
              f"{f['stored_p99']:.1f} | {f['before_first']:,.0f} | {f['http_first']:.1f} | "
              f"{f['keeper_first']:,.0f} / {f['keeper_round']:,.0f} | {f['published']}")


def print_first_reads(rows: list[dict], starts: int) -> None:
    print(f"\nFirst employer card list (10 cards) read over HTTP by a new `blindmatch serve --no-worker` process on "
          f"PostgreSQL, {os.cpu_count()} cores, {starts} processes started each way, alternately; rate limits in "
          f"{'Redis' if os.environ.get('REDIS_URL') else 'memory (no REDIS_URL)'}; ms\n")
    print("profiles | first read, no start-up warm-up: median (all) | first read, warmed at start-up: median (all) "
          "| second read, warmed: median")
    print("--- | --- | --- | ---")
    for f in rows:
        cold, warm = [first for first, _ in f["cold"]], [first for first, _ in f["warm"]]
        print(f"{f['size']:,} | {statistics.median(cold):.1f} ({', '.join(f'{t:.0f}' for t in cold)}) | "
              f"{statistics.median(warm):.1f} ({', '.join(f'{t:.0f}' for t in warm)}) | "
              f"{statistics.median(second for _, second in f['warm']):.1f}")


if __name__ == "__main__":
    main()
