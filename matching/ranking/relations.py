"""What the taxonomy's relations say about skills, for scoring: how specific a skill is, and which
other skills earn partial credit for it.

Both come from the taxonomy alone (never from the profiles indexed), so a profile's score does not
move when other profiles come or go. Pure functions over (source, relation, target) triples, as the
`concept_relation` table stores them: `broader` (concept -> broader concept), `essential` /
`optional` (occupation -> skill), `related_essential` / `related_optional` (skill -> skill).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

Triple = tuple[str, str, str]

# Partial credit for holding a related skill instead of the one asked, by how they relate.
HIERARCHY_CREDIT = 0.5  # one step up or down the skill hierarchy ("cleaning" for "office cleaning")
LINK_CREDIT: Mapping[str, float] = {"related_essential": 0.5, "related_optional": 0.25}
# Skills essential to the same occupations: up to this much, in proportion to the share of the asked
# skill's occupations that also need the other one. Below the floor the tie is too loose to count.
CO_ESSENTIAL_CREDIT = 0.3
CO_ESSENTIAL_FLOOR = 0.05
# An occupation with more essential skills than this is a broad catch-all; co-occurring in it says little.
CO_ESSENTIAL_MAX_SKILLS = 60


def skill_specificity(triples: Iterable[Triple]) -> dict[str, float]:
    """IDF-style weight per skill from how many occupations name it (essential or optional), scaled so
    the median skill weighs 1: "work in teams" (hundreds of occupations) weighs less than "operate a
    scrubber dryer" (a handful). Skills no occupation names are left out (callers use 1)."""
    occupations: set[str] = set()
    named_by: dict[str, set[str]] = defaultdict(set)
    for source, relation, target in triples:
        if relation in ("essential", "optional"):
            occupations.add(source)
            named_by[target].add(source)
    if not named_by:
        return {}
    total = len(occupations)
    idf = {skill: 1.0 + math.log((1 + total) / (1 + len(names))) for skill, names in named_by.items()}
    ordered = sorted(idf.values())
    median = ordered[len(ordered) // 2]
    return {skill: round(value / median, 4) for skill, value in idf.items()}


class RelatedSkills(Mapping[str, Mapping[str, float]]):
    """concept -> {related concept: credit factor in (0, 1)}, the best reason for each pair kept.

    Hierarchy and skill-to-skill links are read once; co-essential credit is worked out per asked
    concept on first use and cached, since a shortlist asks for a few concepts out of thousands.
    """

    def __init__(self, triples: Iterable[Triple]) -> None:
        """Index the relations (one pass over the triples)."""
        self._direct: dict[str, dict[str, float]] = defaultdict(dict)
        self._essential_of: dict[str, set[str]] = defaultdict(set)  # skill -> occupations needing it
        self._needs: dict[str, set[str]] = defaultdict(set)  # occupation -> essential skills
        for source, relation, target in triples:
            if source == target:
                continue
            if relation == "broader":
                self._link(source, target, HIERARCHY_CREDIT)
                self._link(target, source, HIERARCHY_CREDIT)
            elif relation in LINK_CREDIT:
                self._link(source, target, LINK_CREDIT[relation])
                self._link(target, source, LINK_CREDIT[relation])
            elif relation == "essential":
                self._essential_of[target].add(source)
                self._needs[source].add(target)
        self._cache: dict[str, dict[str, float]] = {}

    def _link(self, source: str, target: str, factor: float) -> None:
        self._direct[source][target] = max(factor, self._direct[source].get(target, 0.0))

    def __getitem__(self, concept: str) -> Mapping[str, float]:
        """Related concepts with their credit factors (empty when none)."""
        found = self._cache.get(concept)
        if found is None:
            found = self._co_essential(concept)
            for other, factor in self._direct.get(concept, {}).items():
                found[other] = max(factor, found.get(other, 0.0))
            self._cache[concept] = found
        return found

    def _co_essential(self, concept: str) -> dict[str, float]:
        """Skills essential to the occupations this skill is essential to, by the share they co-occur."""
        occupations = [o for o in self._essential_of.get(concept, ()) if len(self._needs[o]) <= CO_ESSENTIAL_MAX_SKILLS]
        if not occupations:
            return {}
        counts: dict[str, int] = defaultdict(int)
        for occupation in occupations:
            for skill in self._needs[occupation]:
                counts[skill] += 1
        share = 1.0 / len(occupations)
        return {
            skill: round(CO_ESSENTIAL_CREDIT * count * share, 4)
            for skill, count in counts.items()
            if skill != concept and CO_ESSENTIAL_CREDIT * count * share >= CO_ESSENTIAL_FLOOR
        }

    def get(self, concept: str, default: Mapping[str, float] | None = None) -> Mapping[str, float]:  # type: ignore[override]
        """Like __getitem__, never raising: a concept without relations has no related concepts."""
        return self[concept] or (default if default is not None else {})

    def __contains__(self, concept: object) -> bool:
        return isinstance(concept, str) and (concept in self._direct or concept in self._essential_of)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(set(self._direct) | set(self._essential_of)))

    def __len__(self) -> int:
        return len(set(self._direct) | set(self._essential_of))
