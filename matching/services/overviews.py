"""What the people's pages list that the API answers one by one: a counsellor's profiles with their last
event, the employers a liaison serves, a vacancy's shortlists, the installation's users and links.

The access rules are the ones of matching/store/access.py; nothing here decides who sees what on its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, literal
from sqlmodel import Session, col, select

from matching.schemas.resources import ProfilePublic
from matching.services import accounts, profiles
from matching.store.access import Actor, follows_employer, require_role, visible_vacancy
from matching.store.models import Organisation, Shortlist, TrajectoryEvent, User, as_utc
from matching.store.models_signin import Credential

# No 0/O, 1/I/L: a code read aloud or copied by hand into a counsellor's own file stays right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def profile_code(profile_id: str) -> str:
    """A short readable code for a profile (e.g. "K7M-2QX"), for the counsellor's own files.

    Derived from the random profile id, so it names nobody and needs no column; 31^6 codes make a clash
    within one organisation's profiles unlikely, and the page shows the code next to the profile anyway.
    """
    number = int.from_bytes(hashlib.sha256(profile_id.encode()).digest()[:8], "big")
    letters = []
    for _ in range(6):
        number, index = divmod(number, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[index])
    return "".join(letters[:3]) + "-" + "".join(letters[3:])


@dataclass(frozen=True)
class ProfileLine:
    code: str
    profile: ProfilePublic
    last_event: str | None
    last_event_at: datetime | None
    attention: list[str]  # needs_reconfirmation, unknown_skills, interview, unpublished


def counsellor_profiles(
    session: Session, actor: Actor, *, limit: int, offset: int, phase: str | None = None
) -> tuple[list[ProfileLine], int]:
    """The organisation's profiles with their code, last trajectory event and what needs attention."""
    rows, total = profiles.list_profiles(session, actor, limit=limit, offset=offset, phase=phase)
    ids = [row.id for row in rows]
    last: dict[str, TrajectoryEvent] = {}
    if ids:
        newest = (
            select(TrajectoryEvent.profile_id, func.max(TrajectoryEvent.at).label("at"))
            .where(col(TrajectoryEvent.profile_id).in_(ids))
            .group_by(TrajectoryEvent.profile_id)
            .subquery()
        )
        events = session.exec(
            select(TrajectoryEvent).join(
                newest, (newest.c.profile_id == TrajectoryEvent.profile_id) & (newest.c.at == TrajectoryEvent.at)
            )
        )
        for event in events:
            last[event.profile_id] = event
    lines = []
    for row in rows:
        public = profiles.to_public(row)
        event = last.get(row.id)
        attention = []
        if public.needs_reconfirmation:
            attention.append("needs_reconfirmation")
        if any(skill.match == "unknown" for skill in public.skills):
            attention.append("unknown_skills")
        if event is not None and event.kind in ("interview", "interested"):
            attention.append(event.kind)
        if not public.published:
            attention.append("unpublished")
        lines.append(ProfileLine(profile_code(row.id), public, event.kind if event else None,
                                 as_utc(event.at) if event else None, attention))
    return lines, total


def served_employers(session: Session, actor: Actor) -> list[Organisation]:
    """The employers the liaison serves (an admin's links), by name: the access rule's own condition."""
    require_role(actor, "liaison")
    served = follows_employer(actor.role, literal(actor.organisation_id), col(Organisation.id))
    query = select(Organisation).where(Organisation.kind == "employer", served).order_by(Organisation.name)
    return list(session.exec(query))


def organisation_names(session: Session, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    return dict(session.exec(select(Organisation.id, Organisation.name).where(col(Organisation.id).in_(ids))).all())


def vacancy_shortlists(session: Session, actor: Actor, vacancy_id: str, *, limit: int = 10) -> list[Shortlist]:
    """The shortlists asked for a vacancy, newest first (the liaisons following it read them)."""
    require_role(actor, "liaison")
    vacancy = visible_vacancy(session, actor, vacancy_id)
    query = (
        select(Shortlist)
        .where(Shortlist.vacancy_id == vacancy.id)
        .order_by(col(Shortlist.created_at).desc())
        .limit(limit)
    )
    return list(session.exec(query))


@dataclass(frozen=True)
class UserLine:
    id: str
    display_name: str
    role: str
    organisation: str
    username: str | None  # None until the person used a sign-in link


def list_users(session: Session, actor: Actor) -> list[UserLine]:
    require_role(actor, "admin")
    query = (
        select(User, Organisation.name, Credential.username)
        .join(Organisation, col(Organisation.id) == User.organisation_id)
        .join(Credential, col(Credential.user_id) == User.id, isouter=True)
        .order_by(Organisation.name, User.display_name)
    )
    return [UserLine(u.id, u.display_name, u.role, name, username) for u, name, username in session.exec(query)]


def list_links(session: Session, actor: Actor) -> list[dict[str, Any]]:
    require_role(actor, "admin")
    links = accounts.list_links(session)
    names = organisation_names(session, {x.liaison_id for x in links} | {x.employer_id for x in links})
    return [
        {"liaison_id": x.liaison_id, "liaison": names.get(x.liaison_id, ""), "employer_id": x.employer_id,
         "employer": names.get(x.employer_id, "")}
        for x in links
    ]


def understand_label(session: Session, item: Any, *, kind: str = "skill", lang: str | None = None,
                     limit: int = 8) -> tuple[dict[str, Any], list[Any]]:
    """How a typed label (a screened SkillIn or RequirementIn) is understood, and concepts to complete it with."""
    from matching.services import skills, taxonomy

    entry = skills.understand(session, [item], field="label", kind=kind, with_evidence=False)[0]
    return entry, taxonomy.search(session, q=item.label, lang=lang, kind=kind, limit=limit)


def postcode_place(session: Session, postcode: str) -> str | None:
    """The place of a Belgian postcode the installation knows, else None."""
    from matching.store.postcodes import lookup

    row = lookup(session, postcode)
    return row.place_name if row else None


@dataclass(frozen=True)
class DecisionLine:
    vacancy_id: str
    vacancy_title: str
    employer: str
    candidate_ref: str
    status: str
    reason: str | None
    interview_at: datetime | None
    updated_at: datetime


def followed_decisions(session: Session, actor: Actor, *, limit: int = 100) -> list[DecisionLine]:
    """Every presented candidate on the vacancies the liaison follows, latest change first (pseudonyms only)."""
    from matching.store.access import follows_vacancy
    from matching.store.models import Match, Vacancy

    require_role(actor, "liaison")
    query = (
        select(Match, Vacancy)
        .join(Vacancy, col(Vacancy.id) == Match.vacancy_id)
        .where(follows_vacancy(actor))
        .order_by(col(Match.updated_at).desc())
        .limit(limit)
    )
    rows = list(session.exec(query))
    names = organisation_names(session, {v.employer_id for _, v in rows})
    return [DecisionLine(v.id, v.title, names.get(v.employer_id, ""), m.candidate_ref, m.status, m.reason,
                         as_utc(m.interview_at), as_utc(m.updated_at)) for m, v in rows]
