"""Employer review: anonymised cards of presented candidates, and decisions on them.

This service only reads rows and hands them to the card rule (matching/privacy/card.py) as plain values;
what a card shows is decided there and nowhere else.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session, col, select

from matching.errors import Conflict, InvalidInput, NotFound
from matching.language.i18n import DEFAULT_LANGUAGE
from matching.privacy.card import Presented, employer_cards
from matching.privacy.card_schema import CandidateCard
from matching.privacy.disclosure import requirement_concepts
from matching.schemas.resources import DecisionIn
from matching.services import card_store, events
from matching.services.accounts import authenticate
from matching.services.facts import vacancy_facts
from matching.services.profiles import record_event
from matching.store import audit, reconfirmation
from matching.store.access import Actor, require_role, visible_vacancy
from matching.store.models import Match, Profile, Vacancy, as_utc, utcnow

# Which decision may follow which state of a match; anything else is a 409.
TRANSITIONS: dict[str, set[str]] = {
    "presented": {"interested", "interview", "declined"},
    "interested": {"interview", "hired", "declined"},
    "interview": {"interview", "hired", "not_hired"},
    "hired": set(),
    "declined": set(),
    "not_hired": set(),
    "withdrawn": set(),
}
NEEDS_REASON = {"declined", "not_hired"}
WARM_UP_VALUE = "-"  # the start-up's warm-up asks for it: no id, postcode or concept is "-"


def _cards(session: Session, vacancy: Vacancy, lang: str) -> list[CandidateCard]:
    """Every card of the vacancy, decided by the card rule (matching/privacy/card.py).

    All the vacancy's presentations are read even when one card is asked for: its cards share one
    combination of rungs, so one card depends on the others presented.
    """
    matches = session.exec(select(Match).where(Match.vacancy_id == vacancy.id)).all()
    everyone = _profiles(session, [m.profile_id for m in matches if m.profile_id])
    # A stale profile's card shows nothing of the person until reconfirmed (matching/privacy/card.py).
    paused = {p.id for p in everyone if reconfirmation.is_stale(p.published, p.reconfirmed_at)}
    rows = {p.id: p for p in everyone if p.id not in paused}
    # Measured by the workers against the vacancy's crowd (matching/services/card_store.py): rows only here.
    stored = card_store.stored_disclosures(session, vacancy)
    disclosures = {m.profile_id: stored[m.candidate_ref] for m in matches
                   if m.profile_id in rows and m.candidate_ref in stored}
    asked = vacancy_facts(vacancy, card_store.vacancy_place(session, vacancy))
    labels = card_store.preferred_labels(session, [concept for concept, _ in requirement_concepts(asked)])
    presented = [
        Presented(
            candidate_ref=m.candidate_ref,
            profile_id=m.profile_id if m.profile_id in rows else None,
            paused=m.profile_id in paused,
            status=m.status,
            reason=m.reason,
            interview_at=as_utc(m.interview_at),
            version=m.version,
            pitch=rows[m.profile_id].pitch if m.profile_id in rows else None,
            pitch_visible=bool(m.profile_id in rows and rows[m.profile_id].pitch_visible),
        )
        for m in matches
    ]
    return employer_cards(asked, presented, disclosures, labels, lang)


def _profiles(session: Session, ids: list[str]) -> list[Profile]:
    return list(session.exec(select(Profile).where(col(Profile.id).in_(ids)))) if ids else []


def _reviewable(session: Session, actor: Actor, vacancy_id: str) -> Vacancy:
    require_role(actor, "employer", "liaison")
    return visible_vacancy(session, actor, vacancy_id)


def list_candidates(
    session: Session, actor: Actor, vacancy_id: str, *, lang: str = DEFAULT_LANGUAGE
) -> list[CandidateCard]:
    vacancy = _reviewable(session, actor, vacancy_id)
    cards = _cards(session, vacancy, lang)
    audit.append(
        session,
        action="cards.viewed",
        actor=actor,
        subject_type="vacancy",
        subject_id=vacancy.id,
        details={"candidate_refs": [c.candidate_ref for c in cards if c.status != "withdrawn"], "count": len(cards)},
    )
    return cards


def decide(
    session: Session, actor: Actor, vacancy_id: str, candidate_ref: str, *, payload: DecisionIn,
    lang: str = DEFAULT_LANGUAGE,
) -> CandidateCard:
    require_role(actor, "employer")
    vacancy = _reviewable(session, actor, vacancy_id)
    match = session.exec(
        select(Match).where(Match.vacancy_id == vacancy.id, Match.candidate_ref == candidate_ref).with_for_update()
    ).first()
    if match is None:
        raise NotFound("No candidate with this reference on this vacancy.", field="candidate_ref")
    if payload.version is not None and payload.version != match.version:
        raise Conflict(
            "This candidate's status changed since you read it; reload and decide again.",
            code="stale_version",
            field="version",
        )
    if payload.decision not in TRANSITIONS[match.status]:
        raise Conflict(
            f"A candidate in status '{match.status}' cannot move to '{payload.decision}'.",
            code="invalid_transition",
            field="decision",
        )
    profile = session.get(Profile, match.profile_id) if match.profile_id else None
    if (profile is not None and reconfirmation.is_stale(profile.published, profile.reconfirmed_at)
            and payload.decision != "declined"):
        raise Conflict(
            "This candidate's profile awaits reconfirmation by their counsellor; decide once the card shows "
            "again, or decline.",
            code="needs_reconfirmation",
            field="decision",
        )
    if payload.decision in NEEDS_REASON and payload.reason is None:
        raise InvalidInput(
            "Say why (skills, language, availability, mobility, position_filled or other).",
            code="required",
            field="reason",
        )
    if payload.decision == "interview" and payload.interview_at is None:
        raise InvalidInput("Give the interview's date and time (interview_at).", code="required", field="interview_at")
    match.status = payload.decision
    match.reason = payload.reason if payload.decision in NEEDS_REASON else None
    if payload.interview_at is not None:
        match.interview_at = payload.interview_at
    match.version += 1
    match.updated_at = utcnow()
    session.add(match)
    record_event(
        session,
        match.profile_id,
        kind=payload.decision,
        vacancy_id=vacancy.id,
        vacancy_title=vacancy.title,
        sector=vacancy.sector,
        reason=match.reason,
        interview_at=payload.interview_at if payload.decision == "interview" else None,
    )
    session.flush()
    events.candidate_decided(session, vacancy, match)
    audit.append(
        session,
        action="candidate.decided",
        actor=actor,
        subject_type="vacancy",
        subject_id=vacancy.id,
        details={"candidate_ref": match.candidate_ref, "decision": payload.decision, "reason": match.reason},
    )
    return next(card for card in _cards(session, vacancy, lang) if card.candidate_ref == match.candidate_ref)


def warm_up(session: Session) -> None:
    """Run each statement of a card read once, on nothing, so that a new API process's first card read does
    not pay SQLAlchemy's one-time work (mapping the tables, compiling each statement, the first flush).

    Every value asked for matches no row ("-" is no id, postcode or concept), so no token, vacancy or card is
    read, and nothing is kept but compiled SQL: the answers come from rows, read again on every request. The
    audit entry's statements need an entry to flush: it is rolled back with the whole transaction, never
    committed, so the chain and its anchor are left as they were (their locks are held for that moment only).
    """
    from sqlalchemy.orm import configure_mappers

    from matching.errors import DomainError

    configure_mappers()
    try:
        authenticate(session, WARM_UP_VALUE)
    except DomainError:
        pass  # no such token
    for actor in (Actor(user_id="", role="employer", organisation_id="", token_id=""),
                  Actor(user_id="", role="liaison", organisation_id="", token_id="")):
        try:
            visible_vacancy(session, actor, WARM_UP_VALUE)
        except DomainError:
            pass  # no such vacancy: only the statement was wanted
    nothing = Vacancy(id=WARM_UP_VALUE, employer_id="", title="", version=0, data={
        "location": {"postcode": WARM_UP_VALUE}, "must_have": [{"label": "", "concept_id": WARM_UP_VALUE}]})
    _cards(session, nothing, DEFAULT_LANGUAGE)
    _profiles(session, [WARM_UP_VALUE])  # _cards asks for the presented profiles only when there are some
    try:
        if session.get_bind().dialect.name == "postgresql":  # a start never queues long behind another's append
            session.execute(text("SET LOCAL lock_timeout = '2s'"))
        audit.append(session, action="cards.viewed", actor=None, subject_type="vacancy", subject_id=WARM_UP_VALUE,
                     details={"candidate_refs": [WARM_UP_VALUE], "count": 1})
    finally:
        session.rollback()
