"""Stored profiles and vacancies turned into the plain facts the scoring core reads."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from matching.ranking.facts import (
    LanguageFact,
    LanguageRequirement,
    ProfileFacts,
    SkillFact,
    VacancyFacts,
    cefr_rank,
    effective_constraints,
)
from matching.store import reconfirmation
from matching.store.models import Postcode, Profile, Vacancy

Coordinates = dict[str, tuple[float, float]]


def coordinates(session: Session) -> Coordinates:
    """Every known postcode's coordinates (a few thousand rows at most)."""
    return {p: (lat, lon) for p, lat, lon in session.exec(select(Postcode.postcode, Postcode.lat, Postcode.lon))}


def coordinates_key(session: Session) -> int:
    """Changes when the postcode table does (a `geo import`): caches built on coordinates start afresh."""
    return session.exec(select(func.count()).select_from(Postcode)).one()


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _skills(items: list[dict[str, Any]]) -> tuple[SkillFact, ...]:
    return tuple(
        SkillFact(label=s["label"], concept_id=s.get("concept_id"), level=s.get("level"), evidence=s.get("evidence"))
        for s in items
    )


def profile_facts(profile: Profile, coords: Coordinates) -> ProfileFacts:
    return facts_from_data(profile.id, profile.data, coords)


def facts_from_data(
    profile_id: str, data: dict[str, Any], coords: Coordinates, *, with_skills: bool = True
) -> ProfileFacts:
    """A profile's facts from its stored columns: bulk readers skip the ORM objects (half a build's time)."""
    availability = data.get("availability", {})
    mobility = data.get("mobility", {})
    lat, lon = coords.get(mobility.get("postcode") or "", (None, None))
    return ProfileFacts(
        profile_id=profile_id,
        skills=_skills(data.get("skills", [])) if with_skills else (),
        languages=tuple(
            LanguageFact(
                code=lang["code"], spoken=cefr_rank(lang.get("spoken")), written=cefr_rank(lang.get("written"))
            )
            for lang in data.get("languages", [])
        ),
        hours_min=availability.get("hours_min"),
        hours_max=availability.get("hours_max"),
        shifts=frozenset(availability.get("shifts") or ()),
        start=_date(availability.get("start")),
        lat=lat,
        lon=lon,
        max_commute_minutes=mobility.get("max_commute_minutes"),
        transport=frozenset(mobility.get("transport") or ()),
        driving_licences=frozenset(mobility.get("driving_licences") or ()),
    )


def published_facts(session: Session, *, with_skills: bool = True,
                    keys: dict[str, str] | None = None) -> list[ProfileFacts]:
    """Every matchable profile's facts (published, not stale), read as columns; `keys`, when given, receives
    each one's change key -> id from the same query (how a reader of the change log knows whom a later
    erasure names)."""
    coords = coordinates(session)
    rows = session.exec(select(Profile.id, Profile.change_key, Profile.data).where(reconfirmation.matchable()))
    facts = []
    for profile_id, change_key, data in rows:
        if keys is not None:
            keys[change_key] = profile_id
        facts.append(facts_from_data(profile_id, data, coords, with_skills=with_skills))
    return facts


def vacancy_facts(vacancy: Vacancy, coords: Coordinates) -> VacancyFacts:
    data = vacancy.data
    lat, lon = coords.get((data.get("location") or {}).get("postcode") or "", (None, None))
    return VacancyFacts(
        vacancy_id=vacancy.id,
        must_have=_skills(data.get("must_have", [])),
        nice_to_have=_skills(data.get("nice_to_have", [])),
        languages=tuple(
            LanguageRequirement(
                code=lang["code"], spoken=cefr_rank(lang.get("spoken")), written=cefr_rank(lang.get("written"))
            )
            for lang in data.get("languages", [])
        ),
        lat=lat,
        lon=lon,
        hours_per_week=data.get("hours_per_week"),
        shifts=frozenset(data.get("shifts") or ()),
        start=_date(data.get("start")),
        driving_licence=data.get("driving_licence"),
        constraints=effective_constraints(data.get("constraints")),
    )
