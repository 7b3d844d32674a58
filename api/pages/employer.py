"""Employer pages: a decision on a presented candidate, with its reason or the interview's time.

The employer's vacancies and cards are the shared vacancy pages (api/pages/liaison.py); the cards come from
the card rule only (matching/privacy/card.py, through matching/services/reviews.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from api.deps import SessionDep
from api.limits import card_view_quota
from api.pages import catalogs
from api.pages.web import Csrf, PageActor, language, redirect, render
from api.pages.words import N_
from matching.errors import Conflict, InvalidInput
from matching.schemas.resources import DecisionIn
from matching.services import overviews, reviews, vacancies
from matching.store.access import Actor, visible_vacancy

router = APIRouter(include_in_schema=False)
# A time typed in a browser's datetime-local field has no zone: the programme works in Brussels.
LOCAL_ZONE = ZoneInfo("Europe/Brussels")
# A refused decision, said by the field at fault in the reader's language (the service's sentence is English).
REFUSALS = {
    "required:reason": N_("Say why: choose a reason."),
    "required:interview_at": N_("Give the interview's date and time."),
    "invalid:interview_at": N_("Give the interview's date and time."),
    "invalid:decision": N_("Choose a decision from the list."),
    "invalid_transition:decision": N_("This decision cannot follow the candidate's present status."),
    "needs_reconfirmation:decision": N_("This candidate's profile awaits reconfirmation by their counsellor: decide "
                                        "once the card shows again, or decline."),
    "stale_version:version": N_("This candidate's status changed since you read it: read the card again and decide."),
}


def employer_vacancy(request: Request, session: SessionDep, actor: Actor, vacancy_id: str, *,
                     refusal: dict[str, Any] | None = None, status: int = 200) -> Response:
    """The employer's vacancy page: the cards from the card rule, each with its decision form."""
    vacancy = vacancies.to_public(visible_vacancy(session, actor, vacancy_id))
    card_view_quota(actor)  # the employer organisation's quota of card views, as on the API
    cards = reviews.list_candidates(session, actor, vacancy_id, lang=language(request))
    context = {"vacancy": vacancy, "cards": cards, "reasons": reviews.NEEDS_REASON, "refusal": refusal or {},
               "employer": overviews.organisation_names(session, {vacancy.employer_id}).get(vacancy.employer_id),
               "notice": request.query_params.get("notice")}
    return render(request, "employer/vacancy.html", context, status=status)


def _interview_at(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput("Give the interview's date and time.", code="invalid", field="interview_at") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=LOCAL_ZONE)).isoformat()


@router.post("/vacancies/{vacancy_id}/candidates/{candidate_ref}/decision", dependencies=[Csrf])
async def decide(vacancy_id: str, candidate_ref: str, request: Request, session: SessionDep,
                 actor: PageActor) -> Response:
    form = await request.form()
    try:
        body = {"decision": form.get("decision"), "reason": form.get("reason") or None,
                "interview_at": _interview_at(form.get("interview_at"))}
        try:
            payload = DecisionIn.model_validate({k: v for k, v in body.items() if v is not None})
        except ValidationError:
            raise InvalidInput("Choose a decision from the list.", code="invalid", field="decision") from None
        reviews.decide(session, actor, vacancy_id, candidate_ref, payload=payload, lang=language(request))
    except (InvalidInput, Conflict) as refused:
        # The page again, the refusal by the field at fault of this card's form, what was chosen kept.
        text = REFUSALS.get(f"{refused.code}:{refused.field}")
        kept = {key: value for key in ("decision", "reason", "interview_at")
                if isinstance(value := form.get(key), str)}
        refusal = {"ref": candidate_ref, "field": refused.field or "decision", "values": kept,
                   "message": catalogs.translations(language(request)).gettext(text) if text else refused.message}
        return employer_vacancy(request, session, actor, vacancy_id, refusal=refusal,
                                status=409 if isinstance(refused, Conflict) else 422)
    return redirect(request, f"/vacancies/{vacancy_id}?notice=decided")
