"""k-anonymity of candidate cards on programme-sized populations (60 profiles), checked by an adversary.

The adversary reads only what a card shows (its commute, availability and languages, and which rungs
were used) and counts the published profiles consistent with it that could have been presented (they
pass the vacancy's hard constraints): that count must reach k = 5 and equal the k the card reports.
tests/matching/test_card.py checks whole cards, skills included.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.privacy import disclosure
from matching.privacy.card import card_fields, card_notes
from matching.privacy.disclosure import K_TARGET, Disclosure, Traits
from matching.ranking.facts import CEFR_LEVELS, LanguageFact, LanguageRequirement, ProfileFacts, VacancyFacts, cefr_rank
from tests.population import profile_bodies

POSTCODES_CSV = Path(__file__).resolve().parents[2] / "matching" / "data" / "brussels_postcodes.csv"
COORDS = {row["postcode"]: (float(row["lat"]), float(row["lon"])) for row in csv.DictReader(POSTCODES_CSV.open())}


def facts(body: dict, index: int) -> ProfileFacts:
    availability, mobility = body["availability"], body["mobility"]
    lat, lon = COORDS[mobility["postcode"]]
    return ProfileFacts(
        profile_id=f"prf_{index}",
        languages=tuple(
            LanguageFact(code=lang["code"], spoken=cefr_rank(lang["spoken"]), written=cefr_rank(lang["written"]))
            for lang in body["languages"]
        ),
        hours_min=availability["hours_min"],
        hours_max=availability["hours_max"],
        shifts=frozenset(availability["shifts"]),
        start=date.fromisoformat(availability["start"]),
        lat=lat,
        lon=lon,
        max_commute_minutes=mobility["max_commute_minutes"],
        transport=frozenset(mobility["transport"]),
    )


VACANCIES = [
    VacancyFacts(
        vacancy_id="vac_offices",
        languages=(LanguageRequirement("nl", spoken=2), LanguageRequirement("fr", spoken=3)),
        lat=COORDS["1000"][0],
        lon=COORDS["1000"][1],
        hours_per_week=30,
        shifts=frozenset({"early_morning"}),
        start=date(2027, 1, 4),
    ),
    VacancyFacts(
        vacancy_id="vac_warehouse",
        languages=(LanguageRequirement("fr", spoken=2, written=1),),
        lat=COORDS["1120"][0],
        lon=COORDS["1120"][1],
        hours_per_week=38,
        shifts=frozenset({"day", "evening"}),
        start=date(2026, 11, 2),
    ),
    VacancyFacts(vacancy_id="vac_minimal", lat=COORDS["1070"][0], lon=COORDS["1070"][1]),
]


# --- the adversary: what is consistent with a card, read from the card ------------------------------


def _in_band(band: str, minutes: float) -> bool:
    if band.endswith("+"):
        return minutes >= int(band[:-1])
    low, high = (int(x) for x in band.split("-"))
    return low <= minutes < high


def _hours_shown(t: Traits, step: int) -> str:
    low = "" if t.hours_min is None else str(t.hours_min // step * step)
    high = "" if t.hours_max is None else str(-(-t.hours_max // step) * step)
    return f"{low}-{high}"


def _level_shown(rank: int, banded: bool) -> str | None:
    if rank == 0:
        return None
    label = CEFR_LEVELS[rank - 1]
    return f"{label[0]}1-{label[0]}2" if banded else label


def consistent(card: dict, levels: dict[str, int], t: Traits, v: VacancyFacts) -> bool:
    """Could this person be behind this card? Judged from the card's fields only."""
    if not t.eligible:
        return False  # every presented person passed the vacancy's hard constraints
    commute, availability = card["commute"], card["availability"]
    if levels["area"] < 3:
        within = None if t.commute is None else t.commute <= t.commute_limit
        if commute["within_limit"] != within:
            return False
        if levels["area"] < 2 and (commute["minutes"] is None) != (t.commute is None):
            return False
        if levels["area"] < 2 and commute["minutes"] is not None and not _in_band(commute["minutes"], t.commute):
            return False
    if levels["hours"] < 2 and availability["hours"] != (
        None if t.hours_min is None and t.hours_max is None else _hours_shown(t, 5 if levels["hours"] == 0 else 10)
    ):
        return False
    if levels["hours"] == 2 and v.hours_per_week is not None:
        if availability["hours_fit"] != ((t.hours_min or 0) <= v.hours_per_week <= (t.hours_max or 60)):
            return False
    if levels["start"] == 0 and availability["start"] != (t.start and f"{t.start:%Y-%m}"):
        return False
    if levels["start"] == 1 and availability["start"] != (t.start and f"{t.start.year}-Q{(t.start.month + 2) // 3}"):
        return False
    if levels["start"] == 2 and v.start is not None and t.start is not None:
        if availability["start_in_time"] != (t.start <= v.start):
            return False
    if v.shifts and levels["shifts"] == 0 and availability["shifts"] != sorted(t.shifts):
        return False
    if v.shifts and levels["shifts"] == 1 and availability["all_shifts"] != (t.shifts == v.shifts):
        return False
    if levels["languages"] < 2:
        banded = levels["languages"] == 1
        theirs = [
            {"code": code, "spoken": _level_shown(s, banded), "written": _level_shown(w, banded)}
            for code, s, w in t.languages
        ]
        if card["languages"] != theirs:
            return False
    if levels["languages"] == 2:
        have = {code: (s, w) for code, s, w in t.languages}
        theirs = [
            {"code": req.code, "meets_level": have.get(req.code, (0, 0))[0] >= req.spoken
             and have.get(req.code, (0, 0))[1] >= req.written}
            for req in sorted(v.languages, key=lambda r: r.code)
        ]
        if card["languages"] != theirs:
            return False
    return True


def adversary_count(result: Disclosure, population: list[Traits], v: VacancyFacts) -> int:
    card = card_fields(result)
    return sum(consistent(card, result.levels, t, v) for t in population)


# --- the tests ------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("vacancy", VACANCIES, ids=lambda v: v.vacancy_id)
def test_every_card_of_a_programme_year_hides_among_five(seed: int, vacancy: VacancyFacts) -> None:
    population = disclosure.traits([facts(b, i) for i, b in enumerate(profile_bodies(seed))], vacancy)
    eligible = [t for t in population if t.eligible]  # only they can be presented
    results = disclosure.disclose(eligible, population, vacancy)
    for result in results:
        assert result.met == (len(eligible) >= K_TARGET) and result.k >= min(K_TARGET, len(eligible)), result
        assert adversary_count(result, population, vacancy) == result.k, result
    # One combination of rungs for all the cards of a vacancy: the rungs tell no card apart.
    assert len({tuple(r.levels.items()) for r in results}) <= 1


def test_an_identical_crowd_needs_no_generalisation() -> None:
    vacancy = VACANCIES[0]
    body = profile_bodies(1, n=1)[0]
    body["languages"] = [
        {"code": "nl", "spoken": "B1", "written": "A1"}, {"code": "fr", "spoken": "B2", "written": "A1"}
    ]
    body["availability"] |= {"hours_min": 20, "hours_max": 38}  # meets the vacancy's hard constraints
    population = disclosure.traits([facts(body, i) for i in range(6)], vacancy)
    (result,) = disclosure.disclose(population[:1], population, vacancy)
    assert result.levels == dict.fromkeys(disclosure.QUASI_IDENTIFIERS, 0)
    assert result.k == 6


def test_a_lone_outlier_is_generalised_until_five_share_its_card() -> None:
    vacancy = VACANCIES[0]
    bodies = profile_bodies(2, n=30)
    outlier = dict(bodies[0], mobility={"postcode": "1160", "max_commute_minutes": 60, "transport": ["car"]})
    outlier["availability"] = {"hours_min": 29, "hours_max": 31, "shifts": ["early_morning"], "start": "2028-06-30"}
    outlier["languages"] = [{"code": "nl", "spoken": "C2", "written": "C2"}, {"code": "fr", "spoken": "C2"}]
    outlier["languages"][1]["written"] = "A1"
    population = disclosure.traits([facts(b, i) for i, b in enumerate([outlier, *bodies[1:]])], vacancy)
    (result,) = disclosure.disclose(population[:1], population, vacancy)
    assert result.k >= K_TARGET and any(result.levels.values())
    assert adversary_count(result, population, vacancy) == result.k
    card = card_fields(result)
    assert card["availability"]["start"] != "2028-06"  # the only June 2028 start is not shown as such


def test_fewer_than_five_published_is_reported_not_hidden() -> None:
    vacancy = VACANCIES[1]
    vacancy = VacancyFacts(vacancy_id="vac_open", lat=vacancy.lat, lon=vacancy.lon, shifts=vacancy.shifts)
    population = disclosure.traits([facts(b, i) for i, b in enumerate(profile_bodies(3, n=3))], vacancy)
    results = disclosure.disclose(population, population, vacancy)
    assert all(r.k == 3 and not r.met for r in results)
    assert all(r.levels == disclosure.HIDDEN for r in results)


def test_a_language_not_asked_is_never_among_the_traits() -> None:
    body = profile_bodies(4, n=1)[0]
    body["languages"] = [
        {"code": "rom", "spoken": "C2", "written": "A1"},
        {"code": "fr", "spoken": "B2", "written": "B1"},
    ]
    (t,) = disclosure.traits([facts(body, 0)], VACANCIES[0])
    assert [code for code, _, _ in t.languages] == ["fr"]


def test_card_notes_lose_the_exact_figures_they_would_give_away() -> None:
    vacancy = VACANCIES[0]
    population = disclosure.traits([facts(b, i) for i, b in enumerate(profile_bodies(5, n=40))], vacancy)
    person = population[0]
    for rung in (1, 2, 3):
        levels = {qi: min(rung, disclosure.HIDDEN[qi]) for qi in disclosure.QUASI_IDENTIFIERS}
        shown = Disclosure(levels=levels, values=disclosure.shown_values(person, vacancy, levels), k=5, met=True)
        text = str(card_notes(shown, vacancy))
        assert f"'minutes': {person.commute:.0f}" not in text and "'days'" not in text and "'limit'" not in text
        if person.start is not None:
            assert f"{person.start:%Y-%m}" not in text


# --- a crowd that follows changes answers as one built from scratch ----------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_an_updated_crowd_discloses_as_one_built_from_scratch(data) -> None:
    vacancy = data.draw(st.sampled_from(VACANCIES), label="vacancy")
    bodies = profile_bodies(data.draw(st.integers(0, 50), label="seed"), n=40)
    traits = disclosure.traits([facts(b, i) for i, b in enumerate(bodies)], vacancy)
    members = set(range(20))
    crowd = disclosure.Crowd([traits[i] for i in sorted(members)], vacancy)
    for i in sorted(members)[:3]:
        crowd.disclose(i)  # fill some columns and groups first: updates must recode them, not start over
    for _ in range(data.draw(st.integers(1, 6), label="rounds")):
        # Publish (a position at the end or back into the crowd), change someone, close someone.
        joining = data.draw(st.lists(st.integers(20, 39), max_size=4, unique=True), label="joining")
        leaving = data.draw(st.lists(st.sampled_from(sorted(members)), max_size=4, unique=True), label="leaving")
        changed = data.draw(st.lists(st.sampled_from(sorted(members)), max_size=2, unique=True), label="changed")
        updates = {i: traits[i] for i in joining}
        updates |= {i: traits[(i + 7) % 40] for i in changed}  # someone else's traits: a real change
        updates |= dict.fromkeys(set(leaving) - set(joining), None)
        crowd.update(updates)
        members = (members | set(joining)) - (set(leaving) - set(joining))
        if members:
            sample = data.draw(st.sampled_from(sorted(members)), label="card")
            crowd.disclose(sample)
    fresh_order = sorted(members)
    people = [crowd.people[i] for i in fresh_order]
    fresh = disclosure.Crowd(people, vacancy)
    assert len(crowd) == len(fresh) == sum(person.eligible for person in people)  # only the eligible count
    for position, i in enumerate(fresh_order):
        assert crowd.disclose(i) == fresh.disclose(position)


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
def test_every_card_note_at_every_rung_is_worded_in_each_language(lang) -> None:
    from matching.language import i18n

    vacancy = VACANCIES[0]
    (person,) = disclosure.traits([facts(profile_bodies(6, n=1)[0], 0)], vacancy)
    for rung in range(4):
        levels = {qi: min(rung, disclosure.HIDDEN[qi]) for qi in disclosure.QUASI_IDENTIFIERS}
        shown = Disclosure(levels=levels, values=disclosure.shown_values(person, vacancy, levels), k=5, met=True)
        rendered = [note | {"text": i18n.note_text(note, lang)} for note in card_notes(shown, vacancy)]
        for note in rendered:
            assert note["code"] in i18n.NOTE_TEMPLATES[lang], note  # worded, not the fallback
            assert "{" not in note["text"] and "None" not in note["text"], note
