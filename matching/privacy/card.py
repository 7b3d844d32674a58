"""The card rule: the one place that decides what an employer sees of a presented person.

Every path that shows an employer a candidate (the card list, the card a decision answers with) calls
`employer_cards` with plain values: the presentations (the match's state and the pitch with its
consent), each person's disclosure from the vacancy's crowd (matching/privacy/disclosure.py), the
vacancy, the taxonomy's preferred labels and the reader's language. What it returns is all there is.

- Allow-list: the card is built field by field from generalised values; nothing from a stored row or
  explanation is copied through, so a field added elsewhere never reaches an employer by accident.
- No counsellor wording: skills and requirements are named by their concept's preferred label in the
  reader's language (falling back to another language where the taxonomy has none), never by the label
  typed or fuzzy-matched; a requirement or skill without a concept is left off. A requirement partly
  covered says only that a related skill is held: which one, and how much credit it gave, depend on the
  skill's level and evidence, which the card may hide.
- Score: the card shows a band of the coverage of the requirements shown (must-haves count twice, a
  related skill half), computed from the card's own skill statuses, so it implies nothing the card does
  not already say. The full score depends on the exact commute, hours and levels the card generalises;
  it stays with the liaison. Cards are ordered by that band, then by pseudonym.
- Pseudonym: the per-vacancy `candidate_ref` (matching/privacy/pseudonym.py), nothing else identifies.
- Pitch: the counsellor's free text, shown only when the counsellor allowed it (screened at input).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from matching.language.i18n import LANGUAGES, card_item_text, note_text
from matching.privacy.card_schema import CandidateCard, CardPrivacy
from matching.privacy.disclosure import (
    HELD,
    K_TARGET,
    MISSING,
    RELATED,
    Crowd,
    Disclosure,
    coverage_band,
    requirement_concepts,
    traits,
)
from matching.ranking.facts import CEFR_RANK, ProfileFacts, VacancyFacts, cefr_label

Labels = Mapping[tuple[str, str], str]  # (concept id, language) -> the concept's preferred label
ITEM_KIND = {HELD: "matched", RELATED: "partial", MISSING: "missing"}


@dataclass(frozen=True)
class Presented:
    """One presentation on a vacancy, as the employer's side of it stands."""

    candidate_ref: str
    profile_id: str | None  # None once the person was erased
    status: str
    reason: str | None = None
    interview_at: datetime | None = None
    version: int = 1
    pitch: str | None = None
    pitch_visible: bool = False
    paused: bool = False  # published but not reconfirmed in time: nothing of the person shows


def concept_label(labels: Labels, concept_id: str, lang: str) -> str:
    """The concept's preferred label in `lang`, else in English, French or Dutch (ESCO NL is partial)."""
    for candidate in (lang, *LANGUAGES):
        label = labels.get((concept_id, candidate))
        if label:
            return label
    return concept_id  # an identifier of the taxonomy, never words a person typed


def employer_cards(
    vacancy: VacancyFacts,
    presented: Sequence[Presented],
    disclosures: Mapping[str, Disclosure],
    labels: Labels,
    lang: str,
) -> list[CandidateCard]:
    """The cards of these presentations, best coverage band first, then by pseudonym.

    `disclosures` comes from `Crowd.disclose_together` over every presentation of the vacancy still
    shown, so the cards share one combination of rungs.
    """
    cards = [
        paused_card(p) if p.paused
        else withdrawn_card(p) if p.profile_id is None
        else pending_card(p) if p.profile_id not in disclosures
        else _card(p, disclosures[p.profile_id], vacancy, labels, lang)
        for p in presented
    ]
    return sorted(cards, key=lambda c: (-c.score, c.candidate_ref))


def cards_in_population(
    vacancy: VacancyFacts,
    presented: Sequence[Presented],
    population: Sequence[ProfileFacts],
    *,
    related: Mapping[str, Mapping[str, float]] | None = None,
    labels: Labels,
    lang: str,
) -> list[CandidateCard]:
    """The cards as the service builds them, from plain facts: the population is every published
    profile (with skills) and every presented one."""
    crowd = Crowd(traits(population, vacancy, related), vacancy)
    position = {p.profile_id: i for i, p in enumerate(population)}
    shown = [p for p in presented if p.profile_id in position]
    together = crowd.disclose_together([position[p.profile_id] for p in shown])
    disclosures = {p.profile_id: together[position[p.profile_id]] for p in shown}
    return employer_cards(vacancy, presented, disclosures, labels, lang)


def event_fields(p: Presented) -> dict[str, Any]:
    """What an event tells the employer's side about a presented candidate: the card's pseudonym and the
    state of the employer's decision as the card shows it, none of the person's facts (those stay on the
    card, where the crowd's generalisation applies). A paused or withdrawn card shows no reason and no date."""
    hidden = p.paused or p.profile_id is None
    return {
        "candidate_ref": p.candidate_ref,
        "status": "awaiting_reconfirmation" if p.paused else "withdrawn" if p.profile_id is None else p.status,
        "reason": None if hidden else p.reason,
        "interview_at": None if hidden else p.interview_at,
        "version": p.version,
    }


def withdrawn_card(p: Presented) -> CandidateCard:
    """Erased by the counsellor (or by retention): the employer sees only that the candidate withdrew."""
    return CandidateCard(
        candidate_ref=p.candidate_ref, score=0.0, score_band=None, explanation={}, skills=[], languages=[],
        availability={}, commute={}, status="withdrawn", reason=None, interview_at=None, pitch=None,
        version=p.version, privacy=None,
    )


def pending_card(p: Presented) -> CandidateCard:
    """Presented a moment ago (or its vacancy just edited): the workers have not measured the card against
    the crowd yet, so it shows nothing of the person; within seconds it does (privacy stays null until then).
    """
    return CandidateCard(
        candidate_ref=p.candidate_ref, score=0.0, score_band=None, explanation={}, skills=[], languages=[],
        availability={}, commute={}, status=p.status, reason=p.reason, interview_at=p.interview_at, pitch=None,
        version=p.version, privacy=None,
    )


def paused_card(p: Presented) -> CandidateCard:
    """Presented, then not reconfirmed in time by the counsellor: the employer keeps the pseudonym and the
    status reached, and sees none of the person's facts until the profile is reconfirmed.

    Why not the card as it was: facts nobody vouches for any more (hours, commute, languages) may be
    wrong now, and an employer acting on them costs the person. Why not "withdrawn": the person did not
    withdraw, and reconfirming brings the full card back unchanged, under the same pseudonym.
    """
    return CandidateCard(
        candidate_ref=p.candidate_ref, score=0.0, score_band=None, explanation={}, skills=[], languages=[],
        availability={}, commute={}, status="awaiting_reconfirmation", reason=None, interview_at=None,
        pitch=None, version=p.version, privacy=None,
    )


def _card(p: Presented, shown: Disclosure, vacancy: VacancyFacts, labels: Labels, lang: str) -> CandidateCard:
    band = _score_band(shown, vacancy)
    fields = card_fields(shown)
    return CandidateCard(
        candidate_ref=p.candidate_ref,
        score=0.0 if band is None else float(band.split("-")[0]),
        score_band=band,
        explanation=_explanation(shown, vacancy, labels, lang),
        skills=_skills(shown, labels, lang),
        languages=fields["languages"],
        availability=fields["availability"],
        commute=fields["commute"],
        status=p.status,
        reason=p.reason,
        interview_at=p.interview_at,
        pitch=p.pitch if p.pitch_visible and p.pitch else None,
        version=p.version,
        privacy=CardPrivacy(k=shown.k, k_target=K_TARGET, met=shown.met, generalised=dict(shown.levels)),
    )


def _statuses(shown: Disclosure, vacancy: VacancyFacts) -> list[tuple[str, bool, str]] | None:
    """(concept, must_have, status) per requirement shown; None when only the coverage band is."""
    value = shown.values.get("skills")
    if value is None or (value and value[0] == "coverage"):
        return None  # only the band shown, or not even that
    must = dict(requirement_concepts(vacancy))
    return [(entry[0], must[entry[0]], entry[1]) for entry in value]


def _score_band(shown: Disclosure, vacancy: VacancyFacts) -> str | None:
    """None when even the band would single someone out: every card of the vacancy then shows none."""
    statuses = _statuses(shown, vacancy)
    if statuses is None:
        value = shown.values.get("skills")
        return value[1] if value else None
    return coverage_band([(c, must, status, None, None) for c, must, status in statuses])


def _skills(shown: Disclosure, labels: Labels, lang: str) -> list[dict[str, Any]]:
    """The requirements held, by taxonomy label, with level and evidence as far as the rung allows."""
    value, rung = shown.values.get("skills") or (), shown.levels.get("skills", 3)
    if rung >= 2:
        return [{"concept_id": e[0], "label": concept_label(labels, e[0], lang), "level": None, "evidence": None}
                for e in value if rung == 2 and e[1] == HELD]
    return [
        {"concept_id": e[0], "label": concept_label(labels, e[0], lang), "level": e[2],
         "evidence": e[3] if rung == 0 else None}
        for e in value if e[1] == HELD
    ]


def _explanation(shown: Disclosure, vacancy: VacancyFacts, labels: Labels, lang: str) -> dict[str, Any]:
    """Requirement items from concept ids and statuses, and notes from the generalised values only."""
    out: dict[str, Any] = {"matched": [], "partial": [], "missing": [], "notes": []}
    for concept, must, status in _statuses(shown, vacancy) or []:
        kind = ITEM_KIND[status]
        item = {"concept_id": concept, "requirement": concept_label(labels, concept, lang), "must_have": must}
        out[kind].append(item | {"text": card_item_text(kind, item, lang)})
    out["notes"] = [note | {"text": note_text(note, lang)} for note in card_notes(shown, vacancy)]
    out["lang"] = lang
    return out


def card_fields(shown: Disclosure) -> dict[str, Any]:
    """The card's commute, availability and languages at the rungs reached."""
    values, levels = shown.values, shown.levels
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


def card_notes(shown: Disclosure, vacancy: VacancyFacts) -> list[dict[str, Any]]:
    """Notes as codes and parameters, each read off the values the card shows and the vacancy."""
    values, levels = shown.values, shown.levels
    notes: list[dict[str, Any]] = []
    notes += _language_notes(values["languages"], levels["languages"], vacancy)
    if vacancy.driving_licence and values.get("licence") is False:
        notes.append({"code": "licence_missing", "licence": vacancy.driving_licence})
    area = values["area"]
    if vacancy.lat is None or vacancy.lon is None:
        notes.append({"code": "location_unknown", "side": "vacancy"})
    elif area is not None and area[1] is None:
        notes.append({"code": "location_unknown", "side": "candidate"})
    elif area is not None:
        above = area[1] is False
        if area[0] is None:
            notes.append({"code": "commute_above_limit" if above else "commute_within_limit"})
        else:
            notes.append({"code": "commute_band_too_long" if above else "commute_band", "minutes": area[0]})
    hours = values["hours"]
    if hours is not None and hours[0] == "fits":
        if hours[1] is False:
            notes.append({"code": "hours_do_not_fit"})
    elif hours is not None and vacancy.hours_per_week is not None:
        low, high = hours
        if (low is not None and vacancy.hours_per_week < low) or (high is not None and vacancy.hours_per_week > high):
            wanted = f"{'' if low is None else low}-{'' if high is None else high}"
            notes.append({"code": "hours_range_mismatch", "vacancy_hours": vacancy.hours_per_week, "hours": wanted})
    shifts = values["shifts"]
    if levels["shifts"] == 0 and shifts:
        missing = sorted(vacancy.shifts - set(shifts))
        if missing:
            notes.append({"code": "shift_mismatch", "shifts": missing})
    elif levels["shifts"] == 1 and shifts is not None and shifts[1] is False:
        notes.append({"code": "shifts_not_all"})
    start = values["start"]
    if isinstance(start, tuple):
        if start[1] is False:
            notes.append({"code": "start_after"})
    elif start is not None and vacancy.start is not None:
        asked = f"{vacancy.start:%Y-%m}" if levels["start"] == 0 else \
            f"{vacancy.start.year}-Q{(vacancy.start.month - 1) // 3 + 1}"
        if start > asked:
            notes.append({"code": "start_in", "start": start})
    return notes


def _language_notes(shown: Any, rung: int, vacancy: VacancyFacts) -> list[dict[str, Any]]:
    if rung >= 3:
        return []
    if rung == 2:
        return [{"code": "language_not_met", "language": code} for code, meets in shown if not meets]
    listed = {code: (spoken, written) for code, spoken, written in shown}
    notes: list[dict[str, Any]] = []
    for req in vacancy.languages:
        asked = {"spoken": req.spoken, "written": req.written}
        if req.code not in listed:
            needs = {channel: cefr_label(need) for channel, need in asked.items() if need > 0}
            if needs:
                notes.append({"code": "language_missing", "language": req.code, "needs": needs})
            continue
        for channel, has in zip(("spoken", "written"), listed[req.code], strict=True):
            need = asked[channel]
            # A band (rung 1) is below the level asked only when its top is; otherwise it cannot say.
            top = 0 if has is None else CEFR_RANK[has[-2:]] if rung == 1 else CEFR_RANK[has]
            if need > 0 and top < need:
                notes.append({"code": "language_gap", "language": req.code, "channel": channel,
                              "has": has, "needs": cefr_label(need)})
    return notes

