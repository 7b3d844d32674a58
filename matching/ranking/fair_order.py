"""Fair exposure: candidates whose scores lie within a band are ordered by a seeded draw, not by id.

A pure module (no database): it takes the model's order (score descending, ties by id) and returns the
order a shortlist shows. The list is cut into bands from the top: a band starts at the best candidate not
yet placed and holds every following candidate scoring at most `band` below that one. Inside a band the
order is a weighted draw without replacement (Efraimidis and Spirakis: each candidate draws u in (0, 1)
and is sorted by u ** (1 / weight)), with weight 1 / (1 + times shown over the window): someone shown
less often tends to come first, without anyone being pushed to the bottom for ever. Candidates who fail a
hard requirement (the service leaves them out before this; kept here for callers that do not) never take
part in a draw and keep their place, so a draw can never lift one of them.

Properties the tests hold: no candidate changes places with another scoring more than `band` apart (so
no one crosses a score gap wider than the band), the same seed and exposure give the same order, and the
number of hard-requirement failures in any prefix never rises.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

DEFAULT_BAND = 0.02
# Scores are stored rounded to 4 decimals: two that read 0.02 apart are within a 0.02 band.
TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Ranked:
    """One candidate in the model's order."""

    key: str
    score: float
    meets_hard: bool = True


def bands(candidates: Sequence[Ranked], band: float) -> list[tuple[int, int]]:
    """The [start, end) slices of the model's order that are drawn together (a lone slice is not drawn)."""
    if band < 0:
        raise ValueError("band must be >= 0")
    out: list[tuple[int, int]] = []
    start = 0
    while start < len(candidates):
        end = start + 1
        if candidates[start].meets_hard:
            top = candidates[start].score
            while (
                end < len(candidates) and candidates[end].meets_hard and top - candidates[end].score <= band + TOLERANCE
            ):
                end += 1
        out.append((start, end))
        start = end
    return out


def weight(shown: int) -> float:
    """How strongly a candidate is favoured in a draw: the less shown, the heavier."""
    return 1.0 / (1.0 + max(shown, 0))


def fair_order(
    candidates: Sequence[Ranked], *, band: float, seed: int, exposure: Mapping[str, int] | None = None
) -> list[Ranked]:
    """The model's order with each band drawn by `seed`, favouring the least shown (see the module)."""
    exposure = exposure or {}
    ordered = list(candidates)
    for left, right in zip(ordered, ordered[1:], strict=False):
        if left.meets_hard == right.meets_hard and right.score > left.score + TOLERANCE:
            raise ValueError("candidates must come in the model's order (score descending)")
    rng = np.random.default_rng(seed)
    # One draw per candidate in the model's order, whatever the bands: the same seed and list give the
    # same numbers, so a replay reproduces the order.
    u = rng.random(len(ordered))
    out: list[Ranked] = []
    for start, end in bands(ordered, band):
        members = ordered[start:end]
        if len(members) == 1:
            out.extend(members)
            continue
        weights = np.array([weight(exposure.get(c.key, 0)) for c in members])
        # log(u) / w orders like u ** (1 / w) without underflow; 1 - u keeps u away from 0.
        keys = np.log1p(-u[start:end]) / weights
        # Ties (practically impossible) fall back to the model's order.
        order = sorted(range(len(members)), key=lambda k: (-keys[k], k))
        out.extend(members[k] for k in order)
    return out


def random_order(keys: Sequence[str], *, seed: int) -> list[str]:
    """Every key in a seeded random order (ranking paused): the same seed gives the same order."""
    ordered = sorted(keys)
    permutation = np.random.default_rng(seed).permutation(len(ordered))
    return [ordered[i] for i in permutation]
