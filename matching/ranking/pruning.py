"""Exact top-k over a large index by scoring only the profiles that hold a relevant skill.

When a vacancy names must-have skills, a profile holding none of them (nor a related one) is no
candidate (see `score_all`), so only the holders need scoring. Without must-haves, a profile holding
none of the nice-to-haves gets nothing from the skill components, so its score is at most the weight
of the other components (the bound below): when the k-th best holder scores above it, the others
need not be scored. Otherwise everyone is scored. Either way the answer is exactly `rank` over the
whole index.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from matching.ranking.facts import VacancyFacts
from matching.ranking.scoring import DEFAULT_WEIGHTS, ProfileIndex, ScoredCandidate, rank

# Contributions are rounded to 4 decimals each: keep the bound safely above any rounding.
ROUNDING_SLACK = 1e-3
# Below this many profiles a full scoring is as quick as the selection itself.
PRUNE_FROM = 20_000


def skill_holders(index: ProfileIndex, vacancy: VacancyFacts,
                  related: Mapping[str, Mapping[str, float]] | None, *, must_only: bool = False) -> NDArray:
    """Rows holding a required concept or a related one with a positive factor, sorted."""
    related = related or {}
    concepts: set[str] = set()
    for req in vacancy.must_have + (() if must_only else vacancy.nice_to_have):
        if req.concept_id is not None:
            concepts.add(req.concept_id)
            concepts.update(c for c, factor in related.get(req.concept_id, {}).items() if factor > 0)
    parts = [index.holders(c)[0] for c in sorted(concepts)]
    if not parts:
        return np.empty(0, dtype=np.int64)
    return np.unique(np.concatenate(parts)).astype(np.int64)


def outsider_bound(vacancy: VacancyFacts, weights: Mapping[str, float] | None) -> float:
    """The highest score a profile holding no relevant skill can reach."""
    weights = DEFAULT_WEIGHTS if weights is None else weights
    bound = weights["languages"] + weights["mobility"] + weights["availability"]
    # A component with nothing asked counts as fully met, for everyone.
    bound += weights["must_have"] * (not vacancy.must_have) + weights["skills"] * (not vacancy.nice_to_have)
    return bound + ROUNDING_SLACK


def rank_pruned(index: ProfileIndex, vacancy: VacancyFacts, *, size: int = 10, min_score: float = 0.0,
                related: Mapping[str, Mapping[str, float]] | None = None, prune_from: int = PRUNE_FROM,
                masked: NDArray | None = None, **options) -> list[ScoredCandidate]:
    """The same list as `rank(index, vacancy, ...)`, scoring as few profiles as it can prove enough.

    `masked` (a bool per row) leaves those rows out, as if they were not in the index.
    """
    n = len(index.profile_ids_)
    everyone = None if masked is None or not masked.any() else np.flatnonzero(~masked)
    if n < prune_from or size == 0:
        return rank(index, vacancy, size=size, min_score=min_score, related=related, rows=everyone, **options)
    if any(req.concept_id for req in vacancy.must_have):
        holders = _unmasked(skill_holders(index, vacancy, related, must_only=True), masked)
        return rank(index, vacancy, size=size, min_score=min_score, related=related, rows=holders, **options)
    holders = _unmasked(skill_holders(index, vacancy, related), masked)
    bound = outsider_bound(vacancy, options.get("weights"))
    if len(holders) < (n if everyone is None else len(everyone)):
        best = rank(index, vacancy, size=size, min_score=min_score, related=related, rows=holders, **options)
        if bound < min_score or (len(best) == size and best[-1].score > bound):
            return best
    return rank(index, vacancy, size=size, min_score=min_score, related=related, rows=everyone, **options)


def _unmasked(rows: NDArray, masked: NDArray | None) -> NDArray:
    return rows if masked is None else rows[~masked[rows]]
