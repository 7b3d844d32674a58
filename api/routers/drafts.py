"""Vacancy drafts: a pasted job ad read into a proposed vacancy, answered and forgotten."""

from fastapi import APIRouter, Response

from api.deps import CurrentActor, SessionDep
from matching.schemas.drafting import DraftOut, DraftRequest
from matching.services import drafting

router = APIRouter(prefix="/v1/vacancies", tags=["vacancies"])


@router.post("/draft", response_model=DraftOut)
def draft_vacancy(payload: DraftRequest, session: SessionDep, actor: CurrentActor, response: Response):
    """Propose a vacancy from a job ad's text (liaison, employer); nothing is stored, not even for a replay."""
    # no-store: a client keeps no copy, and the Idempotency-Key record keeps only that it was answered.
    response.headers["Cache-Control"] = "no-store"
    return drafting.draft(session, actor, payload=payload)
