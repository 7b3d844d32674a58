"""benchmarks/fairness.py's figures on a toy set (the full run needs the ESCO export: see the README)."""

from __future__ import annotations

from benchmarks.fairness import equal_pool, figures, shortlists
from matching.ranking.scoring import ScoredCandidate


def candidate(profile_id: str, score: float) -> ScoredCandidate:
    return ScoredCandidate(profile_id=profile_id, score=score, breakdown={}, explanation={}, commute_minutes=None)


def test_the_draw_spreads_places_over_equal_candidates_at_no_ndcg_cost_when_grades_tie():
    # Ten vacancies, twelve candidates scoring the same, shortlists of 3, every candidate graded 1.
    rankings = {f"v{n}": [candidate(f"id{i:02d}", 0.8) for i in range(12)] for n in range(10)}
    keys = {f"id{i:02d}": f"p{i:02d}" for i in range(12)}
    grades = {f"v{n}": {key: 1 for key in keys.values()} for n in range(10)}
    model = figures(rankings, shortlists(rankings, size=3, band=None), keys, grades, size=3, band=0.02)
    fair = figures(rankings, shortlists(rankings, size=3, band=0.02), keys, grades, size=3, band=0.02)
    assert model["never_shown"] == 0.75 and fair["never_shown"] == 0.0  # the same 3 of 12 ten times, or none left
    assert fair["ndcg"] == model["ndcg"]
    assert equal_pool(0.02) == (5, 20)
