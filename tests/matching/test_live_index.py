"""The worker's live index gives the same shortlist as a from-scratch computation after any updates."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.ranking.live_index import LiveIndex
from matching.ranking.scoring import ProfileIndex, rank
from tests.matching.test_scoring import RELATED, profiles, vacancies

IDS = ["a", "b", "c", "d", "e", "f", "g", "h"]


@st.composite
def operations(draw: st.DrawFn) -> list[tuple[str, object]]:
    """Publish, change or erase profiles, in any order, with the same ids coming back."""
    steps = []
    for _ in range(draw(st.integers(1, 12))):
        profile_id = draw(st.sampled_from(IDS))
        if draw(st.booleans()):
            steps.append(("upsert", draw(profiles(profile_id))))
        else:
            steps.append(("delete", profile_id))
    return steps


def shortlist_ids(items) -> list[tuple[str, float]]:
    return [(item.profile_id, item.score) for item in items]


@settings(max_examples=150, deadline=None)
@given(initial=st.lists(st.sampled_from(IDS), unique=True).flatmap(
    lambda ids: st.tuples(*[profiles(i) for i in ids])), steps=operations(), vacancy=vacancies(),
    compact_after=st.integers(1, 6), size=st.integers(1, 10), with_loader=st.booleans())
def test_live_index_ranks_like_a_fresh_index_after_any_updates(initial, steps, vacancy, compact_after, size,
                                                               with_loader):
    current = {p.profile_id: p for p in initial}
    # With a loader (the database in production) compaction reloads instead of keeping every profile.
    loader = (lambda: list(current.values())) if with_loader else None
    live = LiveIndex(compact_after=compact_after, loader=loader).rebuild(initial, version=1)
    for version, (kind, value) in enumerate(steps, start=2):
        if kind == "upsert":
            current[value.profile_id] = value
            live.apply(upserts=[value], version=version)
        else:
            current.pop(value, None)
            live.apply(deletes=[value], version=version)
        fresh = rank(ProfileIndex().fit(list(current.values())), vacancy, size=size)
        ranked = live.rank(vacancy, size=size)
        assert shortlist_ids(ranked) == shortlist_ids(fresh)
        assert ranked == fresh  # explanations and breakdowns too
        assert len(live) == len(current)
    assert live.version == len(steps) + 1


@settings(max_examples=100, deadline=None)
@given(initial=st.lists(st.sampled_from(IDS), unique=True).flatmap(
    lambda ids: st.tuples(*[profiles(i) for i in ids])), steps=operations(), vacancy=vacancies(),
    related=RELATED)
def test_the_eligible_profiles_are_exactly_those_a_shortlist_of_any_size_holds(initial, steps, vacancy, related):
    """What a vacancy's task writes as opportunities: every profile its shortlist could hold, at that score."""
    current = {p.profile_id: p for p in initial}
    live = LiveIndex(compact_after=4).rebuild(initial, version=1)
    for version, (kind, value) in enumerate(steps, start=2):
        if kind == "upsert":
            current[value.profile_id] = value
            live.apply(upserts=[value], version=version)
        else:
            current.pop(value, None)
            live.apply(deletes=[value], version=version)
    everyone = rank(ProfileIndex().fit(list(current.values())), vacancy, size=len(IDS), related=related)
    assert live.eligible(vacancy, related=related) == {c.profile_id: c.score for c in everyone}
