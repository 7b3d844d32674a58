"""The switch that pauses automatic ranking for a liaison organisation (AI Act Art. 14: people can stop it).

While paused, every shortlist asked for by that organisation's liaisons lists every eligible candidate in
a seeded random order, without scores (matching/services/ranking_runs.py), until it is switched back.
Who may switch: the service admin, or a liaison of that organisation (the service has no organisation
admin role; a liaison organisation's users are its liaisons, the people who use the ranking). Audited.
"""

from __future__ import annotations

from sqlmodel import Session

from matching.errors import InvalidInput, NotFound
from matching.schemas.oversight import RankingState
from matching.store import audit
from matching.store.access import Actor, require_role
from matching.store.models import Organisation, as_utc
from matching.store.models_oversight import RankingPause


def _liaison_organisation(session: Session, actor: Actor, organisation_id: str) -> Organisation:
    require_role(actor, "admin", "liaison")
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or (actor.role == "liaison" and organisation.id != actor.organisation_id):
        raise NotFound("No organisation with this id among the ones you can switch.", field="liaison_id")
    if organisation.kind != "liaison":
        raise InvalidInput(
            "Ranking is paused per liaison organisation: this one is not a liaison.",
            code="not_a_liaison",
            field="liaison_id",
        )
    return organisation


def state(session: Session, actor: Actor, organisation_id: str) -> RankingState:
    organisation = _liaison_organisation(session, actor, organisation_id)
    pause = session.get(RankingPause, organisation.id)
    return RankingState(
        organisation_id=organisation.id, paused=pause is not None, paused_at=as_utc(pause.paused_at) if pause else None
    )


def switch(session: Session, actor: Actor, organisation_id: str, *, paused: bool) -> RankingState:
    """Pause or resume automatic ranking; an entry in the audit log each time it changes."""
    organisation = _liaison_organisation(session, actor, organisation_id)
    pause = session.get(RankingPause, organisation.id, with_for_update=True)
    if paused and pause is None:
        session.add(RankingPause(organisation_id=organisation.id, paused_by=actor.user_id))
    elif not paused and pause is not None:
        session.delete(pause)
    else:
        return state(session, actor, organisation_id)  # already so: nothing changes, nothing to audit
    session.flush()
    audit.append(
        session,
        action="ranking.paused" if paused else "ranking.resumed",
        actor=actor,
        subject_type="organisation",
        subject_id=organisation.id,
        details={"paused": int(paused)},
    )
    return state(session, actor, organisation_id)
