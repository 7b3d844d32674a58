"""Events other systems follow, recorded in the transaction of the change they describe.

One happening is one row per organisation that may know of it, each with its own payload: ids and the
facts that organisation may already see, never more.

| event                   | counselling org of the profile            | liaisons serving the employer, employer  |
| ----------------------- | ----------------------------------------- | ---------------------------------------- |
| `profile.phase_changed` | profile id, phase, previous phase         | -                                        |
| `vacancy.opened/closed` | -                                         | vacancy id, employer id, title, sector   |
| `shortlist.ready`       | -                                         | liaisons only (they read shortlists)     |
| `candidate.shortlisted` | profile id, vacancy id, title, sector     | -                                        |
| `candidate.presented`   | the same                                  | vacancy id, candidate ref, card status   |
| `candidate.decision`    | the same and decision, reason, interview  | candidate ref, decision, the card's state |

Who follows a vacancy, and who reads its shortlists, is matching/store/access.py's rule; what the employer side
learns of a candidate is matching/privacy/card.py's (`event_fields`). A counsellor's words (phase notes,
pitch) and a profile's content reach no event. Rows of a profile go when it is erased (`forget_profile`).
"""

from __future__ import annotations

from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import delete, func, text
from sqlmodel import Session, col, select

from matching.privacy.card import Presented, event_fields
from matching.schemas.events import EventOut, EventPage
from matching.services import webhooks
from matching.store import reconfirmation
from matching.store.access import Actor, organisations_following, require_role
from matching.store.event_models import Event, WebhookAttempt, WebhookDelivery
from matching.store.models import Match, Profile, Shortlist, ShortlistItem, Vacancy, as_utc, utcnow

FOLLOWER_ROLES = ("counsellor", "liaison", "employer")
# Serialises event writers on PostgreSQL until they commit, so cursors become visible in increasing order
# (a reader never sees cursor 8 committed while 7 is still to come). SQLite has one writer at a time anyway.
_ADVISORY_LOCK = 0x6576656E  # "even"


def _record(
    session: Session, type_: str, payloads: dict[str, dict[str, Any]], *, profile_id: str | None = None
) -> None:
    """One row per organisation (`payloads`: organisation id -> data), and a delivery per webhook asking."""
    _write(session, [(type_, organisation_id, data, profile_id) for organisation_id, data in payloads.items()])


def _write(session: Session, events: list[tuple[str, str, dict[str, Any], str | None]]) -> None:
    """Rows (type, organisation, data, profile) in this order, and their deliveries, in one go."""
    if not events:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK})
    now = utcnow()
    rows = [
        Event(organisation_id=organisation_id, type=type_, data=to_jsonable_python(data), profile_id=profile_id,
              occurred_at=now)
        for type_, organisation_id, data, profile_id in events
    ]
    session.add_all(rows)
    session.flush()
    webhooks.fan_out(session, rows)


def _vacancy_facts(vacancy: Vacancy) -> dict[str, Any]:
    return {"vacancy_id": vacancy.id, "vacancy_title": vacancy.title, "sector": vacancy.sector}


def _employer_side(session: Session, vacancy: Vacancy, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {organisation_id: data for organisation_id in organisations_following(session, vacancy.employer_id)}


def profile_phase_changed(session: Session, profile: Profile, *, previous: str | None) -> None:
    """A profile published (previous None) or moved to another phase: its counselling organisation only."""
    data = {"profile_id": profile.id, "phase": profile.phase, "previous_phase": previous,
            "published": profile.published}
    _record(session, "profile.phase_changed", {profile.organisation_id: data}, profile_id=profile.id)


def vacancy_changed(session: Session, vacancy: Vacancy) -> None:
    """`vacancy.opened` or `vacancy.closed` (by its status now), for the employer and its liaisons."""
    data = {"vacancy_id": vacancy.id, "employer_id": vacancy.employer_id, "title": vacancy.title,
            "sector": vacancy.sector, "status": vacancy.status}
    kind = "vacancy.opened" if vacancy.status == "open" else "vacancy.closed"
    _record(session, kind, _employer_side(session, vacancy, data))


def shortlist_stored(session: Session, shortlist: Shortlist, vacancy: Vacancy, *, newly_shortlisted: list[str]) -> None:
    """`shortlist.ready` for the liaisons that read it; `candidate.shortlisted` to each new candidate's counsellors."""
    readers = organisations_following(session, vacancy.employer_id, shortlists=True)
    items = session.exec(select(func.count()).where(ShortlistItem.shortlist_id == shortlist.id)).one()
    data = {"shortlist_id": shortlist.id, "vacancy_id": vacancy.id, "status": shortlist.status, "items": items}
    _record(session, "shortlist.ready", {organisation_id: data for organisation_id in readers})
    # A shortlist adds up to a hundred candidates: their events are written together.
    _write(session, [("candidate.shortlisted", profile.organisation_id,
                      {"profile_id": profile.id, **_vacancy_facts(vacancy)}, profile.id)
                     for profile in _profiles(session, newly_shortlisted)])


def candidates_presented(session: Session, vacancy: Vacancy, *, profile_ids: list[str]) -> None:
    """`candidate.presented`: the counsellors learn which profile, the employer's side only the card's ref."""
    matches = {
        m.profile_id: m
        for m in session.exec(
            select(Match).where(Match.vacancy_id == vacancy.id, col(Match.profile_id).in_(profile_ids))
        )
    }
    for profile in _profiles(session, profile_ids):
        match = matches.get(profile.id)
        if match is None:
            continue
        payloads = _employer_side(session, vacancy, {"vacancy_id": vacancy.id, **_card_state(match, profile)})
        payloads[profile.organisation_id] = {"profile_id": profile.id, **_vacancy_facts(vacancy)}
        _record(session, "candidate.presented", payloads, profile_id=profile.id)


def candidate_decided(session: Session, vacancy: Vacancy, match: Match) -> None:
    """`candidate.decision`: the employer's decision, to the counsellors (as the trajectory shows it) and to
    the employer's side (as the card shows it)."""
    profile = session.get(Profile, match.profile_id) if match.profile_id else None
    if profile is None:
        return
    decision = {"decision": match.status, "reason": match.reason, "interview_at": as_utc(match.interview_at)}
    employer_side = {"vacancy_id": vacancy.id, "decision": match.status, **_card_state(match, profile)}
    payloads = _employer_side(session, vacancy, employer_side)
    payloads[profile.organisation_id] = {"profile_id": profile.id, **_vacancy_facts(vacancy), **decision}
    _record(session, "candidate.decision", payloads, profile_id=profile.id)


def _card_state(match: Match, profile: Profile) -> dict[str, Any]:
    paused = reconfirmation.is_stale(profile.published, profile.reconfirmed_at)
    return event_fields(
        Presented(candidate_ref=match.candidate_ref, profile_id=match.profile_id, status=match.status,
                  reason=match.reason, interview_at=as_utc(match.interview_at), version=match.version, paused=paused)
    )


def _profiles(session: Session, profile_ids: list[str]) -> list[Profile]:
    """The profiles still there, in the order given."""
    if not profile_ids:
        return []
    found = {p.id: p for p in session.exec(select(Profile).where(col(Profile.id).in_(profile_ids)))}
    return [found[profile_id] for profile_id in dict.fromkeys(profile_ids) if profile_id in found]


def forget_profile(session: Session, profile_id: str) -> int:
    """Erasure: every event about the profile goes, for every organisation, with its deliveries; how many."""
    events = select(Event.seq).where(Event.profile_id == profile_id)
    deliveries = select(WebhookDelivery.id).where(col(WebhookDelivery.event_seq).in_(events))
    session.execute(delete(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(deliveries)))
    session.execute(delete(WebhookDelivery).where(col(WebhookDelivery.event_seq).in_(events)))
    return session.execute(delete(Event).where(Event.profile_id == profile_id)).rowcount or 0


def to_public(event: Event) -> EventOut:
    return EventOut(id=event.id, cursor=event.seq, type=event.type, occurred_at=as_utc(event.occurred_at),
                    data=event.data)


def feed(session: Session, actor: Actor, *, after: int, limit: int) -> EventPage:
    """Your organisation's events after the cursor `after`, oldest first."""
    require_role(actor, *FOLLOWER_ROLES)
    query = (
        select(Event)
        .where(Event.organisation_id == actor.organisation_id, col(Event.seq) > after)
        .order_by(col(Event.seq))
        .limit(limit)
    )
    rows = list(session.exec(query))
    return EventPage(items=[to_public(row) for row in rows], next=rows[-1].seq if rows else after)
