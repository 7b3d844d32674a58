"""Vacancies, posted by employers or by a liaison on an employer's behalf."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from matching.errors import Conflict, InvalidInput
from matching.ranking.facts import effective_constraints
from matching.schemas.resources import SkillOut, VacancyCreate, VacancyPublic, VacancyUpdate
from matching.services import events, taxonomy, vacancy_fits
from matching.services.skills import understand, unknown_label_help
from matching.store.access import Actor, can_follow_employer, follows_vacancy, require_role, visible_vacancy
from matching.store.models import Postcode, Vacancy, as_utc, utcnow


def _owner(session: Session, actor: Actor, employer_id: str | None) -> str:
    require_role(actor, "employer", "liaison")
    if actor.role == "employer":
        if employer_id not in (None, actor.organisation_id):
            raise InvalidInput(
                "An employer posts vacancies for itself only; leave employer_id out.",
                code="not_allowed",
                field="employer_id",
            )
        return actor.organisation_id
    if employer_id is None:
        raise InvalidInput("Say for which employer you post this vacancy.", code="required", field="employer_id")
    if not can_follow_employer(session, actor, employer_id):
        raise InvalidInput(
            "Your organisation does not serve this employer (an admin links them).",
            code="not_served",
            field="employer_id",
        )
    return employer_id


def _understand_body(session: Session, payload: VacancyCreate | VacancyUpdate, data: dict[str, Any]) -> None:
    if payload.location is not None:
        if session.get(Postcode, payload.location.postcode) is None:
            raise InvalidInput(
                "Unknown Belgian postcode; check it, or ask an admin to import the postcode table.",
                code="unknown_postcode",
                field="location.postcode",
            )
        data["location"] = payload.location.model_dump()
    for name in ("must_have", "nice_to_have"):
        items = getattr(payload, name)
        if items is not None:
            data[name] = understand(session, items, field=name, with_evidence=False)
    if payload.occupation is not None:
        link = taxonomy.link_labels(session, [payload.occupation], kind="occupation")[0]
        data["occupation"] = {
            "label": payload.occupation,
            "concept_id": link.concept_id,
            "matched_label": link.matched_label,
            "match": link.match,
            "confidence": round(float(link.confidence), 3),
            **(unknown_label_help(session, payload.occupation, kind="occupation")
               if link.match == "unknown" else {}),
        }
    if payload.languages is not None:
        codes = [item.code for item in payload.languages]
        if len(codes) != len(set(codes)):
            raise InvalidInput("A language is listed twice.", code="duplicate", field="languages")
        data["languages"] = [item.model_dump() for item in payload.languages]
    for name in ("hours_per_week", "contract_type", "start", "driving_licence", "positions"):
        if name in payload.model_fields_set or isinstance(payload, VacancyCreate):
            value = getattr(payload, name)
            data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    if payload.shifts is not None:
        data["shifts"] = list(payload.shifts)
    if payload.constraints is not None:
        # Only what was set is stored: an unset mode follows the defaults (matching.ranking.facts).
        given = {**data.get("constraints", {}), **payload.constraints.model_dump(exclude_none=True)}
        data["constraints"] = given


def _sector(session: Session, data: dict[str, Any]) -> str | None:
    """The occupation's sector, else the most common sector of the must-have skills."""
    sectors = taxonomy.snapshot(session).sectors
    occupation = data.get("occupation") or {}
    if occupation.get("concept_id") and sectors.get(occupation["concept_id"]):
        return sectors[occupation["concept_id"]]
    counts = Counter(sectors.get(s["concept_id"]) for s in data.get("must_have", []) if s.get("concept_id"))
    counts.pop(None, None)
    return counts.most_common(1)[0][0] if counts else None


def create_vacancy(session: Session, actor: Actor, *, payload: VacancyCreate) -> Vacancy:
    employer_id = _owner(session, actor, payload.employer_id)
    data: dict[str, Any] = {"occupation": None}
    _understand_body(session, payload, data)
    vacancy = Vacancy(employer_id=employer_id, title=payload.title, data=data, sector=_sector(session, data))
    session.add(vacancy)
    session.flush()
    vacancy_fits.request_matching(session, vacancy)  # its opportunities reach the profiles by a worker
    events.vacancy_changed(session, vacancy)
    return vacancy


def list_vacancies(
    session: Session,
    actor: Actor,
    *,
    status: str | None,
    limit: int,
    offset: int,
    sector: str | None = None,
    updated_since: datetime | None = None,
) -> tuple[list[Vacancy], int]:
    """One page of the vacancies the actor follows matching the filters, newest first, and how many match."""
    require_role(actor, "employer", "liaison")
    conditions: list[Any] = [follows_vacancy(actor)]  # the one access rule, as for a single vacancy
    if status:
        conditions.append(Vacancy.status == status)
    if sector is not None:
        conditions.append(Vacancy.sector == sector)
    if updated_since is not None:
        conditions.append(col(Vacancy.updated_at) >= updated_since)
    total = session.exec(select(func.count()).select_from(Vacancy).where(*conditions)).one()
    query = select(Vacancy).where(*conditions)
    query = query.order_by(col(Vacancy.created_at).desc(), Vacancy.id).offset(offset).limit(limit)
    return list(session.exec(query)), total


def update_vacancy(session: Session, actor: Actor, vacancy_id: str, *, payload: VacancyUpdate) -> Vacancy:
    vacancy = visible_vacancy(session, actor, vacancy_id)
    session.refresh(vacancy, with_for_update=True)  # concurrent writers queue here: versions stay exact
    if vacancy.status != "open":
        raise Conflict("This vacancy is closed; it can no longer change.", code="vacancy_closed")
    if payload.version is not None and payload.version != vacancy.version:
        raise Conflict(
            "This vacancy changed since you read it; reload it and apply your change again.",
            code="stale_version",
            field="version",
        )
    data = dict(vacancy.data)
    _understand_body(session, payload, data)
    if payload.title is not None:
        vacancy.title = payload.title
    vacancy.data = data
    vacancy.sector = _sector(session, data)
    vacancy.version += 1
    vacancy.updated_at = utcnow()
    session.add(vacancy)
    session.flush()
    vacancy_fits.request_matching(session, vacancy)
    return vacancy


def close_vacancy(session: Session, actor: Actor, vacancy_id: str) -> Vacancy:
    vacancy = visible_vacancy(session, actor, vacancy_id)
    session.refresh(vacancy, with_for_update=True)  # concurrent writers queue here: versions stay exact
    if vacancy.status != "closed":
        vacancy.status = "closed"
        vacancy.version += 1
        vacancy.updated_at = utcnow()
        session.add(vacancy)
        session.flush()
        vacancy_fits.request_matching(session, vacancy)  # it leaves the profiles' opportunities
        events.vacancy_changed(session, vacancy)
    return vacancy


def to_public(vacancy: Vacancy) -> VacancyPublic:
    data = vacancy.data
    occupation = data.get("occupation")
    return VacancyPublic(
        id=vacancy.id,
        employer_id=vacancy.employer_id,
        title=vacancy.title,
        status=vacancy.status,
        sector=vacancy.sector,
        occupation=SkillOut(**occupation) if occupation else None,
        must_have=[SkillOut(**s) for s in data.get("must_have", [])],
        nice_to_have=[SkillOut(**s) for s in data.get("nice_to_have", [])],
        languages=data.get("languages", []),
        location=data.get("location", {}),
        hours_per_week=data.get("hours_per_week"),
        shifts=data.get("shifts", []),
        contract_type=data.get("contract_type"),
        start=data.get("start"),
        driving_licence=data.get("driving_licence"),
        positions=data.get("positions", 1),
        constraints=effective_constraints(data.get("constraints")),
        version=vacancy.version,
        created_at=as_utc(vacancy.created_at),
        updated_at=as_utc(vacancy.updated_at),
    )
