"""Ranking on the graded matching-dev set: the service's own scoring beside two text-similarity peers.

A fresh SQLite database gets the seed taxonomy, the ESCO export and the Belgian postcode table through
the product's import code; the set's profiles and vacancies are created through the same services the
API calls (so labels are linked as in production); every vacancy is then scored against every
profile as a shortlist worker does. Printed: nDCG@10 (gain = grade, ideal from every graded pair)
and recall@50 of the grade-2 pairs, for this code (also with every requirement soft, to show what the
hard defaults do) and for two peers computed in the same run on the same data, TF-IDF cosine and
rapidfuzz token_set_ratio between the vacancy's text and the profile's skill labels. Every ranked
item's explanation is checked against its score breakdown.

    python benchmarks/ranking.py [--data DIR] [--esco DIR] [--postcodes FILE]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere without installing the package

from sqlmodel import Session  # noqa: E402

from matching.ranking.explain import disagreements  # noqa: E402
from matching.ranking.facts import CONSTRAINTS, VacancyFacts  # noqa: E402
from matching.ranking.scoring import ProfileIndex, ScoredCandidate, rank  # noqa: E402
from matching.schemas.resources import ProfileCreate, VacancyCreate  # noqa: E402
from matching.services import taxonomy  # noqa: E402
from matching.services.facts import coordinates, profile_facts, vacancy_facts  # noqa: E402
from matching.services.profiles import create_profile  # noqa: E402
from matching.services.vacancies import create_vacancy  # noqa: E402
from matching.store.access import Actor  # noqa: E402
from matching.store.db import make_engine  # noqa: E402
from matching.store.esco_import import import_esco  # noqa: E402
from matching.store.migrate import upgrade  # noqa: E402
from matching.store.models import Organisation  # noqa: E402
from matching.store.postcodes import import_postcodes, load_seed_postcodes  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
DEFAULT_DATA = SHARED / "matching-dev"
DEFAULT_ESCO = SHARED / "esco-v1.1.1"
DEFAULT_POSTCODES = SHARED / "geo" / "be_postcodes.csv"
NDCG_DEPTH = 10
RECALL_DEPTH = 50
TARGETS = {"nDCG@10": 0.90, "recall@50": 0.98}


@dataclass
class DevSet:
    """The set's request bodies by key, and grades per vacancy key and profile key (absent = 0)."""

    vacancies: dict[str, dict[str, Any]]
    profiles: dict[str, dict[str, Any]]
    grades: dict[str, dict[str, int]]


@dataclass
class Scored:
    """The product's view of the set: facts by key and each vacancy's full ranking."""

    vacancy_facts: dict[str, VacancyFacts]
    rankings: dict[str, list[ScoredCandidate]]  # vacancy key -> every eligible profile, best first
    profile_key: dict[str, str]  # profile id -> set key
    all_soft: dict[str, list[str]] = field(default_factory=dict)  # the same with every requirement soft
    timings: dict[str, float] = field(default_factory=dict)


def load_set(data: Path) -> DevSet:
    """Read vacancies.jsonl, profiles.jsonl and grades.tsv."""
    def jsonl(name: str, body: str) -> dict[str, dict[str, Any]]:
        with (data / name).open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
        return {row["key"]: row[body] for row in rows}

    grades: dict[str, dict[str, int]] = defaultdict(dict)
    with (data / "grades.tsv").open(encoding="utf-8", newline="") as handle:
        for vacancy, profile, grade in csv.reader(handle, delimiter="\t"):
            grades[vacancy][profile] = int(grade)
    return DevSet(jsonl("vacancies.jsonl", "vacancy"), jsonl("profiles.jsonl", "profile"), dict(grades))


def prepare(session: Session, esco: Path, postcodes: Path) -> None:
    """Schema data as an installation has it after `taxonomy import-esco` and `geo import`."""
    taxonomy.load_seed(session)
    load_seed_postcodes(session)
    import_esco(session, esco)
    import_postcodes(session, postcodes)
    session.flush()


def score_set(session: Session, dev: DevSet) -> Scored:
    """Create the set through the services, then rank every profile for every vacancy as a worker does."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    taxonomy.snapshot(session)  # the taxonomy cache every process builds once
    timings["taxonomy cache"] = time.perf_counter() - start

    counselling = Organisation(name="bench counselling", kind="counselling")
    employer = Organisation(name="bench employer", kind="employer")
    session.add_all([counselling, employer])
    session.flush()
    counsellor = Actor(user_id="bench", role="counsellor", organisation_id=counselling.id)
    owner = Actor(user_id="bench", role="employer", organisation_id=employer.id)
    start = time.perf_counter()
    profiles = {key: create_profile(session, counsellor, payload=ProfileCreate(**body))
                for key, body in dev.profiles.items()}
    vacancies = {key: create_vacancy(session, owner, payload=VacancyCreate(**body))
                 for key, body in dev.vacancies.items()}
    timings["create (link labels)"] = time.perf_counter() - start

    start = time.perf_counter()
    coords = coordinates(session)
    index = ProfileIndex().fit([profile_facts(p, coords) for p in profiles.values()])
    options = taxonomy.scoring_options(session)
    facts = {key: vacancy_facts(vacancy, coords) for key, vacancy in vacancies.items()}
    rankings = {key: rank(index, facts[key], size=len(profiles), **options) for key in facts}
    timings["score"] = time.perf_counter() - start
    soft = {key: replace(f, constraints=dict.fromkeys(CONSTRAINTS, "soft")) for key, f in facts.items()}
    all_soft = {key: [c.profile_id for c in rank(index, f, size=len(profiles), **options)] for key, f in soft.items()}
    key_of = {p.id: key for key, p in profiles.items()}
    return Scored(facts, rankings, key_of, {k: [key_of[i] for i in ids] for k, ids in all_soft.items()}, timings)


# --- metrics -----------------------------------------------------------------------------------


def ndcg(ranked: Sequence[str], grades: dict[str, int], depth: int = NDCG_DEPTH) -> float:
    """nDCG with gain = grade and log2 discount; the ideal ranking sorts every graded pair."""
    gains = [grades.get(key, 0) for key in ranked[:depth]]
    ideal = sorted(grades.values(), reverse=True)[:depth]
    discount = 1.0 / np.log2(np.arange(2, depth + 2))
    best = float(np.dot(ideal, discount[: len(ideal)]))
    return float(np.dot(gains, discount[: len(gains)])) / best if best else 0.0


def recall(ranked: Sequence[str], grades: dict[str, int], depth: int = RECALL_DEPTH) -> float:
    """Share of grade-2 pairs found in the first `depth` (1 when the vacancy has none)."""
    wanted = {key for key, grade in grades.items() if grade == 2}
    return len(wanted & set(ranked[:depth])) / len(wanted) if wanted else 1.0


def evaluate(rankings: dict[str, list[str]], dev: DevSet) -> dict[str, float]:
    """Mean nDCG@10 and recall@50 over the vacancies."""
    keys = sorted(dev.vacancies)
    return {
        "nDCG@10": float(np.mean([ndcg(rankings[k], dev.grades.get(k, {})) for k in keys])),
        "recall@50": float(np.mean([recall(rankings[k], dev.grades.get(k, {})) for k in keys])),
    }


# --- peers -------------------------------------------------------------------------------------


def vacancy_text(body: dict[str, Any]) -> str:
    """Title, occupation and every requirement label of a vacancy."""
    labels = [r.get("label") or "" for r in (*body.get("must_have", []), *body.get("nice_to_have", []))]
    return " ".join([body.get("title", ""), body.get("occupation") or "", *labels])


def profile_text(body: dict[str, Any]) -> str:
    """The profile's skill labels."""
    return " ".join(s.get("label") or "" for s in body.get("skills", []))


def peer_rankings(dev: DevSet, similarity: Callable[[list[str], list[str]], np.ndarray]) -> dict[str, list[str]]:
    """Profiles by decreasing similarity per vacancy, ties by key."""
    vkeys, pkeys = sorted(dev.vacancies), sorted(dev.profiles)
    scores = similarity([vacancy_text(dev.vacancies[k]) for k in vkeys], [profile_text(dev.profiles[k]) for k in pkeys])
    return {vk: [pkeys[i] for i in np.lexsort((np.arange(len(pkeys)), -scores[row]))]
            for row, vk in enumerate(vkeys)}


def tfidf_cosine(queries: list[str], documents: list[str]) -> np.ndarray:
    """Word TF-IDF cosine (accents stripped), fitted on both sides."""
    vectorizer = TfidfVectorizer(strip_accents="unicode", sublinear_tf=True).fit(queries + documents)
    return (vectorizer.transform(queries) @ vectorizer.transform(documents).T).toarray()


def token_set(queries: list[str], documents: list[str]) -> np.ndarray:
    """rapidfuzz token_set_ratio on lower-cased text."""
    return process.cdist(queries, documents, scorer=fuzz.token_set_ratio, processor=str.lower,
                         score_cutoff=0, workers=1)


# --- main ------------------------------------------------------------------------------------


def run(data: Path, esco: Path, postcodes: Path) -> tuple[DevSet, Scored]:
    """Build a throwaway database, create the set, score it; returns the set and the product's rankings."""
    dev = load_set(data)
    with tempfile.TemporaryDirectory(prefix="blindmatch-ranking-") as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        try:
            upgrade(engine)
            with Session(engine, expire_on_commit=False) as session:
                start = time.perf_counter()
                prepare(session, esco, postcodes)
                import_seconds = time.perf_counter() - start
                scored = score_set(session, dev)
                scored.timings = {"import ESCO + postcodes": import_seconds, **scored.timings}
                session.rollback()
        finally:
            engine.dispose()
    return dev, scored


def check_explanations(scored: Scored) -> tuple[int, list[str]]:
    """Every ranked item's explanation against its breakdown: items checked and problems found."""
    checked, problems = 0, []
    for key, items in scored.rankings.items():
        for item in items:
            checked += 1
            problems += [f"{key}/{item.profile_id}: {p}" for p in disagreements(item, scored.vacancy_facts[key])]
    return checked, problems


def main(argv: list[str] | None = None) -> None:
    """Run the product and the peers, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--esco", type=Path, default=DEFAULT_ESCO)
    parser.add_argument("--postcodes", type=Path, default=DEFAULT_POSTCODES)
    args = parser.parse_args(argv)

    dev, scored = run(args.data, args.esco, args.postcodes)
    ours = {k: [scored.profile_key[i.profile_id] for i in items] for k, items in scored.rankings.items()}
    checked, problems = check_explanations(scored)
    rows = [
        ("blindmatch rank (this run)", evaluate(ours, dev)),
        ("  same, every requirement soft", evaluate(scored.all_soft, dev)),
        ("TF-IDF cosine (peer, this run)", evaluate(peer_rankings(dev, tfidf_cosine), dev)),
        ("rapidfuzz token_set (peer, this run)", evaluate(peer_rankings(dev, token_set), dev)),
    ]
    graded = sum(len(g) for g in dev.grades.values())
    print(f"matching-dev: {len(dev.vacancies)} vacancies x {len(dev.profiles)} profiles, {graded} graded pairs; "
          + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in scored.timings.items()))
    header = f"{'system':<38}{'nDCG@10':>9}{'recall@50':>11}"
    print(header)
    print("-" * len(header))
    for name, metrics in rows:
        print(f"{name:<38}{metrics['nDCG@10']:>9.3f}{metrics['recall@50']:>11.3f}")
    print(f"{'target':<38}{TARGETS['nDCG@10']:>9.2f}{TARGETS['recall@50']:>11.2f}")
    print(f"explanations checked against breakdowns: {checked} items, {len(problems)} disagreements")
    for problem in problems[:10]:
        print("  " + problem)


if __name__ == "__main__":
    main()
