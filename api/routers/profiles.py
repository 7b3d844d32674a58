"""Anonymised profiles (role counsellor, own organisation only)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from api.deps import CurrentActor, SessionDep
from api.paging import UpdatedSince, add_page_headers
from matching.schemas.resources import (
    Phase,
    PhaseChange,
    ProfileCreate,
    ProfileOpportunities,
    ProfilePublic,
    ProfileUpdate,
    Trajectory,
)
from matching.services import opportunities, profiles
from matching.store.access import visible_profile

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ProfilePublic)
def create_profile(payload: ProfileCreate, session: SessionDep, actor: CurrentActor):
    """Publish an anonymised profile; the answer shows how each skill label was understood."""
    return profiles.to_public(profiles.create_profile(session, actor, payload=payload))


@router.get("", response_model=list[ProfilePublic])
def list_profiles(
    request: Request,
    response: Response,
    session: SessionDep,
    actor: CurrentActor,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,  # a bound: the database takes 64-bit integers
    phase: Phase | None = None,
    needs_reconfirmation: bool | None = None,
    updated_since: UpdatedSince = None,
):
    """Your organisation's profiles, newest first; X-Total-Count and Link (rel="next") headers page them."""
    rows, total = profiles.list_profiles(session, actor, limit=limit, offset=offset, phase=phase,
                                         needs_reconfirmation=needs_reconfirmation, updated_since=updated_since)
    add_page_headers(request, response, total=total, limit=limit, offset=offset)
    return [profiles.to_public(p) for p in rows]


@router.get("/{profile_id}", response_model=ProfilePublic)
def get_profile(profile_id: str, session: SessionDep, actor: CurrentActor):
    """One profile of your organisation."""
    return profiles.to_public(visible_profile(session, actor, profile_id))


@router.patch("/{profile_id}", response_model=ProfilePublic)
def update_profile(profile_id: str, payload: ProfileUpdate, session: SessionDep, actor: CurrentActor):
    """Change parts of a profile; give `version` to refuse a stale write."""
    return profiles.to_public(profiles.update_profile(session, actor, profile_id, payload=payload))


@router.delete("/{profile_id}", status_code=status.HTTP_204_NO_CONTENT)
def erase_profile(profile_id: str, session: SessionDep, actor: CurrentActor):
    """Erase the profile everywhere; employers see the candidate as withdrawn."""
    profiles.erase_profile(session, actor, profile_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{profile_id}/phase", response_model=ProfilePublic)
def change_phase(profile_id: str, payload: PhaseChange, session: SessionDep, actor: CurrentActor):
    """Move the trajectory to another phase."""
    return profiles.to_public(profiles.change_phase(session, actor, profile_id, payload=payload))


@router.post("/{profile_id}/reconfirm", response_model=ProfilePublic)
def reconfirm_profile(profile_id: str, session: SessionDep, actor: CurrentActor):
    """Confirm the profile still holds: matched again for BLINDMATCH_RECONFIRM_DAYS (editing it counts too)."""
    return profiles.to_public(profiles.reconfirm_profile(session, actor, profile_id))


@router.get("/{profile_id}/opportunities", response_model=ProfileOpportunities)
def get_opportunities(
    profile_id: str,
    session: SessionDep,
    actor: CurrentActor,
    limit: Annotated[int, Query(ge=1, le=opportunities.KEPT)] = 20,
):
    """The open vacancies this profile fits best (title and sector), scored by a worker after each change."""
    return opportunities.opportunities(session, actor, profile_id, limit=limit)


@router.get("/{profile_id}/trajectory", response_model=Trajectory)
def get_trajectory(profile_id: str, session: SessionDep, actor: CurrentActor):
    """Phase changes and employer-side events, newest first."""
    return profiles.trajectory(session, actor, profile_id)
