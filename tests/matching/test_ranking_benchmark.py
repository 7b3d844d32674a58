"""The ranking benchmark's whole run: every shortlist item's explanation agrees with its breakdown, and the
figures stay above the issue's targets (the product's import, linking and scoring code, no database fakes)."""

from __future__ import annotations

from benchmarks.ranking import TARGETS, check_explanations, evaluate, run


def test_every_item_of_the_ranking_benchmark_agrees_with_its_breakdown(shared_data):
    dev, scored = run(shared_data / "matching-dev", shared_data / "esco-v1.1.1", shared_data / "geo/be_postcodes.csv")
    checked, problems = check_explanations(scored)
    assert checked >= len(dev.vacancies) * 10
    assert problems == []
    ours = {key: [scored.profile_key[item.profile_id] for item in items] for key, items in scored.rankings.items()}
    metrics = evaluate(ours, dev)
    assert metrics["nDCG@10"] >= TARGETS["nDCG@10"]
    assert metrics["recall@50"] >= TARGETS["recall@50"]
