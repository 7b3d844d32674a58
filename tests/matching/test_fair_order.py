"""Fair exposure's band draw (matching/ranking/fair_order.py): who may move, how far, and who gets shown."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from matching.ranking.fair_order import DEFAULT_BAND, Ranked, bands, fair_order, random_order


def model_order(candidates: list[Ranked]) -> list[Ranked]:
    """The scorer's order: eligible first by score, then by id (how matching/ranking/scoring.py ties)."""
    return sorted(candidates, key=lambda c: (not c.meets_hard, -c.score, c.key))


candidate_lists = st.lists(
    st.tuples(st.integers(0, 400).map(lambda n: round(n / 400, 4)), st.booleans(), st.integers(0, 30)),
    min_size=0,
    max_size=40,
).map(
    lambda rows: (
        model_order([Ranked(key=f"p{i:03d}", score=s, meets_hard=not fails) for i, (s, fails, _) in enumerate(rows)]),
        {f"p{i:03d}": shown for i, (_, _, shown) in enumerate(rows)},
    )
)


@settings(max_examples=300, deadline=None)
@given(candidate_lists, st.integers(0, 2**31 - 1), st.sampled_from([0.0, 0.005, DEFAULT_BAND, 0.1]))
def test_no_one_crosses_a_gap_wider_than_the_band_and_hard_failures_never_rise(data, seed, band):
    ordered, exposure = data
    drawn = fair_order(ordered, band=band, seed=seed, exposure=exposure)
    assert sorted(c.key for c in drawn) == sorted(c.key for c in ordered)
    before = {c.key: i for i, c in enumerate(ordered)}
    for i, a in enumerate(drawn):
        for b in drawn[i + 1 :]:
            if before[a.key] > before[b.key]:  # a now comes before b, which the model put first
                assert b.score - a.score <= band + 1e-9, "a candidate crossed a gap wider than the band"
                assert a.meets_hard and b.meets_hard
    # Every prefix (every shortlist size) holds no more hard-requirement failures than the model's.
    for k in range(len(drawn) + 1):
        assert sum(not c.meets_hard for c in drawn[:k]) <= sum(not c.meets_hard for c in ordered[:k])
    # The same seed and exposure give the same order: a replay matches.
    assert fair_order(ordered, band=band, seed=seed, exposure=exposure) == drawn


def test_outside_the_band_nobody_moves():
    ordered = [Ranked("a", 0.90), Ranked("b", 0.89), Ranked("c", 0.80), Ranked("d", 0.795), Ranked("e", 0.70)]
    assert bands(ordered, 0.02) == [(0, 2), (2, 4), (4, 5)]
    for seed in range(50):
        drawn = [c.key for c in fair_order(ordered, band=0.02, seed=seed)]
        assert set(drawn[:2]) == {"a", "b"} and set(drawn[2:4]) == {"c", "d"} and drawn[4] == "e"


def test_the_least_shown_come_first_more_often():
    ordered = [Ranked(f"p{i}", 0.8) for i in range(2)]
    firsts = Counter(
        fair_order(ordered, band=0.02, seed=seed, exposure={"p0": 9, "p1": 0})[0].key for seed in range(400)
    )
    assert firsts["p1"] > 3 * firsts["p0"] > 0  # favoured, never fixed: p0 still comes first sometimes


def test_thirty_similar_vacancies_show_most_of_an_equally_qualified_pool():
    """Ties by id would show the same 5 of 20 thirty times; the draw shows nearly everyone."""
    pool = [f"prf_{i:02d}" for i in range(20)]
    shown: Counter[str] = Counter()
    for vacancy in range(30):
        # Similar vacancies: everyone within a hundredth of each other, a little differently each time.
        scores = {key: round(0.80 + ((i * 7 + vacancy * 3) % 10) / 1000, 4) for i, key in enumerate(pool)}
        ordered = model_order([Ranked(key, score) for key, score in scores.items()])
        top = fair_order(ordered, band=DEFAULT_BAND, seed=1000 + vacancy, exposure=dict(shown))[:5]
        shown.update(c.key for c in top)
    assert len(shown) >= 0.9 * len(pool)
    by_id = model_order([Ranked(key, 0.8) for key in pool])[:5]
    assert len(by_id) == 5  # the model alone: the same five every time


def test_a_paused_ranking_lists_everyone_in_a_seeded_order():
    keys = [f"k{i}" for i in range(30)]
    assert random_order(keys, seed=7) == random_order(list(reversed(keys)), seed=7)
    assert sorted(random_order(keys, seed=7)) == sorted(keys)
    assert random_order(keys, seed=7) != random_order(keys, seed=8)
