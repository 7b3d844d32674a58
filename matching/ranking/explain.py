"""Explanations for shortlist items, read back from the very arrays their scores were computed from.

Scoring fills a Frame while it computes the components; an explanation only looks values up in it,
so it cannot disagree with the breakdown; `disagreements` checks that it does not. Every note has a
machine code, its parameters and an English text; `matching.language.i18n` renders fr/nl/en at read time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from matching.language.i18n import DEFAULT_LANGUAGE, note_text
from matching.ranking.facts import LanguageRequirement, SkillFact, VacancyFacts, cefr_label
from matching.ranking.weights import DEFAULT_WEIGHTS


class ProfileIndex(Protocol):
    """What an explanation reads of the scored index (matching.ranking.scoring.ProfileIndex) besides the Frame."""

    max_commute_: NDArray
    hours_min_: NDArray
    hours_max_: NDArray

    def skill_label(self, row: int, concept_id: str) -> str | None: ...


@dataclass
class Credits:
    """Best credit per profile and requirement, and which option gave it (-1 none, 0 direct, k related)."""

    requirements: tuple[SkillFact, ...]
    options: list[list[str]]
    credit: NDArray
    source: NDArray
    weight: NDArray  # per requirement: how much it counts among the others (specificity)

    def component(self, n: int) -> NDArray:
        """Weighted mean credit per profile, or 1 everywhere when nothing is asked."""
        if not len(self.requirements):
            return np.ones(n)
        return self.credit @ self.weight / self.weight.sum()


@dataclass
class Frame:
    """What scoring one vacancy computed per profile that an explanation needs to read back."""

    vacancy: VacancyFacts
    must: Credits
    nice: Credits
    languages: list[tuple[LanguageRequirement, NDArray, NDArray]] = field(default_factory=list)
    minutes: NDArray | None = None  # NaN where a location is unknown
    has_licence: NDArray | None = None
    hours_gap: NDArray | None = None  # None when the vacancy states no hours
    shift_accepts: dict[str, NDArray] = field(default_factory=dict)
    shifts_declared: NDArray | None = None
    late_days: NDArray | None = None  # None when the vacancy states no start; NaN where unknown
    rows: NDArray | None = None  # the index rows scored, in order (None: every row)

    def row(self, i: Any) -> Any:
        """The index row of position(s) i in the arrays above."""
        return i if self.rows is None else self.rows[i]

    def pick(self, values: NDArray) -> NDArray:
        """A per-profile index array cut down to the rows scored."""
        return values if self.rows is None else values[self.rows]


def explain(index: ProfileIndex, frame: Frame, i: int) -> dict[str, list[dict[str, Any]]]:
    """Matched, partial and missing requirements and notes for profile row i."""
    out: dict[str, list[dict[str, Any]]] = {"matched": [], "partial": [], "missing": [], "notes": []}
    for credits, must_have in ((frame.must, True), (frame.nice, False)):
        for j, req in enumerate(credits.requirements):
            item: dict[str, Any] = {
                "concept_id": req.concept_id,
                "requirement": req.label,
                "must_have": must_have,
                "weight": round(float(credits.weight[j]), 4),
            }
            k = int(credits.source[i, j])
            if k < 0:
                out["missing"].append(item)
                if req.concept_id is None:
                    out["notes"].append(_note("requirement_unknown", requirement=req.label))
                continue
            concept = credits.options[j][k]
            item.update(via=index.skill_label(int(frame.row(i)), concept), credit=round(float(credits.credit[i, j]), 4))
            if k > 0:
                item["via_concept_id"] = concept
            out["matched" if k == 0 else "partial"].append(item)
    unmet = [e["requirement"] for kind in ("partial", "missing") for e in out[kind] if e["must_have"]]
    if unmet:
        # First among the notes: an item below the line must never read as a match (it pads the list).
        out["notes"].insert(0, _note("not_qualified", requirements=unmet))
    out["notes"] += _language_notes(frame, i) + _mobility_notes(index, frame, i)
    out["notes"] += _availability_notes(index, frame, i)
    return out


def qualified(explanation: Mapping[str, Any]) -> bool:
    """Whether an item meets every must-have: each one held itself, not only through a related skill.

    Hard requirements need no check here: whoever falls short of one is never ranked (scoring.rank).
    """
    return not any(
        e.get("must_have") for kind in ("partial", "missing") for e in explanation.get(kind, [])
    )


def qualified_rows(frame: Frame) -> NDArray:
    """Per profile, whether every must-have is held directly (an unknown requirement is met by nobody)."""
    source = frame.must.source
    return (source == 0).all(axis=1) if source.shape[1] else np.ones(source.shape[0], dtype=bool)


def _language_notes(frame: Frame, i: int) -> list[dict[str, Any]]:
    """A note for every language channel below the level asked (one note if the language is absent)."""
    notes = []
    for req, spoken_levels, written_levels in frame.languages:
        spoken, written = int(spoken_levels[i]), int(written_levels[i])
        short = {
            channel: (has, need)
            for channel, has, need in (("spoken", spoken, req.spoken), ("written", written, req.written))
            if has < need
        }
        if short and spoken == written == 0:
            needs = {channel: cefr_label(need) for channel, (_, need) in short.items()}
            notes.append(_note("language_missing", language=req.code, needs=needs))
            continue
        for channel, (has, need) in short.items():
            notes.append(
                _note(
                    "language_gap",
                    language=req.code,
                    channel=channel,
                    has=cefr_label(has),
                    needs=cefr_label(need),
                )
            )
    return notes


def _mobility_notes(index: ProfileIndex, frame: Frame, i: int) -> list[dict[str, Any]]:
    """The one fact that decided the mobility fit: licence, unknown location, or the commute."""
    assert frame.minutes is not None and frame.has_licence is not None
    vacancy = frame.vacancy
    notes = []
    if not frame.has_licence[i]:
        notes.append(_note("licence_missing", licence=vacancy.driving_licence))
    if np.isnan(frame.minutes[i]):
        side = "vacancy" if vacancy.lat is None or vacancy.lon is None else "candidate"
        return [*notes, _note("location_unknown", side=side)]
    limit_minutes = index.max_commute_[frame.row(i)]
    minutes, limit = int(frame.minutes[i]), int(round(limit_minutes))
    code = "commute_too_long" if frame.minutes[i] > limit_minutes else "commute"
    return [*notes, _note(code, minutes=minutes, limit=limit)]


def _availability_notes(index: ProfileIndex, frame: Frame, i: int) -> list[dict[str, Any]]:
    """Hours, shift and start notes, one for each part of the availability fit below 1."""
    notes = []
    vacancy = frame.vacancy
    if frame.hours_gap is not None and frame.hours_gap[i] > 0:
        row = frame.row(i)
        low, high = (None if np.isnan(v) else int(v) for v in (index.hours_min_[row], index.hours_max_[row]))
        notes.append(_note("hours_mismatch", vacancy_hours=vacancy.hours_per_week, hours_min=low, hours_max=high))
    if frame.shifts_declared is not None and frame.shifts_declared[i]:
        missing = [shift for shift, accepts in frame.shift_accepts.items() if not accepts[i]]
        if missing:
            notes.append(_note("shift_mismatch", shifts=missing))
    if frame.late_days is not None and frame.late_days[i] > 0:  # NaN > 0 is False: unknown start
        notes.append(_note("start_later", days=int(frame.late_days[i])))
    return notes


def _note(code: str, **params: Any) -> dict[str, Any]:
    """A note: machine code and parameters, plus the English text (other languages render at read time)."""
    note = {"code": code, **params}
    return {"code": code, "text": note_text(note, DEFAULT_LANGUAGE), **params}


# --- agreement with the breakdown -------------------------------------------------------------

MOBILITY_NOTES = frozenset({"licence_missing", "location_unknown", "commute_too_long"})
AVAILABILITY_NOTES = frozenset({"hours_mismatch", "shift_mismatch", "start_later"})
LANGUAGE_NOTES = frozenset({"language_gap", "language_missing"})
TOLERANCE = 1.5e-4  # credits, weights and contributions are each rounded to 4 decimals


def disagreements(
    item: Any, vacancy: VacancyFacts, weights: Mapping[str, float] | None = None
) -> list[str]:
    """Every way a shortlist item's explanation contradicts its breakdown or the vacancy (none: [])."""
    weights = DEFAULT_WEIGHTS if weights is None else weights
    explanation, breakdown, problems = item.explanation, item.breakdown, []
    if abs(sum(breakdown.values()) - item.score) > 1e-6:
        problems.append(f"breakdown adds up to {sum(breakdown.values())}, score is {item.score}")
    for component, must_have, requirements in (
        ("must_have", True, vacancy.must_have),
        ("skills", False, vacancy.nice_to_have),
    ):
        listed = [e for kind in ("matched", "partial", "missing") for e in explanation[kind]
                  if e["must_have"] is must_have]
        if sorted(e["requirement"] for e in listed) != sorted(r.label for r in requirements):
            problems.append(f"{component}: the requirements listed are not the vacancy's")
        if any(e.get("credit", 0.0) <= 0 for kind in ("matched", "partial") for e in explanation[kind]):
            problems.append("a matched or partial requirement without credit")
        total = sum(e["weight"] for e in listed)
        fit = sum(e["weight"] * e.get("credit", 0.0) for e in listed) / total if total else 1.0
        if abs(breakdown[component] - weights[component] * fit) > TOLERANCE:
            expected = weights[component] * fit
            problems.append(f"{component} is {breakdown[component]}, the listed credits give {expected}")
        if any(e["must_have"] is must_have for e in explanation["missing"]) and fit >= 1.0:
            problems.append(f"{component}: something is missing yet the fit is full")
    codes = [note["code"] for note in explanation["notes"]]
    for component, names in (("languages", LANGUAGE_NOTES), ("mobility", MOBILITY_NOTES),
                             ("availability", AVAILABILITY_NOTES)):
        below = breakdown[component] < weights[component]
        if below != bool(names & set(codes)):
            problems.append(f"{component} is {breakdown[component]} of {weights[component]}, notes: {codes}")
    asked = {(req.code, channel, cefr_label(getattr(req, channel)))
             for req in vacancy.languages for channel in ("spoken", "written")}
    for note in explanation["notes"]:
        if note["code"] == "language_gap":
            if (note["language"], note["channel"], note["needs"]) not in asked:
                problems.append(f"language note {note} does not state the vacancy's level")
        if note["code"] in ("commute", "commute_too_long") and note["minutes"] != item.commute_minutes:
            problems.append(f"commute note says {note['minutes']} min, the item {item.commute_minutes}")
    return problems
