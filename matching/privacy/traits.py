"""What a card could show about one person for one vacancy, before any generalisation: the traits.

Read from a profile's facts and the vacancy as scoring reads them (the commute estimated the same way,
the hard constraints and must-haves applied the same way), so that the crowd a card hides in is the
people who could have been presented (matching/privacy/disclosure.py).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from matching.ranking.facts import ProfileFacts, VacancyFacts
from matching.ranking.geo import commute_minutes, haversine_km, mode_mask

DEFAULT_MAX_COMMUTE = 45.0  # as scoring assumes when the counsellor left the limit empty
# A requirement's status on a card: the concept held, only a related one (partial credit), or neither.
HELD, RELATED, MISSING = "held", "related", "missing"
COVERAGE_BANDS = 5  # the coverage band (and the card's score) in fifths: 0.0-0.2 ... 0.8-1.0
# scoring.LICENCE_IMPLIES, repeated here so the privacy rules do not import the scoring engine.
LICENCE_IMPLIES: Mapping[str, tuple[str, ...]] = {
    c: ("B",) for c in ("BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE")
}


@dataclass(frozen=True, slots=True)
class Traits:
    """What a card could show about one person for one vacancy, before any generalisation."""

    commute: float | None  # estimated minutes to the vacancy
    commute_limit: float
    hours_min: int | None
    hours_max: int | None
    shifts: frozenset[str]  # the shifts asked by the vacancy that the person works
    start: date | None
    languages: tuple[tuple[str, int, int], ...]  # (code, spoken, written) for each asked language listed
    # Per requirement concept of the vacancy, in its order: (concept, must_have, status, level, evidence);
    # level and evidence only for a held one.
    skills: tuple[tuple[str, bool, str, str | None, str | None], ...] = ()
    licence: bool | None = None  # holds the licence the vacancy asks; None when it asks none
    eligible: bool = True  # passes the vacancy's hard constraints and must-haves, so could be presented


def requirement_concepts(vacancy: VacancyFacts) -> list[tuple[str, bool]]:
    """The vacancy's requirements a card can speak of: those with a concept, must-haves first, once each."""
    seen: dict[str, bool] = {}
    for reqs, must in ((vacancy.must_have, True), (vacancy.nice_to_have, False)):
        for req in reqs:
            if req.concept_id and req.concept_id not in seen:
                seen[req.concept_id] = must
    return list(seen.items())


def coverage_band(skills: Sequence[tuple[str, bool, str, Any, Any]]) -> str:
    """The share of the requirements shown covered (must-haves count twice, a related skill half), in fifths."""
    weights = [(2.0 if must else 1.0, {HELD: 1.0, RELATED: 0.5}.get(status, 0.0))
               for _, must, status, _, _ in skills]
    total = sum(w for w, _ in weights)
    share = sum(w * v for w, v in weights) / total if total else 1.0
    low = min(int(share * COVERAGE_BANDS + 1e-9), COVERAGE_BANDS - 1)
    return f"{low / COVERAGE_BANDS:.1f}-{(low + 1) / COVERAGE_BANDS:.1f}"


def _skill_statuses(
    p: ProfileFacts, asked: list[tuple[str, bool]], related: Mapping[str, Mapping[str, float]]
) -> tuple[tuple[str, bool, str, str | None, str | None], ...]:
    held = {s.concept_id: s for s in p.skills if s.concept_id}
    out = []
    for concept, must in asked:
        skill = held.get(concept)
        if skill is not None:
            out.append((concept, must, HELD, skill.level, skill.evidence))
        elif any(f > 0 and c in held for c, f in related.get(concept, {}).items() if c != concept):
            out.append((concept, must, RELATED, None, None))
        else:
            out.append((concept, must, MISSING, None, None))
    return tuple(out)


def _eligible(p: ProfileFacts, v: VacancyFacts, skills: tuple, minutes: float | None, licence: bool | None) -> bool:
    """Whether scoring (matching/ranking/scoring.py) would keep this profile in the vacancy's shortlist."""
    if any(must for _, must, _, _, _ in skills) and all(
        status == MISSING for _, must, status, _, _ in skills if must
    ):
        return False
    if v.is_hard("languages"):
        have = {lang.code: lang for lang in p.languages}
        for req in v.languages:
            lang = have.get(req.code)
            spoken, written = (lang.spoken, lang.written) if lang else (0, 0)
            if spoken < req.spoken or written < req.written:
                return False
    limit = float(p.max_commute_minutes or DEFAULT_MAX_COMMUTE)
    if v.is_hard("commute") and minutes is not None and minutes > limit:
        return False
    if v.is_hard("driving_licence") and licence is False:
        return False
    if v.is_hard("hours") and v.hours_per_week is not None:
        low = -math.inf if p.hours_min is None else p.hours_min
        high = math.inf if p.hours_max is None else p.hours_max
        if not low <= v.hours_per_week <= high:
            return False
    return True


def traits(
    profiles: Sequence[ProfileFacts], vacancy: VacancyFacts, related: Mapping[str, Mapping[str, float]] | None = None
) -> list[Traits]:
    """Each profile's traits for this vacancy; the commute is estimated as scoring estimates it.

    `related` is the taxonomy's partial credit (scoring's `related`): a requirement someone does not hold
    but holds a related skill for shows as partly covered. Profiles read without skills hold none.
    """
    if not profiles:
        return []
    related = {} if related is None else related  # `or` would size a lazy mapping
    asked = requirement_concepts(vacancy)
    asked_languages = {req.code for req in vacancy.languages}
    lat = np.array([np.nan if p.lat is None else p.lat for p in profiles], dtype=float)
    lon = np.array([np.nan if p.lon is None else p.lon for p in profiles], dtype=float)
    if vacancy.lat is None or vacancy.lon is None:
        minutes = np.full(len(profiles), np.nan)
    else:
        modes = np.stack([mode_mask(p.transport) for p in profiles])
        minutes = np.round(commute_minutes(haversine_km(lat, lon, vacancy.lat, vacancy.lon), modes))
    out = []
    for i, p in enumerate(profiles):
        commute = None if math.isnan(minutes[i]) else float(minutes[i])
        skills = _skill_statuses(p, asked, related)
        licence = None
        if vacancy.driving_licence:
            held = p.driving_licences.union(*(LICENCE_IMPLIES.get(lic, ()) for lic in p.driving_licences))
            licence = vacancy.driving_licence in held
        out.append(Traits(
            commute=commute,
            commute_limit=float(p.max_commute_minutes or DEFAULT_MAX_COMMUTE),
            hours_min=p.hours_min,
            hours_max=p.hours_max,
            shifts=frozenset(p.shifts) & vacancy.shifts,
            start=p.start,
            languages=tuple(
                sorted((lang.code, lang.spoken, lang.written) for lang in p.languages if lang.code in asked_languages)
            ),
            skills=skills,
            licence=licence,
            eligible=_eligible(p, vacancy, skills, commute, licence),
        ))
    return out
