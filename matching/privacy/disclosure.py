"""What an employer's card may show, generalised until no combination of it singles a person out.

A card shows only what the vacancy asks for. Even so, where someone lives (seen through the commute),
the hours they can work, their levels in the languages asked, the month they can start, the shifts
they work, the skills asked that they hold (with level and evidence) and whether they hold the licence
asked can, together, single out one person among the sixty of a programme year. These are the card's
quasi-identifiers. Each one has a ladder of coarser forms; the cards of one vacancy all take the same
combination of rungs, the one that costs the employer's judgement least among those where every
presented card's values are shown by at least k profiles of the crowd (k-anonymity, Sweeney 2002).

The crowd is the published profiles that the vacancy's hard constraints and its must-haves would let
through: the employer knows every presented person passed them, so a profile that could not have been
presented hides nobody. One rung combination per vacancy (not per card) keeps the rungs from telling
cards apart, and every value reads on fixed grids (5-hour steps, months, CEFR bands), so a person reads
the same way on every vacancy that shows the same rung. matching/privacy/card.py turns the values into
the card.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matching.privacy.traits import (
    DEFAULT_MAX_COMMUTE,
    HELD,
    MISSING,
    RELATED,
    Traits,
    coverage_band,
    requirement_concepts,
    traits,
)
from matching.ranking.facts import CEFR_LEVELS, VacancyFacts, cefr_label

# Read from here by the card rule, the crowds and the tests: the traits are half of the disclosure.
__all__ = [
    "CEFR_BANDS", "CONFIGS", "DEFAULT_MAX_COMMUTE", "HELD", "HIDDEN", "K_TARGET", "LADDERS", "LOSS", "MISSING",
    "QUASI_IDENTIFIERS", "RELATED", "SITUATION_ONLY", "Crowd", "Disclosure", "Traits", "configs",
    "coverage_band", "disclose", "requirement_concepts", "shown_values", "traits",
]

K_TARGET = 5
QUASI_IDENTIFIERS: tuple[str, ...] = ("area", "hours", "languages", "start", "shifts", "skills", "licence")
# The card before skills and licence counted, kept to measure what counting them changed
# (benchmarks/linkability.py).
SITUATION_ONLY: tuple[str, ...] = ("area", "hours", "languages", "start", "shifts")
# What each rung of each ladder costs the employer's judgement; the last rung hides the value. Whether
# the person meets the language level asked matters most, the exact start month least; which skills asked
# a person holds is what the employer is there to judge, so it goes last: reducing the skills to a coverage
# band costs more than hiding every other fact together (6 + 4 + 8 + 3 + 2 = 23 < 30).
LOSS: dict[str, tuple[float, ...]] = {
    "area": (0, 1, 3, 6),  # 10-minute commute band, 30-minute band, within the limit or not, hidden
    "hours": (0, 1, 2, 4),  # range in 5 h, range in 10 h, fits the hours offered or not, hidden
    "languages": (0, 2, 4, 8),  # CEFR levels, CEFR bands (A, B, C), meets the level asked or not, hidden
    "start": (0, 1, 1.5, 3),  # month, quarter, in time for the vacancy's start or not, hidden
    "shifts": (0, 1, 2),  # the asked shifts worked, works them all or not, hidden
    "skills": (0, 1, 3, 30, 60),  # level and evidence, level, held or not, only the coverage band, hidden
    "licence": (0,),  # a legal requirement: the employer must know, so it is counted, never hidden
}
HIDDEN = {qi: len(costs) - 1 for qi, costs in LOSS.items()}
# CEFR's own three bands: basic, independent and proficient user.
CEFR_BANDS = {level: f"{level[0]}1-{level[0]}2" for level in CEFR_LEVELS}


@functools.cache
def configs(quasi_identifiers: tuple[str, ...]) -> tuple[tuple[int, ...], ...]:
    """Every combination of rungs, cheapest first; ties go to the finer rungs in the order given."""
    return tuple(
        sorted(
            itertools.product(*(range(len(LOSS[qi])) for qi in quasi_identifiers)),
            key=lambda rungs: (sum(LOSS[qi][r] for qi, r in zip(quasi_identifiers, rungs, strict=True)), rungs),
        )
    )


CONFIGS = configs(QUASI_IDENTIFIERS)


@dataclass(frozen=True, slots=True)
class Disclosure:
    """The rung reached on each ladder, the values shown there, and how many profiles share them."""

    levels: dict[str, int]
    values: dict[str, Any]
    k: int
    met: bool


# --- the ladders: each returns a hashable value, None when nothing is shown ------------------------


def _band(minutes: float, step: int, cap: int = 90) -> str:
    if minutes >= cap:
        return f"{cap}+"
    low = int(minutes // step * step)
    return f"{low}-{low + step}"


def _area(t: Traits, v: VacancyFacts, level: int) -> Hashable:
    within = None if t.commute is None else t.commute <= t.commute_limit
    if level >= 3:
        return None
    if level == 2 or t.commute is None:
        return (None, within)
    return (_band(t.commute, 10 if level == 0 else 30), within)


def _hours(t: Traits, v: VacancyFacts, level: int) -> Hashable:
    if level >= 3 or (t.hours_min is None and t.hours_max is None):
        return None
    if level == 2:
        if v.hours_per_week is None:
            return None
        return ("fits", (t.hours_min or 0) <= v.hours_per_week <= (t.hours_max or 60))
    step = 5 if level == 0 else 10
    low = None if t.hours_min is None else t.hours_min // step * step
    high = None if t.hours_max is None else -(-t.hours_max // step) * step
    return (low, high)


def _languages(t: Traits, v: VacancyFacts, level: int) -> Hashable:
    if level >= 3:
        return ()
    if level == 2:
        have = {code: (spoken, written) for code, spoken, written in t.languages}
        return tuple(
            (req.code, have.get(req.code, (0, 0))[0] >= req.spoken and have.get(req.code, (0, 0))[1] >= req.written)
            for req in sorted(v.languages, key=lambda r: r.code)
        )

    def shown(rank: int) -> str | None:
        label = cefr_label(rank)
        return label if level == 0 or label is None else CEFR_BANDS[label]

    return tuple((code, shown(spoken), shown(written)) for code, spoken, written in t.languages)


def _start(t: Traits, v: VacancyFacts, level: int) -> Hashable:
    if level >= 3 or t.start is None:
        return None
    if level == 0:
        return f"{t.start:%Y-%m}"
    if level == 1:
        return f"{t.start.year}-Q{(t.start.month - 1) // 3 + 1}"
    return None if v.start is None else ("in_time", t.start <= v.start)


def _shifts(t: Traits, v: VacancyFacts, level: int) -> Hashable:
    if level >= 2 or not v.shifts:
        return None
    if level == 0:
        return tuple(sorted(t.shifts))
    return ("all", t.shifts == v.shifts)


def _skills(t: Traits, v: VacancyFacts, level: int) -> Hashable:
    if level >= 4:
        return None
    if level == 3:
        return ("coverage", coverage_band(t.skills))
    if level == 2:
        return tuple((concept, status) for concept, _, status, _, _ in t.skills)
    if level == 1:
        return tuple((concept, status, skill_level) for concept, _, status, skill_level, _ in t.skills)
    return tuple((concept, status, skill_level, evidence) for concept, _, status, skill_level, evidence in t.skills)


def _licence(t: Traits, v: VacancyFacts, level: int) -> Hashable:
    return t.licence


LADDERS = {"area": _area, "hours": _hours, "languages": _languages, "start": _start, "shifts": _shifts,
           "skills": _skills, "licence": _licence}


def shown_values(t: Traits, v: VacancyFacts, levels: dict[str, int]) -> dict[str, Any]:
    """The value each quasi-identifier shows at these rungs (a ladder left out shows nothing)."""
    return {qi: LADDERS[qi](t, v, levels[qi]) for qi in levels}


class Crowd:
    """Every published profile's traits for one vacancy: what each combination of rungs shows, and to how many.

    Only the eligible count (`Traits.eligible`) unless `eligible_only` is false, the rule before the hard
    constraints were counted. Built once per vacancy, it answers any card: a card's disclosure depends on
    the crowd, the vacancy and the other cards presented on it only. Each rung of each ladder is computed
    once, when first needed; a large crowd is settled in the first combinations, only a small one searches
    far. When profiles are published, changed or
    closed, `update` recodes only those people, so a crowd of 100k follows the changes without a rebuild.
    """

    def __init__(
        self, population: Sequence[Traits], vacancy: VacancyFacts, *, k: int = K_TARGET,
        quasi_identifiers: tuple[str, ...] = QUASI_IDENTIFIERS, eligible_only: bool = True,
    ) -> None:
        self.people: list[Traits | None] = list(population)  # None: left the crowd since it was built
        self.vacancy = vacancy
        self.k = k
        self.quasi_identifiers = quasi_identifiers
        self.configs = configs(quasi_identifiers)
        self.eligible_only = eligible_only
        self._present = np.array([self._counts(t) for t in self.people], dtype=bool)
        # Per (quasi-identifier, rung): each person's value as a small integer code, and the codes given.
        self._codes: dict[tuple[str, int], tuple[np.ndarray, dict[Hashable, int]]] = {}
        # Per combination of rungs: each person's combined key, the keys present and how many share each,
        # and the column sizes the keys were combined with.
        self._groups: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, ...] | None]] = {}
        # The combination chosen for a set of presented cards, until the crowd changes: a read with nothing
        # changed then costs no search.
        self._chosen: dict[tuple[int, ...], tuple[int, ...]] = {}

    def __len__(self) -> int:
        return int(self._present.sum())

    def update(self, changes: dict[int, Traits | None]) -> None:
        """Give these positions new traits (a position at the end adds people), or None to take them out."""
        if not changes:
            return
        self._chosen.clear()
        was_present = {i: i < len(self._present) and bool(self._present[i]) for i in changes}
        grown = max(max(changes) + 1, len(self.people))
        self.people.extend([None] * (grown - len(self.people)))
        self._present = np.concatenate([self._present, np.zeros(grown - len(self._present), dtype=bool)])
        for i, person in changes.items():
            self.people[i] = person
            self._present[i] = self._counts(person)
        for (qi, rung), (codes, seen) in list(self._codes.items()):
            codes = np.concatenate([codes, np.zeros(grown - len(codes), dtype=np.int64)])
            for i, person in changes.items():
                if person is not None:
                    codes[i] = seen.setdefault(LADDERS[qi](person, self.vacancy, rung), len(seen))
            self._codes[qi, rung] = (codes, seen)
        self._regroup(was_present, grown)

    def _counts(self, person: Traits | None) -> bool:
        return person is not None and (person.eligible or not self.eligible_only)

    def _regroup(self, was_present: dict[int, bool], grown: int) -> None:
        """Move the changed people between the groups already counted: sorting everyone again takes ~1 ms
        per combination at 100k, and a card may try dozens of combinations."""
        changed = np.fromiter(was_present, dtype=np.int64, count=len(was_present))
        leaving = changed[np.fromiter(was_present.values(), dtype=bool, count=len(changed))]
        joining = changed[self._present[changed]]
        for rungs, (key, groups, counts, sizes) in list(self._groups.items()):
            columns = [self._column(qi, rung) for qi, rung in zip(self.quasi_identifiers, rungs, strict=True)]
            if sizes is None or tuple(size for _, size in columns) != sizes:
                del self._groups[rungs]  # a value new to a column changed the radix: count afresh when asked
                continue
            key = np.concatenate([key, np.zeros(grown - len(key), dtype=np.int64)])
            np.subtract.at(counts, np.searchsorted(groups, key[leaving]), 1)
            # Everyone changed gets their new key, counted or not: a card shown for someone who no longer
            # passes the hard constraints still reads its own key.
            recoded = np.zeros(len(changed), dtype=np.int64)
            for codes, size in columns:
                recoded = recoded * size + codes[changed]
            key[changed] = recoded
            new = key[joining]
            keys, added = np.unique(new, return_counts=True)
            at = np.searchsorted(groups, keys)
            known = at < len(groups)
            known[known] = groups[at[known]] == keys[known]
            counts[at[known]] += added[known]
            if not known.all():
                groups = np.concatenate([groups, keys[~known]])
                counts = np.concatenate([counts, added[~known]])
                order = np.argsort(groups, kind="stable")
                groups, counts = groups[order], counts[order]
            self._groups[rungs] = (key, groups, counts, sizes)

    def _column(self, qi: str, rung: int) -> tuple[np.ndarray, int]:
        """What each person shows for qi at this rung, as small integer codes, and the radix to combine them
        with: the next power of two above the codes given, so that a publish bringing a new value rarely
        changes it (a changed radix makes every combination using the column count afresh)."""
        if (qi, rung) not in self._codes:
            seen: dict[Hashable, int] = {}
            codes = [
                0 if t is None else seen.setdefault(LADDERS[qi](t, self.vacancy, rung), len(seen))
                for t in self.people
            ]
            self._codes[qi, rung] = (np.asarray(codes, dtype=np.int64), seen)
        codes, seen = self._codes[qi, rung]
        return codes, 1 << len(seen).bit_length()

    def _share(self, i: int, rungs: tuple[int, ...]) -> int:
        """How many of the crowd show what person i shows at these rungs (i itself counted even if it no
        longer passes the hard constraints: its card is shown all the same)."""
        if rungs not in self._groups:
            # One integer per person for the whole combination (mixed radix), then group sizes by sorting.
            columns = [self._column(qi, rung) for qi, rung in zip(self.quasi_identifiers, rungs, strict=True)]
            sizes: tuple[int, ...] | None = tuple(size for _, size in columns)
            if math.prod(sizes) < 1 << 62:
                key = np.zeros(len(self.people), dtype=np.int64)
                for codes, size in columns:
                    key = key * size + codes
            else:  # the radix product would overflow: number the distinct rows instead, counted afresh each time
                stacked = np.stack([codes for codes, _ in columns], axis=1)
                key = np.unique(stacked, axis=0, return_inverse=True)[1].astype(np.int64).ravel()
                sizes = None
            groups, counts = np.unique(key[self._present], return_counts=True)
            self._groups[rungs] = (key, groups, counts, sizes)
        key, groups, counts, _ = self._groups[rungs]
        at = int(np.searchsorted(groups, key[i]))
        found = at < len(groups) and groups[at] == key[i]
        return (int(counts[at]) if found else 0) + (0 if self._present[i] else 1)

    def _check(self, i: int) -> Traits:
        person = self.people[i]
        if person is None:
            raise ValueError(f"person {i} is not in the crowd")
        return person

    def disclose(self, i: int) -> Disclosure:
        """Person i's card alone: the cheapest combination of rungs whose values at least k share.

        The rule before cards of one vacancy were generalised together, kept for measuring it; cards go
        through `disclose_together`.
        """
        return self._disclosed(i, next((c for c in self.configs if self._share(i, c) >= self.k), self.configs[-1]))

    def disclose_together(self, positions: Sequence[int]) -> dict[int, Disclosure]:
        """The cards presented on this vacancy, all at the cheapest combination of rungs at which each of
        them shows values at least k of the crowd share.

        One combination for all: rungs picked per card would tell the cards apart by their pattern.
        When even the coarsest leaves some card below k, every card takes the coarsest, and `met` says
        which cards fall short (fewer than k eligible profiles are published).
        """
        for i in positions:
            self._check(i)
        asked = tuple(sorted(set(positions)))
        if asked not in self._chosen:
            self._chosen[asked] = next(
                (c for c in self.configs if all(self._share(i, c) >= self.k for i in asked)), self.configs[-1]
            )
        return {i: self._disclosed(i, self._chosen[asked]) for i in positions}

    def _disclosed(self, i: int, rungs: tuple[int, ...]) -> Disclosure:
        person = self._check(i)
        reached = self._share(i, rungs)
        levels = dict(zip(self.quasi_identifiers, rungs, strict=True))
        return Disclosure(
            levels=levels, values=shown_values(person, self.vacancy, levels), k=reached, met=reached >= self.k
        )


def disclose(
    cards: Sequence[Traits], population: Sequence[Traits], vacancy: VacancyFacts, *, k: int = K_TARGET
) -> list[Disclosure]:
    """The disclosure of cards presented together in this population (the cards are members of it, by
    identity)."""
    crowd = Crowd(population, vacancy, k=k)
    position = {id(t): i for i, t in enumerate(crowd.people)}
    if any(id(card) not in position for card in cards):
        raise ValueError("every card must be one of the population")
    together = crowd.disclose_together([position[id(card)] for card in cards])
    return [together[position[id(card)]] for card in cards]
