"""Opportunities: each new or changed profile is scored against every open vacancy by a worker, and its
counsellor reads where it fits (vacancy title and sector, never the employer).

A profile write records a request (`profile_fit_run`) and a `profile.match` task message in the same
transaction (a write while that message is still to run rides on it). The worker computes the fits and
the gaps without holding any lock, then stores them only if the profile is still at the version it
computed (else it sends the task again). A vacancy's own task (matching/services/vacancy_fits.py) keeps
the same fits from the vacancy's side; each fit row carries the vacancy version it scored, so neither
side overwrites a newer fit with an older one.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from matching.ranking.facts import VacancyFacts
from matching.ranking.gaps import analyse
from matching.ranking.opportunities import Fit, best_fits
from matching.schemas.resources import FitOut, ProfileOpportunities
from matching.services import taxonomy
from matching.services.facts import coordinates, coordinates_key, profile_facts, vacancy_facts
from matching.store import outbox, reconfirmation
from matching.store.access import Actor, visible_profile
from matching.store.models import Profile, ProfileFit, ProfileFitRun, Vacancy, VacancyFitRun, as_utc, utcnow

MATCH_TASK = "profile.match"
# A run whose message went out less than this long ago takes a further change along with it (the task reads
# the profile as it is when it runs, and sends itself again if the profile changed meanwhile); a message
# older than this may have been lost, so a change sends a new one.
COALESCE_SECONDS = 60
GAPS_KEPT = 50  # the gap view shows at most 50
KEPT = 50  # fits read at once (every fit is stored: each is a vacancy whose shortlist could hold the profile)


def send_needed(run: ProfileFitRun | VacancyFitRun, *, fresh: bool) -> bool:
    """Whether a change needs a task message of its own, or the run's last one (still to run) covers it."""
    pending = not fresh and run.computed_version != run.requested_version
    sent_at = as_utc(run.requested_at) if run.requested_at is not None else None
    return not (pending and sent_at is not None and utcnow() - sent_at < timedelta(seconds=COALESCE_SECONDS))


def request_matching(session: Session, profile: Profile) -> None:
    """Ask a worker to score this profile (at its current version) against the open vacancies."""
    run = session.exec(select(ProfileFitRun).where(ProfileFitRun.profile_id == profile.id)).first()
    fresh = run is None
    if run is None:
        run = ProfileFitRun(profile_id=profile.id, requested_version=profile.version)
    record_request(session, run, fresh=fresh, version=profile.version, task=MATCH_TASK)


def record_request(
    session: Session, run: ProfileFitRun | VacancyFitRun, *, fresh: bool, version: int, task: str
) -> None:
    """Ask for the run at `version`: a task message unless the run's last one, still to run, covers it."""
    send = send_needed(run, fresh=fresh)
    run.requested_version = version
    if send:
        run.requested_at = utcnow()
    session.add(run)
    session.flush()
    if send:
        outbox.enqueue(session, task=task, args=[run.id])


def send_again(session: Session, run: ProfileFitRun) -> None:
    """The profile changed while its task computed: one more task (the change's own may have coalesced)."""
    run.requested_at = utcnow()
    session.add(run)
    outbox.enqueue(session, task=MATCH_TASK, args=[run.id])


@dataclass(frozen=True)
class Computed:
    profile_id: str
    version: int
    vacancies_scored: int
    fits: list[Fit]
    scored: dict[str, int] = field(default_factory=dict)  # vacancy id -> the version scored
    gaps: dict[str, Any] = field(default_factory=dict)
    matchable: bool = True


def compute(session: Session, run_id: str) -> Computed | None:
    """Score the run's profile against every open vacancy (read only); None when there is nothing to do."""
    run = session.get(ProfileFitRun, run_id)
    profile = session.get(Profile, run.profile_id) if run is not None else None
    if run is None or profile is None or run.computed_version == profile.version:  # gone, or done already
        return None
    vacancies, versions, key = _open.get(session)
    facts = profile_facts(profile, coordinates(session))
    options = taxonomy.scoring_options(session)
    # The gaps are computed for any profile (a counsellor prepares one before publishing it) ...
    report = analyse(facts, vacancies, limit=GAPS_KEPT, **options)
    gaps = {
        "vacancies_key": key,  # the vacancies these gaps were computed against (the gap view compares)
        "eligible": report.eligible,
        "best_score": report.best_score,
        "effects": [{**dataclasses.asdict(effect.gap), "opens": effect.opens, "improves": effect.improves,
                     "max_gain": effect.max_gain, "best_score_after": effect.best_score_after}
                    for effect in report.effects],
    }
    if not reconfirmation.is_matchable(profile.published, profile.reconfirmed_at):  # ... fits are proposals
        return Computed(profile.id, profile.version, 0, [], gaps=gaps, matchable=False)
    fits = best_fits(facts, vacancies, limit=None, **options)
    return Computed(profile.id, profile.version, len(vacancies), fits, dict(versions), gaps)


def store(session: Session, computed: Computed) -> bool:
    """Store the profile's fits, unless it changed or went since they were computed (then it asks again)."""
    # The lock orders this write with an erasure (either the erasure waits and removes these rows, or the
    # profile is already gone here) and with a vacancy's task writing this profile's fits.
    profile = session.get(Profile, computed.profile_id, with_for_update=True, populate_existing=True)
    run = session.exec(select(ProfileFitRun).where(ProfileFitRun.profile_id == computed.profile_id)).first()
    if profile is None or run is None:
        return False
    if profile.version != computed.version:
        send_again(session, run)
        return False
    now = utcnow()
    existing = {fit.vacancy_id: fit for fit in session.exec(
        select(ProfileFit).where(ProfileFit.profile_id == profile.id))}
    if not computed.matchable:
        for row in existing.values():
            session.delete(row)
    scores = {fit.vacancy_id: fit.score for fit in computed.fits}
    for vacancy_id, version in computed.scored.items():
        row = existing.get(vacancy_id)
        if row is not None and row.vacancy_version > version:
            continue  # the vacancy changed since, and its own task stored the newer fit
        if vacancy_id not in scores:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(ProfileFit(profile_id=profile.id, vacancy_id=vacancy_id, vacancy_version=version,
                                   score=scores[vacancy_id], computed_at=now))
        else:
            row.score, row.vacancy_version, row.computed_at = scores[vacancy_id], version, now
            session.add(row)
    # Fits of vacancies this task did not score are left alone: posted since, their own task wrote them.
    run.computed_version = computed.version
    run.vacancies_scored = computed.vacancies_scored
    run.computed_at = now
    run.gaps = computed.gaps
    session.add(run)
    session.flush()
    return True


def standing(profile: Profile, run: ProfileFitRun | None) -> tuple[str, bool]:
    """The profile's opportunities status (as ProfileOpportunities.status says) and whether it is matchable."""
    computed = run is not None and run.computed_version == profile.version
    matchable = reconfirmation.is_matchable(profile.published, profile.reconfirmed_at)
    status = ("unpublished" if not profile.published else "needs_reconfirmation" if not matchable
              else "ready" if computed else "pending")
    return status, matchable


def opportunities(session: Session, actor: Actor, profile_id: str, *, limit: int = 20) -> ProfileOpportunities:
    """The profile's best fits among the vacancies still open, and whether they reflect its last change."""
    profile = visible_profile(session, actor, profile_id)
    run = session.exec(select(ProfileFitRun).where(ProfileFitRun.profile_id == profile.id)).first()
    status, matchable = standing(profile, run)
    computed = run is not None and run.computed_version == profile.version
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
        vacancies_scored=vacancies_reflected(session, run) if computed and run is not None else 0,
        items=[
            FitOut(rank=rank, vacancy_id=v.id, vacancy_title=v.title, sector=v.sector, score=fit.score)
            for rank, (fit, v) in enumerate(rows, start=1)
        ]
        if matchable
        else [],
    )


def vacancies_key(session: Session) -> list[int]:
    """Changes with every vacancy write: each adds a row or raises a version, so (rows, sum of versions)."""
    totals = select(func.count(), func.coalesce(func.sum(Vacancy.version), 0)).select_from(Vacancy)
    rows, versions = session.exec(totals).one()
    return [int(rows), int(versions)]


def refresh_gaps(session: Session, profile: Profile, run: ProfileFitRun) -> bool:
    """Whether the profile's gaps were computed against the vacancies as they are; if not, ask a worker
    (once: a read while the task is on its way sends nothing more)."""
    if run.computed_version != profile.version or run.gaps.get("vacancies_key") == vacancies_key(session):
        return run.computed_version == profile.version
    run.computed_version = None  # pending again, so the task computes (its early exit skips a computed run)
    run.requested_version = profile.version
    run.requested_at = utcnow()
    session.add(run)
    session.flush()
    outbox.enqueue(session, task=MATCH_TASK, args=[run.id])
    return False


def vacancies_reflected(session: Session, run: ProfileFitRun) -> int:
    """Open vacancies the profile's fits account for: unchanged since its own task scored them all, or
    scored against the published profiles by their own task since their last change."""
    query = (
        select(func.count())
        .select_from(Vacancy)
        .outerjoin(VacancyFitRun, col(VacancyFitRun.vacancy_id) == Vacancy.id)
        .where(
            Vacancy.status == "open",
            or_(col(VacancyFitRun.computed_version) == Vacancy.version, col(Vacancy.updated_at) <= run.computed_at),
        )
    )
    return session.exec(query).one()


class _OpenVacancies:
    """The open vacancies' facts, kept per process until a vacancy or postcode is written.

    Every vacancy write adds a row or raises a version, so (rows, sum of versions) changes with each.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[str, int, int, int] | None = None
        self._facts: list[VacancyFacts] = []
        self._versions: dict[str, int] = {}

    def get(self, session: Session) -> tuple[list[VacancyFacts], dict[str, int], list[int]]:
        """The open vacancies' facts, the version of each, and the vacancies' key (see `vacancies_key`)."""
        rows, versions = totals = vacancies_key(session)
        postcodes = coordinates_key(session)
        key = (str(session.get_bind().url), rows, versions, postcodes)  # a process may switch databases (tests)
        with self._lock:
            if key != self._key:
                coords = coordinates(session)
                query = select(Vacancy).where(Vacancy.status == "open").order_by(Vacancy.id)
                vacancies = list(session.exec(query))
                self._facts = [vacancy_facts(v, coords) for v in vacancies]
                self._versions = {v.id: v.version for v in vacancies}
                self._key = key
            return self._facts, self._versions, totals


_open = _OpenVacancies()
