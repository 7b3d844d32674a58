"""The gap view for counsellors: what one skill or language level would open, across the open vacancies."""

from __future__ import annotations

from sqlmodel import Session, select

from matching.access import Actor, visible_profile
from matching.facts import cefr_label
from matching.gaps import analyse
from matching.i18n import DEFAULT_LANGUAGE, gap_text
from matching.models import Vacancy
from matching.schemas import GapOut, ProfileGaps
from matching.services import taxonomy
from matching.services.facts import coordinates, profile_facts, vacancy_facts


def profile_gaps(
    session: Session, actor: Actor, profile_id: str, *, lang: str = DEFAULT_LANGUAGE, limit: int = 10
) -> ProfileGaps:
    """Rank the skills and language levels this profile lacks by the open vacancies they would open."""
    profile = visible_profile(session, actor, profile_id)
    coords = coordinates(session)
    # Every open vacancy counts, whoever posted it: the counsellor sees only counts and skill names.
    vacancies = session.exec(select(Vacancy).where(Vacancy.status == "open").order_by(Vacancy.id)).all()
    report = analyse(
        profile_facts(profile, coords),
        [vacancy_facts(v, coords) for v in vacancies],
        limit=limit,
        **taxonomy.scoring_options(session),
    )
    gaps = []
    for effect in report.effects:
        gap = effect.gap
        numbers = {"opens": effect.opens, "improves": effect.improves, "max_gain": effect.max_gain}
        if gap.kind == "skill":
            assert gap.concept_id is not None
            name = taxonomy.preferred_label(session, gap.concept_id, lang) or gap.concept_id
            out = GapOut(kind="skill", concept_id=gap.concept_id, skill=name,
                         best_score_after=effect.best_score_after, text=gap_text(lang, skill=name, **numbers),
                         **numbers)
        else:
            level = cefr_label(gap.level)
            out = GapOut(kind="language", language=gap.language, channel=gap.channel, level=level,
                         best_score_after=effect.best_score_after,
                         text=gap_text(lang, language=gap.language, channel=gap.channel, level=level, **numbers),
                         **numbers)
        gaps.append(out)
    return ProfileGaps(
        profile_id=profile.id,
        lang=lang,
        open_vacancies=report.vacancies,
        eligible_vacancies=report.eligible,
        best_score=report.best_score,
        gaps=gaps,
    )
