"""Plain value objects the pure algorithms work on: no ORM rows, no requests.

Services turn stored profiles and vacancies into these; scoring, explanations and benchmarks read
only these, so they run without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

CEFR_LEVELS: tuple[str, ...] = ("A1", "A2", "B1", "B2", "C1", "C2")
# 0 means "none"; A1..C2 map to 1..6 so levels compare as integers.
CEFR_RANK: dict[str, int] = {level: rank for rank, level in enumerate(CEFR_LEVELS, start=1)}

SKILL_LEVELS: tuple[str, ...] = ("basic", "intermediate", "advanced")
EVIDENCE_KINDS: tuple[str, ...] = ("self_declared", "observed", "certified")
SHIFTS: tuple[str, ...] = ("early_morning", "day", "evening", "night", "weekend")
TRANSPORT_MODES: tuple[str, ...] = ("public_transport", "bike", "walk", "car")

# Per vacancy, each of these requirements is "hard" (a candidate who falls short is left out of the
# shortlist) or "soft" (a shortfall only lowers the score). Defaults: a stated language level is a
# minimum employers mean, and the counsellor plans training against it; the candidate's hours range is
# what their life allows; a driving licence is a legal requirement; the commute stays soft because it
# is an estimate from a straight line, not a timetable.
CONSTRAINTS: tuple[str, ...] = ("languages", "hours", "commute", "driving_licence")
CONSTRAINT_MODES: tuple[str, ...] = ("hard", "soft")
DEFAULT_CONSTRAINTS: dict[str, str] = {
    "languages": "hard",
    "hours": "hard",
    "commute": "soft",
    "driving_licence": "hard",
}
# Taxonomy concepts that are driving-licence categories (seed taxonomy ids). A profile states its licences
# in mobility.driving_licences, not as skills; scoring counts a held licence as holding its concept, so
# a vacancy listing "permis B" among its skills credits whoever holds B instead of a loosely related skill.
LICENCE_CONCEPTS: dict[str, str] = {
    "bm:skill:driving-licence-b": "B",
    "bm:skill:licence-c": "C",
    "bm:skill:licence-ce": "CE",
    "bm:skill:licence-d": "D",
}
# The label an explanation shows for a licence counted that way (the profile typed no label for it).
HELD_LICENCE_LABEL = "driving licence {licence}"


def cefr_rank(level: str | None) -> int:
    """CEFR label to 0..6 (0 for none)."""
    return CEFR_RANK[level] if level else 0


def cefr_label(rank: int) -> str | None:
    """0..6 back to a CEFR label (None for 0)."""
    return CEFR_LEVELS[rank - 1] if rank > 0 else None


def effective_constraints(given: dict[str, str | None] | None = None) -> dict[str, str]:
    """Every constraint's mode: the ones given, the defaults for the rest."""
    given = given or {}
    unknown = set(given) - set(CONSTRAINTS)
    if unknown or any(mode not in (None, *CONSTRAINT_MODES) for mode in given.values()):
        raise ValueError(f"constraints are {CONSTRAINTS}, each one of {CONSTRAINT_MODES}")
    return {name: given.get(name) or DEFAULT_CONSTRAINTS[name] for name in CONSTRAINTS}


@dataclass(frozen=True, slots=True)
class SkillFact:
    """A skill as typed and as understood: concept_id is None when the label was not recognised."""

    label: str
    concept_id: str | None
    level: str | None = None
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class LanguageFact:
    """A candidate's level in one language, spoken and written apart (0..6)."""

    code: str
    spoken: int
    written: int


@dataclass(frozen=True, slots=True)
class LanguageRequirement:
    """A vacancy's minimum level in one language (0 = not required for that channel)."""

    code: str
    spoken: int = 0
    written: int = 0


@dataclass(frozen=True)
class ProfileFacts:
    """What a published profile can do and needs: never who the person is."""

    profile_id: str
    skills: tuple[SkillFact, ...] = ()
    languages: tuple[LanguageFact, ...] = ()
    hours_min: int | None = None
    hours_max: int | None = None
    shifts: frozenset[str] = field(default_factory=frozenset)
    start: date | None = None
    lat: float | None = None
    lon: float | None = None
    max_commute_minutes: int | None = None
    transport: frozenset[str] = field(default_factory=frozenset)
    driving_licences: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class VacancyFacts:
    """What a vacancy asks for."""

    vacancy_id: str
    must_have: tuple[SkillFact, ...] = ()
    nice_to_have: tuple[SkillFact, ...] = ()
    languages: tuple[LanguageRequirement, ...] = ()
    lat: float | None = None
    lon: float | None = None
    hours_per_week: int | None = None
    shifts: frozenset[str] = field(default_factory=frozenset)
    start: date | None = None
    driving_licence: str | None = None
    constraints: dict[str, str] = field(default_factory=effective_constraints)

    def __post_init__(self) -> None:
        object.__setattr__(self, "constraints", effective_constraints(self.constraints))

    def is_hard(self, constraint: str) -> bool:
        """True when falling short of this constraint leaves a candidate out."""
        return self.constraints[constraint] == "hard"
