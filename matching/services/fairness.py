"""Fair-exposure figures for the admin (GET /v1/fairness), from the recorded scoring runs of the window.

Qualified: a profile that met every hard requirement and scored within the band of a shortlist's last
place (the candidates each run records: the shortlist and the band at its cut). Never shown: qualified at
least once over the window and listed on none of those shortlists. Exposure per unit of relevance, per
counselling organisation (the only grouping the service holds): its share of the places on shortlists
over its share of the qualified candidates' summed scores; 1 is proportional, the goal 0.8 to 1.25.
Runs while ranking was paused are left out: their order was random by design.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from matching.schemas.oversight import FairnessOut, OrganisationExposure
from matching.settings import get_settings
from matching.store.access import Actor, require_role
from matching.store.models import Profile, utcnow
from matching.store.models_oversight import ShortlistRun, ShortlistRunCandidate

GOAL = (0.8, 1.25)


def figures(session: Session, actor: Actor, *, now: datetime | None = None) -> FairnessOut:
    require_role(actor, "admin")
    settings = get_settings()
    since = (now or utcnow()) - timedelta(days=settings.exposure_window_days)
    rows = session.exec(
        select(
            ShortlistRunCandidate.shortlist_id,
            ShortlistRunCandidate.profile_id,
            ShortlistRunCandidate.score,
            ShortlistRunCandidate.shown,
            Profile.organisation_id,
        )
        .join(ShortlistRun, col(ShortlistRun.shortlist_id) == ShortlistRunCandidate.shortlist_id)
        .join(Profile, col(Profile.id) == ShortlistRunCandidate.profile_id)
        .where(ShortlistRun.mode == "ranked", col(ShortlistRun.computed_at) >= since)
    ).all()
    qualified: set[str] = set()
    shown_ever: set[str] = set()
    runs: set[str] = set()
    places: dict[str, int] = defaultdict(int)
    relevance: dict[str, float] = defaultdict(float)
    for shortlist_id, profile_id, score, shown, organisation_id in rows:
        runs.add(shortlist_id)
        qualified.add(profile_id)
        relevance[organisation_id] += score
        if shown:
            shown_ever.add(profile_id)
            places[organisation_id] += 1
    total_places, total_relevance = sum(places.values()), sum(relevance.values())
    organisations = []
    for organisation_id in sorted(relevance):
        ratio = None
        if total_places and total_relevance and relevance[organisation_id] > 0:
            ratio = round((places[organisation_id] / total_places) / (relevance[organisation_id] / total_relevance), 3)
        organisations.append(
            OrganisationExposure(
                organisation_id=organisation_id,
                shown=places[organisation_id],
                relevance=round(relevance[organisation_id], 4),
                exposure_per_relevance=ratio,
                within_goal=None if ratio is None else GOAL[0] <= ratio <= GOAL[1],
            )
        )
    never = len(qualified - shown_ever)
    return FairnessOut(
        window_days=settings.exposure_window_days,
        band=settings.fair_band,
        shortlists=len(runs),
        qualified_profiles=len(qualified),
        never_shown=never,
        never_shown_share=round(never / len(qualified), 4) if qualified else None,
        goal=GOAL,
        organisations=organisations,
    )
