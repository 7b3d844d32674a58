"""Server time of every page for people at 10k profiles, and the weight of the heaviest page with its assets.

A SQLite file (the embedded default) holds one programme: a counselling service whose counsellor owns
--profiles profiles (bulk-inserted as the profile service stores them, each with a trajectory event),
a liaison serving an employer, --vacancies vacancies, a ready shortlist over every profile with five
candidates presented and one decided. Each page is then asked --reads times through the whole app
in-process (middleware, session cookie, CSRF cookie, template), as the signed-in person it is for;
the time is the app's own, without a network. The peer in the same run is the API endpoint the page
stands on, asked the same way with a bearer token: what the page adds is the difference.

Page weight: the HTML plus every asset it loads (stylesheet, htmx), uncompressed, as a first visit fetches.

    python benchmarks/pages.py [--profiles 10000] [--vacancies 20] [--reads 40]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.shortlist_reads import PROFILE, VACANCY  # noqa: E402


def build(profiles: int, vacancies: int) -> dict:
    """The programme, the people's session tokens and bearer tokens, and the ids the pages name."""
    from sqlmodel import select

    from matching.schemas.resources import (
        DecisionIn,
        OrganisationCreate,
        ProfileCreate,
        ShortlistRequest,
        UserCreate,
        VacancyCreate,
    )
    from matching.services import accounts, reviews, shortlist_runs, shortlists, signin
    from matching.services.bootstrap import prepare_database
    from matching.services.profiles import create_profile
    from matching.services.vacancies import create_vacancy
    from matching.store.db import get_engine, session_scope
    from matching.store.models import Profile, TrajectoryEvent, User, new_id, utcnow

    prepare_database()
    people, tokens = {}, {}
    with session_scope() as session:
        kinds = ("counselling", "liaison", "employer")
        orgs = {k: accounts.create_organisation(session, payload=OrganisationCreate(name=k, kind=k)) for k in kinds}
        accounts.link_liaison(session, liaison_id=orgs["liaison"].id, employer_id=orgs["employer"].id, serve=True)
        admin, tokens["admin"] = accounts.create_admin(session, display_name="admin")
        people["admin"] = signin.redeem_link(session, signin.issue_link(session, user=admin), username="admin",
                                             password="benchmark password", repeated="benchmark password")
        for role, kind in (("counsellor", "counselling"), ("liaison", "liaison"), ("employer", "employer")):
            payload = UserCreate(organisation_id=orgs[kind].id, role=role, display_name=role)
            user, tokens[role], link = signin.create_user(session, payload=payload, actor=None)
            people[role] = signin.redeem_link(session, link, username=role, password="benchmark password",
                                              repeated="benchmark password")
    with session_scope() as session:
        counsellor = accounts.authenticate(session, tokens["counsellor"])
        model = create_profile(session, counsellor, payload=ProfileCreate(**PROFILE))
        data, organisation_id, profile_id = model.data, model.organisation_id, model.id
    rows, events = [], []
    for _ in range(profiles - 1):
        now, pid = utcnow(), new_id("prf")
        rows.append({"id": pid, "organisation_id": organisation_id, "phase": "job_search", "published": True,
                     "data": data, "pitch": None, "pitch_visible": False, "version": 1, "created_at": now,
                     "updated_at": now, "reconfirmed_at": now, "change_key": secrets.token_hex(16)})
        events.append({"id": new_id("ev"), "profile_id": pid, "kind": "phase_changed", "phase": "job_search",
                       "note": "profile published", "at": now, "created_at": now})
    with get_engine().begin() as connection:
        connection.execute(Profile.__table__.insert(), rows)
        connection.execute(TrajectoryEvent.__table__.insert(), events)
    with session_scope() as session:
        employer = accounts.authenticate(session, tokens["employer"])
        vacancy_ids = [create_vacancy(session, employer, payload=VacancyCreate(**VACANCY)).id
                       for _ in range(vacancies)]
        liaison = accounts.authenticate(session, tokens["liaison"])
        shortlist_id = shortlists.request_shortlist(session, liaison, vacancy_ids[0],
                                                    payload=ShortlistRequest(size=10)).id
    with session_scope() as session:
        shortlist_runs.start(session, shortlist_id, task_id="bench", max_attempts=1, stale_after=600)
    with session_scope() as session:
        shortlists.compute(session, shortlist_id)
    with session_scope() as session:
        liaison = accounts.authenticate(session, tokens["liaison"])
        items = shortlists.to_public(session, shortlists.visible_shortlist(session, liaison, shortlist_id)).items
        shortlists.present(session, liaison, shortlist_id, profile_ids=[i.profile_id for i in items[:5]],
                           secret=os.environ["BLINDMATCH_SECRET_KEY"])
        employer = accounts.authenticate(session, tokens["employer"])
        card = reviews.list_candidates(session, employer, vacancy_ids[0])[0]
        reviews.decide(session, employer, vacancy_ids[0], card.candidate_ref,
                       payload=DecisionIn(decision="interview", interview_at="2027-01-12T10:00:00+01:00"))
        user_id = session.exec(select(User).where(User.role == "employer")).first().id
    return {"people": people, "tokens": tokens, "profile_id": profile_id, "vacancy_id": vacancy_ids[0],
            "shortlist_id": shortlist_id, "user_id": user_id}


def pages(world: dict) -> list[tuple[str, str, str, str | None]]:
    """(role, page, its path, the API endpoint it stands on)."""
    p, v, s = world["profile_id"], world["vacancy_id"], world["shortlist_id"]
    return [
        ("counsellor", "profiles list", "/profiles", "/v1/profiles?limit=50"),
        ("counsellor", "profile page", f"/profiles/{p}", f"/v1/profiles/{p}/trajectory"),
        ("counsellor", "profile gaps (htmx)", f"/profiles/{p}/gaps", f"/v1/profiles/{p}/gaps?limit=5"),
        ("counsellor", "profile form", "/profiles/new", None),
        ("counsellor", "skill autocomplete", "/labels/understand?slot=skill_label_0&skill_label_0=nettoyage",
         "/v1/taxonomy/search?q=nettoyage"),
        ("counsellor", "postcode check", "/postcodes/check?postcode=1070", None),
        ("liaison", "employers", "/employers", None),
        ("liaison", "decisions", "/decisions", None),
        ("liaison", "vacancies", "/vacancies", "/v1/vacancies?limit=50"),
        ("liaison", "vacancy form", "/vacancies/new", None),
        ("liaison", "vacancy (liaison)", f"/vacancies/{v}", f"/v1/vacancies/{v}/candidates"),
        ("liaison", "shortlist (ready)", f"/shortlists/{s}", f"/v1/shortlists/{s}"),
        ("employer", "vacancy (cards)", f"/vacancies/{v}", f"/v1/vacancies/{v}/candidates"),
        ("admin", "organisations", "/admin", "/v1/organisations"),
        ("admin", "users", "/admin/users", None),
        ("admin", "links", "/admin/links", None),
        ("admin", "audit", "/admin/audit", "/v1/audit/verify"),
    ]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def timed(client, path: str, reads: int, **kwargs) -> tuple[list[float], bytes]:
    response = client.get(path, **kwargs)  # the first one warms caches
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    times = []
    for _ in range(reads):
        started = time.perf_counter()
        response = client.get(path, **kwargs)
        times.append((time.perf_counter() - started) * 1000)
    return times, response.content


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--vacancies", type=int, default=20)
    parser.add_argument("--reads", type=int, default=40)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    os.environ.setdefault("BLINDMATCH_SECRET_KEY", secrets.token_urlsafe(32))
    os.environ["BLINDMATCH_DATA_DIR"] = str(folder)
    os.environ["BLINDMATCH_CARD_VIEW_QUOTA"] = "1000000/day"
    os.environ["BLINDMATCH_RATE_LIMIT"] = "1000000/minute"
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'pages.db'}"
    os.environ.pop("REDIS_URL", None)
    started = time.perf_counter()
    world = build(args.profiles, args.vacancies)
    print(f"built {args.profiles} profiles, {args.vacancies} vacancies, a ready shortlist in "
          f"{time.perf_counter() - started:.0f} s (SQLite, in-process, {args.reads} reads per page)\n")

    from fastapi.testclient import TestClient

    from api.app import app

    browsers = {}
    for role, token in world["people"].items():
        browsers[role] = TestClient(app)
        browsers[role].cookies.set("bm_session", token)
    assets = {}
    rows, heaviest = [], ("", 0)
    for role, name, path, api_path in pages(world):
        times, html = timed(browsers[role], path, args.reads)
        api = ""
        if api_path:
            api_times, _ = timed(browsers[role], api_path, args.reads,
                                 headers={"Authorization": f"Bearer {world['tokens'][role]}"})
            api = f"{p95(api_times):.1f}"
        loaded = re.findall(rb'(?:src|href)="(/static/[^"]+)"', html)
        for asset in loaded:
            assets.setdefault(asset, len(browsers[role].get(asset.decode()).content))
        weight = len(html) + sum(assets[a] for a in set(loaded))
        heaviest = max(heaviest, (name, weight), key=lambda x: x[1])
        rows.append((role, name, statistics.median(times), p95(times), api, len(html), weight))
    print("| role | page | median ms | p95 ms | API p95 ms | HTML KB | with assets KB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for role, name, median, high, api, size, weight in rows:
        print(f"| {role} | {name} | {median:.1f} | {high:.1f} | {api or '-'} | {size / 1024:.1f} | "
              f"{weight / 1024:.1f} |")
    print(f"\nslowest page p95: {max(r[3] for r in rows):.1f} ms (goal <= 100 ms); heaviest page with assets: "
          f"{heaviest[0]}, {heaviest[1] / 1024:.1f} KB (goal <= 200 KB)")


if __name__ == "__main__":
    main()
