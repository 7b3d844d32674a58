"""Can an employer with two vacancies tell which cards on one are the same people as cards on the other?

The attack: one employer posts two vacancies with overlapping requirements; the liaison presents ten
candidates on each, five of them on both. The employer compares every card of the first vacancy with
every card of the second by content (the similarity below, over every field a card shows) and pairs
them one to one, the best assignment overall (scipy's linear_sum_assignment). The figure is the share
of the people on both vacancies paired correctly; pairing at random gets 1 in 10, and cards that each
hide among k = 5 look-alikes should keep the attacker near 1 in 5 or below.

Before: the card rule as it was (each card its own cheapest rungs over area, hours, languages, start
and shifts among every published profile; the exact score; skills with level and evidence; the related
skill and the credit behind a partial requirement). After: matching/privacy/card.py (one combination
of rungs per vacancy, skills and the licence counted, the crowd limited to those who pass the hard
constraints, a coverage band instead of the score).

    python benchmarks/linkability.py [--profiles 3000] [--pairs 40] [--generated]

The population comes from the ESCO occupation-to-skill relations (benchmarks/synthetic.py) restricted
to a few occupations, as a programme would recruit for; --generated uses a small hand-made world
without ESCO (what the test uses).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import synthetic  # noqa: E402
from matching.privacy import disclosure  # noqa: E402
from matching.privacy.card import Presented, card_fields, cards_in_population  # noqa: E402
from matching.ranking.facts import LanguageRequirement, ProfileFacts, SkillFact, VacancyFacts  # noqa: E402
from matching.ranking.scoring import ProfileIndex, rank, score_all  # noqa: E402

PER_VACANCY = 10  # cards the employer sees on each vacancy
SHARED = 5  # of which presented on both
POSTCODES = Path(__file__).resolve().parents[1] / "matching" / "data" / "brussels_postcodes.csv"


def generated_world(occupations: int = 4, skills_each: int = 8) -> synthetic.World:
    """A small world without ESCO: a few occupations with their own skills, the Brussels postcodes."""
    essential = {f"occ{o}": [f"bm:skill:o{o}s{s}" for s in range(skills_each)] for o in range(occupations)}
    optional = {f"occ{o}": [f"bm:skill:o{(o + 1) % occupations}s{s}" for s in range(3)] for o in range(occupations)}
    labels = {c: c.rsplit(":", 1)[-1] for pool in essential.values() for c in pool}
    with POSTCODES.open(encoding="utf-8") as handle:
        places = [(r["postcode"], float(r["lat"]), float(r["lon"])) for r in csv.DictReader(handle)]
    return synthetic.World(sorted(essential), essential, optional, labels, places)


def esco_world(occupations: int = 4) -> synthetic.World:
    """ESCO's occupations restricted to a few (a programme recruits for a handful of jobs), Brussels only."""
    world = synthetic.World.load()
    rng = np.random.default_rng(3)
    picked = sorted(world.occupations[i] for i in rng.choice(len(world.occupations), occupations, replace=False))
    brussels = [p for p in world.places if p[0].startswith("1") and int(p[0]) < 1300]
    return replace(world, occupations=picked, places=brussels or world.places)


def vacancy_pair(world: synthetic.World, rng: np.random.Generator, index: int) -> tuple[VacancyFacts, VacancyFacts]:
    """Two vacancies of one employer for one occupation, sharing two must-haves, in two places."""
    occupation = world.occupations[int(rng.integers(len(world.occupations)))]
    pool = world.essential[occupation]
    picked = [pool[j] for j in rng.choice(len(pool), size=min(len(pool), 6), replace=False)]

    def vacancy(suffix: str, must: list[str], nice: list[str]) -> VacancyFacts:
        _, lat, lon = world.places[int(rng.integers(len(world.places)))]
        return VacancyFacts(
            vacancy_id=f"v{index}{suffix}",
            must_have=tuple(SkillFact(world.labels.get(s, s), s) for s in must),
            nice_to_have=tuple(SkillFact(world.labels.get(s, s), s) for s in nice),
            languages=(LanguageRequirement("fr", spoken=3), LanguageRequirement("nl", spoken=int(rng.integers(0, 3)))),
            lat=lat, lon=lon, hours_per_week=int(rng.integers(19, 39)),
            shifts=frozenset({"day"}), start=date(2027, 1, 4),
        )

    return (vacancy("a", picked[:3], picked[3:4]), vacancy("b", [*picked[:2], picked[4 % len(picked)]], picked[5:]))


def presentations(
    profiles: list[ProfileFacts], index: ProfileIndex, first: VacancyFacts, second: VacancyFacts
) -> tuple[list[str], list[str], set[str]] | None:
    """The liaison's choice: the best SHARED eligible on both, then the best others on each."""
    one, two = score_all(index, first), score_all(index, second)
    both = np.flatnonzero(one.eligible & two.eligible)
    if len(both) < SHARED:
        return None
    shared = [profiles[i].profile_id for i in both[np.argsort(-(one.score[both] + two.score[both]))][:SHARED]]
    lists = []
    for scores in (one, two):
        others = [profiles[i].profile_id for i in np.argsort(-scores.score)
                  if scores.eligible[i] and profiles[i].profile_id not in shared]
        if len(others) < PER_VACANCY - SHARED:
            return None
        lists.append(shared + others[: PER_VACANCY - SHARED])
    return lists[0], lists[1], set(shared)


def cards_before(profiles: list[ProfileFacts], index: ProfileIndex, vacancy: VacancyFacts,
                 chosen: list[str]) -> dict[str, dict[str, Any]]:
    """The cards as the previous rule built them (what it showed, keyed by concept instead of typed label)."""
    crowd = disclosure.Crowd(disclosure.traits(profiles, vacancy), vacancy,
                             quasi_identifiers=disclosure.SITUATION_ONLY, eligible_only=False)
    position = {p.profile_id: i for i, p in enumerate(profiles)}
    scored = {c.profile_id: c for c in rank(index, vacancy, size=len(profiles))}
    wanted = {s.concept_id for s in vacancy.must_have + vacancy.nice_to_have}
    out = {}
    for profile_id in chosen:
        shown = crowd.disclose(position[profile_id])
        item = scored[profile_id]
        out[profile_id] = card_fields(shown) | {
            "score": item.score,
            "generalised": shown.levels,
            "skills": [{"concept_id": s.concept_id, "level": s.level, "evidence": s.evidence}
                       for s in profiles[position[profile_id]].skills if s.concept_id in wanted],
            "explanation": {kind: [{"concept_id": e["concept_id"], "via": e.get("via_concept_id"),
                                    "credit": e.get("credit")} for e in item.explanation[kind]]
                            for kind in ("matched", "partial", "missing")},
        }
    return out


def cards_after(profiles: list[ProfileFacts], vacancy: VacancyFacts, chosen: list[str]) -> dict[str, dict[str, Any]]:
    presented = [Presented(candidate_ref=f"ref-{p}", profile_id=p, status="presented") for p in chosen]
    cards = cards_in_population(vacancy, presented, profiles, labels={}, lang="en")
    return {card.candidate_ref.removeprefix("ref-"): card.model_dump(
        exclude={"candidate_ref", "status", "reason", "interview_at", "version", "pitch"}) for card in cards}


def features(card: dict[str, Any]) -> set[str]:
    """Every (field, value) a card shows, as comparable strings; texts are left out (they repeat fields)."""
    found: set[str] = set()

    def walk(path: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                if key not in ("text", "k", "met", "lang"):
                    walk(f"{path}.{key}", inner)
        elif isinstance(value, list):
            for inner in value:
                found.add(f"{path}[]={json.dumps(inner, sort_keys=True, default=str)}")
        else:
            found.add(f"{path}={value}")

    walk("", card)
    return found


def similarity(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Shared shown values (Jaccard), less the score gap: the same person shows the same values."""
    fa, fb = features(a), features(b)
    shared = len(fa & fb) / max(len(fa | fb), 1)
    return shared - abs(float(a.get("score", 0)) - float(b.get("score", 0)))


def linked_share(first: dict[str, dict], second: dict[str, dict], shared: set[str],
                 rng: np.random.Generator) -> float:
    """Share of the people on both vacancies the best one-to-one pairing gets right (cards shuffled)."""
    left, right = list(first), list(second)
    rng.shuffle(left)
    rng.shuffle(right)
    matrix = np.array([[similarity(first[a], second[b]) for b in right] for a in left])
    rows, cols = linear_sum_assignment(-matrix)
    return sum(left[r] == right[c] and left[r] in shared for r, c in zip(rows, cols, strict=True)) / len(shared)


@dataclass
class Result:
    pairs: int
    before: float
    after: float
    k_after: float  # mean k reported on the cards after


def measure(world: synthetic.World, *, profiles: int, pairs: int, seed: int = 5) -> Result:
    population = synthetic.profiles(world, profiles, seed=seed)
    index = ProfileIndex().fit(population)
    rng = np.random.default_rng(seed)
    before, after, ks, done, attempts = [], [], [], 0, 0
    while done < pairs and attempts < pairs * 20:
        attempts += 1
        first, second = vacancy_pair(world, rng, attempts)
        chosen = presentations(population, index, first, second)
        if chosen is None:
            continue
        one, two, shared = chosen
        before.append(linked_share(cards_before(population, index, first, one),
                                   cards_before(population, index, second, two), shared, rng))
        a, b = cards_after(population, first, one), cards_after(population, second, two)
        after.append(linked_share(a, b, shared, rng))
        ks += [card["privacy"]["k"] for card in (*a.values(), *b.values())]
        done += 1
    if not done:
        raise RuntimeError("no vacancy pair had enough eligible candidates: raise --profiles")
    return Result(done, float(np.mean(before)), float(np.mean(after)), float(np.mean(ks)))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=3000)
    parser.add_argument("--pairs", type=int, default=40)
    parser.add_argument("--generated", action="store_true", help="a small hand-made world instead of ESCO")
    args = parser.parse_args(argv)
    world = generated_world() if args.generated else esco_world()
    result = measure(world, profiles=args.profiles, pairs=args.pairs)
    source = "generated world" if args.generated else "ESCO, 4 occupations"
    print(f"Cross-vacancy linkability: {args.profiles} profiles ({source}), {result.pairs} vacancy pairs, "
          f"{PER_VACANCY} cards each, {SHARED} on both; chance 1/{PER_VACANCY}, target about 1/{disclosure.K_TARGET}")
    print()
    print("rule | shared candidates paired correctly | mean k on cards")
    print("--- | --- | ---")
    print(f"before (per-card rungs, exact score, level and evidence) | {result.before:.2f} | -")
    print(f"after (card rule) | {result.after:.2f} | {result.k_after:.1f}")


if __name__ == "__main__":
    main()
