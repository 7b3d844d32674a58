"""What an employer's card may show, generalised until no combination of it singles a person out.

A card shows only what the vacancy asks for. Even so, where someone lives (seen through the commute),
the hours they can work, their levels in the languages asked, the month they can start and the shifts
they work can, together, single out one person among the sixty of a programme year. These are the
card's quasi-identifiers. Each one has a ladder of coarser forms ending in "not shown"; a card takes
the combination of rungs that costs the employer's judgement least among those whose values at least
k published profiles would show for this vacancy (k-anonymity, Sweeney 2002). The k reached is
reported on the card.

Skills are not quasi-identifiers here: they are what the employer must judge, and the card already
keeps only those the vacancy asks for or that match it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from matching.facts import CEFR_LEVELS, ProfileFacts, VacancyFacts, cefr_label
from matching.geo import commute_minutes, haversine_km, mode_mask

K_TARGET = 5
QUASI_IDENTIFIERS: tuple[str, ...] = ("area", "hours", "languages", "start", "shifts")
# What each rung of each ladder costs the employer's judgement; the last rung hides the value. Whether
# the person meets the language level asked matters most, the exact start month least.
LOSS: dict[str, tuple[float, ...]] = {
    "area": (0, 1, 3, 6),  # 10-minute commute band, 30-minute band, within the limit or not, hidden
    "hours": (0, 1, 2, 4),  # range in 5 h, range in 10 h, fits the hours offered or not, hidden
    "languages": (0, 2, 4, 8),  # CEFR levels, CEFR bands (A, B, C), meets the level asked or not, hidden
    "start": (0, 1, 1.5, 3),  # month, quarter, in time for the vacancy's start or not, hidden
    "shifts": (0, 1, 2),  # the asked shifts worked, works them all or not, hidden
}
HIDDEN = {qi: len(costs) - 1 for qi, costs in LOSS.items()}
# Every combination of rungs, cheapest first; ties go to the finer rungs in QUASI_IDENTIFIERS order.
CONFIGS: tuple[tuple[int, ...], ...] = tuple(
    sorted(
        itertools.product(*(range(len(LOSS[qi])) for qi in QUASI_IDENTIFIERS)),
        key=lambda rungs: (sum(LOSS[qi][rung] for qi, rung in zip(QUASI_IDENTIFIERS, rungs, strict=True)), rungs),
    )
)
DEFAULT_MAX_COMMUTE = 45.0  # as scoring assumes when the counsellor left the limit empty
# CEFR's own three bands: basic, independent and proficient user.
CEFR_BANDS = {level: f"{level[0]}1-{level[0]}2" for level in CEFR_LEVELS}


@dataclass(frozen=True, slots=True)
class Traits:
    """What a card could show about one person for one vacancy, before any generalisation."""

    commute: float | None  # estimated minutes to the vacancy
    commute_limit: float
    hours_min: int | None
    hours_max: int | None
    shifts: frozenset[str]  # the shifts asked by the vacancy that the person works
    start: date | None
    languages: tuple[tuple[str, int, int], ...]  # (code, spoken, written) for each asked language listed


@dataclass(frozen=True, slots=True)
class Disclosure:
    """The rung reached on each ladder, the values shown there, and how many profiles share them."""

    levels: dict[str, int]
    values: dict[str, Any]
    k: int
    met: bool


def traits(profiles: Sequence[ProfileFacts], vacancy: VacancyFacts) -> list[Traits]:
    """Each profile's traits for this vacancy; the commute is estimated as scoring estimates it."""
    if not profiles:
        return []
    asked_languages = {req.code for req in vacancy.languages}
    lat = np.array([np.nan if p.lat is None else p.lat for p in profiles], dtype=float)
    lon = np.array([np.nan if p.lon is None else p.lon for p in profiles], dtype=float)
    if vacancy.lat is None or vacancy.lon is None:
        minutes = np.full(len(profiles), np.nan)
    else:
        modes = np.stack([mode_mask(p.transport) for p in profiles])
        minutes = np.round(commute_minutes(haversine_km(lat, lon, vacancy.lat, vacancy.lon), modes))
    return [
        Traits(
            commute=None if math.isnan(minutes[i]) else float(minutes[i]),
            commute_limit=float(p.max_commute_minutes or DEFAULT_MAX_COMMUTE),
            hours_min=p.hours_min,
            hours_max=p.hours_max,
            shifts=frozenset(p.shifts) & vacancy.shifts,
            start=p.start,
            languages=tuple(
                sorted((lang.code, lang.spoken, lang.written) for lang in p.languages if lang.code in asked_languages)
            ),
        )
        for i, p in enumerate(profiles)
    ]


# --- the ladders: each returns a hashable value, None when nothing is shown ------------------------


def _band(minutes: float, step: int, cap: int = 90) -> str:
    if minutes >= cap:
        return f"{cap}+"
    low = int(minutes // step * step)
    return f"{low}-{low + step}"


def _area(t: Traits, v: VacancyFacts, level: int) -> Hashable:
    within = None if t.commute is None else t.commute <= t.commute_limit
    if level >= 3:
        return None
    if level == 2 or t.commute is None:
        return (None, within)
    return (_band(t.commute, 10 if level == 0 else 30), within)


def _hours(t: Traits, v: VacancyFacts, level: int) -> Hashable:
    if level >= 3 or (t.hours_min is None and t.hours_max is None):
        return None
    if level == 2:
        if v.hours_per_week is None:
            return None
        return ("fits", (t.hours_min or 0) <= v.hours_per_week <= (t.hours_max or 60))
    step = 5 if level == 0 else 10
    low = None if t.hours_min is None else t.hours_min // step * step
    high = None if t.hours_max is None else -(-t.hours_max // step) * step
    return (low, high)


def _languages(t: Traits, v: VacancyFacts, level: int) -> Hashable:
    if level >= 3:
        return ()
    if level == 2:
        have = {code: (spoken, written) for code, spoken, written in t.languages}
        return tuple(
            (req.code, have.get(req.code, (0, 0))[0] >= req.spoken and have.get(req.code, (0, 0))[1] >= req.written)
            for req in sorted(v.languages, key=lambda r: r.code)
        )

    def shown(rank: int) -> str | None:
        label = cefr_label(rank)
        return label if level == 0 or label is None else CEFR_BANDS[label]

    return tuple((code, shown(spoken), shown(written)) for code, spoken, written in t.languages)


def _start(t: Traits, v: VacancyFacts, level: int) -> Hashable:
    if level >= 3 or t.start is None:
        return None
    if level == 0:
        return f"{t.start:%Y-%m}"
    if level == 1:
        return f"{t.start.year}-Q{(t.start.month - 1) // 3 + 1}"
    return None if v.start is None else ("in_time", t.start <= v.start)


def _shifts(t: Traits, v: VacancyFacts, level: int) -> Hashable:
    if level >= 2 or not v.shifts:
        return None
    if level == 0:
        return tuple(sorted(t.shifts))
    return ("all", t.shifts == v.shifts)


LADDERS = {"area": _area, "hours": _hours, "languages": _languages, "start": _start, "shifts": _shifts}


def shown_values(t: Traits, v: VacancyFacts, levels: dict[str, int]) -> dict[str, Any]:
    """The value each quasi-identifier shows at these rungs."""
    return {qi: LADDERS[qi](t, v, levels[qi]) for qi in QUASI_IDENTIFIERS}


class Crowd:
    """Every published profile's traits for one vacancy: what each combination of rungs shows, and to how many.

    Built once per vacancy, it answers any card: a card's disclosure depends on the crowd and the
    vacancy only. Each rung of each ladder is computed once, when first needed; a large crowd is settled
    in the first combinations, only a small one searches far. When profiles are published, changed or
    closed, `update` recodes only those people, so a crowd of 100k follows the changes without a rebuild.
    """

    def __init__(self, population: Sequence[Traits], vacancy: VacancyFacts, *, k: int = K_TARGET) -> None:
        self.people: list[Traits | None] = list(population)  # None: left the crowd since it was built
        self.vacancy = vacancy
        self.k = k
        self._present = np.ones(len(self.people), dtype=bool)
        # Per (quasi-identifier, rung): each person's value as a small integer code, and the codes given.
        self._codes: dict[tuple[str, int], tuple[np.ndarray, dict[Hashable, int]]] = {}
        # Per combination of rungs: each person's combined key, the keys present and how many share each,
        # and the column sizes the keys were combined with.
        self._groups: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, ...]]] = {}

    def __len__(self) -> int:
        return int(self._present.sum())

    def update(self, changes: dict[int, Traits | None]) -> None:
        """Give these positions new traits (a position at the end adds people), or None to take them out."""
        if not changes:
            return
        was_present = {i: i < len(self._present) and bool(self._present[i]) for i in changes}
        grown = max(max(changes) + 1, len(self.people))
        self.people.extend([None] * (grown - len(self.people)))
        self._present = np.concatenate([self._present, np.zeros(grown - len(self._present), dtype=bool)])
        for i, person in changes.items():
            self.people[i] = person
            self._present[i] = person is not None
        for (qi, rung), (codes, seen) in list(self._codes.items()):
            codes = np.concatenate([codes, np.zeros(grown - len(codes), dtype=np.int64)])
            for i, person in changes.items():
                if person is not None:
                    codes[i] = seen.setdefault(LADDERS[qi](person, self.vacancy, rung), len(seen))
            self._codes[qi, rung] = (codes, seen)
        self._regroup(was_present, grown)

    def _regroup(self, was_present: dict[int, bool], grown: int) -> None:
        """Move the changed people between the groups already counted: sorting everyone again takes ~1 ms
        per combination at 100k, and a card may try dozens of combinations."""
        changed = np.fromiter(was_present, dtype=np.int64, count=len(was_present))
        leaving = changed[np.fromiter(was_present.values(), dtype=bool, count=len(changed))]
        joining = changed[self._present[changed]]
        for rungs, (key, groups, counts, sizes) in list(self._groups.items()):
            columns = [self._column(qi, rung) for qi, rung in zip(QUASI_IDENTIFIERS, rungs, strict=True)]
            if tuple(size for _, size in columns) != sizes:
                del self._groups[rungs]  # a value new to a column changed the radix: count afresh when asked
                continue
            key = np.concatenate([key, np.zeros(grown - len(key), dtype=np.int64)])
            np.subtract.at(counts, np.searchsorted(groups, key[leaving]), 1)
            new = np.zeros(len(joining), dtype=np.int64)
            for codes, size in columns:
                new = new * size + codes[joining]
            key[joining] = new
            keys, added = np.unique(new, return_counts=True)
            at = np.searchsorted(groups, keys)
            known = at < len(groups)
            known[known] = groups[at[known]] == keys[known]
            counts[at[known]] += added[known]
            if not known.all():
                groups = np.concatenate([groups, keys[~known]])
                counts = np.concatenate([counts, added[~known]])
                order = np.argsort(groups, kind="stable")
                groups, counts = groups[order], counts[order]
            self._groups[rungs] = (key, groups, counts, sizes)

    def _column(self, qi: str, rung: int) -> tuple[np.ndarray, int]:
        """What each person shows for qi at this rung, as small integer codes, and how many codes there are."""
        if (qi, rung) not in self._codes:
            seen: dict[Hashable, int] = {}
            codes = [
                0 if t is None else seen.setdefault(LADDERS[qi](t, self.vacancy, rung), len(seen))
                for t in self.people
            ]
            self._codes[qi, rung] = (np.asarray(codes, dtype=np.int64), seen)
        codes, seen = self._codes[qi, rung]
        return codes, max(len(seen), 1)

    def _share(self, i: int, rungs: tuple[int, ...]) -> int:
        if rungs not in self._groups:
            # One integer per person for the whole combination (mixed radix), then group sizes by sorting.
            key = np.zeros(len(self.people), dtype=np.int64)
            sizes = []
            for qi, rung in zip(QUASI_IDENTIFIERS, rungs, strict=True):
                codes, size = self._column(qi, rung)
                key = key * size + codes
                sizes.append(size)
            groups, counts = np.unique(key[self._present], return_counts=True)
            self._groups[rungs] = (key, groups, counts, tuple(sizes))
        key, groups, counts, _ = self._groups[rungs]
        return int(counts[np.searchsorted(groups, key[i])])

    def disclose(self, i: int) -> Disclosure:
        """The cheapest combination of rungs whose values at least k of the crowd share, for person i.

        When even hiding everything leaves fewer than k (fewer than k profiles published), k is what it
        is and `met` is false.
        """
        person = self.people[i]
        if person is None:
            raise ValueError(f"person {i} is not in the crowd")
        rungs = next((c for c in CONFIGS if self._share(i, c) >= self.k), CONFIGS[-1])
        reached = self._share(i, rungs)
        levels = dict(zip(QUASI_IDENTIFIERS, rungs, strict=True))
        values = shown_values(person, self.vacancy, levels)
        return Disclosure(levels=levels, values=values, k=reached, met=reached >= self.k)


def disclose(
    cards: Sequence[Traits], population: Sequence[Traits], vacancy: VacancyFacts, *, k: int = K_TARGET
) -> list[Disclosure]:
    """Each card's disclosure in this population (the cards are members of it, by identity)."""
    crowd = Crowd(population, vacancy, k=k)
    position = {id(t): i for i, t in enumerate(crowd.people)}
    if any(id(card) not in position for card in cards):
        raise ValueError("every card must be one of the population")
    return [crowd.disclose(position[id(card)]) for card in cards]


# --- what the card shows -----------------------------------------------------------------------------


def card_fields(disclosure: Disclosure) -> dict[str, Any]:
    """The card's commute, availability and languages at the rungs reached."""
    values, levels = disclosure.values, disclosure.levels
    area, hours, start, shifts = values["area"], values["hours"], values["start"], values["shifts"]
    commute = {"minutes": None, "within_limit": None}
    if area is not None:
        commute = {"minutes": area[0], "within_limit": area[1]}
    availability: dict[str, Any] = {"hours": None, "hours_fit": None, "start": None, "start_in_time": None}
    if isinstance(hours, tuple) and hours and hours[0] == "fits":
        availability["hours_fit"] = hours[1]
    elif hours is not None:
        low, high = hours
        availability["hours"] = f"{'' if low is None else low}-{'' if high is None else high}"
    if isinstance(start, tuple):
        availability["start_in_time"] = start[1]
    else:
        availability["start"] = start
    availability["shifts"] = list(shifts) if levels["shifts"] == 0 and shifts is not None else None
    availability["all_shifts"] = shifts[1] if isinstance(shifts, tuple) and shifts[:1] == ("all",) else None
    if levels["languages"] == 2:
        languages = [{"code": code, "meets_level": meets} for code, meets in values["languages"]]
    else:
        languages = [{"code": code, "spoken": s, "written": w} for code, s, w in values["languages"]]
    return {"commute": commute, "availability": availability, "languages": languages}


def card_explanation(explanation: dict[str, Any], disclosure: Disclosure) -> dict[str, Any]:
    """The explanation without the exact figures the card generalised, as codes and parameters that
    matching/i18n.py words in the reader's language.

    Notes are allow-listed: a note kind this module does not know is left off the card until someone
    decides here what it may show.
    """
    notes = []
    levels, values = disclosure.levels, disclosure.values
    for note in explanation.get("notes", []):
        rewritten = _card_note(note, levels, values)
        if rewritten is not None:
            notes.append(rewritten)
    return {key: explanation.get(key, []) for key in ("matched", "partial", "missing")} | {"notes": notes}


def _card_note(note: dict[str, Any], levels: dict[str, int], values: dict[str, Any]) -> dict[str, Any] | None:
    code = note.get("code")
    note = {key: value for key, value in note.items() if key != "text"}  # worded again for the reader
    if code in ("requirement_unknown", "licence_missing", "location_unknown"):
        return note  # about the vacancy, or a legal requirement the employer must know
    if code in ("commute", "commute_too_long"):
        above = code == "commute_too_long"
        if levels["area"] >= 3:
            return None
        if levels["area"] == 2 or values["area"][0] is None:
            return {"code": "commute_above_limit" if above else "commute_within_limit"}
        return {"code": "commute_band_too_long" if above else "commute_band", "minutes": values["area"][0]}
    if code == "hours_mismatch":
        if levels["hours"] >= 2 or values["hours"] is None:
            return None if levels["hours"] >= 3 else {"code": "hours_do_not_fit"}
        low, high = values["hours"]
        wanted = f"{'' if low is None else low}-{'' if high is None else high}"
        return {"code": "hours_range_mismatch", "vacancy_hours": note.get("vacancy_hours"), "hours": wanted}
    if code == "shift_mismatch":
        if levels["shifts"] == 0:
            return note
        return {"code": "shifts_not_all"} if levels["shifts"] < 2 else None
    if code == "start_later":
        if levels["start"] >= 3:
            return None
        if levels["start"] == 2 or values["start"] is None:
            return {"code": "start_after"}
        return {"code": "start_in", "start": values["start"]}
    if code == "language_missing":
        return note if levels["languages"] < 3 else None
    if code == "language_gap":
        level = levels["languages"]
        if level >= 3:
            return None
        language, channel = note.get("language"), note.get("channel")
        if level == 2:
            return {"code": "language_below", "language": language, "channel": channel, "needs": note.get("needs")}
        has = note.get("has")
        shown = has if level == 0 or has is None else CEFR_BANDS[has]
        return {"code": code, "language": language, "channel": channel, "has": shown, "needs": note.get("needs")}
    return None
