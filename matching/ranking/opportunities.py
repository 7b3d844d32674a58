"""Where one profile fits: the open vacancies it is eligible for, best first, scored as a shortlist would.

An opportunity is a vacancy whose shortlist could hold the profile: `score_all`'s eligibility, nothing
else (no hard requirement falls short, and a vacancy naming must-haves needs one of them held or a related
one). Scoring is `matching.ranking.scoring.score_all` itself, one vacancy at a time over a one-profile index, so a
fit's score is the score the profile gets on that vacancy's shortlist. Scoring one vacancy costs a
millisecond or so whatever the profile, so the vacancies naming must-haves the profile reaches none of are
set aside first from the concepts alone: of a thousand vacancies, a few dozen remain.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matching.ranking.facts import ProfileFacts, VacancyFacts
from matching.ranking.scoring import ProfileIndex, score_all


@dataclass(frozen=True)
class Fit:
    vacancy_id: str
    score: float


def within_reach(
    profile: ProfileFacts,
    vacancies: Sequence[VacancyFacts],
    related: Mapping[str, Mapping[str, float]] | None = None,
) -> list[VacancyFacts]:
    """The vacancies for which the profile earns credit on a must-have, and those naming no must-have."""
    held = {skill.concept_id for skill in profile.skills if skill.concept_id}
    related = {} if related is None else related
    reaches: dict[str, bool] = {}  # requirement concept -> the profile holds it or a related concept

    def reached(concept: str) -> bool:
        if concept not in reaches:
            # The same rule as scoring's credits: the concept itself, or a related one with a positive factor.
            neighbours = related.get(concept, {})
            reaches[concept] = concept in held or any(neighbours.get(c, 0.0) > 0.0 for c in held if c != concept)
        return reaches[concept]

    kept = []
    for vacancy in vacancies:
        asked = [req.concept_id for req in vacancy.must_have if req.concept_id]
        if not asked or any(reached(concept) for concept in asked):
            kept.append(vacancy)
    return kept


def best_fits(
    profile: ProfileFacts,
    vacancies: Sequence[VacancyFacts],
    *,
    limit: int | None = 50,
    related: Mapping[str, Mapping[str, float]] | None = None,
    specificity: Mapping[str, float] | None = None,
) -> list[Fit]:
    """The `limit` best opportunities among `vacancies` (all with None), by score then vacancy id."""
    index = ProfileIndex().fit([profile])
    candidates = within_reach(profile, vacancies, related)
    narrowed = _held_only(profile, candidates, related)  # the same credits, looked up among far fewer concepts
    fits = []
    for vacancy in candidates:
        scores = score_all(index, vacancy, related=narrowed, specificity=specificity)
        if scores.eligible[0]:
            fits.append(Fit(vacancy.vacancy_id, float(scores.score[0])))
    fits.sort(key=lambda fit: (-fit.score, fit.vacancy_id))
    return fits[:limit]


def _held_only(
    profile: ProfileFacts, vacancies: Sequence[VacancyFacts], related: Mapping[str, Mapping[str, float]] | None
) -> dict[str, dict[str, float]]:
    """Each asked concept's related concepts that the profile holds: only those can earn it credit, and
    scoring looks through every related concept it is given (hundreds, for a skill shared by many jobs)."""
    held = {skill.concept_id for skill in profile.skills if skill.concept_id}
    related = {} if related is None else related
    asked = {req.concept_id for v in vacancies for req in (*v.must_have, *v.nice_to_have) if req.concept_id}
    narrowed = {}
    for concept in asked:
        neighbours = related.get(concept, {})
        narrowed[concept] = {c: neighbours[c] for c in sorted(held) if c != concept and neighbours.get(c, 0.0) > 0.0}
    return narrowed
