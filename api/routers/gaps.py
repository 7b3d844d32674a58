"""The gap view: what would open doors for a profile (role counsellor, own organisation only)."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CurrentActor, ReaderLanguage, SessionDep
from matching.schemas.views import ProfileGapsView
from matching.services import gaps

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])


@router.get("/{profile_id}/gaps", response_model=ProfileGapsView)
def profile_gaps(
    profile_id: str,
    session: SessionDep,
    actor: CurrentActor,
    lang: ReaderLanguage,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
):
    """Which missing skill or language level would make this profile eligible for the most open vacancies."""
    return gaps.profile_gaps(session, actor, profile_id, lang=lang, limit=limit)
