"""Does a learned re-ranker over the product's top 10 occupations lift success@1 on MELO bel_q_fr_c_fr?

Every query goes through the product's own path (`matching.services.taxonomy.search`, kind occupation,
lang fr, on the seed taxonomy plus the ESCO export imported by `import_esco`, as
`occupation_linking.py --product` builds it). For each of the first 10 concepts found, features the
product can compute from what it stores are taken (see `rerank_features.py`); with `--descriptions`,
the similarity of the query to ESCO's French occupation description is added, which the product does
not store today (it would take a schema change, so it is measured before it is built).

Re-rankers (scikit-learn logistic regression and a small gradient boosting, `random_state` fixed) are
fitted on queries and scored only on queries they were not fitted on, with the plain ranking on the same
queries in the same run:
- the held-out half of `occupation_linking.py` (`--split-seed`, the same seeded split), fitted on the
  other half;
- all 328 queries by k-fold cross-fitting (`--folds`, seeded): each query scored by the model of the
  fold it was left out of.
Only the first 10 are reordered; the rest of the ranking stays, so MAP over 1000 elements stays
comparable with `occupation_linking.py`. "Oracle" puts the first relevant concept of the top 10 first:
the most any re-ranker of the top 10 could reach.

    python benchmarks/linking_reranker.py [--data DIR] [--esco DIR] [--split-seed N] [--folds K]
                                          [--descriptions]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere without installing the package

from benchmarks.occupation_linking import (  # noqa: E402
    DEFAULT_DATA,
    DEFAULT_ESCO,
    PUBLISHED,
    Ranking,
    concept_of,
    evaluate,
    expand,
    held_out,
    imported_taxonomy,
    load,
    read_tsv,
)
from benchmarks.rerank_features import FEATURE_NAMES, TaxonomyFacts, candidate_features  # noqa: E402
from matching.services import taxonomy  # noqa: E402

TOP = 10  # candidates a re-ranker may reorder
LIMIT = 50  # concepts asked from search, as occupation_linking.py asks

Candidates = list[tuple[str, float]]  # product concept id, search score; best first


def description_similarity(esco: Path) -> Callable[[str, list[str]], np.ndarray]:
    """Character TF-IDF cosine of a query with ESCO's French description of each candidate."""
    with gzip.open(esco / "occupations_fr.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        descriptions = {row["conceptUri"]: row["description"] for row in csv.DictReader(handle)}
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    vectorizer.fit(descriptions.values())

    def similarity(query: str, concepts: list[str]) -> np.ndarray:
        texts = vectorizer.transform([descriptions.get(c, "") for c in concepts])
        return (texts @ vectorizer.transform([query]).T).toarray().ravel()

    return similarity


def models(random_state: int) -> dict[str, Callable[[], Any]]:
    """The re-rankers tried, each a fresh unfitted scikit-learn estimator."""
    return {
        "logistic regression": lambda: make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000)),
        "gradient boosting": lambda: HistGradientBoostingClassifier(
            max_depth=3, max_iter=100, learning_rate=0.05, random_state=random_state),
    }


def fit_model(make: Callable[[], Any], features: dict[str, np.ndarray],
              labels: dict[str, np.ndarray], train: list[str]) -> Any:
    """One estimator fitted on the candidates of the training queries (relevant or not)."""
    x = np.vstack([features[q] for q in train if len(features[q])])
    y = np.concatenate([labels[q] for q in train if len(features[q])])
    return make().fit(x, y)


def reordered(candidates: Candidates, order: np.ndarray) -> Candidates:
    """The first TOP candidates in the given order, the rest as they were; scores made decreasing."""
    top = [candidates[i] for i in order] + candidates[TOP:]
    return [(concept, float(len(top) - rank)) for rank, (concept, _) in enumerate(top)]


def to_ranking(candidates: Candidates, melo_concept: dict[str, str], elements: dict[str, list[str]]) -> Ranking:
    """Product concepts to MELO elements; concepts MELO lacks (seed, newer ESCO) have none to count."""
    return expand([(melo_concept[c], s) for c, s in candidates if c in melo_concept], elements)


def main(argv: list[str] | None = None) -> None:
    """Collect candidates through the product, fit and score re-rankers, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--esco", type=Path, default=DEFAULT_ESCO)
    parser.add_argument("--split-seed", type=int, default=14, help="seed of the held-out half")
    parser.add_argument("--folds", type=int, default=5, help="folds of the cross-fitting over all queries")
    parser.add_argument("--random-state", type=int, default=0, help="seed of the folds and the models")
    parser.add_argument("--descriptions", action="store_true",
                        help="add the ESCO description similarity (not stored by the product today)")
    args = parser.parse_args(argv)

    queries, corpus, qrels = load(args.data)
    elements: dict[str, list[str]] = {}
    for eid in corpus:
        elements.setdefault(concept_of(eid), []).append(eid)
    melo_concept = {uri: concept_of(eid) for eid, uri in read_tsv(args.data / "concept_mapping.tsv")}
    relevant = {q: {concept_of(e) for e in rel} for q, rel in qrels.items()}
    describe = description_similarity(args.esco) if args.descriptions else None

    with imported_taxonomy(args.esco) as (session, note):
        facts = TaxonomyFacts.from_session(session)
        candidates: dict[str, Candidates] = {}
        features: dict[str, np.ndarray] = {}
        for qid, text in queries.items():
            hits = taxonomy.search(session, q=text, lang="fr", kind="occupation", limit=LIMIT)
            candidates[qid] = [(hit.concept_id, hit.score) for hit in hits]
            top = hits[:TOP]
            rows = candidate_features(text, top, facts)
            if describe is not None and top:
                similar = describe(text, [hit.concept_id for hit in top])
                rows = np.hstack([rows, similar[:, None], (similar - similar.max())[:, None]])
            features[qid] = rows
    labels = {q: np.asarray([melo_concept.get(c) in relevant[q] for c, _ in candidates[q][:TOP]])
              for q in queries}
    names = [*FEATURE_NAMES, *(["description", "description gap"] if describe else [])]

    ids = sorted(queries)
    held = held_out(queries, args.split_seed)
    train = [q for q in ids if q not in held]
    folds = list(ids)
    random.Random(args.random_state).shuffle(folds)
    fold_of = {q: i % args.folds for i, q in enumerate(folds)}

    def ranked(order_of: Callable[[str], np.ndarray]) -> dict[str, Ranking]:
        return {q: to_ranking(reordered(candidates[q], order_of(q)), melo_concept, elements) for q in ids}

    def plain(q: str) -> np.ndarray:
        return np.arange(min(TOP, len(candidates[q])))

    def oracle(q: str) -> np.ndarray:
        order = plain(q)
        hit = np.flatnonzero(labels[q])
        return np.r_[hit[:1], np.delete(order, hit[:1])]

    systems: dict[str, tuple[dict[str, Ranking], dict[str, Ranking]]] = {
        "product (plain ranking, this run)": (ranked(plain), ranked(plain)),
    }
    def order_by(fitted: list[Any], which: Callable[[str], int]) -> Callable[[str], np.ndarray]:
        """Order a query's top 10 by the model `which` picks for it (the one fitted without it)."""
        def order(qid: str) -> np.ndarray:
            if not len(features[qid]):
                return plain(qid)
            return np.argsort(-fitted[which(qid)].predict_proba(features[qid])[:, 1], kind="stable")
        return order

    fitted_on_half: dict[str, Any] = {}
    for name, make in models(args.random_state).items():
        half = fit_model(make, features, labels, train)
        per_fold = [fit_model(make, features, labels, [q for q in ids if fold_of[q] != k])
                    for k in range(args.folds)]
        systems[f"  re-ranked, {name}"] = (ranked(order_by([half], lambda _qid: 0)),
                                            ranked(order_by(per_fold, fold_of.__getitem__)))
        fitted_on_half[name] = half
    systems["  oracle of the top 10 (upper bound)"] = (ranked(oracle), ranked(oracle))

    held_qrels = {q: r for q, r in qrels.items() if q in held}
    print(f"MELO bel_q_fr_c_fr through the product's taxonomy search: {len(ids)} queries; {note}")
    print(f"features ({len(names)}): {', '.join(names)}")
    print(f"held-out half: {len(held)} queries (seed {args.split_seed}), fitted on the other {len(train)}; "
          f"cross-fitted: {args.folds} folds (seed {args.random_state}), each query scored by a model "
          "fitted without it")
    header = (f"{'system':<38}{'MAP':>7}{'MRR':>7}{'S@1':>7}{'S@5':>7}{'S@10':>7} |"
              f"{'MAP':>7}{'MRR':>7}{'S@1':>7}{'S@10':>7}")
    print(f"{'':<38}{'held-out half':^35} |{'all, cross-fitted':^28}")
    print(header)
    print("-" * len(header))
    for name, (half_runs, cross_runs) in systems.items():
        part, full = evaluate(half_runs, held_qrels), evaluate(cross_runs, qrels)
        print(f"{name:<38}{part['MAP']:>7.3f}{part['MRR']:>7.3f}{part['S@1']:>7.3f}{part['S@5']:>7.3f}"
              f"{part['S@10']:>7.3f} |{full['MAP']:>7.3f}{full['MRR']:>7.3f}{full['S@1']:>7.3f}{full['S@10']:>7.3f}")
    for name, map_, s1 in PUBLISHED[-2:]:
        print(f"{name + ' (published, all)':<38}{'':>35} |{map_:>7.3f}{'':>7}{s1:>7.3f}")
    weights = fitted_on_half["logistic regression"][-1].coef_.ravel()
    print("\nlogistic regression fitted on the other half, standardised coefficients:")
    print(", ".join(f"{n} {w:+.2f}" for n, w in zip(names, weights, strict=True)))


if __name__ == "__main__":
    main()
