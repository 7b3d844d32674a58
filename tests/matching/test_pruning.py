"""Pruned ranking is exactly the full ranking, whoever holds which skill."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.ranking.pruning import outsider_bound, rank_pruned, skill_holders
from matching.ranking.scoring import ProfileIndex, rank
from tests.matching.test_scoring import populations, vacancies

RELATED = {"c0": {"c1": 0.5}, "c2": {"c3": 0.25, "c0": 0.0}}


@settings(max_examples=300, deadline=None)
@given(population=populations(), vacancy=vacancies(), size=st.integers(1, 8),
       min_score=st.sampled_from([0.0, 0.3, 0.5, 0.9]), with_related=st.booleans())
def test_pruned_ranking_equals_the_full_ranking(population, vacancy, size, min_score, with_related):
    index = ProfileIndex().fit(population)
    related = RELATED if with_related else None
    expected = rank(index, vacancy, size=size, min_score=min_score, related=related)
    assert rank_pruned(index, vacancy, size=size, min_score=min_score, related=related, prune_from=0) == expected


@settings(max_examples=100, deadline=None)
@given(population=populations(), vacancy=vacancies())
def test_nobody_outside_the_skill_holders_scores_above_the_bound(population, vacancy):
    index = ProfileIndex().fit(population)
    holders = set(skill_holders(index, vacancy, RELATED).tolist())
    bound = outsider_bound(vacancy, None)
    for item in rank(index, vacancy, size=len(population), related=RELATED):
        row = [index.profile_id(r) for r in range(len(population))].index(item.profile_id)
        assert row in holders or item.score <= bound
