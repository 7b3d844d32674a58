"""Who may see and do what: roles and organisation scoping, in one place.

Objects of another organisation answer NotFound (their existence is not revealed); an action a
role may never perform answers Forbidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, false, literal
from sqlmodel import Session, col, select

from matching.errors import Forbidden, NotFound
from matching.store.models import LiaisonEmployer, Organisation, Profile, Vacancy


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


def follows_employer(role: str, organisation_id: Any, employer_id: Any) -> ColumnElement[bool]:
    """The rule "who follows this employer's vacancies", as a SQL condition: written here only.

    An employer follows itself; a liaison the employers an admin linked it to (liaison_employer); no
    other role any. `organisation_id` and `employer_id` are SQL expressions (a column, a bound parameter,
    a literal), so the ORM checks below and the queries prepared once for the read path share it.
    """
    if role == "employer":
        return employer_id == organisation_id
    if role == "liaison":
        return exists().where(
            col(LiaisonEmployer.liaison_id) == organisation_id, col(LiaisonEmployer.employer_id) == employer_id
        )
    return false()


# Shortlists name profiles: the liaisons following the vacancy read them, employers only ever see cards.
SHORTLIST_READERS = ("liaison",)


def reads_shortlists(role: str, organisation_id: Any, employer_id: Any) -> ColumnElement[bool]:
    """Who may read the shortlists of a vacancy of `employer_id`, as a SQL condition (see follows_employer)."""
    return follows_employer(role, organisation_id, employer_id) if role in SHORTLIST_READERS else false()


def follows_vacancy(actor: Actor) -> ColumnElement[bool]:
    """The vacancies the actor follows (see follows_employer), as a condition on Vacancy rows."""
    return follows_employer(actor.role, literal(actor.organisation_id), col(Vacancy.employer_id))


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
    query = select(Vacancy).where(Vacancy.id == vacancy_id, follows_vacancy(actor))
    vacancy = session.exec(query).first()
    if vacancy is None:
        raise NotFound("No vacancy with this id among the ones you can see.", field="vacancy_id")
    return vacancy


def can_follow_employer(session: Session, actor: Actor, employer_id: str) -> bool:
    """Whether the actor follows this employer (the rule: follows_employer)."""
    condition = follows_employer(actor.role, literal(actor.organisation_id), literal(employer_id))
    return bool(session.exec(select(condition)).one())


# An organisation's kind is the role of its users: the rules above, written per role, name organisations too.
ROLE_OF_KIND = {"employer": "employer", "liaison": "liaison", "counselling": "counsellor"}


def organisations_following(session: Session, employer_id: str, *, shortlists: bool = False) -> list[str]:
    """The organisations that follow this employer's vacancies (or, with `shortlists`, read their shortlists):
    the same rules as above (follows_employer, reads_shortlists), asked the other way round."""
    rule = reads_shortlists if shortlists else follows_employer
    found: list[str] = []
    for kind, role in ROLE_OF_KIND.items():
        condition = rule(role, col(Organisation.id), literal(employer_id))
        query = select(Organisation.id).where(Organisation.kind == kind, condition).order_by(Organisation.id)
        found += session.exec(query)
    return found
