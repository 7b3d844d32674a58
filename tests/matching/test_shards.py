"""Scoring shards: a stable split by id, and a merge of the shards' top k that is the single index's top k."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.ranking.live_index import LiveIndex
from matching.ranking.scoring import ScoredCandidate
from matching.ranking.shards import FetchMore, ShardAnswers, from_message, merge_top, shard_of, to_message
from tests.matching.test_scoring import RELATED, populations, vacancies

# Few distinct scores: ties across shards are common, and must fall back to the profile id everywhere.
candidate = st.builds(
    lambda profile_id, score: ScoredCandidate(profile_id, score, {"skills": score}, {"matched": []}, None),
    st.text("abcdefgh", min_size=1, max_size=4),
    st.sampled_from([0.0, 0.25, 0.5, 0.5000001, 0.75, 1.0]),
)


def model_order(candidates: list[ScoredCandidate]) -> list[ScoredCandidate]:
    return sorted(candidates, key=lambda c: (-c.score, c.profile_id))


@settings(max_examples=300, deadline=None)
@given(everyone=st.lists(candidate, unique_by=lambda c: c.profile_id, max_size=40), shards=st.integers(1, 5),
       size=st.integers(0, 45))
def test_the_merge_of_each_shards_top_k_is_the_global_top_k(everyone, shards, size):
    # Each shard answers its own best `size`, in the model's order, as a shard worker does.
    partials = [model_order([c for c in everyone if shard_of(c.profile_id, shards) == k])[:size]
                for k in range(shards)]
    assert merge_top(partials, size) == model_order(everyone)[:size]
    assert merge_top(partials, None) == model_order([c for part in partials for c in part])


@settings(max_examples=120, deadline=None)
@given(population=populations(), vacancy=vacancies(), related=RELATED, size=st.integers(1, 12),
       shards=st.integers(2, 4), qualified_only=st.booleans())
def test_shard_indexes_merged_give_the_single_index_ranking(population, vacancy, related, size, shards,
                                                            qualified_only):
    options = {"related": related, "qualified_only": qualified_only}
    single = LiveIndex().rebuild(population).rank(vacancy, size=size, **options)
    parts = [LiveIndex().rebuild([p for p in population if shard_of(p.profile_id, shards) == k])
             for k in range(shards)]
    merged = merge_top([part.rank(vacancy, size=size, **options) for part in parts], size)
    assert merged == single  # items, scores, order, breakdowns and explanations


def test_the_answers_say_when_the_shards_must_be_asked_for_more():
    full = [ScoredCandidate(f"p{i}", 1.0 - i / 10, {}, {}, None) for i in range(3)]
    answers = ShardAnswers([full, full[:1]], fetched=3, min_score=0.0)
    assert answers(2, 0.0) == merge_top([full, full[:1]], 2)
    with pytest.raises(FetchMore) as more:
        answers(6, 0.0)  # the first shard sent all it was asked for: it may hold more
    assert (more.value.size, more.value.min_score) == (6, 0.0)
    with pytest.raises(FetchMore):
        answers(None, 0.0)
    with pytest.raises(FetchMore):
        answers(2, 0.5)  # asked with another threshold
    # Every shard sent fewer than asked: they hold no more, any size is exact.
    exhausted = ShardAnswers([full[:2], full[:1]], fetched=3, min_score=0.0)
    assert exhausted(None, 0.0) == merge_top([full[:2], full[:1]], None)
    assert exhausted(10, 0.0) == merge_top([full[:2], full[:1]], 10)


def test_candidates_survive_the_result_backend_json_exactly():
    import json

    item = ScoredCandidate("p1", 0.1 + 0.2, {"skills": 1 / 3}, {"matched": [{"label": "x", "weight": 2 / 7}]}, 12.5)
    assert from_message(json.loads(json.dumps(to_message([item])))) == [item]


def test_a_profiles_shard_is_the_same_in_every_process():
    # Python's hash() of a str changes with each process (PYTHONHASHSEED); the shard must not.
    ids = ["p-0", "7f7d0c6e-1b44-4c1a-9d27-2a1e0b9b11aa", "zz"]
    code = f"from matching.ranking.shards import shard_of; print([shard_of(i, 3) for i in {ids!r}])"
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2)}
    assert seen == {f"{[shard_of(i, 3) for i in ids]}\n"}
    assert {shard_of(f"p{i}", 2) for i in range(100)} == {0, 1}
    assert shard_of("anything", 1) == 0
