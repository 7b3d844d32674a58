"""Human oversight of a computed shortlist: the liaison moves, removes or adds a candidate, with a reason.

Each override keeps the model's rank beside the final one (ShortlistItem.model_rank / rank), is stored with
its reason code and optional note (matching/store/models_oversight.py ShortlistOverride), and is an audit entry
(the candidate named by its keyed per-vacancy reference, never by profile id). A candidate a person moved or
added carries `chosen_by_person`, which follows them into the presentation (Match.chosen_by_person).

An added candidate is scored like the model would; if they fall short of a hard requirement the answer
says which, and the liaison decides: a person may go where the model may not.
"""

from __future__ import annotations

import numpy as np
from sqlmodel import Session, select

from matching.errors import Conflict, InvalidInput, NotFound
from matching.language.i18n import DEFAULT_LANGUAGE, hard_miss_text
from matching.privacy import candidate_ref
from matching.ranking.explain import explain
from matching.ranking.scoring import COMPONENTS, ProfileIndex, score_all
from matching.schemas.oversight import OverrideRequest, OverrideResult, OverrideWarning
from matching.services import renderings, taxonomy
from matching.services.facts import coordinates, facts_from_data, vacancy_facts
from matching.services.shortlists import override_public, to_public, visible_shortlist
from matching.settings import get_settings
from matching.store import audit, reconfirmation
from matching.store.access import Actor
from matching.store.models import Profile, ShortlistItem, Vacancy
from matching.store.models_oversight import ShortlistOverride


def override(
    session: Session, actor: Actor, shortlist_id: str, *, payload: OverrideRequest, lang: str = DEFAULT_LANGUAGE
) -> OverrideResult:
    """Apply one override to a ready shortlist and record it (audit entry included)."""
    shortlist = visible_shortlist(session, actor, shortlist_id)
    if shortlist.status != "ready":
        raise Conflict("This shortlist is not ready yet; change it once it is.", code="not_ready")
    vacancy = session.get(Vacancy, shortlist.vacancy_id, with_for_update=True)  # one override at a time
    if vacancy.status != "open":
        raise Conflict("This vacancy is closed.", code="vacancy_closed")
    if payload.reason == "other" and not payload.note:
        raise InvalidInput("The reason 'other' needs a note saying what it is.", code="note_required", field="note")
    items = list(
        session.exec(
            select(ShortlistItem).where(ShortlistItem.shortlist_id == shortlist.id).order_by(ShortlistItem.rank)
        )
    )
    active = [i for i in items if not i.removed]
    item = next((i for i in items if i.profile_id is not None and i.profile_id == payload.profile_id), None)
    warnings: list[OverrideWarning] = []
    if payload.action in ("move", "remove"):
        if item is None or item.removed:
            raise InvalidInput(
                "This profile is not on this shortlist (or was removed or withdrawn).",
                code="not_on_shortlist",
                field="profile_id",
            )
        active.remove(item)
        if payload.action == "move":
            if payload.position is None:
                raise InvalidInput("Give the new place (position, 1 = first).", code="required", field="position")
            _insert(active, item, payload.position, last=len(active) + 1)
            item.chosen_by_person = True
        else:
            item.removed = True
    else:
        if item is not None and not item.removed:
            raise Conflict(
                "This profile is already on the shortlist; move it instead.",
                code="already_on_shortlist",
                field="profile_id",
            )
        if item is None:
            item = _scored_item(session, shortlist.id, vacancy, payload.profile_id)
            session.add(item)
        item.removed = False
        item.chosen_by_person = True
        position = payload.position or len(active) + 1
        _insert(active, item, position, last=len(active) + 1)
        for miss in item.explanation.get("hard_misses", []):
            warnings.append(
                OverrideWarning(code="misses_hard_requirement", requirement=miss, text=hard_miss_text(miss, lang))
            )
    _renumber(session, active, [i for i in items if i.removed and i is not item] + ([item] if item.removed else []))
    row = ShortlistOverride(
        shortlist_id=shortlist.id,
        action=payload.action,
        profile_id=payload.profile_id,
        reason=payload.reason,
        note=payload.note or None,
        model_rank=item.model_rank,
        final_rank=None if item.removed else item.rank,
        actor_id=actor.user_id,
    )
    session.add(row)
    shortlist.version += 1  # renderings cached for the old order are stale
    session.add(shortlist)
    session.flush()
    renderings.forget({shortlist.id})
    details: dict = {
        "vacancy_id": vacancy.id,
        "kind": payload.action,
        "reason": payload.reason,
        "candidate_ref": candidate_ref(get_settings().secret_key, vacancy.id, payload.profile_id),
    }
    if row.model_rank is not None:
        details["model_rank"] = row.model_rank
    if row.final_rank is not None:
        details["final_rank"] = row.final_rank
    if warnings:
        details["hard_misses"] = [w.requirement for w in warnings]
    audit.append(
        session,
        action="shortlist.override",
        actor=actor,
        subject_type="shortlist",
        subject_id=shortlist.id,
        details=details,
    )
    return OverrideResult(
        override=override_public(row, lang), warnings=warnings, shortlist=to_public(session, shortlist, lang=lang)
    )


def _insert(active: list[ShortlistItem], item: ShortlistItem, position: int, *, last: int) -> None:
    if position > last:
        raise InvalidInput(
            f"The shortlist has {last - 1} candidates: give a place from 1 to {last}.",
            code="out_of_range",
            field="position",
        )
    active.insert(position - 1, item)


def _renumber(session: Session, active: list[ShortlistItem], removed: list[ShortlistItem]) -> None:
    """Ranks 1..n in the final order, removed items after them (kept: what the model proposed stays)."""
    ordered = active + removed
    # Two passes: (shortlist_id, rank) is unique, and a swap would collide halfway.
    for offset, item in enumerate(ordered, start=1):
        item.rank = -offset
        session.add(item)
    session.flush()
    for offset, item in enumerate(ordered, start=1):
        item.rank = offset
        session.add(item)
    session.flush()


def _scored_item(session: Session, shortlist_id: str, vacancy: Vacancy, profile_id: str) -> ShortlistItem:
    """A person-added candidate, scored and explained as the model would, hard requirements checked."""
    profile = session.get(Profile, profile_id)
    if profile is None or not reconfirmation.is_matchable(profile.published, profile.reconfirmed_at):
        raise NotFound(
            "No published profile with this id (unpublished, awaiting reconfirmation, or erased).", field="profile_id"
        )
    coords = coordinates(session)
    index = ProfileIndex().fit([facts_from_data(profile.id, profile.data, coords)])
    scores = score_all(index, vacancy_facts(vacancy, coords), **taxonomy.scoring_options(session))
    misses = sorted(name for name, mask in scores.excluded.items() if bool(mask[0]))
    explanation = explain(index, scores.frame, 0)
    explanation["hard_misses"] = misses
    minutes = scores.frame.minutes
    return ShortlistItem(
        shortlist_id=shortlist_id,
        rank=0,  # placed by _renumber
        model_rank=None,
        profile_id=profile.id,
        score=float(scores.score[0]),
        breakdown={name: float(scores.contributions[name][0]) for name in COMPONENTS},
        explanation=explanation,
        commute_minutes=None if minutes is None or np.isnan(minutes[0]) else float(minutes[0]),
    )
