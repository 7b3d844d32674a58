"""A ready shortlist read through its fast path, against the same read through the ORM path.

`GET /v1/shortlists/{id}` is the request liaisons poll: its handler opens a read-only session,
authenticates the token, checks access with one prepared query and serves the JSON it rendered once
(matching/services/shortlists.py, `shortlist_json`). The peer in the same run is the ORM way with
the same access rule: session, token, `visible_shortlist` and `to_public`, rendered each time.

Per backend (a SQLite file, a fresh PostgreSQL database), in this process, no HTTP: a programme built
through the service layer (seed taxonomy), 30 published profiles, a ready shortlist of 10 items; then
--reads reads of each kind, timed one by one (medians and 90th percentiles, wall-clock and CPU).

    python benchmarks/shortlist_reads.py [--reads 2000] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROFILE = {
    "skills": [{"label": "nettoyage de bureaux", "level": "advanced", "evidence": "observed"}],
    "languages": [{"code": "fr", "spoken": "B2", "written": "A2"}, {"code": "nl", "spoken": "A2", "written": "A1"}],
    "availability": {"hours_min": 19, "hours_max": 38, "shifts": ["early_morning"], "start": "2026-12-01"},
    "mobility": {"postcode": "1070", "max_commute_minutes": 45, "transport": ["public_transport"]},
    "phase": "job_search",
}
VACANCY = {
    "title": "Schoonmaker kantoren",
    "occupation": "schoonmaker kantoren",
    "must_have": [{"label": "kantoren schoonmaken", "level": "basic"}],
    "languages": [{"code": "nl", "spoken": "A2"}],
    "location": {"postcode": "1000"},
    "hours_per_week": 30,
    "shifts": ["early_morning"],
    "contract_type": "permanent",
    "start": "2027-01-04",
}


def build() -> tuple[str, str]:
    """A programme with a ready shortlist; the liaison's token and the shortlist id."""
    from matching.schemas.resources import (
        OrganisationCreate,
        ProfileCreate,
        ShortlistRequest,
        UserCreate,
        VacancyCreate,
    )
    from matching.services import accounts, shortlist_runs, shortlists
    from matching.services.bootstrap import prepare_database
    from matching.services.profiles import create_profile
    from matching.services.vacancies import create_vacancy
    from matching.store.db import session_scope

    prepare_database()
    with session_scope() as session:
        kinds = ("counselling", "liaison", "employer")
        orgs = {k: accounts.create_organisation(session, payload=OrganisationCreate(name=k, kind=k)) for k in kinds}
        accounts.link_liaison(session, liaison_id=orgs["liaison"].id, employer_id=orgs["employer"].id, serve=True)
        tokens = {
            role: accounts.create_user(
                session, payload=UserCreate(organisation_id=orgs[kind].id, role=role, display_name=role)
            )[1]
            for role, kind in (("counsellor", "counselling"), ("liaison", "liaison"), ("employer", "employer"))
        }
    with session_scope() as session:
        counsellor = accounts.authenticate(session, tokens["counsellor"])
        for _ in range(30):
            create_profile(session, counsellor, payload=ProfileCreate(**PROFILE))
        employer = accounts.authenticate(session, tokens["employer"])
        vacancy = create_vacancy(session, employer, payload=VacancyCreate(**VACANCY))
        liaison = accounts.authenticate(session, tokens["liaison"])
        shortlist_id = shortlists.request_shortlist(session, liaison, vacancy.id, payload=ShortlistRequest()).id
    with session_scope() as session:
        shortlist_runs.start(session, shortlist_id, task_id="bench", max_attempts=1, stale_after=600)
    with session_scope() as session:
        shortlists.compute(session, shortlist_id)
    return tokens["liaison"], shortlist_id


def timings(action, reads: int) -> dict[str, float]:
    action()  # the first read renders and caches
    wall, cpu = [], []
    for _ in range(reads):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    deciles = statistics.quantiles(wall, n=10)
    return {"median": statistics.median(wall), "p90": deciles[-1], "cpu": statistics.mean(cpu)}


def measure(url: str, reads: int) -> dict[str, dict[str, float]]:
    from api.routers.shortlists import _read_shortlist
    from matching.services import shortlists
    from matching.services.accounts import authenticate
    from matching.settings import get_settings
    from matching.store.db import get_engine, session_scope

    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    get_engine.cache_clear()
    token, shortlist_id = build()

    def fast() -> None:
        assert b'"ready"' in _read_shortlist(token, shortlist_id, "en")

    def orm() -> None:
        with session_scope(read_only=True) as session:
            shortlist = shortlists.visible_shortlist(session, authenticate(session, token), shortlist_id)
            assert b'"ready"' in shortlists.to_public(session, shortlist, lang="en").model_dump_json().encode()

    figures = {"fast path": timings(fast, reads), "ORM path": timings(orm, reads)}
    get_engine().dispose()
    get_engine.cache_clear()
    return figures


def postgres_url():
    from benchmarks.load import fresh_database

    return fresh_database(keep=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=2000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-shortlist-reads-"))
    os.environ.setdefault("BLINDMATCH_SECRET_KEY", secrets.token_urlsafe(32))
    os.environ["BLINDMATCH_DATA_DIR"] = str(folder)
    rows = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            rows.append((backend, measure(f"sqlite:///{folder / 'reads.db'}", args.reads)))
            continue
        with postgres_url() as url:
            rows.append((backend, measure(url, args.reads)))
    print(f"\nA ready 10-item shortlist read through the service, {args.reads} reads each, "
          f"{os.cpu_count()} cores; ms\n")
    print("backend | path | median | p90 | CPU mean")
    print("--- | --- | --- | --- | ---")
    for backend, figures in rows:
        for path, f in figures.items():
            print(f"{backend} | {path} | {f['median']:.3f} | {f['p90']:.3f} | {f['cpu']:.3f}")


if __name__ == "__main__":
    main()
