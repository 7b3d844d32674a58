"""Shortlists: requested by a liaison, computed by a worker, presented to the employer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, literal
from sqlmodel import Session, col, select

from matching.errors import Conflict, InvalidInput, NotFound
from matching.language.i18n import DEFAULT_LANGUAGE
from matching.language.i18n import render as render_explanation
from matching.logs import current_request_id
from matching.privacy import candidate_ref
from matching.ranking.explain import qualified
from matching.schemas.oversight import OverrideOut, OverseenItemOut, OverseenShortlistOut
from matching.schemas.resources import PresentationResult, ShortlistBatchRequest, ShortlistRequest
from matching.services import events, ranking_runs, renderings
from matching.services.profiles import record_event
from matching.services.ranking_runs import Ranker, RunResult
from matching.store import audit, outbox, reconfirmation
from matching.store.access import (
    SHORTLIST_READERS,
    Actor,
    follows_vacancy,
    reads_shortlists,
    require_role,
    visible_vacancy,
)
from matching.store.models import (
    Match,
    Profile,
    Shortlist,
    ShortlistItem,
    TrajectoryEvent,
    Vacancy,
    as_utc,
    utcnow,
)
from matching.store.models_oversight import ShortlistOverride, ShortlistRun

COMPUTE_TASK = "shortlist.compute"


def _readable(role: str, organisation_id: Any, *columns: Any) -> Select:
    """`columns` of the shortlists a caller may read: access.reads_shortlists, the rule both read paths use."""
    return (
        select(*columns)
        .join(Vacancy, col(Vacancy.id) == Shortlist.vacancy_id)
        .where(reads_shortlists(role, organisation_id, col(Vacancy.employer_id)))
    )


# The fast read path's access query, built once per role that reads shortlists (building a select costs
# more than running it) and run on the connection.
_HEAD_QUERIES = {
    role: _readable(role, bindparam("organisation_id"), Shortlist.status, Shortlist.version).where(
        Shortlist.id == bindparam("shortlist_id")
    )
    for role in SHORTLIST_READERS
}


def request_shortlist(session: Session, actor: Actor, vacancy_id: str, *, payload: ShortlistRequest) -> Shortlist:
    require_role(actor, "liaison")
    vacancy = visible_vacancy(session, actor, vacancy_id)
    if vacancy.status != "open":
        raise Conflict("This vacancy is closed; reopen or post a new one to shortlist.", code="vacancy_closed")
    return _new_shortlist(session, actor, vacancy, size=payload.size, min_score=payload.min_score,
                         qualified_only=payload.qualified_only)


def request_shortlists(session: Session, actor: Actor, *, payload: ShortlistBatchRequest) -> list[Shortlist]:
    """One shortlist per vacancy, all or none: an unknown, foreign, closed or repeated id refuses the batch."""
    require_role(actor, "liaison")
    wanted = set(payload.vacancy_ids)
    visible = select(Vacancy).where(
        col(Vacancy.id).in_(wanted),
        follows_vacancy(actor),
    )
    found = {v.id: v for v in session.exec(visible)}
    seen: set[str] = set()
    for index, vacancy_id in enumerate(payload.vacancy_ids):
        field = f"vacancy_ids[{index}]"
        vacancy = found.get(vacancy_id)
        if vacancy is None:
            raise NotFound("No vacancy with this id among the ones you can see.", field=field)
        if vacancy_id in seen:
            raise InvalidInput("This vacancy is listed twice.", code="duplicate", field=field)
        if vacancy.status != "open":
            raise Conflict("This vacancy is closed; leave it out of the batch.", code="vacancy_closed", field=field)
        seen.add(vacancy_id)
    return [
        _new_shortlist(session, actor, found[vacancy_id], size=payload.size, min_score=payload.min_score,
                         qualified_only=payload.qualified_only)
        for vacancy_id in payload.vacancy_ids
    ]


def _new_shortlist(
    session: Session, actor: Actor, vacancy: Vacancy, *, size: int, min_score: float, qualified_only: bool
) -> Shortlist:
    """A queued shortlist and its task message, in the caller's transaction."""
    shortlist = Shortlist(
        vacancy_id=vacancy.id,
        requested_by=actor.user_id,
        size=size,
        min_score=min_score,
        qualified_only=qualified_only,
        request_id=current_request_id(),
    )
    session.add(shortlist)
    session.flush()
    outbox.enqueue(session, task=COMPUTE_TASK, args=[shortlist.id])
    return shortlist


def visible_shortlist(session: Session, actor: Actor, shortlist_id: str) -> Shortlist:
    require_role(actor, *SHORTLIST_READERS)
    query = _readable(actor.role, literal(actor.organisation_id), Shortlist).where(Shortlist.id == shortlist_id)
    shortlist = session.exec(query).first()
    if shortlist is None:
        raise NotFound("No shortlist with this id among the ones you can see.", field="shortlist_id")
    return shortlist


def shortlist_json(session: Session, actor: Actor, shortlist_id: str, *, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """The shortlist as the API answers it, in JSON; a ready one is rendered once per version and language."""
    # Every read checks access, cached or not: visible_shortlist's rule (access.reads_shortlists) in one
    # prepared query, this being the request liaisons poll.
    require_role(actor, *SHORTLIST_READERS)
    params = {"shortlist_id": shortlist_id, "organisation_id": actor.organisation_id}
    head = session.connection().execute(_HEAD_QUERIES[actor.role], params).first()
    if head is None:
        raise NotFound("No shortlist with this id among the ones you can see.", field="shortlist_id")
    status, version = head
    # A ready shortlist only changes when an erasure empties an item, which raises its version.
    key = (shortlist_id, version, lang)
    if status == "ready":
        rendered = renderings.cached(key)
        if rendered is not None:
            return rendered
    shortlist = session.get(Shortlist, shortlist_id)
    rendered = to_public(session, shortlist, lang=lang).model_dump_json().encode()
    if shortlist.status != "ready" or shortlist.version != version:
        return rendered
    renderings.keep(key, rendered)
    return rendered


def compute(session: Session, shortlist_id: str) -> Shortlist | None:
    """Score every published profile against the vacancy and store the ranked items (idempotent)."""
    ranked = score(session, shortlist_id)
    if ranked is None:
        return session.get(Shortlist, shortlist_id)
    return store(session, shortlist_id, ranked)


def score(session: Session, shortlist_id: str, *, ranker: Ranker | None = None) -> RunResult | None:
    """The ranking for a shortlist still to compute (None when there is nothing to do); only reads.

    Ranked by score with the fair draw in each band (matching/ranking/fair_order.py), or, while the requesting
    liaison organisation has paused ranking, every eligible candidate shuffled; the seed is recorded.
    `ranker`: the scoring shards' merged answers (matching/ranking/shards.py) instead of this process's index.
    """
    shortlist = session.get(Shortlist, shortlist_id)
    if shortlist is None or shortlist.status == "ready":
        return None
    paused = ranking_runs.is_paused(session, ranking_runs.requester_organisation(session, shortlist))
    return ranking_runs.run(
        session, shortlist, seed=ranking_runs.new_seed(), settings=ranking_runs.run_settings(shortlist), paused=paused,
        ranker=ranker,
    )


def store(session: Session, shortlist_id: str, result: RunResult) -> Shortlist | None:
    """Write a computed ranking as the shortlist's items, in a short write transaction (idempotent)."""
    shortlist = session.get(Shortlist, shortlist_id, with_for_update=True)
    if shortlist is None or shortlist.status == "ready":
        return shortlist
    # Two shortlists of one vacancy stored at once would each miss the other's uncommitted "shortlisted"
    # events and tell the counsellor twice: the vacancy's row lock makes the second wait and see them.
    vacancy = session.get(Vacancy, shortlist.vacancy_id, with_for_update=True)
    # A profile erased between scoring and now must not come back through this shortlist.
    named = [c.profile_id for c in result.candidates] + [c.profile_id for c in result.considered]
    still_there = set(session.exec(select(Profile.id).where(col(Profile.id).in_(named))))
    ranked = [candidate for candidate in result.candidates if candidate.profile_id in still_there]
    paused = result.mode == "paused"
    for old in session.exec(select(ShortlistItem).where(ShortlistItem.shortlist_id == shortlist.id)):
        session.delete(old)
    session.flush()
    already = set(
        session.exec(
            select(TrajectoryEvent.profile_id).where(
                TrajectoryEvent.vacancy_id == vacancy.id, TrajectoryEvent.kind == "shortlisted"
            )
        )
    )
    newly: list[str] = []
    for position, candidate in enumerate(ranked, start=1):
        session.add(
            ShortlistItem(
                shortlist_id=shortlist.id,
                rank=position,
                model_rank=position,
                profile_id=candidate.profile_id,
                score=0.0 if paused else candidate.score,  # paused: the order is random, no score is shown
                breakdown={} if paused else candidate.breakdown,
                explanation=candidate.explanation,
                commute_minutes=candidate.commute_minutes,
            )
        )
        if candidate.profile_id not in already:
            newly.append(candidate.profile_id)
            record_event(
                session,
                candidate.profile_id,
                kind="shortlisted",
                vacancy_id=vacancy.id,
                vacancy_title=vacancy.title,
                sector=vacancy.sector,
            )
    ranking_runs.record(session, shortlist, vacancy, result, still_there)
    shortlist.status = "ready"
    shortlist.error = None
    shortlist.finished_at = utcnow()
    session.add(shortlist)
    session.flush()
    events.shortlist_stored(session, shortlist, vacancy, newly_shortlisted=newly)
    return shortlist


def present(
    session: Session, actor: Actor, shortlist_id: str, *, profile_ids: list[str], secret: str
) -> PresentationResult:
    """Make chosen candidates visible to the employer; each one's counsellor sees it on the trajectory."""
    shortlist = visible_shortlist(session, actor, shortlist_id)
    if shortlist.status != "ready":
        raise Conflict("This shortlist is not ready yet; present candidates once it is.", code="not_ready")
    vacancy = session.get(Vacancy, shortlist.vacancy_id)
    if vacancy.status != "open":
        raise Conflict("This vacancy is closed.", code="vacancy_closed")
    items = {
        i.profile_id: i
        for i in session.exec(
            select(ShortlistItem).where(
                ShortlistItem.shortlist_id == shortlist.id,
                col(ShortlistItem.profile_id).isnot(None),
                col(ShortlistItem.removed).is_(False),  # a person took them off: not presentable from here
            )
        )
    }
    for index, profile_id in enumerate(profile_ids):
        if profile_id not in items:
            raise InvalidInput(
                "This profile is not on this shortlist (or was withdrawn).",
                code="not_on_shortlist",
                field=f"profile_ids[{index}]",
            )
    for index, profile_id in enumerate(profile_ids):
        row = session.get(Profile, profile_id)
        if row is not None and reconfirmation.is_stale(row.published, row.reconfirmed_at):
            # Listed before it went stale: an employer never meets a profile nobody vouches for now.
            raise Conflict(
                "This profile awaits its counsellor's reconfirmation; present it once it is reconfirmed.",
                code="needs_reconfirmation",
                field=f"profile_ids[{index}]",
            )
    presented, already = [], []
    for profile_id in dict.fromkeys(profile_ids):
        if session.get(Profile, profile_id) is None:
            continue
        existing = session.exec(
            select(Match).where(Match.vacancy_id == vacancy.id, Match.profile_id == profile_id)
        ).first()
        if existing is not None:
            already.append(profile_id)
            continue
        item = items[profile_id]
        session.add(
            Match(
                vacancy_id=vacancy.id,
                profile_id=profile_id,
                shortlist_id=shortlist.id,
                candidate_ref=candidate_ref(secret, vacancy.id, profile_id),
                score=item.score,
                explanation=item.explanation,
                commute_minutes=item.commute_minutes,
                chosen_by_person=item.chosen_by_person,
            )
        )
        record_event(
            session,
            profile_id,
            kind="presented",
            vacancy_id=vacancy.id,
            vacancy_title=vacancy.title,
            sector=vacancy.sector,
        )
        presented.append(profile_id)
    session.flush()
    ranking_runs.add_exposure(session, presented)  # a presentation is a showing too (fair exposure)
    events.candidates_presented(session, vacancy, profile_ids=presented)
    if presented:
        audit.append(  # the refs the employer will see, never the profile ids
            session,
            action="candidates.presented",
            actor=actor,
            subject_type="shortlist",
            subject_id=shortlist.id,
            details={
                "vacancy_id": vacancy.id,
                "candidate_refs": [candidate_ref(secret, vacancy.id, profile_id) for profile_id in presented],
            },
        )
    return PresentationResult(shortlist_id=shortlist.id, presented=presented, already_presented=already)


def to_public(session: Session, shortlist: Shortlist, *, lang: str = DEFAULT_LANGUAGE) -> OverseenShortlistOut:
    """The shortlist with each explanation's texts in `lang` (stored as codes and parameters), the model's
    rank beside the final one, and the overrides that made the difference."""
    items = session.exec(
        select(ShortlistItem).where(ShortlistItem.shortlist_id == shortlist.id).order_by(ShortlistItem.rank)
    ).all()
    run = session.get(ShortlistRun, shortlist.id)
    paused = run is not None and run.mode == "paused"
    overrides = session.exec(
        select(ShortlistOverride)
        .where(ShortlistOverride.shortlist_id == shortlist.id)
        .order_by(ShortlistOverride.created_at, ShortlistOverride.id)
    ).all()
    return OverseenShortlistOut(
        id=shortlist.id,
        vacancy_id=shortlist.vacancy_id,
        status=shortlist.status,
        size=shortlist.size,
        min_score=shortlist.min_score,
        qualified_only=shortlist.qualified_only,
        attempts=shortlist.attempts,
        error=shortlist.error,
        created_at=as_utc(shortlist.created_at),
        started_at=as_utc(shortlist.started_at),
        finished_at=as_utc(shortlist.finished_at),
        ranking=run.mode if run is not None else None,
        items=[
            OverseenItemOut(
                rank=i.rank,
                profile_id=i.profile_id,
                score=None if paused and not i.chosen_by_person else i.score,
                breakdown=i.breakdown,
                explanation=render_explanation(i.explanation, lang),
                commute_minutes=i.commute_minutes,
                withdrawn=i.withdrawn,
                model_rank=i.model_rank,
                final_rank=None if i.removed else i.rank,
                chosen_by_person=i.chosen_by_person,
                removed=i.removed,
                hard_misses=list(i.explanation.get("hard_misses", [])),
                qualified=qualified(i.explanation),
            )
            for i in items
        ],
        overrides=[override_public(o, lang) for o in overrides],
    )


def override_public(override: ShortlistOverride, lang: str) -> OverrideOut:
    from matching.language.i18n import override_reason_text

    return OverrideOut(
        id=override.id,
        action=override.action,
        profile_id=override.profile_id,
        reason=override.reason,
        reason_text=override_reason_text(override.reason, lang),
        note=override.note,
        model_rank=override.model_rank,
        final_rank=override.final_rank,
        actor_id=override.actor_id,
        created_at=as_utc(override.created_at),
    )
