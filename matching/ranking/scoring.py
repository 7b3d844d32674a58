"""Score every published profile against one vacancy at once, and explain the top of the ranking.

All profiles are scored together with NumPy/SciPy array operations; Python loops run only over the
vacancy's few requirements and over the handful of items that get an explanation. Nothing depends on
the rest of the population, so a profile's score never changes because other profiles came or went:
a requirement's weight (its skill's specificity) and partial credit for related skills come from the
taxonomy (matching.ranking.relations), never from the profiles. A vacancy's hard requirements leave out
whoever falls short; soft ones only lower the score (matching.ranking.facts.DEFAULT_CONSTRAINTS).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matching.ranking.explain import Credits, Frame, explain, qualified_rows
from matching.ranking.facts import SkillFact, VacancyFacts
from matching.ranking.geo import commute_minutes, haversine_km
from matching.ranking.profile_arrays import (  # re-exported: callers know them from here
    EVIDENCE_WEIGHT,
    LEVEL_RANK,
    LEVEL_WEIGHT,
    LICENCE_IMPLIES,
    NUMBERS,
    ProfileIndex,
    skill_weight,
)
from matching.ranking.weights import COMPONENTS, DEFAULT_WEIGHTS

__all__ = [
    "COMPONENTS", "DEFAULT_WEIGHTS", "EVIDENCE_WEIGHT", "LEVEL_RANK", "LEVEL_WEIGHT", "LICENCE_IMPLIES",
    "ProfileIndex", "ScoredCandidate", "explained", "rank", "score_all", "skill_weight", "top",
]

# Raised whenever a change here can change a score or an order: a shortlist's replay names it.
SCORER_VERSION = "2026.12.1"

LEVEL_GAP_FACTOR = 0.85  # per level the candidate is below the level a requirement asks
HOURS_TOLERANCE = 10.0  # hours outside the candidate's range at which the hours fit reaches 0
START_TOLERANCE_DAYS = 60.0  # days of late start at which the start fit reaches 0
UNKNOWN_LOCATION_SCORE = 0.5  # neither reward nor punish what nobody told us


@dataclass(frozen=True)
class ScoredCandidate:
    """One shortlist item: weighted contributions that add up to the score, and why."""

    profile_id: str
    score: float
    breakdown: dict[str, float]
    explanation: dict[str, list[dict[str, Any]]]
    commute_minutes: float | None


@dataclass
class Scores:
    """One vacancy against every indexed profile: per-profile arrays, before any cut."""

    frame: Frame
    fits: dict[str, NDArray]  # component -> fit in [0, 1]
    contributions: dict[str, NDArray]  # component -> weight x fit, rounded; they add up to score
    score: NDArray
    excluded: dict[str, NDArray]  # constraint -> profiles it leaves out
    eligible: NDArray  # left out by no constraint


def score_all(
    index: ProfileIndex,
    vacancy: VacancyFacts,
    *,
    related: Mapping[str, Mapping[str, float]] | None = None,
    specificity: Mapping[str, float] | None = None,
    weights: Mapping[str, float] | None = None,
    rows: NDArray | None = None,
) -> Scores:
    """Fits, contributions, score and exclusions of every indexed profile for one vacancy.

    With `rows` (sorted, unique), only those profiles, in that order: the arrays are as long as `rows`
    and the frame remembers them, so a ranking over a million profiles pays for the candidates only.
    """
    if not hasattr(index, "profile_ids_"):
        raise ValueError("ProfileIndex is not fitted: call fit(profiles) first")
    if rows is not None:
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) > 1 and not (np.diff(rows) > 0).all():
            raise ValueError("rows must be sorted and unique")
    weights = _checked_weights(DEFAULT_WEIGHTS if weights is None else weights)
    # `is None`, not `or`: an empty-looking mapping must not be swapped, nor a lazy one sized for nothing.
    related = {} if related is None else related
    specificity = {} if specificity is None else specificity
    n = len(index.profile_ids_) if rows is None else len(rows)
    frame = Frame(
        vacancy,
        _credits(index, vacancy.must_have, related, specificity, rows, n),
        _credits(index, vacancy.nice_to_have, related, specificity, rows, n),
        rows=rows,
    )
    excluded: dict[str, NDArray] = {}
    numbers = dict(zip(NUMBERS, frame.pick(index.numbers_).T, strict=True))  # one gather for the six
    if any(req.concept_id for req in vacancy.must_have):
        # Blind hiring matches on skills: someone holding none of the must-haves (nor a related skill)
        # is no candidate, however well the hours or the commute fit.
        excluded["skills"] = ~(frame.must.credit > 0).any(axis=1)
    fits = {
        "skills": frame.nice.component(n),
        "must_have": frame.must.component(n),
        "languages": _languages(index, frame, excluded, n),
        "mobility": _mobility(index, frame, excluded, n, numbers),
        "availability": _availability(index, frame, excluded, n, numbers),
    }
    contributions = {name: np.round(weights[name] * fits[name], 4) for name in COMPONENTS}
    score = np.round(sum(contributions[name] for name in COMPONENTS), 4)
    eligible = np.ones(n, dtype=bool)
    for mask in excluded.values():
        eligible &= ~mask
    return Scores(frame, fits, contributions, score, excluded, eligible)


def rank(
    index: ProfileIndex,
    vacancy: VacancyFacts,
    *,
    size: int = 10,
    min_score: float = 0.0,
    related: Mapping[str, Mapping[str, float]] | None = None,
    specificity: Mapping[str, float] | None = None,
    weights: Mapping[str, float] | None = None,
    qualified_only: bool = False,
    rows: NDArray | None = None,
) -> list[ScoredCandidate]:
    """The best `size` eligible profiles scoring >= min_score, explained; ties by profile id.

    `qualified_only` keeps only the profiles holding every must-have themselves (explain.qualified);
    `rows` (sorted, unique) ranks only those profiles.
    """
    return explained(index, *top(index, vacancy, size=size, min_score=min_score, related=related,
                                 specificity=specificity, weights=weights, qualified_only=qualified_only, rows=rows))


def top(
    index: ProfileIndex,
    vacancy: VacancyFacts,
    *,
    size: int = 10,
    min_score: float = 0.0,
    related: Mapping[str, Mapping[str, float]] | None = None,
    specificity: Mapping[str, float] | None = None,
    weights: Mapping[str, float] | None = None,
    qualified_only: bool = False,
    rows: NDArray | None = None,
) -> tuple[Scores, NDArray]:
    """`rank` before the explanations: the scores, and the positions of the best `size` in order."""
    if size < 0:
        raise ValueError("size must be >= 0")
    scores = score_all(index, vacancy, related=related, specificity=specificity, weights=weights, rows=rows)
    score = scores.score
    wanted = scores.eligible & (score >= min_score)
    if qualified_only:
        wanted &= qualified_rows(scores.frame)
    keep = np.flatnonzero(wanted)
    order = keep[np.lexsort((index.id_rank_[scores.frame.row(keep)], -score[keep]))][:size]
    return scores, order


def explained(index: ProfileIndex, scores: Scores, order: NDArray) -> list[ScoredCandidate]:
    """The shortlist items at these positions of the scores, explained."""
    frame, score = scores.frame, scores.score
    minutes = frame.minutes
    assert minutes is not None
    return [
        ScoredCandidate(
            profile_id=index.profile_id(frame.row(i)),
            score=float(score[i]),
            breakdown={name: float(scores.contributions[name][i]) for name in COMPONENTS},
            explanation=explain(index, frame, int(i)),
            commute_minutes=None if np.isnan(minutes[i]) else float(minutes[i]),
        )
        for i in order
    ]


def _credits(
    index: ProfileIndex,
    requirements: tuple[SkillFact, ...],
    related: Mapping[str, Mapping[str, float]],
    specificity: Mapping[str, float],
    rows: NDArray | None,
    n: int,
) -> Credits:
    """Best credit each profile has for each requirement: the held concept or a related one.

    Only the holders of each concept are touched (a column of the CSC index), never a dense column.
    """
    credit = np.zeros((n, len(requirements)))
    source = np.full((n, len(requirements)), -1, dtype=np.int32)
    options: list[list[str]] = []
    for j, req in enumerate(requirements):
        if req.concept_id is None:
            options.append([])
            continue
        neighbours = sorted((c, f) for c, f in related.get(req.concept_id, {}).items() if c != req.concept_id)
        if any(not 0.0 <= f <= 1.0 for _, f in neighbours):
            raise ValueError(f"related factors for {req.concept_id!r} must lie in [0, 1]")
        options.append([req.concept_id, *(c for c, _ in neighbours)])
        at, codes = index.holders(req.concept_id, rows)
        value = index.grade_weights_[codes]
        if req.level in LEVEL_RANK:
            has = index.grade_levels_[codes]
            value = value * LEVEL_GAP_FACTOR ** np.maximum(LEVEL_RANK[req.level] - has, 0)
        credit[at, j] = value
        source[at[value > 0], j] = 0
        # The best related credit per profile; on equal credits the first option (lowest concept id) wins.
        best, first = np.zeros(n), np.full(n, -1, dtype=np.int32)
        for k, (concept, factor) in enumerate(neighbours, start=1):
            if factor <= 0.0:
                continue
            at, codes = index.holders(concept, rows)
            value = index.grade_weights_[codes] * float(factor)
            better = value > best[at]
            best[at[better]] = value[better]
            first[at[better]] = k
        better = best > credit[:, j]  # strict: on a tie the direct match stays
        credit[better, j] = best[better]
        source[better, j] = first[better]
    weight = np.array([requirement_weight(req, specificity) for req in requirements], dtype=float)
    return Credits(requirements, options, credit, source, weight)


def requirement_weight(requirement: SkillFact, specificity: Mapping[str, float]) -> float:
    """How much a requirement counts among the others: its concept's specificity, 1 when unknown."""
    if requirement.concept_id is None:
        return 1.0
    return float(specificity.get(requirement.concept_id, 1.0))


def _languages(index: ProfileIndex, frame: Frame, excluded: dict[str, NDArray], n: int) -> NDArray:
    """Mean over language requirements of the mean channel fit (1 at level, 0.5 one below, else 0)."""
    vacancy = frame.vacancy
    hard = vacancy.is_hard("languages")
    scores = []
    out = np.zeros(n, dtype=bool)
    for req in vacancy.languages:
        col = index.language_index_.get(req.code)
        absent = np.zeros(n, dtype=np.int8)
        spoken = frame.pick(index.spoken_[:, col]) if col is not None else absent
        written = frame.pick(index.written_[:, col]) if col is not None else absent
        frame.languages.append((req, spoken, written))
        asked = [(has, need) for has, need in ((spoken, req.spoken), (written, req.written)) if need > 0]
        if asked:
            # 0.5 one level below, but only for a language the candidate has on that channel at all
            fits = [
                np.where(has >= need, 1.0, np.where((has == need - 1) & (has > 0), 0.5, 0.0))
                for has, need in asked
            ]
            scores.append(np.mean(fits, axis=0))
            if hard:
                for fit in fits:
                    out |= fit < 1.0
    excluded["languages"] = out
    return np.mean(scores, axis=0) if scores else np.ones(n)


def _mobility(index: ProfileIndex, frame: Frame, excluded: dict[str, NDArray], n: int,
              numbers: dict[str, NDArray]) -> NDArray:
    """Commute against the candidate's limit: 1 within it, 0 at twice it; 0 without a licence asked."""
    vacancy = frame.vacancy
    if vacancy.lat is None or vacancy.lon is None:
        distance = np.full(n, np.nan)
    else:
        distance = np.asarray(haversine_km(numbers["lat"], numbers["lon"], vacancy.lat, vacancy.lon))
    # Whole minutes: the estimate is no finer, and a note never says "too long" at an equal figure.
    frame.minutes = np.round(commute_minutes(distance, frame.pick(index.transport_)))
    ratio = frame.minutes / numbers["max_commute"]
    known = ~np.isnan(frame.minutes)
    fit = np.where(known, np.clip(2.0 - ratio, 0.0, 1.0), UNKNOWN_LOCATION_SCORE)
    # An unknown location is never a reason to leave someone out.
    excluded["commute"] = known & (ratio > 1.0) if vacancy.is_hard("commute") else np.zeros(n, dtype=bool)
    frame.has_licence = np.ones(n, dtype=bool)
    if vacancy.driving_licence:
        col = index.licence_index_.get(vacancy.driving_licence)
        frame.has_licence = frame.pick(index.licences_[:, col]) if col is not None else np.zeros(n, dtype=bool)
    excluded["driving_licence"] = ~frame.has_licence if vacancy.is_hard("driving_licence") else np.zeros(n, bool)
    return np.where(frame.has_licence, fit, 0.0)


def _availability(index: ProfileIndex, frame: Frame, excluded: dict[str, NDArray], n: int,
                  numbers: dict[str, NDArray]) -> NDArray:
    """Mean of hours fit, shift overlap and start fit; each 1 when the vacancy or the profile is silent."""
    vacancy = frame.vacancy
    hours = np.ones(n)
    excluded["hours"] = np.zeros(n, dtype=bool)
    if vacancy.hours_per_week is not None:
        # An unknown bound leaves that side of the range open.
        low = np.nan_to_num(numbers["hours_min"], nan=-np.inf)
        high = np.nan_to_num(numbers["hours_max"], nan=np.inf)
        wanted = vacancy.hours_per_week
        frame.hours_gap = np.maximum(np.maximum(low - wanted, wanted - high), 0.0)
        hours = np.clip(1.0 - frame.hours_gap / HOURS_TOLERANCE, 0.0, 1.0)
        if vacancy.is_hard("hours"):
            excluded["hours"] = frame.hours_gap > 0
    shifts = np.ones(n)
    if vacancy.shifts:
        accepted = frame.pick(index.shifts_)
        for shift in sorted(vacancy.shifts):
            col = index.shift_index_.get(shift)
            frame.shift_accepts[shift] = accepted[:, col] if col is not None else np.zeros(n, dtype=bool)
        # A profile that states no shift preference has not ruled any out.
        frame.shifts_declared = accepted.any(axis=1)
        overlap = np.mean(list(frame.shift_accepts.values()), axis=0)
        shifts = np.where(frame.shifts_declared, overlap, 1.0)
    start = np.ones(n)
    if vacancy.start is not None:
        frame.late_days = numbers["start"] - vacancy.start.toordinal()
        late = np.maximum(np.nan_to_num(frame.late_days, nan=0.0), 0.0)
        start = np.clip(1.0 - late / START_TOLERANCE_DAYS, 0.0, 1.0)
    return (hours + shifts + start) / 3.0


def _checked_weights(weights: Mapping[str, float]) -> Mapping[str, float]:
    """Weights for exactly the five components, non-negative, summing to 1 so scores stay in [0, 1]."""
    if set(weights) != set(COMPONENTS) or any(w < 0 for w in weights.values()):
        raise ValueError(f"weights need non-negative values for exactly {COMPONENTS}")
    if abs(sum(weights.values()) - 1.0) > 1e-9:
        raise ValueError("weights must add up to 1")
    return weights
