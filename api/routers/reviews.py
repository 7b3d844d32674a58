"""Employer review of presented candidates (role employer, own vacancies only)."""

from fastapi import APIRouter, Depends

from api.deps import CurrentActor, ReaderLanguage, SessionDep
from api.limits import card_view_quota
from matching.privacy.card_schema import CandidateCard
from matching.schemas.resources import DecisionIn
from matching.services import reviews

router = APIRouter(prefix="/v1/vacancies", tags=["employer review"])


@router.get(
    "/{vacancy_id}/candidates",
    response_model=list[CandidateCard],
    dependencies=[Depends(card_view_quota)],  # counted per employer organisation, across API processes
)
def list_candidates(vacancy_id: str, session: SessionDep, actor: CurrentActor, lang: ReaderLanguage):
    """Presented candidates as anonymised cards: only what matters for this vacancy, explained in fr, nl or en."""
    return reviews.list_candidates(session, actor, vacancy_id, lang=lang)


@router.post("/{vacancy_id}/candidates/{candidate_ref}/decision", response_model=CandidateCard)
def decide(
    vacancy_id: str, candidate_ref: str, payload: DecisionIn, session: SessionDep, actor: CurrentActor,
    lang: ReaderLanguage,
):
    """Record a decision; a transition the candidate's state does not allow is refused (409)."""
    return reviews.decide(session, actor, vacancy_id, candidate_ref, payload=payload, lang=lang)
