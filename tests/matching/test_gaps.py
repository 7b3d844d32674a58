"""The gap view's analysis: one skill or language level, and the open vacancies it would open."""

from __future__ import annotations

from matching.ranking.facts import LanguageFact, LanguageRequirement, ProfileFacts, SkillFact, VacancyFacts
from matching.ranking.gaps import analyse, candidate_gaps

CLEANING, FORKLIFT, COOKING = "c:cleaning", "c:forklift", "c:cooking"
PROFILE = ProfileFacts(
    profile_id="p",
    skills=(SkillFact("nettoyage", CLEANING, "advanced", "observed"),),
    languages=(LanguageFact("fr", spoken=4, written=3), LanguageFact("nl", spoken=2, written=1)),
    hours_min=19,
    hours_max=38,
)


def vacancy(key: str, *must: str, dutch: int = 0, hours: int | None = None) -> VacancyFacts:
    """A vacancy asking these must-have concepts and Dutch spoken at this level (0: not asked)."""
    return VacancyFacts(
        vacancy_id=key,
        must_have=tuple(SkillFact(concept, concept) for concept in must),
        languages=(LanguageRequirement("nl", spoken=dutch),) if dutch else (),
        hours_per_week=hours,
    )


VACANCIES = [
    vacancy("v1", CLEANING, dutch=3),
    vacancy("v2", CLEANING, dutch=3),
    vacancy("v3", CLEANING, dutch=4),
    vacancy("v4", CLEANING, FORKLIFT),  # eligible (one must-have of two), as for its shortlist
    vacancy("v5", CLEANING, dutch=2),  # already eligible
    vacancy("v6", COOKING, dutch=3),  # needs two things: no single gap opens it
    vacancy("v7", CLEANING, FORKLIFT, hours=10),  # hours are hard by default: out of reach anyway
]


def test_candidate_gaps_are_the_missing_must_haves_and_the_levels_asked_above_the_profiles_own() -> None:
    gaps = candidate_gaps(PROFILE, VACANCIES)
    assert [(g.kind, g.concept_id) for g in gaps if g.kind == "skill"] == [("skill", COOKING), ("skill", FORKLIFT)]
    assert sorted((g.language, g.channel, g.level) for g in gaps if g.kind == "language") == [
        ("nl", "spoken", 3), ("nl", "spoken", 4)
    ]


def test_gaps_are_ranked_by_the_vacancies_they_would_open() -> None:
    report = analyse(PROFILE, VACANCIES)
    assert (report.vacancies, report.eligible) == (7, 2)
    first, second, third = report.effects[:3]
    # Dutch spoken B1 opens v1 and v2; B2 opens those and v3; forklift raises v4 (v7 stays out: hours).
    assert (first.gap.language, first.gap.level, first.opens) == ("nl", 4, 3)
    assert (second.gap.language, second.gap.level, second.opens) == ("nl", 3, 2)
    assert (third.gap.concept_id, third.opens, third.improves) == (FORKLIFT, 0, 1)
    assert all(effect.gap.concept_id != COOKING or effect.opens == 0 for effect in report.effects)
    assert first.best_score_after >= report.best_score > 0
    assert first.max_gain > 0


def test_a_profile_that_fits_everything_has_no_gaps_and_the_limit_cuts_the_list() -> None:
    assert analyse(PROFILE, [vacancy("v5", CLEANING, dutch=2)]).effects == []
    assert len(analyse(PROFILE, VACANCIES, limit=1).effects) == 1
    assert analyse(PROFILE, []).effects == []


def test_eligible_means_what_it_means_for_a_shortlist() -> None:
    """One must-have of two, or a related skill in place of the one asked, keeps a profile on the shortlist:
    the gap analysis counts that vacancy as eligible, at the score the shortlist gives."""
    from matching.ranking.scoring import ProfileIndex, rank

    related = {FORKLIFT: {CLEANING: 0.5}}
    jobs = [vacancy("two", CLEANING, FORKLIFT), vacancy("related", FORKLIFT)]
    report = analyse(PROFILE, jobs, related=related)
    shortlisted = [rank(ProfileIndex().fit([PROFILE]), job, related=related) for job in jobs]
    assert all(len(items) == 1 for items in shortlisted)
    assert report.eligible == 2
    assert report.best_score == round(max(items[0].score for items in shortlisted), 4)
