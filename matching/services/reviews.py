"""Employer review: anonymised cards of presented candidates, and decisions on them."""

from __future__ import annotations

from sqlmodel import Session, col, select

from matching import audit
from matching.access import Actor, require_role, visible_vacancy
from matching.errors import Conflict, InvalidInput, NotFound
from matching.i18n import DEFAULT_LANGUAGE
from matching.i18n import render as render_explanation
from matching.models import Match, Profile, Vacancy, as_utc, utcnow
from matching.privacy import disclosure
from matching.schemas import CandidateCard, CardPrivacy, DecisionIn
from matching.services import crowds
from matching.services.profiles import record_event

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


def _withdrawn_card(match: Match) -> CandidateCard:
    """Erased by the counsellor (or by retention): the employer sees only that the candidate withdrew."""
    return CandidateCard(
        candidate_ref=match.candidate_ref,
        score=0.0,
        explanation={},
        skills=[],
        languages=[],
        availability={},
        commute={},
        status="withdrawn",
        reason=None,
        interview_at=None,
        pitch=None,
        version=match.version,
        privacy=None,
    )


def _card(
    match: Match, profile: Profile, vacancy: Vacancy, shown: disclosure.Disclosure, lang: str
) -> CandidateCard:
    """Only what matters for this vacancy: no organisation, no postcode, no pitch unless allowed."""
    asked = vacancy.data
    wanted = {
        s["concept_id"] for s in asked.get("must_have", []) + asked.get("nice_to_have", []) if s.get("concept_id")
    }
    matched = {e.get("concept_id") for key in ("matched", "partial") for e in match.explanation.get(key, [])}
    skills = [
        {
            "label": s["matched_label"] or s["label"],
            "concept_id": s["concept_id"],
            "level": s.get("level"),
            "evidence": s.get("evidence"),
        }
        for s in profile.data.get("skills", [])
        if s.get("concept_id") and s["concept_id"] in wanted | matched
    ]
    # Languages, hours, start, shifts and commute come generalised (matching/privacy/disclosure.py): a
    # language the job does not ask for is never among them, it can reveal origin.
    fields = disclosure.card_fields(shown)
    return CandidateCard(
        candidate_ref=match.candidate_ref,
        score=match.score,
        explanation=render_explanation(disclosure.card_explanation(match.explanation, shown), lang),
        skills=skills,
        languages=fields["languages"],
        availability=fields["availability"],
        commute=fields["commute"],
        status=match.status,
        reason=match.reason,
        interview_at=as_utc(match.interview_at),
        pitch=profile.pitch if profile.pitch_visible else None,
        version=match.version,
        privacy=CardPrivacy(
            k=shown.k, k_target=disclosure.K_TARGET, met=shown.met, generalised=dict(shown.levels)
        ),
    )


def _cards(session: Session, vacancy: Vacancy, matches: list[Match], lang: str) -> list[CandidateCard]:
    """Cards for these matches, each generalised against every published profile (k-anonymity)."""
    ids = [m.profile_id for m in matches if m.profile_id]
    shown = {p.id: p for p in session.exec(select(Profile).where(col(Profile.id).in_(ids)))} if ids else {}
    if not shown:
        return [_withdrawn_card(m) for m in matches]
    disclosures = crowds.card_disclosures(session, vacancy, shown)
    return [
        _card(m, shown[m.profile_id], vacancy, disclosures[m.profile_id], lang)
        if m.profile_id in shown
        else _withdrawn_card(m)
        for m in matches
    ]


def _reviewable(session: Session, actor: Actor, vacancy_id: str) -> Vacancy:
    require_role(actor, "employer", "liaison")
    return visible_vacancy(session, actor, vacancy_id)


def list_candidates(
    session: Session, actor: Actor, vacancy_id: str, *, lang: str = DEFAULT_LANGUAGE
) -> list[CandidateCard]:
    vacancy = _reviewable(session, actor, vacancy_id)
    matches = session.exec(
        select(Match).where(Match.vacancy_id == vacancy.id).order_by(col(Match.score).desc(), Match.candidate_ref)
    ).all()
    cards = _cards(session, vacancy, list(matches), lang)
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
    audit.append(
        session,
        action="candidate.decided",
        actor=actor,
        subject_type="vacancy",
        subject_id=vacancy.id,
        details={"candidate_ref": match.candidate_ref, "decision": payload.decision, "reason": match.reason},
    )
    return _cards(session, vacancy, [match], lang)[0]
