"""Employer pages: a decision on a presented candidate, with its reason or the interview's time.

The employer's vacancies and cards are the shared vacancy pages (api/pages/liaison.py); the cards come from
the card rule only (matching/privacy/card.py, through matching/services/reviews.py).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from api.deps import SessionDep
from api.pages.web import Csrf, PageActor, language, redirect
from matching.errors import InvalidInput
from matching.schemas import DecisionIn
from matching.services import reviews

router = APIRouter(include_in_schema=False)
# A time typed in a browser's datetime-local field has no zone: the programme works in Brussels.
LOCAL_ZONE = ZoneInfo("Europe/Brussels")


def _interview_at(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput("Give the interview's date and time.", field="interview_at") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_ZONE)).isoformat()


@router.post("/vacancies/{vacancy_id}/candidates/{candidate_ref}/decision", dependencies=[Csrf])
async def decide(vacancy_id: str, candidate_ref: str, request: Request, session: SessionDep,
                 actor: PageActor) -> Response:
    form = await request.form()
    body = {"decision": form.get("decision"), "reason": form.get("reason") or None,
            "interview_at": _interview_at(form.get("interview_at"))}
    try:
        payload = DecisionIn.model_validate({k: v for k, v in body.items() if v is not None})
    except ValidationError:
        raise InvalidInput("Choose a decision from the list.", field="decision") from None
    reviews.decide(session, actor, vacancy_id, candidate_ref, payload=payload, lang=language(request))
    return redirect(request, f"/vacancies/{vacancy_id}?notice=decided")
