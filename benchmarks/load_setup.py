"""The world of benchmarks/load.py: a populated database and the service's processes.

Profiles are bulk-inserted as `matching.services.profiles.create_profile` stores them (the synthetic
generator's ESCO concepts, understood exactly); everything else goes through the services or the API.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx

from benchmarks import synthetic
from matching.ranking.facts import ProfileFacts, VacancyFacts, cefr_label

ROOT = Path(__file__).resolve().parents[1]
ESCO = synthetic.DATA / "esco-v1.1.1"
POSTCODES = synthetic.DATA / "geo" / "be_postcodes.csv"
CHUNK = 5000
EMPLOYERS = 10
COUNSELLING = 4
LIAISONS = 8
# The API's request lines as `blindmatch serve` writes them: JSON on stderr, profile ids redacted.
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "matching.logs.JsonFormatter"}},
    "filters": {"redact": {"()": "matching.privacy.redact.RedactProfileIds"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact"],
                            "stream": "ext://sys.stderr"}},
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {name: {"handlers": [], "propagate": True} for name in ("uvicorn", "uvicorn.error")},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, what: str, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)
    return value


@dataclass
class Population:
    admin: str
    liaisons: list[str]
    counsellors: list[str]
    employers: dict[str, str]  # employer organisation id -> an employer user's token
    vacancy_ids: list[str]
    vacancy_employer: dict[str, str]
    bodies: list[dict] = field(default_factory=list)  # profiles the counsellors publish during the run


def _place_of(world: synthetic.World) -> dict[tuple[float, float], str]:
    return {(lat, lon): postcode for postcode, lat, lon in world.places}


def profile_data(facts: ProfileFacts, postcode: str | None) -> dict:
    """The `data` column as create_profile writes it, for skills given by concept id."""
    return {
        "skills": [{"label": s.label, "concept_id": s.concept_id, "matched_label": s.label, "match": "exact",
                    "confidence": 1.0, "level": s.level, "evidence": s.evidence} for s in facts.skills],
        "languages": [{"code": lang.code, "spoken": cefr_label(lang.spoken), "written": cefr_label(lang.written)}
                      for lang in facts.languages],
        "availability": {"hours_min": facts.hours_min, "hours_max": facts.hours_max,
                         "shifts": sorted(facts.shifts), "start": facts.start.isoformat() if facts.start else None},
        "mobility": {"postcode": postcode, "max_commute_minutes": facts.max_commute_minutes,
                     "transport": sorted(facts.transport), "driving_licences": sorted(facts.driving_licences)},
        "preferences": {"occupations": [], "contract_types": []},
    }


def profile_body(facts: ProfileFacts, postcode: str | None) -> dict:
    """The same profile as a counsellor's POST /v1/profiles body."""
    data = profile_data(facts, postcode)
    return {
        "skills": [{"concept_id": s["concept_id"], "level": s["level"], "evidence": s["evidence"]}
                   for s in data["skills"]],
        "languages": [lang for lang in data["languages"] if lang["spoken"] or lang["written"]],
        "availability": data["availability"], "mobility": data["mobility"], "phase": "job_search",
    }


def vacancy_payload(facts: VacancyFacts, postcode: str, employer_id: str) -> dict:
    return {
        "employer_id": employer_id, "title": f"Synthetic {facts.vacancy_id}",
        "must_have": [{"concept_id": s.concept_id} for s in facts.must_have],
        "nice_to_have": [{"concept_id": s.concept_id} for s in facts.nice_to_have],
        "languages": [{"code": r.code, "spoken": cefr_label(r.spoken)} for r in facts.languages],
        "location": {"postcode": postcode}, "hours_per_week": facts.hours_per_week,
        "shifts": sorted(facts.shifts), "start": facts.start.isoformat() if facts.start else None,
    }


def populate(world: synthetic.World, *, profiles: int, vacancies: int, figures: dict) -> Population:
    """Schema, ESCO, postcodes, organisations and tokens, `profiles` bulk-inserted, `vacancies` created."""
    from sqlmodel import select

    from matching.schemas.resources import OrganisationCreate, UserCreate, VacancyCreate
    from matching.services import accounts
    from matching.services.bootstrap import prepare_database
    from matching.services.vacancies import create_vacancy
    from matching.store.access import Actor
    from matching.store.db import get_engine, session_scope
    from matching.store.esco_import import import_esco
    from matching.store.models import Profile, User, new_id, utcnow
    from matching.store.postcodes import import_postcodes

    started = time.perf_counter()
    prepare_database()
    with session_scope() as session:
        import_esco(session, ESCO)
        import_postcodes(session, POSTCODES)
    figures["setup: schema, ESCO and postcode import s"] = time.perf_counter() - started

    with session_scope() as session:
        _, admin = accounts.create_admin(session)

        def organisation(name: str, kind: str) -> str:
            return accounts.create_organisation(session, payload=OrganisationCreate(name=name, kind=kind)).id

        def user(organisation_id: str, role: str) -> str:
            payload = UserCreate(organisation_id=organisation_id, role=role, display_name=role)
            return accounts.create_user(session, payload=payload)[1]

        liaison_org = organisation("Liaison", "liaison")
        liaisons = [user(liaison_org, "liaison") for _ in range(LIAISONS)]
        counselling = [organisation(f"Counselling {i}", "counselling") for i in range(COUNSELLING)]
        counsellors = [user(org, "counsellor") for org in counselling]
        employers = {}
        for i in range(EMPLOYERS):
            employer = organisation(f"Employer {i}", "employer")
            accounts.link_liaison(session, liaison_id=liaison_org, employer_id=employer, serve=True)
            employers[employer] = user(employer, "employer")
        liaison_user = session.exec(select(User).where(User.organisation_id == liaison_org)).first()

    place = _place_of(world)
    started = time.perf_counter()
    table = Profile.__table__
    with get_engine().begin() as connection:
        for first in range(0, profiles, CHUNK):
            now = utcnow()
            rows = [
                {"id": new_id("prf"), "organisation_id": counselling[i % COUNSELLING], "phase": "job_search",
                 "published": True, "data": profile_data(f, place.get((f.lat, f.lon))), "pitch": None,
                 "pitch_visible": False, "version": 1, "created_at": now, "updated_at": now}
                for i, f in enumerate(synthetic.profiles(world, min(CHUNK, profiles - first), seed=first + 1),
                                      start=first)
            ]
            connection.execute(table.insert(), rows)
    figures["setup: bulk insert of the profiles s"] = time.perf_counter() - started

    started = time.perf_counter()
    owners = list(employers)
    actor = Actor(user_id=liaison_user.id, role="liaison", organisation_id=liaison_org)
    vacancy_ids, vacancy_employer = [], {}
    with session_scope() as session:
        for k, facts in enumerate(synthetic.vacancies(world, vacancies)):
            employer_id = owners[k % len(owners)]
            payload = VacancyCreate(**vacancy_payload(facts, place[(facts.lat, facts.lon)], employer_id))
            vacancy = create_vacancy(session, actor, payload=payload)
            vacancy_ids.append(vacancy.id)
            vacancy_employer[vacancy.id] = employer_id
    figures["setup: vacancies through the service s"] = time.perf_counter() - started
    bodies = [profile_body(f, place.get((f.lat, f.lon))) for f in synthetic.profiles(world, 3000, seed=10**6)]
    return Population(admin, liaisons, counsellors, employers, vacancy_ids, vacancy_employer, bodies)


@contextmanager
def private_redis(folder: Path):
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)

    def answers() -> bool:
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False

    wait_for(answers, timeout=10, what="redis-server")
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def api_server(env: dict, port: int, folder: Path, *, workers: int):
    """uvicorn with `workers` processes; yields an httpx client on it."""
    config = folder / "log-config.json"
    config.write_text(json.dumps(LOG_CONFIG))
    command = [sys.executable, "-m", "uvicorn", "api.app:app", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers), "--log-config", str(config), "--no-access-log",
               # A vacancy's first card read holds an API process for seconds (its crowd of 100k profiles is
               # built): with the default 5 s health check uvicorn could kill such a process as hung.
               "--timeout-worker-healthcheck", "60"]
    with open(folder / "api.log", "ab") as log:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as http:
            def healthy() -> bool:
                try:
                    return http.get("/healthz").status_code == 200
                except httpx.HTTPError:
                    return False

            wait_for(healthy, timeout=60, what="the API")
            yield http
    finally:
        _stop(process)


@contextmanager
def worker(env: dict, folder: Path, *, concurrency: int, figures: dict, label: str):
    """A `celery worker` process; records its start to ready, and its index build once the first shortlist ran."""
    from blindmatch.cli import worker_command

    log_path = folder / f"worker-{label}.log"
    started = time.perf_counter()
    with open(log_path, "ab") as log:
        process = subprocess.Popen(worker_command(concurrency=concurrency), env=env, cwd=ROOT, stdout=log,
                                   stderr=subprocess.STDOUT)
    try:
        # A worker is ready once warm (taxonomy and index loaded): minutes at 100k on a loaded machine.
        wait_for(lambda: b" ready." in log_path.read_bytes(), timeout=900, what="the worker")
        figures[f"{label}: worker process start to ready s"] = time.perf_counter() - started
        yield process
        for line in log_path.read_text().splitlines():
            if "profile index built" in line:
                figures[f"{label}: profile index build s"] = float(json.loads(line)["message"].split()[-2])
    finally:
        _stop(process)


def shortlists_ready(http: httpx.Client, population: Population, vacancy_ids: list[str]) -> list[str]:
    """One shortlist of 10 per vacancy (one batch request), once all are ready."""
    headers = {"Authorization": f"Bearer {population.liaisons[0]}"}
    response = http.post("/v1/shortlists/batch", json={"vacancy_ids": vacancy_ids, "size": 10}, headers=headers)
    assert response.status_code == 202, response.text
    ids = [item["id"] for item in response.json()]
    def ready(shortlist_id: str) -> bool:
        body = http.get(f"/v1/shortlists/{shortlist_id}", headers=headers).json()
        assert body["status"] != "failed", body
        return body["status"] == "ready"

    for shortlist_id in ids:
        wait_for(lambda: ready(shortlist_id), timeout=600, what="a shortlist")  # noqa: B023 (called at once)
    return ids


def present(http: httpx.Client, population: Population, shortlist_ids: list[str]) -> dict[str, list[str]]:
    """The top 3 of each shortlist presented; employer token -> its vacancies with cards."""
    headers = {"Authorization": f"Bearer {population.liaisons[0]}"}
    carded: dict[str, list[str]] = {}
    for shortlist_id in shortlist_ids:
        body = http.get(f"/v1/shortlists/{shortlist_id}", headers=headers).json()
        chosen = [item["profile_id"] for item in body["items"][:3]]
        if not chosen:
            continue
        response = http.post(f"/v1/shortlists/{shortlist_id}/present", json={"profile_ids": chosen}, headers=headers)
        assert response.status_code == 200, response.text
        token = population.employers[population.vacancy_employer[body["vacancy_id"]]]
        carded.setdefault(token, []).append(body["vacancy_id"])
    return carded


def warm_publishing(port: int, population: Population, *, connections: int = 8, rounds: int = 10) -> None:
    """Publish from several fresh connections at once until every API process answers quickly."""
    from concurrent.futures import ThreadPoolExecutor

    bodies = iter(population.bodies[-connections * rounds:])
    population.bodies = population.bodies[:-connections * rounds]

    def publish(body: dict) -> float:
        token = population.counsellors[0]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=300) as client:
            started = time.perf_counter()
            response = client.post("/v1/profiles", json=body, headers={"Authorization": f"Bearer {token}"})
            assert response.status_code == 201, response.text
            return time.perf_counter() - started

    with ThreadPoolExecutor(connections) as pool:
        for _ in range(rounds):
            if max(pool.map(publish, [next(bodies) for _ in range(connections)])) < 1.0:
                return


def warm(port: int, token: str, paths: list[str], *, connections: int = 2, rounds: int = 10) -> None:
    """Read each path from a few fresh connections at once (one per API process, likely) until all answer fast."""
    from concurrent.futures import ThreadPoolExecutor

    def read(path: str) -> float:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=600) as client:
            started = time.perf_counter()
            client.get(path, headers={"Authorization": f"Bearer {token}"}).raise_for_status()
            return time.perf_counter() - started

    with ThreadPoolExecutor(connections) as pool:
        for path in paths:
            for _ in range(rounds):
                if max(pool.map(read, [path] * connections)) < 1.0:
                    break


def wait_idle(timeout: float = 900) -> None:
    """Until no shortlist is queued or running and every requested profile scoring is done."""
    from sqlmodel import col, func, select

    from matching.store.db import session_scope
    from matching.store.models import ProfileFitRun, Shortlist

    def idle() -> bool:
        with session_scope(read_only=True) as session:
            busy = session.exec(select(func.count()).select_from(Shortlist).where(
                col(Shortlist.status).in_(["queued", "running"]))).one()
            busy += session.exec(select(func.count()).select_from(ProfileFitRun).where(
                col(ProfileFitRun.computed_version).is_distinct_from(ProfileFitRun.requested_version))).one()
        return busy == 0

    wait_for(idle, timeout=timeout, what="the worker to finish its queue", every=0.5)


def server_side_ready_ms(since: float) -> list[float]:
    """created_at to finished_at of the shortlists made ready since `since` (epoch seconds)."""
    from sqlmodel import col, select

    from matching.store.db import session_scope
    from matching.store.models import Shortlist

    after = datetime.fromtimestamp(since).astimezone()
    with session_scope(read_only=True) as session:
        rows = session.exec(select(Shortlist).where(col(Shortlist.created_at) >= after,
                                                    Shortlist.status == "ready")).all()
    return [(row.finished_at - row.created_at).total_seconds() * 1000 for row in rows]

