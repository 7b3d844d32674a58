"""Synthetic profiles and vacancies generated from the ESCO occupation-to-skill relations.

Shared by the scale and load benchmarks. A profile draws an occupation, then most of its skills from
that occupation's essential skills and some from its optional ones, plus languages, hours, shifts, a
Belgian postcode and a commute limit; a vacancy asks for some essential skills of an occupation.
"""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from matching.ranking.facts import SHIFTS, LanguageFact, LanguageRequirement, ProfileFacts, SkillFact, VacancyFacts

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
LEVELS = ("basic", "intermediate", "advanced")
EVIDENCE = ("self_declared", "observed", "certified")
TRANSPORT = (("public_transport",), ("public_transport", "bike"), ("walk", "public_transport"), ("car",))


def _rows(path: Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class World:
    """The ESCO material the generator draws from."""

    occupations: list[str]
    essential: dict[str, list[str]]
    optional: dict[str, list[str]]
    labels: dict[str, str]
    places: list[tuple[str, float, float]]

    @classmethod
    def load(cls, data: Path = DATA) -> World:
        essential: dict[str, list[str]] = defaultdict(list)
        optional: dict[str, list[str]] = defaultdict(list)
        for row in _rows(data / "esco-v1.1.1" / "occupationSkillRelations_en.csv.gz"):
            (essential if row["relationType"] == "essential" else optional)[row["occupationUri"]].append(
                row["skillUri"]
            )
        labels = {r["conceptUri"]: r["preferredLabel"] for r in _rows(data / "esco-v1.1.1" / "skills_en.csv.gz")}
        with (data / "geo" / "be_postcodes.csv").open(encoding="utf-8") as handle:
            places = [(r["postcode"], float(r["lat"]), float(r["lon"])) for r in csv.DictReader(handle)]
        occupations = sorted(o for o, skills in essential.items() if len(skills) >= 4)
        return cls(occupations, dict(essential), dict(optional), labels, places)


def profiles(world: World, n: int, *, seed: int = 7, prefix: str = "p") -> list[ProfileFacts]:
    """`n` synthetic profiles, reproducible for a seed."""
    rng = np.random.default_rng(seed)
    occupations = rng.integers(len(world.occupations), size=n)
    places = rng.integers(len(world.places), size=n)
    hours_min = rng.integers(8, 30, size=n)
    hours_span = rng.integers(0, 20, size=n)
    starts = rng.integers(0, 120, size=n)
    limits = rng.choice([20, 30, 45, 60], size=n)
    out = []
    base = date(2026, 12, 1)
    for i in range(n):
        occupation = world.occupations[occupations[i]]
        pool = world.essential[occupation]
        take = rng.choice(len(pool), size=min(len(pool), int(rng.integers(3, 7))), replace=False)
        skills = [pool[j] for j in take]
        extra = world.optional.get(occupation, [])
        if extra:
            skills += [extra[int(rng.integers(len(extra)))]]
        _, lat, lon = world.places[places[i]]
        out.append(
            ProfileFacts(
                profile_id=f"{prefix}{i:07d}",
                skills=tuple(
                    SkillFact(
                        label=world.labels.get(s, s),
                        concept_id=s,
                        level=LEVELS[int(rng.integers(3))],
                        evidence=EVIDENCE[int(rng.integers(3))],
                    )
                    for s in dict.fromkeys(skills)
                ),
                languages=(
                    LanguageFact("fr", int(rng.integers(1, 7)), int(rng.integers(0, 6))),
                    LanguageFact("nl", int(rng.integers(0, 5)), int(rng.integers(0, 4))),
                ),
                hours_min=int(hours_min[i]),
                hours_max=int(hours_min[i] + hours_span[i]),
                shifts=frozenset(s for s in SHIFTS if rng.random() < 0.5) or frozenset({"day"}),
                start=base + timedelta(days=int(starts[i])),
                lat=lat,
                lon=lon,
                max_commute_minutes=int(limits[i]),
                transport=frozenset(TRANSPORT[int(rng.integers(len(TRANSPORT)))]),
                driving_licences=frozenset({"B"}) if rng.random() < 0.3 else frozenset(),
            )
        )
    return out


def vacancies(world: World, n: int, *, seed: int = 11) -> list[VacancyFacts]:
    """`n` synthetic vacancies asking for essential skills of an occupation."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        occupation = world.occupations[int(rng.integers(len(world.occupations)))]
        pool = world.essential[occupation]
        picked = [pool[j] for j in rng.choice(len(pool), size=min(len(pool), 5), replace=False)]
        _, lat, lon = world.places[int(rng.integers(len(world.places)))]
        out.append(
            VacancyFacts(
                vacancy_id=f"v{i:03d}",
                must_have=tuple(SkillFact(world.labels.get(s, s), s) for s in picked[:3]),
                nice_to_have=tuple(SkillFact(world.labels.get(s, s), s) for s in picked[3:]),
                languages=(LanguageRequirement("fr", spoken=3), LanguageRequirement("nl", spoken=2)),
                lat=lat,
                lon=lon,
                hours_per_week=int(rng.integers(19, 39)),
                shifts=frozenset({"day"}),
                start=date(2027, 1, 4),
            )
        )
    return out


def skill_text(facts: ProfileFacts | VacancyFacts) -> str:
    """The skill labels as one text (what the naive and PostgreSQL peers compare)."""
    if isinstance(facts, ProfileFacts):
        return " ; ".join(s.label for s in facts.skills)
    return " ; ".join(s.label for s in facts.must_have + facts.nice_to_have)
