"""Distances and commute estimates a counsellor would recognise for Brussels."""

import numpy as np
import pytest

from matching.ranking.geo import commute_minutes, haversine_km

GRAND_PLACE = (50.8467, 4.3525)
ANDERLECHT = (50.8366, 4.3087)
GHENT = (51.0543, 3.7174)


def test_brussels_to_ghent_is_about_fifty_km() -> None:
    assert haversine_km(*GRAND_PLACE, *GHENT) == pytest.approx(50, abs=3)


def test_same_place_is_zero_km_and_scalars_give_a_float() -> None:
    distance = haversine_km(*GRAND_PLACE, *GRAND_PLACE)
    assert isinstance(distance, float)
    assert distance == 0.0


def test_haversine_broadcasts_over_arrays_and_keeps_unknown_as_nan() -> None:
    lats = np.array([GRAND_PLACE[0], ANDERLECHT[0], np.nan])
    lons = np.array([GRAND_PLACE[1], ANDERLECHT[1], 4.3])
    distance = haversine_km(lats, lons, *GRAND_PLACE)
    assert distance.shape == (3,)
    assert distance[0] == 0.0
    assert 2 < distance[1] < 5
    assert np.isnan(distance[2])


def test_the_fastest_declared_mode_wins() -> None:
    by_bike = commute_minutes(np.array([5.0]), ["bike", "walk"])[0]
    on_foot = commute_minutes(np.array([5.0]), ["walk"])[0]
    assert by_bike < on_foot
    assert 20 < by_bike < 35  # 5 km as the crow flies is a half-hour ride or less in town


def test_no_mode_means_walking_or_public_transport() -> None:
    near, far = commute_minutes(np.array([0.5, 10.0]), [])
    assert near == pytest.approx(commute_minutes(np.array([0.5]), ["walk"])[0])
    assert far == pytest.approx(commute_minutes(np.array([10.0]), ["public_transport"])[0])


def test_one_row_of_modes_per_candidate() -> None:
    modes = np.array([[False, True, False, False], [False, False, True, False]])  # bike, walk
    minutes = commute_minutes(np.array([4.0, 4.0]), modes)
    assert minutes[0] < minutes[1]


def test_unknown_distance_gives_unknown_commute_and_unknown_mode_is_refused() -> None:
    assert np.isnan(commute_minutes(np.array([np.nan]), ["car"])[0])
    with pytest.raises(ValueError, match="teleport"):
        commute_minutes(np.array([1.0]), ["teleport"])
