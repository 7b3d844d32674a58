"""The gap view for counsellors: what one skill or language level would open, read from what a worker stored.

Nothing is scored here. The counts (eligible vacancies, best score) are the profile's opportunities, which
the workers keep with the shortlists' own index, scoring and eligibility rule, on every profile change and
every vacancy posted, changed or closed: a profile a shortlist holds is never "eligible for none". The
gaps themselves are computed by the profile's task with its opportunities (matching/ranking/gaps.py); when vacancies
changed since, reading the view asks a worker to compute them again and says `pending` meanwhile.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from matching.language.i18n import DEFAULT_LANGUAGE, gap_text
from matching.ranking.facts import cefr_label
from matching.schemas.resources import GapOut
from matching.schemas.views import ProfileGapsView
from matching.services import taxonomy
from matching.services.opportunities import refresh_gaps, standing
from matching.store.access import Actor, visible_profile
from matching.store.models import ProfileFit, ProfileFitRun, Vacancy, as_utc


def profile_gaps(
    session: Session, actor: Actor, profile_id: str, *, lang: str = DEFAULT_LANGUAGE, limit: int = 10
) -> ProfileGapsView:
    """Rank the skills and language levels this profile lacks by the open vacancies they would open."""
    profile = visible_profile(session, actor, profile_id)
    run = session.exec(select(ProfileFitRun).where(ProfileFitRun.profile_id == profile.id)).first()
    status, matchable = standing(profile, run)
    if run is not None and not refresh_gaps(session, profile, run) and status == "ready":
        status = "pending"  # vacancies changed since: a worker computes the gaps again, within seconds
    report: dict[str, Any] = (run.gaps if run is not None else None) or {}
    # Every open vacancy counts, whoever posted it: the counsellor sees only counts and skill names.
    open_vacancies = session.exec(select(func.count()).select_from(Vacancy).where(Vacancy.status == "open")).one()
    if matchable:
        eligible, best = session.exec(
            select(func.count(), func.max(ProfileFit.score))
            .join(Vacancy, col(Vacancy.id) == ProfileFit.vacancy_id)
            .where(ProfileFit.profile_id == profile.id, Vacancy.status == "open")
        ).one()
    else:  # proposed to nobody, so no fits: what the worker found it would fit once published
        eligible, best = report.get("eligible", 0), report.get("best_score", 0.0)
    return ProfileGapsView(
        profile_id=profile.id,
        lang=lang,
        status=status,
        computed_at=as_utc(run.computed_at) if run is not None else None,
        open_vacancies=open_vacancies,
        eligible_vacancies=eligible,
        best_score=round(best or 0.0, 4),
        gaps=[_gap_out(session, effect, lang) for effect in report.get("effects", [])[:limit]],
    )


def _gap_out(session: Session, effect: dict[str, Any], lang: str) -> GapOut:
    numbers = {"opens": effect["opens"], "improves": effect["improves"], "max_gain": effect["max_gain"]}
    if effect["kind"] == "skill":
        name = taxonomy.preferred_label(session, effect["concept_id"], lang) or effect["concept_id"]
        return GapOut(kind="skill", concept_id=effect["concept_id"], skill=name,
                      best_score_after=effect["best_score_after"], text=gap_text(lang, skill=name, **numbers),
                      **numbers)
    level = cefr_label(effect["level"])
    return GapOut(kind="language", language=effect["language"], channel=effect["channel"], level=level,
                  best_score_after=effect["best_score_after"],
                  text=gap_text(lang, language=effect["language"], channel=effect["channel"], level=level,
                                **numbers),
                  **numbers)
