"""What would open doors: which one missing skill or language level would make a profile eligible for the
most open vacancies, and how much its scores would rise.

The profile and one variant per candidate gap (the profile plus that skill, or with that language
level) are indexed together and scored against every vacancy with the very scoring the shortlists
use, so a gap's effect is what a shortlist would actually see, not a separate estimate. Eligible means
what it means for a shortlist (`score_all`'s eligibility: no hard requirement falls short and, when the
vacancy names must-haves, one of them is held or a related one): a profile a shortlist holds is never
counted out here. A worker computes this with the profile's opportunities (matching/services/opportunities.py).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matching.ranking.facts import LanguageFact, ProfileFacts, SkillFact, VacancyFacts
from matching.ranking.scoring import ProfileIndex, score_all

CHANNELS = ("spoken", "written")


@dataclass(frozen=True)
class Gap:
    """One thing the candidate could acquire: a skill (concept_id) or a language level."""

    kind: str  # "skill" | "language"
    concept_id: str | None = None
    requirement: str | None = None  # how a vacancy asking for the skill wrote it (first seen)
    language: str | None = None
    channel: str | None = None
    level: int = 0  # CEFR 1..6 for a language gap


@dataclass(frozen=True)
class GapEffect:
    """What acquiring one gap would change across the vacancies analysed."""

    gap: Gap
    opens: int  # vacancies that become eligible
    improves: int  # vacancies whose score rises
    max_gain: float  # the largest score rise on one vacancy
    best_score_after: float  # the best score over eligible vacancies once acquired (0 when none)


@dataclass(frozen=True)
class GapReport:
    """The profile's standing today and the gaps ranked by the doors they open."""

    vacancies: int
    eligible: int
    best_score: float  # over eligible vacancies (0 when none)
    effects: list[GapEffect]


def candidate_gaps(profile: ProfileFacts, vacancies: Sequence[VacancyFacts]) -> list[Gap]:
    """Every must-have skill the profile lacks and every language level asked above the profile's own."""
    held = {skill.concept_id for skill in profile.skills if skill.concept_id}
    spoken = {lang.code: lang.spoken for lang in profile.languages}
    written = {lang.code: lang.written for lang in profile.languages}
    skills: dict[str, Gap] = {}
    languages: set[Gap] = set()
    for vacancy in vacancies:
        for req in vacancy.must_have:
            if req.concept_id and req.concept_id not in held and req.concept_id not in skills:
                skills[req.concept_id] = Gap("skill", concept_id=req.concept_id, requirement=req.label)
        for req in vacancy.languages:
            for channel, has in (("spoken", spoken), ("written", written)):
                need = getattr(req, channel)
                if need > has.get(req.code, 0):
                    languages.add(Gap("language", language=req.code, channel=channel, level=need))
    ordered_languages = sorted(languages, key=lambda g: (g.language or "", g.channel or "", g.level))
    return [*sorted(skills.values(), key=lambda g: g.concept_id or ""), *ordered_languages]


def with_gap(profile: ProfileFacts, gap: Gap, profile_id: str) -> ProfileFacts:
    """The profile as it would be with the gap filled, under another id."""
    if gap.kind == "skill":
        added = SkillFact(label=gap.requirement or gap.concept_id or "", concept_id=gap.concept_id)
        return dataclasses.replace(profile, profile_id=profile_id, skills=(*profile.skills, added))
    current = {lang.code: lang for lang in profile.languages}
    old = current.get(gap.language or "", LanguageFact(gap.language or "", 0, 0))
    levels = {"spoken": old.spoken, "written": old.written}
    levels[gap.channel or "spoken"] = max(levels[gap.channel or "spoken"], gap.level)
    current[old.code] = LanguageFact(old.code, **levels)
    return dataclasses.replace(profile, profile_id=profile_id, languages=tuple(current.values()))


def analyse(
    profile: ProfileFacts,
    vacancies: Sequence[VacancyFacts],
    *,
    related: Mapping[str, Mapping[str, float]] | None = None,
    specificity: Mapping[str, float] | None = None,
    limit: int = 10,
) -> GapReport:
    """Score the profile and its one-gap variants against every vacancy; rank gaps by vacancies opened,
    then by vacancies improved, then by the largest rise."""
    gaps = candidate_gaps(profile, vacancies)
    variants = [profile, *(with_gap(profile, gap, f"{profile.profile_id}#{k}") for k, gap in enumerate(gaps, 1))]
    index = ProfileIndex().fit(variants)
    eligible = np.zeros((len(variants), len(vacancies)), dtype=bool)
    score = np.zeros((len(variants), len(vacancies)))
    for j, vacancy in enumerate(vacancies):
        scores = score_all(index, vacancy, related=related, specificity=specificity)
        # The shortlist's own rule. (Demanding every must-have held itself, as this once did, read "0 eligible"
        # for a profile shortlisted at 0.72 through one must-have of two, or through a related skill.)
        eligible[:, j] = scores.eligible
        score[:, j] = scores.score
    best = np.where(eligible, score, 0.0).max(axis=1, initial=0.0)
    effects = []
    for k, gap in enumerate(gaps, start=1):
        gain = np.where(eligible[k], score[k], 0.0) - np.where(eligible[0], score[0], 0.0)
        opens = int((eligible[k] & ~eligible[0]).sum())
        improves = int((gain > 1e-9).sum())
        if opens or improves:
            effects.append(GapEffect(gap, opens, improves, round(float(gain.max(initial=0.0)), 4),
                                     round(float(best[k]), 4)))
    effects.sort(key=lambda e: (-e.opens, -e.improves, -e.max_gain, _gap_key(e.gap)))
    return GapReport(len(vacancies), int(eligible[0].sum()), round(float(best[0]), 4), effects[:limit])


def _gap_key(gap: Gap) -> tuple[str, str, str, int]:
    """A stable order among equal gaps."""
    return (gap.kind, gap.concept_id or gap.language or "", gap.channel or "", gap.level)
