"""The re-ranker benchmark reorders only the first 10 concepts and keeps every score strictly decreasing,
so its MAP stays comparable with the plain ranking's."""

from __future__ import annotations

import numpy as np

from benchmarks.linking_reranker import TOP, reordered, to_ranking


def test_only_the_first_ten_move_and_scores_stay_decreasing():
    candidates = [(f"c{i}", 1.0 - i / 100) for i in range(TOP + 3)]
    order = np.r_[3, np.delete(np.arange(TOP), 3)]
    moved = reordered(candidates, order)
    assert [c for c, _ in moved[:2]] == ["c3", "c0"]
    assert [c for c, _ in moved[TOP:]] == ["c10", "c11", "c12"]
    scores = [s for _, s in moved]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)


def test_concepts_the_benchmark_lacks_have_no_elements():
    ranking = to_ranking([("uri-a", 2.0), ("seed-x", 1.5), ("uri-b", 1.0)], {"uri-a": "C1", "uri-b": "C2"},
                         {"C1": ["C1_fr_000", "C1_fr_001"], "C2": ["C2_fr_000"]})
    assert [e for e, _ in ranking] == ["C1_fr_000", "C1_fr_001", "C2_fr_000"]
