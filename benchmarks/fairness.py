"""Fair exposure on the graded matching-dev set: the band draw beside the unconstrained ranking, same run.

The set is created and scored exactly as benchmarks/ranking.py does (same database build, same services).
Then every vacancy gets a shortlist of 10 in a fixed order, twice: once in the model's order (ties by id,
the unconstrained ranking) and once with the fair draw (matching/ranking/fair_order.py) in bands of
BLINDMATCH_FAIR_BAND (0.02), each vacancy with its own seed and the exposure counts of the shortlists
before it, as the service keeps them. Printed for both, the three figures of GET /v1/fairness:

- never shown: the share of qualified profiles (eligible, within the band of a shortlist's 10th place)
  that no shortlist listed;
- exposure per unit of relevance by counselling organisation: its share of the places over its share of
  the qualified candidates' summed scores (goal 0.8 to 1.25). The set carries no organisation: profiles
  are spread over four by a hash of their key, as four services of one programme would publish them;
- nDCG@10 on the grades (the ranking benchmark's definition) and its cost against the unconstrained one
  (goal: at most 3%).

    python benchmarks/fairness.py [--data DIR] [--esco DIR] [--postcodes FILE] [--band 0.02] [--size 10]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere without installing the package

from benchmarks.ranking import DEFAULT_DATA, DEFAULT_ESCO, DEFAULT_POSTCODES, ndcg, run  # noqa: E402
from matching.ranking.fair_order import DEFAULT_BAND, Ranked, fair_order  # noqa: E402
from matching.ranking.scoring import ScoredCandidate  # noqa: E402

ORGANISATIONS = 4
GOAL_RATIO = (0.8, 1.25)
GOAL_COST = 0.03


def organisation_of(key: str) -> str:
    return f"org{int(hashlib.sha256(key.encode()).hexdigest(), 16) % ORGANISATIONS + 1}"


def seed_of(vacancy_key: str) -> int:
    return int(hashlib.sha256(f"fairness-bench\0{vacancy_key}".encode()).hexdigest(), 16) % 2**31


def qualified(items: list[ScoredCandidate], size: int, band: float) -> list[ScoredCandidate]:
    """Eligible candidates scoring within the band of the shortlist's last place."""
    if not items:
        return []
    last = items[min(size, len(items)) - 1].score
    return [c for c in items if c.score >= last - band - 1e-9]


def shortlists(rankings: dict[str, list[ScoredCandidate]], *, size: int, band: float | None) -> dict[str, list[str]]:
    """Each vacancy's top `size`, in a fixed vacancy order; band None: the model's order."""
    shown: Counter[str] = Counter()
    out = {}
    for key in sorted(rankings):
        items = rankings[key]
        if band is None:
            top = [c.profile_id for c in items[:size]]
        else:
            ordered = [Ranked(c.profile_id, c.score) for c in items]
            top = [r.key for r in fair_order(ordered, band=band, seed=seed_of(key), exposure=dict(shown))[:size]]
        shown.update(top)
        out[key] = top
    return out


def figures(rankings, chosen, profile_key, grades, *, size: int, band: float) -> dict[str, object]:
    pool: set[str] = set()
    listed: set[str] = set()
    places: dict[str, int] = defaultdict(int)
    relevance: dict[str, float] = defaultdict(float)
    for key, items in rankings.items():
        top = set(chosen[key])
        for c in qualified(items, size, band):
            org = organisation_of(profile_key[c.profile_id])
            pool.add(c.profile_id)
            relevance[org] += c.score
            if c.profile_id in top:
                places[org] += 1
        listed |= top
    total_places, total_relevance = sum(places.values()), sum(relevance.values())
    ratios = {org: (places[org] / total_places) / (relevance[org] / total_relevance) for org in sorted(relevance)}
    scores = [ndcg([profile_key[i] for i in chosen[k]], grades.get(k, {})) for k in sorted(rankings)]
    return {
        "never_shown": len(pool - listed) / len(pool) if pool else 0.0,
        "qualified": len(pool),
        "ratios": ratios,
        "ndcg": float(np.mean(scores)),
    }


def equal_pool(band: float, *, pool: int = 20, vacancies: int = 30, size: int = 5) -> tuple[int, int]:
    """The issue's case: 30 similar vacancies, 20 equally qualified candidates, top 5 each. How many of the
    20 are shown at least once, ties by id and with the draw."""
    keys = [f"prf_{i:02d}" for i in range(pool)]
    shown: Counter[str] = Counter()
    for vacancy in range(vacancies):
        shown.update(
            r.key
            for r in fair_order(
                [Ranked(k, 0.8) for k in keys], band=band, seed=seed_of(str(vacancy)), exposure=dict(shown)
            )[:size]
        )
    return len(keys[:size]), len(shown)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--esco", type=Path, default=DEFAULT_ESCO)
    parser.add_argument("--postcodes", type=Path, default=DEFAULT_POSTCODES)
    parser.add_argument("--band", type=float, default=DEFAULT_BAND)
    parser.add_argument("--size", type=int, default=10)
    args = parser.parse_args(argv)

    dev, scored = run(args.data, args.esco, args.postcodes)
    rankings = scored.rankings
    model = figures(
        rankings,
        shortlists(rankings, size=args.size, band=None),
        scored.profile_key,
        dev.grades,
        size=args.size,
        band=args.band,
    )
    fair = figures(
        rankings,
        shortlists(rankings, size=args.size, band=args.band),
        scored.profile_key,
        dev.grades,
        size=args.size,
        band=args.band,
    )
    cost = (model["ndcg"] - fair["ndcg"]) / model["ndcg"] if model["ndcg"] else 0.0
    print(
        f"{len(rankings)} vacancies, {len(dev.profiles)} profiles, shortlists of {args.size}, band {args.band}; "
        f"{fair['qualified']} qualified profiles (within the band of a 10th place)"
    )
    print()
    print("| figure | unconstrained (ties by id) | fair draw | goal |")
    print("| --- | --- | --- | --- |")
    print(f"| qualified profiles never shown | {model['never_shown']:.1%} | {fair['never_shown']:.1%} | lower |")
    for org in sorted(model["ratios"]):
        print(
            f"| exposure / relevance, {org} | {model['ratios'][org]:.3f} | {fair['ratios'][org]:.3f} | "
            f"{GOAL_RATIO[0]}-{GOAL_RATIO[1]} |"
        )
    print(f"| nDCG@10 | {model['ndcg']:.4f} | {fair['ndcg']:.4f} | |")
    print(f"| nDCG@10 cost | - | {cost:.2%} | <= {GOAL_COST:.0%} |")
    by_id, drawn = equal_pool(args.band)
    print(
        f"| 30 similar vacancies, 20 equal candidates, top 5: shown at least once | {by_id}/20 | {drawn}/20 "
        "| >= 18/20 |"
    )


if __name__ == "__main__":
    main()
