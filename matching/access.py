"""Who may see and do what: roles and organisation scoping, in one place.

Objects of another organisation answer NotFound (their existence is not revealed); an action a
role may never perform answers Forbidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from matching.errors import Forbidden, NotFound
from matching.models import LiaisonEmployer, Profile, Vacancy


@dataclass(frozen=True, slots=True)
class Actor:
    """The authenticated caller."""

    user_id: str
    role: str
    organisation_id: str
    token_id: str | None = None


def require_role(actor: Actor, *roles: str) -> None:
    """Forbidden unless the actor has one of `roles`."""
    if actor.role not in roles:
        allowed = " or ".join(roles)
        raise Forbidden(f"This action is reserved to the role {allowed}; your role is {actor.role}.")


def served_employer_ids(session: Session, liaison_id: str) -> set[str]:
    """The employers a liaison organisation serves (explicit links made by an admin)."""
    rows = session.exec(select(LiaisonEmployer.employer_id).where(LiaisonEmployer.liaison_id == liaison_id))
    return set(rows)


def serves(session: Session, liaison_id: str, employer_id: str) -> bool:
    # A column, not the row: most liaison requests ask this, and building an ORM object costs more than the query.
    query = select(LiaisonEmployer.liaison_id).where(
        LiaisonEmployer.liaison_id == liaison_id, LiaisonEmployer.employer_id == employer_id
    )
    return session.exec(query).first() is not None


def visible_profile(session: Session, actor: Actor, profile_id: str) -> Profile:
    """A profile of the counsellor's own organisation, else NotFound."""
    require_role(actor, "counsellor")
    profile = session.get(Profile, profile_id)
    if profile is None or profile.organisation_id != actor.organisation_id:
        raise NotFound("No profile with this id in your organisation.", field="profile_id")
    return profile


def visible_vacancy(session: Session, actor: Actor, vacancy_id: str) -> Vacancy:
    """A vacancy the employer owns or the liaison serves, else NotFound."""
    require_role(actor, "employer", "liaison")
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None or not can_follow_employer(session, actor, vacancy.employer_id):
        raise NotFound("No vacancy with this id among the ones you can see.", field="vacancy_id")
    return vacancy


def can_follow_employer(session: Session, actor: Actor, employer_id: str) -> bool:
    """An employer follows itself; a liaison the employers it serves."""
    if actor.role == "employer":
        return actor.organisation_id == employer_id
    if actor.role == "liaison":
        return serves(session, actor.organisation_id, employer_id)
    return False
