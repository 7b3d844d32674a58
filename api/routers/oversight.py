"""Human oversight, replay and fair exposure (issue 13): overrides, the ranking switch, replays, figures."""

from typing import Annotated

from fastapi import APIRouter, Header, Response

from api.deps import CurrentActor, SessionDep
from matching.language.i18n import negotiate
from matching.schemas.oversight import (
    FairnessOut,
    OverrideRequest,
    OverrideResult,
    RankingState,
    RankingSwitch,
    ReplayOut,
)
from matching.services import fairness, overrides, ranking_pause, replay

router = APIRouter(prefix="/v1", tags=["oversight"])


@router.post("/shortlists/{shortlist_id}/overrides", response_model=OverrideResult)
def override_shortlist(
    shortlist_id: str,
    payload: OverrideRequest,
    session: SessionDep,
    actor: CurrentActor,
    response: Response,
    accept_language: Annotated[str | None, Header()] = None,
):
    """Move, remove or add a candidate, with a reason code and an optional note (never shown to employers)."""
    lang = negotiate(accept_language)
    response.headers["Content-Language"] = lang
    return overrides.override(session, actor, shortlist_id, payload=payload, lang=lang)


@router.post("/shortlists/{shortlist_id}/replay", response_model=ReplayOut)
def replay_shortlist(
    shortlist_id: str,
    session: SessionDep,
    actor: CurrentActor,
    response: Response,
    accept_language: Annotated[str | None, Header()] = None,
):
    """Recompute the shortlist from its recorded run: identical, or what changed since (told in fr, nl or en)."""
    lang = negotiate(accept_language)
    response.headers["Content-Language"] = lang
    return replay.replay(session, actor, shortlist_id, lang=lang)


@router.get("/organisations/{liaison_id}/ranking", response_model=RankingState)
def ranking_state(liaison_id: str, session: SessionDep, actor: CurrentActor):
    """Whether automatic ranking is paused for this liaison organisation (its liaisons, or the admin)."""
    return ranking_pause.state(session, actor, liaison_id)


@router.put("/organisations/{liaison_id}/ranking", response_model=RankingState)
def switch_ranking(liaison_id: str, payload: RankingSwitch, session: SessionDep, actor: CurrentActor):
    """Pause automatic ranking (shortlists then list everyone eligible, shuffled, without scores) or resume it."""
    return ranking_pause.switch(session, actor, liaison_id, paused=payload.paused)


@router.get("/fairness", response_model=FairnessOut)
def fairness_figures(session: SessionDep, actor: CurrentActor):
    """Fair-exposure figures over the window (admin): never-shown share, exposure per relevance by organisation."""
    return fairness.figures(session, actor)
