"""Shortlists, computed by background workers (role liaison)."""

from typing import Annotated

from fastapi import APIRouter, Header, Response, status
from fastapi.concurrency import run_in_threadpool

from api.deps import BearerCredentials, CurrentActor, SessionDep, SettingsDep
from matching.language.i18n import negotiate
from matching.schemas.oversight import OverseenShortlistOut
from matching.schemas.resources import (
    Presentation,
    PresentationResult,
    ShortlistAccepted,
    ShortlistBatchItem,
    ShortlistBatchRequest,
    ShortlistRequest,
)
from matching.services import shortlists
from matching.services.accounts import authenticate
from matching.store.db import session_scope

router = APIRouter(prefix="/v1", tags=["shortlists"])


@router.post(
    "/vacancies/{vacancy_id}/shortlists", status_code=status.HTTP_202_ACCEPTED, response_model=ShortlistAccepted
)
def request_shortlist(
    vacancy_id: str,
    session: SessionDep,
    actor: CurrentActor,
    response: Response,
    payload: ShortlistRequest | None = None,
):
    """Ask a worker to score every published profile against the vacancy."""
    shortlist = shortlists.request_shortlist(session, actor, vacancy_id, payload=payload or ShortlistRequest())
    response.headers["Location"] = f"/v1/shortlists/{shortlist.id}"
    return ShortlistAccepted(id=shortlist.id, status=shortlist.status)


@router.post("/shortlists/batch", status_code=status.HTTP_202_ACCEPTED, response_model=list[ShortlistBatchItem])
def request_shortlists(payload: ShortlistBatchRequest, session: SessionDep, actor: CurrentActor):
    """Ask for one shortlist per vacancy (up to 100), all in one go: any id you cannot see refuses the batch."""
    created = shortlists.request_shortlists(session, actor, payload=payload)
    return [ShortlistBatchItem(vacancy_id=s.vacancy_id, id=s.id, status=s.status) for s in created]


@router.get("/shortlists/{shortlist_id}", response_model=OverseenShortlistOut)
async def get_shortlist(
    shortlist_id: str,
    credentials: BearerCredentials,
    accept_language: Annotated[str | None, Header()] = None,
):
    """Status (queued, running, ready, failed) and, once ready, the ranked items explained in fr, nl or en."""
    lang = negotiate(accept_language)
    token = credentials.credentials if credentials else None
    # The most frequent request (liaisons poll it): its session, token and access check take one trip to a
    # worker thread instead of the four that a session, an actor and a sync endpoint would.
    body = await run_in_threadpool(_read_shortlist, token, shortlist_id, lang)
    return Response(body, media_type="application/json", headers={"Content-Language": lang})


def _read_shortlist(token: str | None, shortlist_id: str, lang: str) -> bytes:
    with session_scope(read_only=True) as session:
        return shortlists.shortlist_json(session, authenticate(session, token), shortlist_id, lang=lang)


@router.post("/shortlists/{shortlist_id}/present", response_model=PresentationResult)
def present(shortlist_id: str, payload: Presentation, session: SessionDep, actor: CurrentActor, settings: SettingsDep):
    """Make chosen candidates visible to the employer as anonymised cards."""
    return shortlists.present(session, actor, shortlist_id, profile_ids=payload.profile_ids, secret=settings.secret_key)
