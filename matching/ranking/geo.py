"""Straight-line distances and rough door-to-door commute estimates, vectorised over NumPy arrays."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from matching.ranking.facts import TRANSPORT_MODES

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG); the error is far below the detour estimate's

# All figures below are ESTIMATES for a dense city like Brussels, not measurements: a route is
# longer than the straight line, and each mode has a typical door-to-door speed plus a fixed cost.
DETOUR_FACTOR = 1.3  # street network vs straight line in a dense European city
SPEED_KMH: dict[str, float] = {
    "public_transport": 16.0,  # STIB/MIVB tram, bus and metro average including stops
    "bike": 14.0,
    "walk": 4.5,
    "car": 22.0,  # rush-hour average inside the Region
}
OVERHEAD_MINUTES: dict[str, float] = {
    "public_transport": 8.0,  # walking to the stop and waiting
    "bike": 2.0,  # unlocking and locking
    "walk": 0.0,
    "car": 5.0,  # finding a parking place
}
# Someone who names no mode can still walk and take the bus: assume those rather than nothing.
DEFAULT_MODES: tuple[str, ...] = ("public_transport", "walk")

_SPEEDS = np.array([SPEED_KMH[mode] for mode in TRANSPORT_MODES])
_OVERHEADS = np.array([OVERHEAD_MINUTES[mode] for mode in TRANSPORT_MODES])


def haversine_km(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> NDArray | float:
    """Great-circle distance in km; broadcasts over arrays, NaN where a coordinate is NaN."""
    phi1, lam1, phi2, lam2 = (np.radians(np.asarray(x, dtype=float)) for x in (lat1, lon1, lat2, lon2))
    a = np.sin((phi2 - phi1) / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin((lam2 - lam1) / 2) ** 2
    # clip guards arcsin against a rounding error pushing a just above 1 for antipodal points
    distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return float(distance) if distance.ndim == 0 else distance


def mode_mask(modes: Iterable[str]) -> NDArray[np.bool_]:
    """A boolean row over TRANSPORT_MODES for a set of mode names."""
    mask = np.zeros(len(TRANSPORT_MODES), dtype=bool)
    for mode in modes:
        if mode not in SPEED_KMH:
            raise ValueError(f"unknown transport mode {mode!r}; expected one of {TRANSPORT_MODES}")
        mask[TRANSPORT_MODES.index(mode)] = True
    return mask


def mode_minutes(distance_km: ArrayLike) -> NDArray:
    """Estimated minutes per mode: shape distance.shape + (len(TRANSPORT_MODES),)."""
    road_km = np.asarray(distance_km, dtype=float)[..., None] * DETOUR_FACTOR
    return road_km / _SPEEDS * 60.0 + _OVERHEADS


def commute_minutes(distance_km: ArrayLike, modes: Iterable[str] | NDArray[np.bool_] = ()) -> NDArray:
    """Fastest estimated commute over a candidate's modes; NaN where the distance is unknown.

    `modes` is either mode names shared by every distance, or a boolean array of shape
    distance.shape + (len(TRANSPORT_MODES),) with one row of modes per candidate. A row with no
    mode falls back to DEFAULT_MODES.
    """
    distance = np.asarray(distance_km, dtype=float)
    if isinstance(modes, np.ndarray) and modes.dtype == bool:
        mask = np.broadcast_to(modes, distance.shape + (len(TRANSPORT_MODES),))
    else:
        mask = np.broadcast_to(mode_mask(modes), distance.shape + (len(TRANSPORT_MODES),))
    mask = np.where(mask.any(axis=-1, keepdims=True), mask, mode_mask(DEFAULT_MODES))
    # NaN distances stay NaN through min(), which is how callers learn the location is unknown
    return np.where(mask, mode_minutes(distance), np.inf).min(axis=-1)
