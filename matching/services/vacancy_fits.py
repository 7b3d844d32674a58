"""The vacancy's side of the opportunities: a vacancy posted, changed or closed is scored by a worker against
every published profile, and the fits of the profiles concerned follow within seconds, without their change.

A vacancy write records a request (`vacancy_fit_run`) and a `vacancy.match` task message in the same
transaction (repeated changes within a minute ride on the message still to run). The worker scores the
vacancy with the shortlists' own index and scoring (`current_index(...).eligible`: the profiles a
shortlist could hold, at the score it would give them), then replaces the vacancy's fits if the vacancy
is still at the version it scored; a closed vacancy leaves every profile's fits.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from matching.services import taxonomy
from matching.services.facts import coordinates, vacancy_facts
from matching.services.opportunities import record_request
from matching.services.profile_index import current_index
from matching.store import outbox, reconfirmation
from matching.store.models import Profile, ProfileFit, Vacancy, VacancyFitRun, utcnow

VACANCY_TASK = "vacancy.match"
CHUNK = 1000  # ids per IN (...) list: SQLite bounds the number of parameters


def request_matching(session: Session, vacancy: Vacancy) -> None:
    """Ask a worker to score this vacancy (at its current version) against the published profiles."""
    run = session.exec(select(VacancyFitRun).where(VacancyFitRun.vacancy_id == vacancy.id)).first()
    fresh = run is None
    if run is None:
        run = VacancyFitRun(vacancy_id=vacancy.id, requested_version=vacancy.version)
    record_request(session, run, fresh=fresh, version=vacancy.version, task=VACANCY_TASK)


@dataclass(frozen=True)
class Computed:
    run_id: str
    vacancy_id: str
    version: int
    is_open: bool
    scores: dict[str, float] = field(default_factory=dict)  # profile id -> score, eligible profiles only


def compute(session: Session, run_id: str) -> Computed | None:
    """Score the run's vacancy against every published profile (read only); None when nothing is to do."""
    run = session.get(VacancyFitRun, run_id)
    vacancy = session.get(Vacancy, run.vacancy_id) if run is not None else None
    if run is None or vacancy is None or run.computed_version == vacancy.version:
        return None
    if vacancy.status != "open":
        return Computed(run.id, vacancy.id, vacancy.version, is_open=False)
    facts = vacancy_facts(vacancy, coordinates(session))
    scores = current_index(session).eligible(facts, **taxonomy.scoring_options(session))
    return Computed(run.id, vacancy.id, vacancy.version, is_open=True, scores=scores)


def store(session: Session, computed: Computed) -> bool:
    """Replace the vacancy's fits, unless it changed since they were computed (then it asks again)."""
    vacancy = session.get(Vacancy, computed.vacancy_id, with_for_update=True, populate_existing=True)
    run = session.get(VacancyFitRun, computed.run_id, with_for_update=True, populate_existing=True)
    if vacancy is None or run is None:
        return False
    if vacancy.version != computed.version:  # the change's own message may have ridden on this one
        run.requested_at = utcnow()
        session.add(run)
        outbox.enqueue(session, task=VACANCY_TASK, args=[run.id])
        return False
    # Lock the profiles concerned (shared): an erasure, or a profile's own task storing, waits for this write
    # or went before it; profiles no longer matchable (unpublished, stale, erased) get no fit.
    had = session.exec(select(ProfileFit.profile_id).where(ProfileFit.vacancy_id == vacancy.id)).all()
    concerned = sorted(set(had) | computed.scores.keys())
    kept = set(_lock_matchable(session, concerned))
    session.execute(delete(ProfileFit).where(col(ProfileFit.vacancy_id) == vacancy.id))
    now = utcnow()
    rows = [
        {"profile_id": profile_id, "vacancy_id": vacancy.id, "vacancy_version": vacancy.version,
         "score": score, "computed_at": now}
        for profile_id, score in sorted(computed.scores.items())
        if profile_id in kept
    ] if computed.is_open else []
    for part in _chunks(rows):
        session.execute(insert(ProfileFit), part)
    run.computed_version = computed.version
    run.computed_at = now
    run.profiles_fitting = len(rows)
    session.add(run)
    session.flush()
    return True


def _lock_matchable(session: Session, profile_ids: list[str]) -> Iterator[str]:
    for part in _chunks(profile_ids):
        query = select(Profile.id).where(col(Profile.id).in_(part), reconfirmation.matchable())
        yield from session.exec(query.order_by(Profile.id).with_for_update(read=True))


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
