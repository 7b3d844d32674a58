"""Liaison pages (and the vacancy pages employers share): served employers, vacancies and their form,
shortlists that become ready without reloading, the ranked list explained in words, presenting."""

from __future__ import annotations

from typing import Annotated, get_args

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from api.deps import SessionDep, SettingsDep
from api.pages import forms
from api.pages.counsellor import CEFR_LEVELS
from api.pages.employer import employer_vacancy
from api.pages.web import Csrf, PageActor, language, redirect, render
from matching.errors import InvalidInput
from matching.ranking.facts import SHIFTS, SKILL_LEVELS
from matching.schemas.resources import ContractType, Presentation, ShortlistRequest, VacancyCreate
from matching.services import overviews, reviews, shortlists, vacancies
from matching.store.access import require_role, visible_vacancy

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
FORM_CHOICES = {"levels": SKILL_LEVELS, "shifts": SHIFTS, "contracts": get_args(ContractType), "cefr": CEFR_LEVELS,
                "requirement_rows": forms.REQUIREMENT_ROWS, "language_rows": forms.LANGUAGE_ROWS - 1,
                "default_languages": ("fr", "nl")}


@router.get("/employers")
def employer_list(request: Request, session: SessionDep, actor: PageActor) -> Response:
    return render(request, "liaison/employers.html", {"employers": overviews.served_employers(session, actor)})


@router.get("/decisions")
def decisions(request: Request, session: SessionDep, actor: PageActor) -> Response:
    """Every employer's decisions on the candidates presented, latest first."""
    return render(request, "liaison/decisions.html", {"lines": overviews.followed_decisions(session, actor)})


@router.get("/vacancies")
def vacancy_list(request: Request, session: SessionDep, actor: PageActor,
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    rows, total = vacancies.list_vacancies(session, actor, status=None, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    names = overviews.organisation_names(session, {v.employer_id for v in rows})
    return render(request, "liaison/vacancies.html", {"vacancies": rows, "names": names, "total": total,
                                                      "page": page, "pages": max(1, -(-total // PER_PAGE))})


def _employers(session: SessionDep, actor) -> list:
    return overviews.served_employers(session, actor) if actor.role == "liaison" else []


@router.get("/vacancies/new")
def new_vacancy(request: Request, session: SessionDep, actor: PageActor) -> Response:
    require_role(actor, "liaison", "employer")
    return render(request, "liaison/vacancy_form.html",
                  {"values": {}, "errors": {}, "employers": _employers(session, actor), **FORM_CHOICES})


@router.post("/vacancies/new", dependencies=[Csrf])
async def create_vacancy(request: Request, session: SessionDep, actor: PageActor) -> Response:
    require_role(actor, "liaison", "employer")
    form = await request.form()
    chosen = form.get("employer_id") if actor.role == "liaison" else None
    employer_id = chosen if isinstance(chosen, str) and chosen else None
    payload, origins = forms.vacancy_payload(form, employer_id=employer_id)
    try:
        created = vacancies.create_vacancy(session, actor, payload=forms.validated(VacancyCreate, payload, origins,
                                                                                   language(request)))
    except (forms.FormErrors, InvalidInput) as refused:
        if not isinstance(refused, forms.FormErrors):
            refused = forms.domain_errors(refused, origins, language(request))
        values = forms.values_again(form, refused.withheld, lists=("shifts",))
        return render(request, "liaison/vacancy_form.html",
                      {"values": values, "errors": refused.errors, "employers": _employers(session, actor),
                       **FORM_CHOICES}, status=422)
    return redirect(request, f"/vacancies/{created.id}")


@router.get("/vacancies/{vacancy_id}")
def vacancy_page(vacancy_id: str, request: Request, session: SessionDep, actor: PageActor) -> Response:
    """The liaison's view (shortlists, presented candidates and decisions) or the employer's (the cards)."""
    if actor.role != "liaison":
        return employer_vacancy(request, session, actor, vacancy_id)
    vacancy = vacancies.to_public(visible_vacancy(session, actor, vacancy_id))
    cards = reviews.list_candidates(session, actor, vacancy_id, lang=language(request))
    context = {"vacancy": vacancy, "cards": cards,
               "employer": overviews.organisation_names(session, {vacancy.employer_id}).get(vacancy.employer_id),
               "shortlists": overviews.vacancy_shortlists(session, actor, vacancy_id)}
    return render(request, "liaison/vacancy.html", context)


@router.post("/vacancies/{vacancy_id}/shortlists", dependencies=[Csrf])
def request_shortlist(vacancy_id: str, request: Request, session: SessionDep, actor: PageActor) -> Response:
    shortlist = shortlists.request_shortlist(session, actor, vacancy_id, payload=ShortlistRequest(size=10))
    return redirect(request, f"/shortlists/{shortlist.id}")


def _shortlist_context(request: Request, session: SessionDep, actor, shortlist_id: str) -> dict:
    shortlist = shortlists.visible_shortlist(session, actor, shortlist_id)
    out = shortlists.to_public(session, shortlist, lang=language(request))
    return {"shortlist": out, "vacancy": vacancies.to_public(visible_vacancy(session, actor, out.vacancy_id)),
            "codes": {item.profile_id: overviews.profile_code(item.profile_id) for item in out.items
                      if item.profile_id}}


@router.get("/shortlists/{shortlist_id}")
def shortlist_page(shortlist_id: str, request: Request, session: SessionDep, actor: PageActor) -> Response:
    context = _shortlist_context(request, session, actor, shortlist_id)
    if request.headers.get("hx-request"):  # the polling block alone, until the shortlist is ready
        return render(request, "liaison/shortlist.html", context, block="ranked")
    return render(request, "liaison/shortlist.html", context)


@router.post("/shortlists/{shortlist_id}/present", dependencies=[Csrf])
async def present(shortlist_id: str, request: Request, session: SessionDep, actor: PageActor,
                  settings: SettingsDep) -> Response:
    form = await request.form()
    try:
        payload = Presentation.model_validate({"profile_ids": form.getlist("profile_ids")})
    except ValidationError:
        raise InvalidInput("Tick at least one candidate to present.", field="profile_ids") from None
    result = shortlists.present(session, actor, shortlist_id, profile_ids=payload.profile_ids,
                                secret=settings.secret_key)
    vacancy_id = shortlists.visible_shortlist(session, actor, result.shortlist_id).vacancy_id
    return redirect(request, f"/vacancies/{vacancy_id}")
