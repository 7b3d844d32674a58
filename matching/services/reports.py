"""Funders' figures: the programme report of a counselling organisation, and the ranking's accuracy.

Reads the trajectory (phase changes, employer-side events, follow-ups) and the shortlists; hands plain
histories to matching/reports/, which suppresses small cells. The organisation's counsellors read their own
organisation's report; the admin reads any counselling organisation's, and the accuracy figures.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import get_args

from sqlmodel import Session, col, select

from matching.errors import InvalidInput, NotFound
from matching.profile_code import profile_code
from matching.reports.accuracy import KS, RankedList, precision_table
from matching.reports.programme import FUNNEL, History, Period, figures
from matching.reports.suppression import THRESHOLD
from matching.schemas.reports import (
    OUTCOMES,
    Accuracy,
    CountTable,
    GapCount,
    PhaseFigures,
    PrecisionFigure,
    ProfileRow,
    ProgrammeReport,
)
from matching.schemas.resources import Phase
from matching.services import taxonomy
from matching.store import audit
from matching.store.access import Actor, require_role
from matching.store.models import (
    Match,
    Organisation,
    Profile,
    Shortlist,
    ShortlistItem,
    TrajectoryEvent,
    Vacancy,
    as_utc,
)

MAX_PERIOD_DAYS = 5 * 366
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2999, 12, 31)
FOLLOW_UP_EVENTS = {"follow_up_leaving": "leaving", "follow_up_six_months": "six_months"}


def period_of(period_from: date | None, period_to: date | None, *, today: date) -> tuple[date, date, Period]:
    """The period asked (days, UTC), by default the calendar year so far; checked."""
    period_to = period_to or today
    period_from = period_from or date(period_to.year, 1, 1)
    for name, day in (("from", period_from), ("to", period_to)):
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            raise InvalidInput(f"`{name}` must lie between {EARLIEST_DAY} and {LATEST_DAY}.", field=name)
    if period_from > period_to:
        raise InvalidInput("`from` comes after `to`: give the first day, then the last day.", field="from")
    if (period_to - period_from).days > MAX_PERIOD_DAYS:
        raise InvalidInput("A report covers at most five years: give a shorter period.", field="from")
    start = datetime.combine(period_from, time(0), tzinfo=UTC)
    end = datetime.combine(period_to + timedelta(days=1), time(0), tzinfo=UTC)
    return period_from, period_to, Period(start, end)


def programme_report(session: Session, actor: Actor, *, organisation_id: str | None, period_from: date | None,
                     period_to: date | None, lang: str) -> ProgrammeReport:
    """The organisation's participants, phases, funnel, outcomes, gaps and the ranking's accuracy, suppressed."""
    organisations = _counselling_organisations(session, actor, organisation_id)
    now = datetime.now(UTC)
    first, last, period = period_of(period_from, period_to, today=now.date())
    histories = _histories(session, organisations, period)
    phases = list(get_args(Phase))
    result = figures(histories, period, phases=phases, outcomes=OUTCOMES)
    per_profile = actor.role == "counsellor"  # the organisation's own rows: the operator gets the aggregates only
    audit.append(session, action="report.programme_read", actor=actor, subject_type="organisation",
                 subject_id=organisation_id if actor.role == "admin" else actor.organisation_id,
                 details={"count": len(result.profiles) if per_profile else 0})
    return ProgrammeReport(
        organisation_id=organisation_id if actor.role == "admin" else actor.organisation_id,
        period_from=first,
        period_to=last,
        generated_at=now,
        threshold=THRESHOLD,
        participants_by_phase=CountTable(rows=[*phases, "total"], columns=["participants"],
                                         cells=result.participants_by_phase),
        phases=[PhaseFigures(phase=p, participants=n, median_days=m) for p, n, m in result.phases],
        funnel=result.funnel,
        median_days_to_first_interview=result.median_days_to_first_interview,
        outcomes=CountTable(rows=[*OUTCOMES, "total"], columns=["leaving", "six_months", "total"],
                            cells=result.outcomes),
        gaps=[GapCount(concept_id=c, label=taxonomy.preferred_label(session, c, lang) or c, participants=n)
              for c, n in result.gaps],
        accuracy=_accuracy(session, first, last, period),
        profiles=[
            ProfileRow(
                profile_code=profile_code(row.profile_id),
                phase_at_end=row.phase_at_end,
                days_in_programme=row.days_in_programme,
                shortlisted=row.counts["shortlisted"],
                presented=row.counts["presented"],
                interviews=row.counts["interview"],
                hired=bool(row.counts["hired"]),
                days_to_first_interview=row.days_to_first_interview,
                outcome_leaving=row.outcomes["leaving"],
                outcome_six_months=row.outcomes["six_months"],
            )
            for row in sorted(result.profiles, key=lambda r: profile_code(r.profile_id))
            if per_profile
        ],
    )


def accuracy(session: Session, actor: Actor, *, period_from: date | None, period_to: date | None) -> Accuracy:
    """Precision at k of the ranking against people's choices, over every shortlist of the period (admin)."""
    require_role(actor, "admin")
    first, last, period = period_of(period_from, period_to, today=datetime.now(UTC).date())
    return _accuracy(session, first, last, period)


def _counselling_organisations(session: Session, actor: Actor, organisation_id: str | None) -> list[str]:
    """The counsellor's own organisation; for the admin the one named, or every counselling organisation."""
    require_role(actor, "counsellor", "admin")
    if actor.role == "counsellor":
        if organisation_id not in (None, actor.organisation_id):
            raise NotFound("No counselling organisation with this id among yours.", field="organisation_id")
        return [actor.organisation_id]
    if organisation_id is None:
        return list(session.exec(select(Organisation.id).where(Organisation.kind == "counselling")))
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or organisation.kind != "counselling":
        raise NotFound("No counselling organisation with this id.", field="organisation_id")
    return [organisation.id]


def _histories(session: Session, organisations: list[str], period: Period) -> list[History]:
    in_scope = col(Profile.organisation_id).in_(organisations)
    profiles = session.exec(
        select(Profile.id, Profile.created_at).where(in_scope, col(Profile.created_at) < period.end)
    ).all()
    histories = {pid: History(pid, as_utc(created), []) for pid, created in profiles}
    events = session.exec(
        select(TrajectoryEvent)
        .join(Profile, col(Profile.id) == TrajectoryEvent.profile_id)
        .where(in_scope)
        .order_by(col(TrajectoryEvent.at), col(TrajectoryEvent.created_at))
    ).all()
    for event in events:
        history = histories.get(event.profile_id)
        if history is None:
            continue
        at = as_utc(event.at or event.created_at)
        if event.kind == "phase_changed" and event.phase:
            history.phases.append((at, event.phase))
        elif event.kind in FOLLOW_UP_EVENTS and event.outcome:
            history.outcomes[FOLLOW_UP_EVENTS[event.kind]] = (at, event.outcome)
        elif event.kind in FUNNEL:
            history.events.append((event.kind, at, as_utc(event.interview_at)))
    missed = session.exec(
        select(ShortlistItem.profile_id, ShortlistItem.explanation)
        .join(Shortlist, col(Shortlist.id) == ShortlistItem.shortlist_id)
        .join(Profile, col(Profile.id) == ShortlistItem.profile_id)
        .where(in_scope, col(Shortlist.finished_at) >= period.start,
               col(Shortlist.finished_at) < period.end)
    ).all()
    for profile_id, explanation in missed:
        for item in (explanation or {}).get("missing", []):
            if item.get("concept_id") and profile_id in histories:
                histories[profile_id].missed.add(item["concept_id"])
    return list(histories.values())


def _accuracy(session: Session, first: date, last: date, period: Period) -> Accuracy:
    """The last ready shortlist of each vacancy in the period, against whom people chose for that vacancy."""
    shortlists = session.exec(
        select(Shortlist, Vacancy)
        .join(Vacancy, col(Vacancy.id) == Shortlist.vacancy_id)
        .where(Shortlist.status == "ready", col(Shortlist.finished_at) >= period.start,
               col(Shortlist.finished_at) < period.end)
        .order_by(col(Shortlist.finished_at))
    ).all()
    latest = {vacancy.id: (shortlist, vacancy) for shortlist, vacancy in shortlists}
    if not latest:
        return Accuracy(period_from=first, period_to=last, ks=list(KS), figures=[])
    ids = [shortlist.id for shortlist, _ in latest.values()]
    ranked: dict[str, list[tuple[int, str | None]]] = defaultdict(list)
    for item in session.exec(select(ShortlistItem).where(col(ShortlistItem.shortlist_id).in_(ids))):
        # The model's own rank where a person reordered the list (overrides keep it beside the final one).
        model_rank = getattr(item, "model_rank", None)
        ranked[item.shortlist_id].append((item.rank if model_rank is None else model_rank, item.profile_id))
    presented: dict[str, set[str]] = defaultdict(set)
    for shortlist_id, profile_id in session.exec(
        select(Match.shortlist_id, Match.profile_id).where(col(Match.shortlist_id).in_(ids))
    ):
        if profile_id:
            presented[shortlist_id].add(profile_id)
    outcomes: dict[str, set[str]] = defaultdict(set)
    for vacancy_id, profile_id in session.exec(
        select(TrajectoryEvent.vacancy_id, TrajectoryEvent.profile_id)
        .where(col(TrajectoryEvent.vacancy_id).in_(list(latest)), col(TrajectoryEvent.kind).in_(["interview", "hired"]))
    ):
        outcomes[vacancy_id].add(profile_id)
    lists = [
        RankedList(
            ranked=[pid for _, pid in sorted(ranked[shortlist.id], key=lambda r: r[0])],
            presented=frozenset(presented[shortlist.id]),
            interview_or_hired=frozenset(outcomes[vacancy.id]),
            sector=vacancy.sector,
            languages=[entry.get("code") for entry in vacancy.data.get("languages", []) if entry.get("code")],
        )
        for shortlist, vacancy in latest.values()
    ]
    return Accuracy(period_from=first, period_to=last, ks=list(KS), figures=[
        PrecisionFigure(group=p.group, against=p.against, k=p.k, shortlists=p.shortlists, precision=p.precision)
        for p in precision_table(lists)
    ])
