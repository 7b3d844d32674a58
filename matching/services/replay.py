"""Replaying a shortlist's scoring run (AI Act Art. 12: traceable): the same seed, settings and exposure
counts against the profiles and vacancy as they are now; identical when nothing changed, else the
answer says what did (vacancy edited, profiles changed, withdrawn or erased by count, taxonomy, scorer,
settings).
"""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from matching.errors import Conflict
from matching.language.i18n import DEFAULT_LANGUAGE
from matching.language.i18n_replay import replay_change_text
from matching.ranking.scoring import SCORER_VERSION
from matching.schemas.oversight import ReplayChange, ReplayItem, ReplayOut
from matching.services import ranking_runs
from matching.services.shortlists import visible_shortlist
from matching.store import reconfirmation, taxonomy_version
from matching.store.access import Actor
from matching.store.models import Profile, ShortlistItem, Vacancy
from matching.store.models_oversight import ShortlistRun, ShortlistRunCandidate


def replay(session: Session, actor: Actor, shortlist_id: str, *, lang: str = DEFAULT_LANGUAGE) -> ReplayOut:
    """Recompute a ready shortlist from its recorded run and compare it with what the model produced then;
    the changes are told in `lang`."""
    shortlist = visible_shortlist(session, actor, shortlist_id)
    run = session.get(ShortlistRun, shortlist.id)
    if shortlist.status != "ready" or run is None:
        raise Conflict(
            "This shortlist has no recorded scoring run to replay (not ready yet, or computed before runs were "
            "recorded).",
            code="not_ready",
        )
    considered = list(
        session.exec(
            select(ShortlistRunCandidate)
            .where(ShortlistRunCandidate.shortlist_id == shortlist.id)
            .order_by(ShortlistRunCandidate.position)
        )
    )
    paused = run.mode == "paused"
    result = ranking_runs.run(
        session,
        shortlist,
        seed=run.seed,
        settings=run.settings,
        paused=paused,
        exposure={c.profile_id: c.exposure for c in considered if c.profile_id is not None},
    )
    model_items = session.exec(
        select(ShortlistItem)
        .where(ShortlistItem.shortlist_id == shortlist.id, col(ShortlistItem.model_rank).isnot(None))
        .order_by(ShortlistItem.model_rank)
    ).all()
    recorded = [
        ReplayItem(model_rank=i.model_rank, profile_id=i.profile_id, score=None if paused else i.score)
        for i in model_items
    ]
    # A replay is an audit, not a new shortlist: a candidate the run did not consider is not named (null).
    known = {c.profile_id for c in considered} | {i.profile_id for i in model_items}
    replayed = [
        ReplayItem(
            model_rank=rank,
            profile_id=c.profile_id if c.profile_id in known else None,
            score=None if paused else c.score,
        )
        for rank, c in enumerate(result.candidates, start=1)
    ]
    return ReplayOut(
        shortlist_id=shortlist.id,
        identical=[(r.profile_id, r.score) for r in recorded]
        == [(c.profile_id, None if paused else c.score) for c in result.candidates],
        mode=run.mode,
        seed=run.seed,
        scorer_version=run.scorer_version,
        taxonomy_version=run.taxonomy_version,
        vacancy_version=run.vacancy_version,
        inputs_digest=run.inputs_digest,
        changes=_changes(session, shortlist, run, considered, lang),
        recorded=recorded,
        replayed=replayed,
    )


def _changes(
    session: Session, shortlist, run: ShortlistRun, considered: list[ShortlistRunCandidate], lang: str
) -> list[ReplayChange]:
    out: list[ReplayChange] = []
    vacancy = session.get(Vacancy, shortlist.vacancy_id)
    if vacancy.version != run.vacancy_version:
        out.append(
            ReplayChange(
                code="vacancy_edited",
                recorded=str(run.vacancy_version),
                now=str(vacancy.version),
                text=replay_change_text("vacancy_edited", lang, then=run.vacancy_version, now=vacancy.version),
            )
        )
    erased = sum(c.profile_id is None for c in considered)
    ids = [c.profile_id for c in considered if c.profile_id is not None]
    rows = {p.id: p for p in session.exec(select(Profile).where(col(Profile.id).in_(ids)))}
    withdrawn = changed = 0
    for c in considered:
        if c.profile_id is None:
            continue
        profile = rows.get(c.profile_id)
        if profile is None:
            erased += 1
        elif not reconfirmation.is_matchable(profile.published, profile.reconfirmed_at):
            withdrawn += 1
        elif ranking_runs.content_digest(profile.data) != c.content_digest:
            changed += 1  # an edit scoring reads (not the pitch, not a reconfirmation)
    for code, count in (("profiles_changed", changed), ("profiles_withdrawn", withdrawn), ("profiles_erased", erased)):
        if count:
            out.append(
                ReplayChange(
                    code=code,
                    count=count,
                    text=replay_change_text(code, lang, count=count, total=len(considered)),
                )
            )
    digest, count = ranking_runs.inputs_digest(session)
    newer = 0
    if digest != run.inputs_digest:
        newer = session.exec(
            select(func.count())
            .select_from(Profile)
            .where(reconfirmation.matchable(), col(Profile.updated_at) > run.computed_at, col(Profile.id).not_in(ids))
        ).one()
    # The digest also moves when a considered profile's pitch is edited: that alone is no change to report.
    # The considered candidates withdrawn or erased are counted above; the rest left or came elsewhere.
    left_elsewhere = run.profiles_count - withdrawn - erased != count
    if digest != run.inputs_digest and (newer or left_elsewhere):
        out.append(
            ReplayChange(
                code="other_profiles_changed",
                count=int(newer),
                recorded=str(run.profiles_count),
                now=str(count),
                text=replay_change_text(
                    "other_profiles_changed", lang, then=run.profiles_count, now=count, newer=newer
                ),
            )
        )
    taxonomy_now = taxonomy_version.current(session)
    if taxonomy_now != run.taxonomy_version:
        out.append(
            ReplayChange(
                code="taxonomy_changed",
                recorded=run.taxonomy_version,
                now=taxonomy_now,
                text=replay_change_text("taxonomy_changed", lang),
            )
        )
    if SCORER_VERSION != run.scorer_version:
        out.append(
            ReplayChange(
                code="scorer_changed",
                recorded=run.scorer_version,
                now=SCORER_VERSION,
                text=replay_change_text("scorer_changed", lang, then=run.scorer_version, now=SCORER_VERSION),
            )
        )
    settings_now = ranking_runs.run_settings(shortlist)
    differing = sorted(k for k in set(settings_now) | set(run.settings) if settings_now.get(k) != run.settings.get(k))
    if differing:
        out.append(
            ReplayChange(
                code="settings_changed",
                recorded=", ".join(differing),
                text=replay_change_text("settings_changed", lang, settings=", ".join(differing)),
            )
        )
    return out
