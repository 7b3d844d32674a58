"""Vacancies (role employer for its own, liaison for the employers it serves)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response, status

from api.deps import CurrentActor, SessionDep
from api.paging import UpdatedSince, add_page_headers
from matching.schemas.resources import VacancyCreate, VacancyPublic, VacancyUpdate
from matching.services import vacancies
from matching.store.access import visible_vacancy

router = APIRouter(prefix="/v1/vacancies", tags=["vacancies"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=VacancyPublic)
def create_vacancy(payload: VacancyCreate, session: SessionDep, actor: CurrentActor):
    """Post a vacancy; a liaison names the employer it posts for."""
    return vacancies.to_public(vacancies.create_vacancy(session, actor, payload=payload))


@router.get("", response_model=list[VacancyPublic])
def list_vacancies(
    request: Request,
    response: Response,
    session: SessionDep,
    actor: CurrentActor,
    status: Literal["open", "closed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,  # a bound: the database takes 64-bit integers
    sector: Annotated[str | None, Query(max_length=64, description="A taxonomy sector, e.g. cleaning")] = None,
    updated_since: UpdatedSince = None,
):
    """The vacancies you can see, newest first; X-Total-Count and Link (rel="next") headers page them."""
    rows, total = vacancies.list_vacancies(session, actor, status=status, limit=limit, offset=offset, sector=sector,
                                           updated_since=updated_since)
    add_page_headers(request, response, total=total, limit=limit, offset=offset)
    return [vacancies.to_public(v) for v in rows]


@router.get("/{vacancy_id}", response_model=VacancyPublic)
def get_vacancy(vacancy_id: str, session: SessionDep, actor: CurrentActor):
    """One vacancy, with its requirements as understood."""
    return vacancies.to_public(visible_vacancy(session, actor, vacancy_id))


@router.patch("/{vacancy_id}", response_model=VacancyPublic)
def update_vacancy(vacancy_id: str, payload: VacancyUpdate, session: SessionDep, actor: CurrentActor):
    """Change parts of an open vacancy."""
    return vacancies.to_public(vacancies.update_vacancy(session, actor, vacancy_id, payload=payload))


@router.post("/{vacancy_id}/close", response_model=VacancyPublic)
def close_vacancy(vacancy_id: str, session: SessionDep, actor: CurrentActor):
    """Close the vacancy: no more shortlists or presentations."""
    return vacancies.to_public(vacancies.close_vacancy(session, actor, vacancy_id))
