"""The compact index (ids as bytes, skills in one CSC, scoring restricted to some rows) ranks exactly like
a fresh index fitted on just those profiles, whatever their ids (non-ASCII ones too)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.ranking.live_index import LiveIndex
from matching.ranking.pruning import rank_pruned
from matching.ranking.scoring import ProfileIndex, rank
from tests.matching.test_scoring import RELATED, profiles, vacancies

# Ids whose UTF-8 bytes are 1 to 3 long: their byte order must stay the order of the strings.
IDS = st.text("aZé日ß0-", min_size=1, max_size=4)


@st.composite
def populations(draw: st.DrawFn) -> list:
    ids = draw(st.lists(IDS, unique=True, max_size=16))
    return [draw(profiles(profile_id)) for profile_id in ids]


@settings(max_examples=150, deadline=None)
@given(population=populations(), vacancy=vacancies(), related=RELATED, data=st.data())
def test_ranking_some_rows_equals_ranking_a_fresh_index_of_those_profiles(population, vacancy, related, data):
    index = ProfileIndex().fit(population)
    rows = np.array(sorted(data.draw(st.sets(st.integers(0, max(len(population) - 1, 0)))
                                     if population else st.just(set()))), dtype=np.int64)
    chosen = [population[r] for r in rows]
    expected = rank(ProfileIndex().fit(chosen), vacancy, size=len(population), related=related)
    assert rank(index, vacancy, size=len(population), related=related, rows=rows) == expected
    assert rank(index.take(rows), vacancy, size=len(population), related=related) == expected
    assert [index.profile_id(r) for r in range(len(population))] == [p.profile_id for p in population]


@settings(max_examples=150, deadline=None)
@given(population=populations(), vacancy=vacancies(), related=RELATED, size=st.integers(1, 8), data=st.data())
def test_pruned_ranking_with_masked_rows_equals_a_fresh_ranking_without_them(population, vacancy, related, size,
                                                                             data):
    population = sorted(population, key=lambda p: p.profile_id)
    index = ProfileIndex().fit(population)
    masked = np.array(data.draw(st.lists(st.booleans(), min_size=len(population), max_size=len(population))),
                      dtype=bool)
    kept = [p for p, out in zip(population, masked, strict=True) if not out]
    expected = rank(ProfileIndex().fit(kept), vacancy, size=size, related=related)
    assert rank_pruned(index, vacancy, size=size, related=related, prune_from=0, masked=masked) == expected


@settings(max_examples=100, deadline=None)
@given(initial=populations(), steps=st.lists(st.tuples(st.booleans(), IDS), max_size=12), data=st.data())
def test_the_live_index_knows_which_ids_it_holds(initial, steps, data):
    current = {p.profile_id: p for p in initial}
    live = LiveIndex(compact_after=5).rebuild(initial, version=1)
    before = live.ids()
    for version, (upsert, profile_id) in enumerate(steps, start=2):
        if upsert:
            current[profile_id] = data.draw(profiles(profile_id))
            live.apply(upserts=[current[profile_id]], version=version)
        else:
            current.pop(profile_id, None)
            live.apply(deletes=[profile_id], version=version)
        assert set(live.ids()) == set(current) and len(live.ids()) == len(live) == len(current)
        assert all(profile_id in live for profile_id in current)
        assert profile_id in live if upsert else profile_id not in live
    assert set(before) == {p.profile_id for p in initial}  # a view taken earlier does not change
