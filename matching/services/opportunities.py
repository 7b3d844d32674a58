"""Opportunities: each new or changed profile is scored against every open vacancy by a worker, and its
counsellor reads where it fits (vacancy title and sector, never the employer).

A profile write records a request (`profile_fit_run`) and a `profile.match` task message in the same
transaction; the worker computes without holding any lock, then replaces the profile's fits only if the
profile is still at the version it computed (a later write has sent a task of its own).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from matching import outbox, reconfirmation
from matching.access import Actor, visible_profile
from matching.facts import VacancyFacts
from matching.models import Profile, ProfileFit, ProfileFitRun, Vacancy, as_utc, utcnow
from matching.opportunities import Fit, best_fits
from matching.schemas import FitOut, ProfileOpportunities
from matching.services import taxonomy
from matching.services.facts import coordinates, coordinates_key, profile_facts, vacancy_facts

MATCH_TASK = "profile.match"
KEPT = 50  # fits stored per profile; a counsellor reads the best few


def request_matching(session: Session, profile: Profile) -> None:
    """Ask a worker to score this profile (at its current version) against the open vacancies."""
    run = session.exec(select(ProfileFitRun).where(ProfileFitRun.profile_id == profile.id)).first()
    if run is None:
        run = ProfileFitRun(profile_id=profile.id, requested_version=profile.version)
    run.requested_version = profile.version
    session.add(run)
    session.flush()
    outbox.enqueue(session, task=MATCH_TASK, args=[run.id])


@dataclass(frozen=True)
class Computed:
    profile_id: str
    version: int
    vacancies_scored: int
    fits: list[Fit]


def compute(session: Session, run_id: str) -> Computed | None:
    """Score the run's profile against every open vacancy (read only); None when the profile is gone."""
    run = session.get(ProfileFitRun, run_id)
    profile = session.get(Profile, run.profile_id) if run is not None else None
    if profile is None:
        return None
    if not reconfirmation.is_matchable(profile.published, profile.reconfirmed_at):  # proposed to nobody
        return Computed(profile.id, profile.version, 0, [])
    vacancies = _open_vacancies(session)
    fits = best_fits(
        profile_facts(profile, coordinates(session)), vacancies, limit=KEPT, **taxonomy.scoring_options(session)
    )
    return Computed(profile.id, profile.version, len(vacancies), fits)


def store(session: Session, computed: Computed) -> bool:
    """Replace the profile's fits, unless it changed or went since they were computed."""
    # The lock orders this write with an erasure: either the erasure waits and removes these rows, or
    # the profile is already gone here and nothing is written.
    profile = session.get(Profile, computed.profile_id, with_for_update=True, populate_existing=True)
    if profile is None or profile.version != computed.version:
        return False
    run = session.exec(select(ProfileFitRun).where(ProfileFitRun.profile_id == profile.id)).first()
    if run is None:
        return False
    now = utcnow()
    session.execute(delete(ProfileFit).where(col(ProfileFit.profile_id) == profile.id))
    session.add_all(
        ProfileFit(profile_id=profile.id, vacancy_id=fit.vacancy_id, score=fit.score, computed_at=now)
        for fit in computed.fits
    )
    run.computed_version = computed.version
    run.vacancies_scored = computed.vacancies_scored
    run.computed_at = now
    session.add(run)
    session.flush()
    return True


def opportunities(session: Session, actor: Actor, profile_id: str, *, limit: int = 20) -> ProfileOpportunities:
    """The profile's best fits among the vacancies still open, and whether they reflect its last change."""
    profile = visible_profile(session, actor, profile_id)
    run = session.exec(select(ProfileFitRun).where(ProfileFitRun.profile_id == profile.id)).first()
    computed = run is not None and run.computed_version == profile.version
    matchable = reconfirmation.is_matchable(profile.published, profile.reconfirmed_at)
    status = ("unpublished" if not profile.published else "needs_reconfirmation" if not matchable
              else "ready" if computed else "pending")
    rows = session.exec(
        select(ProfileFit, Vacancy)
        .join(Vacancy, col(Vacancy.id) == ProfileFit.vacancy_id)
        .where(ProfileFit.profile_id == profile.id, Vacancy.status == "open")
        .order_by(col(ProfileFit.score).desc(), ProfileFit.vacancy_id)
        .limit(limit)
    ).all()
    return ProfileOpportunities(
        profile_id=profile.id,
        status=status,
        computed_at=as_utc(run.computed_at) if run is not None else None,
        vacancies_scored=run.vacancies_scored if run is not None else 0,
        items=[
            FitOut(rank=rank, vacancy_id=v.id, vacancy_title=v.title, sector=v.sector, score=fit.score)
            for rank, (fit, v) in enumerate(rows, start=1)
        ]
        if matchable
        else [],
    )


class _OpenVacancies:
    """The open vacancies' facts, kept per process until a vacancy or postcode is written.

    Every vacancy write adds a row or raises a version, so (rows, sum of versions) changes with each.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[str, int, int, int] | None = None
        self._facts: list[VacancyFacts] = []

    def get(self, session: Session) -> list[VacancyFacts]:
        totals = select(func.count(), func.coalesce(func.sum(Vacancy.version), 0)).select_from(Vacancy)
        rows, versions = session.exec(totals).one()
        postcodes = coordinates_key(session)
        key = (str(session.get_bind().url), rows, versions, postcodes)  # a process may switch databases (tests)
        with self._lock:
            if key != self._key:
                coords = coordinates(session)
                query = select(Vacancy).where(Vacancy.status == "open").order_by(Vacancy.id)
                self._facts = [vacancy_facts(v, coords) for v in session.exec(query)]
                self._key = key
            return self._facts


_open = _OpenVacancies()


def _open_vacancies(session: Session) -> list[VacancyFacts]:
    return _open.get(session)
