"""Employer card reads at 10k and 100k published profiles: a crowd kept up to date against one rebuilt.

Every card is generalised until k profiles that could have been presented share what it shows
(matching/privacy/disclosure.py), so a card read needs every published profile's traits for the
vacancy. Each API process keeps them (matching/services/crowds.py) and, after a publish, recodes only
the profiles the change log names.
The peer in the same run is the from-scratch way: the same read after the same publish, with the
process's crowds forgotten, so the population and the vacancy's crowd are read and built again (what
each card read after any publish did before).

Per size, on a fresh PostgreSQL database (ESCO, the postcode table, `size` synthetic profiles bulk
inserted as the service stores them), in this process through the service layer (no HTTP: the API
adds the same few milliseconds to both): a shortlist of the first vacancy computed and its top 10
presented, then the employer's card list read

- cold (the process's first read: population and crowd built),
- again with nothing changed,
- after each of 20 publishes by a counsellor, kept up to date, and
- after each of 20 more publishes, rebuilt from scratch.

    python benchmarks/cards.py [--sizes 10000,100000]
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ROUNDS = 20


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure(size: int, world) -> dict:
    from benchmarks.load import fresh_database
    from benchmarks.load_setup import populate
    from matching.db import get_engine, session_scope
    from matching.schemas import ProfileCreate, ShortlistRequest
    from matching.services import crowds, profile_index, reviews, shortlist_runs, shortlists
    from matching.services.accounts import authenticate
    from matching.services.profiles import create_profile
    from matching.settings import get_settings

    figures: dict = {"size": size}
    with fresh_database(keep=False) as url:
        os.environ["DATABASE_URL"] = url
        get_settings.cache_clear()
        get_engine.cache_clear()
        profile_index.reset()  # the index of the previous size's database
        population = populate(world, profiles=size, vacancies=3, figures={})
        vacancy_id = population.vacancy_ids[0]
        employer_token = population.employers[population.vacancy_employer[vacancy_id]]
        with session_scope() as session:
            liaison = authenticate(session, population.liaisons[0])
            shortlist = shortlists.request_shortlist(session, liaison, vacancy_id, payload=ShortlistRequest(size=10))
            shortlist_id = shortlist.id
        with session_scope() as session:
            shortlist_runs.start(session, shortlist_id, task_id="bench", max_attempts=1, stale_after=600)
        with session_scope() as session:
            shortlists.compute(session, shortlist_id)
        with session_scope() as session:
            chosen = [i.profile_id for i in shortlists.to_public(session, shortlists.visible_shortlist(
                session, liaison, shortlist_id)).items]
            assert chosen, "the shortlist is empty"
            shortlists.present(session, liaison, shortlist_id, profile_ids=chosen,
                               secret=get_settings().secret_key)
        bodies = iter(population.bodies)

        def read() -> None:
            with session_scope() as session:
                cards = reviews.list_candidates(session, authenticate(session, employer_token), vacancy_id)
                assert len(cards) == len(chosen) and all(c.privacy.met for c in cards), cards

        def publish() -> None:
            with session_scope() as session:
                counsellor = authenticate(session, population.counsellors[0])
                create_profile(session, counsellor, payload=ProfileCreate(**next(bodies)))

        crowds.reset()
        figures["cold"] = timed(read)
        figures["unchanged"] = statistics.median(timed(read) for _ in range(ROUNDS))
        kept = []
        for _ in range(ROUNDS):
            publish()
            kept.append(timed(read))
        rebuilt = []
        for _ in range(ROUNDS):
            publish()
            crowds.reset()
            rebuilt.append(timed(read))
        figures["kept"], figures["rebuilt"] = statistics.median(kept), statistics.median(rebuilt)
        figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        crowds.reset()
        get_engine().dispose()
        get_engine.cache_clear()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    os.environ.setdefault("BLINDMATCH_SECRET_KEY", secrets.token_urlsafe(32))
    os.environ.setdefault("BLINDMATCH_DATA_DIR", str(ROOT / "var" / "bench-cards"))
    from benchmarks import synthetic

    world = synthetic.World.load()
    rows = [measure(int(size), world) for size in args.sizes.split(",")]
    print(f"\nEmployer card list (10 cards) read through the service, {os.cpu_count()} cores, PostgreSQL; "
          f"medians of {ROUNDS} reads, ms\n")
    print("profiles | cold (built) | unchanged | after a publish, kept | after a publish, rebuilt | speed-up "
          "| peak RSS MB")
    print("--- | --- | --- | --- | --- | --- | ---")
    for f in rows:
        print(f"{f['size']:,} | {f['cold']:,.0f} | {f['unchanged']:.1f} | {f['kept']:.1f} | {f['rebuilt']:,.0f} | "
              f"{f['rebuilt'] / f['kept']:,.0f}x | {f['rss_mb']:,.0f}")


if __name__ == "__main__":
    main()
