"""Follow-ups of a profile at leaving and six months after (role counsellor, own organisation only)."""

from fastapi import APIRouter, status

from api.deps import CurrentActor, SessionDep
from matching.schemas.reports import FollowUpIn, FollowUps
from matching.services import follow_ups

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])


@router.post("/{profile_id}/follow-ups", status_code=status.HTTP_201_CREATED, response_model=FollowUps)
def record_follow_up(profile_id: str, payload: FollowUpIn, session: SessionDep, actor: CurrentActor):
    """Record where the person stands at leaving or six months after (codes only); the same kind again corrects it."""
    return follow_ups.record(session, actor, profile_id, payload=payload)


@router.get("/{profile_id}/follow-ups", response_model=FollowUps)
def read_follow_ups(profile_id: str, session: SessionDep, actor: CurrentActor):
    """The profile's recorded follow-ups."""
    return follow_ups.read(session, actor, profile_id)
