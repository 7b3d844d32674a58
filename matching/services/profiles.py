"""Anonymised profiles, published by counsellors: create, read, update, phase, trajectory, erasure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, not_
from sqlmodel import Session, col, select

from matching.errors import Conflict, InvalidInput
from matching.schemas.resources import (
    Availability,
    Mobility,
    PhaseChange,
    ProfileCreate,
    ProfilePublic,
    ProfileUpdate,
    SkillOut,
    Trajectory,
)
from matching.services import erasure, events, opportunities
from matching.services.skills import understand
from matching.store import reconfirmation
from matching.store.access import Actor, require_role, visible_profile
from matching.store.models import (
    Match,
    Postcode,
    Profile,
    TrajectoryEvent,
    Vacancy,
    as_utc,
    utcnow,
)


def _check_postcode(session: Session, mobility: Mobility | None) -> None:
    if mobility and mobility.postcode and session.get(Postcode, mobility.postcode) is None:
        raise InvalidInput(
            "Unknown Belgian postcode; check it, or ask an admin to import the full postcode table.",
            code="unknown_postcode",
            field="mobility.postcode",
        )


def _languages(items: list[Any]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    languages = []
    for index, item in enumerate(items):
        if item.code in seen:
            raise InvalidInput("This language is listed twice.", code="duplicate", field=f"languages[{index}].code")
        seen.add(item.code)
        languages.append({"code": item.code, "spoken": item.spoken, "written": item.written})
    return languages


def _dump(model: Availability | Mobility | Any) -> dict[str, Any]:
    return model.model_dump(mode="json")


def create_profile(session: Session, actor: Actor, *, payload: ProfileCreate) -> Profile:
    require_role(actor, "counsellor")
    _check_postcode(session, payload.mobility)
    profile = Profile(
        organisation_id=actor.organisation_id,
        phase=payload.phase,
        published=payload.published,
        pitch=payload.pitch,
        pitch_visible=payload.pitch_visible,
        data={
            "skills": understand(session, payload.skills, field="skills"),
            "languages": _languages(payload.languages),
            "availability": _dump(payload.availability),
            "mobility": _dump(payload.mobility),
            "preferences": _dump(payload.preferences),
        },
    )
    session.add(profile)
    session.flush()
    _event(session, profile.id, kind="phase_changed", phase=profile.phase, note="profile published")
    events.profile_phase_changed(session, profile, previous=None)
    opportunities.request_matching(session, profile)
    return profile


def list_profiles(
    session: Session,
    actor: Actor,
    *,
    limit: int,
    offset: int,
    phase: str | None = None,
    needs_reconfirmation: bool | None = None,
    updated_since: datetime | None = None,
) -> tuple[list[Profile], int]:
    """One page of the organisation's profiles matching the filters, newest first, and how many match."""
    require_role(actor, "counsellor")
    conditions: list[Any] = [Profile.organisation_id == actor.organisation_id]
    if phase is not None:
        conditions.append(Profile.phase == phase)
    if needs_reconfirmation is not None:
        stale = reconfirmation.stale()
        conditions.append(stale if needs_reconfirmation else not_(stale))
    if updated_since is not None:
        conditions.append(col(Profile.updated_at) >= updated_since)
    total = session.exec(select(func.count()).select_from(Profile).where(*conditions)).one()
    query = (
        select(Profile)
        .where(*conditions)
        .order_by(col(Profile.created_at).desc(), Profile.id)
        .offset(offset)
        .limit(limit)
    )
    return list(session.exec(query)), total


def update_profile(session: Session, actor: Actor, profile_id: str, *, payload: ProfileUpdate) -> Profile:
    profile = visible_profile(session, actor, profile_id)
    session.refresh(profile, with_for_update=True)  # concurrent writers queue here: versions stay exact
    if payload.version is not None and payload.version != profile.version:
        raise Conflict(
            "This profile changed since you read it; reload it and apply your change again.",
            code="stale_version",
            field="version",
        )
    _check_postcode(session, payload.mobility)
    data = dict(profile.data)
    if payload.skills is not None:
        data["skills"] = understand(session, payload.skills, field="skills")
    if payload.languages is not None:
        data["languages"] = _languages(payload.languages)
    for name in ("availability", "mobility", "preferences"):
        value = getattr(payload, name)
        if value is not None:
            data[name] = _dump(value)
    profile.data = data
    if "pitch" in payload.model_fields_set:
        profile.pitch = payload.pitch
    if payload.pitch_visible is not None:
        profile.pitch_visible = payload.pitch_visible
    if payload.published is not None:
        profile.published = payload.published
    return _save_reconfirmed(session, profile)  # the counsellor just went over it


def _save_reconfirmed(session: Session, profile: Profile) -> Profile:
    """Store a profile its counsellor went over: matched again for BLINDMATCH_RECONFIRM_DAYS, and a new
    version, so the opportunities computed before (or skipped while stale) are computed afresh."""
    reconfirmation.mark_reconfirmed(profile)
    profile.version += 1
    profile.updated_at = utcnow()
    session.add(profile)
    session.flush()
    opportunities.request_matching(session, profile)
    return profile


def reconfirm_profile(session: Session, actor: Actor, profile_id: str) -> Profile:
    """The counsellor confirms the profile still holds: matched again for BLINDMATCH_RECONFIRM_DAYS."""
    profile = visible_profile(session, actor, profile_id)
    session.refresh(profile, with_for_update=True)
    return _save_reconfirmed(session, profile)


def change_phase(session: Session, actor: Actor, profile_id: str, *, payload: PhaseChange) -> Profile:
    profile = visible_profile(session, actor, profile_id)
    session.refresh(profile, with_for_update=True)  # concurrent writers queue here: versions stay exact
    previous, profile.phase = profile.phase, payload.phase
    if payload.phase == "closed":
        profile.published = False  # a closed trajectory is no longer proposed to employers
    reconfirmation.mark_reconfirmed(profile)
    profile.version += 1
    profile.updated_at = utcnow()
    session.add(profile)
    _event(session, profile.id, kind="phase_changed", phase=payload.phase, note=payload.note)
    session.flush()
    events.profile_phase_changed(session, profile, previous=previous)
    opportunities.request_matching(session, profile)
    return profile


def erase_profile(session: Session, actor: Actor, profile_id: str) -> None:
    """Remove the profile everywhere; shortlist items and matches remain as 'withdrawn', emptied."""
    erasure.erase(session, visible_profile(session, actor, profile_id), actor=actor, trigger="counsellor")


def _event(session: Session, profile_id: str, **fields: Any) -> None:
    session.add(TrajectoryEvent(profile_id=profile_id, at=utcnow(), **fields))


def trajectory(session: Session, actor: Actor, profile_id: str) -> Trajectory:
    """Phase changes and employer-side events, newest first, without the employer's private notes."""
    profile = visible_profile(session, actor, profile_id)
    events = session.exec(
        select(TrajectoryEvent)
        .where(TrajectoryEvent.profile_id == profile.id)
        .order_by(col(TrajectoryEvent.at).desc(), col(TrajectoryEvent.created_at).desc())
    ).all()
    matches = session.exec(
        select(Match, Vacancy)
        .join(Vacancy, Vacancy.id == Match.vacancy_id)
        .where(Match.profile_id == profile.id)
        .order_by(col(Match.updated_at).desc())
    ).all()
    return Trajectory(
        profile_id=profile.id,
        phase=profile.phase,
        events=[
            {
                "kind": e.kind,
                "at": as_utc(e.at or e.created_at),
                "phase": e.phase,
                "note": e.note,
                "vacancy_id": e.vacancy_id,
                "vacancy_title": e.vacancy_title,
                "sector": e.sector,
                "reason": e.reason,
                "interview_at": as_utc(e.interview_at),  # the counsellor tells the person when to go
                "outcome": e.outcome,
            }
            for e in events
        ],
        opportunities=[
            {"vacancy_id": v.id, "vacancy_title": v.title, "sector": v.sector, "status": m.status, "score": m.score}
            for m, v in matches
        ],
    )


def to_public(profile: Profile) -> ProfilePublic:
    data = profile.data
    stale = reconfirmation.is_stale(profile.published, profile.reconfirmed_at)
    return ProfilePublic(
        id=profile.id,
        organisation_id=profile.organisation_id,
        phase=profile.phase,
        published=profile.published,
        skills=[SkillOut(**s) for s in data.get("skills", [])],
        languages=data.get("languages", []),
        availability=data.get("availability", {}),
        mobility=data.get("mobility", {}),
        preferences=data.get("preferences", {}),
        pitch=profile.pitch,
        pitch_visible=profile.pitch_visible,
        version=profile.version,
        created_at=as_utc(profile.created_at),
        updated_at=as_utc(profile.updated_at),
        reconfirmed_at=as_utc(profile.reconfirmed_at),
        needs_reconfirmation=stale,
        stale_since=reconfirmation.stale_since(profile.reconfirmed_at) if stale else None,
    )


def record_event(session: Session, profile_id: str, **fields: Any) -> None:
    """An employer-side event on a profile's trajectory (used by shortlists and reviews)."""
    _event(session, profile_id, **fields)
