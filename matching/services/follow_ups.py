"""Follow-ups: the counsellor records where a person stands when leaving the programme and six months later.

Stored on the trajectory (`trajectory_event`, kinds follow_up_leaving and follow_up_six_months) as codes
with the day they hold: the programme report counts them (matching/reports/), nothing else reads them.
Recording the same kind again corrects it: one leaving and one six-month outcome per profile.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlmodel import Session, col, select

from matching.errors import InvalidInput
from matching.schemas.reports import FOLLOW_UP_KINDS, FollowUpIn, FollowUpOut, FollowUps
from matching.store.access import Actor, visible_profile
from matching.store.models import TrajectoryEvent, as_utc, utcnow

EVENT_KINDS = {kind: f"follow_up_{kind}" for kind in FOLLOW_UP_KINDS}


def record(session: Session, actor: Actor, profile_id: str, *, payload: FollowUpIn) -> FollowUps:
    """Record (or correct) one follow-up of the counsellor's profile."""
    profile = visible_profile(session, actor, profile_id)
    session.refresh(profile, with_for_update=True)  # two writers of the same follow-up queue here
    day = payload.at or utcnow().date()
    if day > utcnow().date():
        raise InvalidInput("A follow-up records what happened: give a day that is not in the future.",
                           code="in_future", field="at")
    created = as_utc(profile.created_at)
    if created is not None and day < created.date():
        raise InvalidInput(f"This profile was published on {created.date().isoformat()}: a follow-up comes after.",
                           code="before_profile", field="at")
    event = session.exec(
        select(TrajectoryEvent).where(TrajectoryEvent.profile_id == profile.id,
                                      TrajectoryEvent.kind == EVENT_KINDS[payload.kind])
    ).first() or TrajectoryEvent(profile_id=profile.id, kind=EVENT_KINDS[payload.kind])
    event.at = datetime.combine(day, time(12), tzinfo=UTC)  # midday: the same day in every Belgian zone
    event.outcome = payload.outcome
    session.add(event)
    session.flush()
    return _follow_ups(session, profile.id)


def read(session: Session, actor: Actor, profile_id: str) -> FollowUps:
    return _follow_ups(session, visible_profile(session, actor, profile_id).id)


def _follow_ups(session: Session, profile_id: str) -> FollowUps:
    kinds = {event_kind: kind for kind, event_kind in EVENT_KINDS.items()}
    events = session.exec(
        select(TrajectoryEvent).where(TrajectoryEvent.profile_id == profile_id,
                                      col(TrajectoryEvent.kind).in_(list(kinds)))
        .order_by(col(TrajectoryEvent.at))
    ).all()
    return FollowUps(profile_id=profile_id, follow_ups=[
        FollowUpOut(kind=kinds[e.kind], at=_day(e.at), outcome=e.outcome) for e in events  # type: ignore[arg-type]
    ])


def _day(value: datetime | None) -> date:
    moment = as_utc(value)
    assert moment is not None
    return moment.date()
