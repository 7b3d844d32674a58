"""Ranking outcomes a liaison would notice, on hand-built and on random populations (no database)."""

import dataclasses
import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.ranking.explain import disagreements
from matching.ranking.facts import (
    CONSTRAINTS,
    EVIDENCE_KINDS,
    SHIFTS,
    SKILL_LEVELS,
    TRANSPORT_MODES,
    LanguageFact,
    LanguageRequirement,
    ProfileFacts,
    SkillFact,
    VacancyFacts,
)
from matching.ranking.scoring import COMPONENTS, DEFAULT_WEIGHTS, ProfileIndex, ScoredCandidate, rank, score_all

GRAND_PLACE = (50.8467, 4.3525)
ANDERLECHT = (50.8366, 4.3087)
GHENT = (51.0543, 3.7174)
VILVOORDE = (50.9281, 4.4245)
# Most tests below look at how shortfalls lower the score, so nothing leaves a candidate out there.
ALL_SOFT = dict.fromkeys(CONSTRAINTS, "soft")

VACANCY = VacancyFacts(
    vacancy_id="v-office",
    must_have=(SkillFact("kantoren schoonmaken", "c:office-cleaning", level="basic"),),
    nice_to_have=(SkillFact("schrobmachine bedienen", "c:scrubber"),),
    languages=(LanguageRequirement("nl", spoken=2), LanguageRequirement("fr", spoken=3)),
    lat=GRAND_PLACE[0],
    lon=GRAND_PLACE[1],
    hours_per_week=30,
    shifts=frozenset({"early_morning"}),
    start=date(2027, 1, 4),
    constraints=ALL_SOFT,
)
BASE = ProfileFacts(
    profile_id="p-base",
    skills=(
        SkillFact("nettoyage de bureaux", "c:office-cleaning", "intermediate", "certified"),
        SkillFact("autolaveuse", "c:scrubber", "basic", "observed"),
    ),
    languages=(LanguageFact("fr", spoken=4, written=2), LanguageFact("nl", spoken=2, written=1)),
    hours_min=19,
    hours_max=38,
    shifts=frozenset({"early_morning", "day"}),
    start=date(2026, 12, 1),
    lat=ANDERLECHT[0],
    lon=ANDERLECHT[1],
    max_commute_minutes=45,
    transport=frozenset({"public_transport", "bike"}),
)


def candidate(profile_id: str, **changes: object) -> ProfileFacts:
    """The well-matched base profile under another id, with some facts changed."""
    return dataclasses.replace(BASE, profile_id=profile_id, **changes)  # type: ignore[arg-type]


def shortlist(
    profiles: list[ProfileFacts], vacancy: VacancyFacts = VACANCY, **kwargs
) -> list[ScoredCandidate]:
    """Rank the profiles for the vacancy, every one of them unless told otherwise."""
    kwargs.setdefault("size", len(profiles))
    return rank(ProfileIndex().fit(profiles), vacancy, **kwargs)


def by_id(items: list[ScoredCandidate]) -> dict[str, ScoredCandidate]:
    """Shortlist items keyed by profile id."""
    return {item.profile_id: item for item in items}


def codes(item: ScoredCandidate) -> list[str]:
    """The codes of an item's notes."""
    return [note["code"] for note in item.explanation["notes"]]


def test_the_candidate_with_everything_close_by_ranks_first() -> None:
    no_skill = candidate("p-no-skill", skills=())
    no_dutch = candidate("p-no-dutch", languages=(LanguageFact("fr", 4, 2), LanguageFact("nl", 1, 1)))
    best = candidate("p-best")
    items = shortlist([no_skill, no_dutch, best])
    # Holding none of the must-haves, however well the rest fits, is no candidacy.
    assert [item.profile_id for item in items] == ["p-best", "p-no-dutch"]
    top = items[0]
    assert top.breakdown["must_have"] == pytest.approx(DEFAULT_WEIGHTS["must_have"] * 0.9)  # intermediate
    assert top.breakdown["languages"] == DEFAULT_WEIGHTS["languages"]
    assert top.breakdown["mobility"] == DEFAULT_WEIGHTS["mobility"]
    assert top.breakdown["availability"] == DEFAULT_WEIGHTS["availability"]
    assert [m["via"] for m in top.explanation["matched"]] == ["nettoyage de bureaux", "autolaveuse"]
    assert top.explanation["missing"] == []
    assert "commute" in codes(top)


def test_a_candidate_beyond_their_commute_limit_ranks_below_an_identical_one_nearby() -> None:
    items = shortlist([candidate("a-far", lat=VILVOORDE[0], lon=VILVOORDE[1]), candidate("z-near")])
    assert [item.profile_id for item in items] == ["z-near", "a-far"]
    far = items[1]
    assert 0.0 < far.breakdown["mobility"] < DEFAULT_WEIGHTS["mobility"]
    assert far.commute_minutes is not None and 45 < far.commute_minutes < 90
    note = next(n for n in far.explanation["notes"] if n["code"] == "commute_too_long")
    assert note["limit"] == 45 and note["minutes"] == far.commute_minutes


def test_a_hard_requirement_leaves_out_whoever_falls_short_a_soft_one_only_lowers_the_score() -> None:
    far = candidate("p-vilvoorde", lat=VILVOORDE[0], lon=VILVOORDE[1])
    short_dutch = candidate("p-dutch-a1", languages=(LanguageFact("fr", 4, 2), LanguageFact("nl", 1, 1)))
    few_hours = candidate("p-20h", hours_min=10, hours_max=20)
    population = [far, short_dutch, few_hours, candidate("p-fine")]
    assert len(shortlist(population)) == 4
    for constraint, left_out in (("commute", "p-vilvoorde"), ("languages", "p-dutch-a1"), ("hours", "p-20h")):
        vacancy = dataclasses.replace(VACANCY, constraints={**ALL_SOFT, constraint: "hard"})
        kept = [item.profile_id for item in shortlist(population, vacancy)]
        assert sorted(kept) == sorted(p.profile_id for p in population if p.profile_id != left_out)
        scores = score_all(ProfileIndex().fit(population), vacancy)
        assert list(scores.excluded[constraint]) == [p.profile_id == left_out for p in population]


def test_by_default_languages_hours_and_licence_are_hard_and_the_commute_soft() -> None:
    default = VacancyFacts(vacancy_id="v")
    assert default.constraints == {"languages": "hard", "hours": "hard", "commute": "soft",
                                   "driving_licence": "hard"}
    with pytest.raises(ValueError):
        VacancyFacts(vacancy_id="v", constraints={"languages": "strict"})


def test_a_missing_must_have_is_listed_as_missing() -> None:
    vacancy = dataclasses.replace(VACANCY, must_have=(*VACANCY.must_have, SkillFact("cuisiner", "c:kitchen")))
    item = shortlist([candidate("p")], vacancy)[0]
    assert item.breakdown["must_have"] == pytest.approx(DEFAULT_WEIGHTS["must_have"] * 0.9 / 2)
    assert {"concept_id": "c:kitchen", "requirement": "cuisiner", "must_have": True, "weight": 1.0} in (
        item.explanation["missing"]
    )
    assert [m["concept_id"] for m in item.explanation["matched"]] == ["c:office-cleaning", "c:scrubber"]
    assert shortlist([candidate("q", skills=(SkillFact("cuisine", "c:kitchen"),))]) == []  # none of them


def test_a_language_gap_note_names_the_levels() -> None:
    item = shortlist([candidate("p", languages=(LanguageFact("fr", 4, 2), LanguageFact("nl", 1, 1)))])[0]
    assert item.breakdown["languages"] == pytest.approx(DEFAULT_WEIGHTS["languages"] * 0.75)
    gaps = [n for n in item.explanation["notes"] if n["code"] == "language_gap"]
    assert len(gaps) == 1
    assert gaps[0] | {"text": ""} == {
        "code": "language_gap",
        "text": "",
        "language": "nl",
        "channel": "spoken",
        "has": "A1",
        "needs": "A2",
    }
    assert gaps[0]["text"] == "Dutch spoken A1, the vacancy asks A2"


def test_an_absent_language_scores_zero_for_it_and_says_so() -> None:
    item = shortlist([candidate("p", languages=(LanguageFact("fr", 4, 2),))])[0]
    assert item.breakdown["languages"] == pytest.approx(DEFAULT_WEIGHTS["languages"] / 2)
    note = next(n for n in item.explanation["notes"] if n["code"] == "language_missing")
    assert note["language"] == "nl" and note["needs"] == {"spoken": "A2"}


def test_breakdown_has_the_five_components_and_adds_up_to_the_score() -> None:
    items = shortlist([candidate("a"), candidate("b", skills=(), lat=None, lon=None)])
    for item in items:
        assert list(item.breakdown) == list(COMPONENTS)
        assert sum(item.breakdown.values()) == pytest.approx(item.score, abs=1e-9)
        json.dumps(dataclasses.asdict(item))  # stored as JSON by the worker


def test_equal_scores_are_ordered_by_profile_id() -> None:
    items = shortlist([candidate("p-c"), candidate("p-a"), candidate("p-b")])
    assert [item.profile_id for item in items] == ["p-a", "p-b", "p-c"]
    assert len({item.score for item in items}) == 1


def test_min_score_and_size_are_honoured() -> None:
    profiles = [candidate(f"p-{i}") for i in range(5)] + [candidate("p-weak", skills=(), languages=())]
    assert [i.profile_id for i in shortlist(profiles, size=2)] == ["p-0", "p-1"]
    strong_only = shortlist(profiles, min_score=0.6)
    assert len(strong_only) == 5 and all(item.score >= 0.6 for item in strong_only)
    assert shortlist(profiles, size=0) == []


def test_a_related_skill_earns_partial_credit() -> None:
    broader = candidate("p", skills=(SkillFact("schoonmaak", "c:cleaning", "advanced", "certified"),))
    related = {"c:office-cleaning": {"c:cleaning": 0.5}}
    item = shortlist([broader], related=related)[0]
    assert item.breakdown["must_have"] == pytest.approx(DEFAULT_WEIGHTS["must_have"] * 0.5)
    assert item.explanation["partial"] == [
        {
            "concept_id": "c:office-cleaning",
            "requirement": "kantoren schoonmaken",
            "must_have": True,
            "weight": 1.0,
            "via": "schoonmaak",
            "via_concept_id": "c:cleaning",
            "credit": 0.5,
        }
    ]
    assert shortlist([broader]) == []  # without the relation, no must-have is held: no candidacy


def test_a_requirement_outside_the_taxonomy_is_missing_for_everyone_with_a_note() -> None:
    vacancy = dataclasses.replace(VACANCY, must_have=(*VACANCY.must_have, SkillFact("vlotte babbel", None)))
    item = shortlist([candidate("p")], vacancy)[0]
    assert item.breakdown["must_have"] == pytest.approx(DEFAULT_WEIGHTS["must_have"] * 0.45)
    assert [m["requirement"] for m in item.explanation["missing"]] == ["vlotte babbel"]
    assert "requirement_unknown" in codes(item)


def test_a_missing_driving_licence_zeroes_mobility_and_a_lorry_licence_counts_as_b() -> None:
    vacancy = dataclasses.replace(VACANCY, driving_licence="B")
    items = by_id(
        shortlist([candidate("none"), candidate("lorry", driving_licences=frozenset({"C"}))], vacancy)
    )
    assert items["none"].breakdown["mobility"] == 0.0
    assert "licence_missing" in codes(items["none"])
    assert items["lorry"].breakdown["mobility"] == DEFAULT_WEIGHTS["mobility"]


def test_an_unknown_location_scores_half_mobility_with_a_note() -> None:
    item = shortlist([candidate("p", lat=None, lon=None)])[0]
    assert item.breakdown["mobility"] == DEFAULT_WEIGHTS["mobility"] / 2
    assert item.commute_minutes is None
    assert "location_unknown" in codes(item)


def test_availability_notes_say_what_does_not_fit() -> None:
    late = candidate("p", hours_min=38, hours_max=38, shifts=frozenset({"night"}), start=date(2027, 2, 3))
    item = shortlist([late])[0]
    notes = {note["code"]: note for note in item.explanation["notes"]}
    assert notes["hours_mismatch"]["hours_min"] == 38 and notes["hours_mismatch"]["vacancy_hours"] == 30
    assert notes["shift_mismatch"]["shifts"] == ["early_morning"]
    assert notes["start_later"]["days"] == 30
    # hours 8 h off -> 0.2, no shift in common -> 0, 30 days late -> 0.5
    assert item.breakdown["availability"] == pytest.approx(
        DEFAULT_WEIGHTS["availability"] * 0.7 / 3, abs=1e-4
    )


def test_dates_in_notes_count_calendar_days() -> None:
    item = shortlist([candidate("p", start=VACANCY.start + timedelta(days=1))])[0]
    assert [n["days"] for n in item.explanation["notes"] if n["code"] == "start_later"] == [1]


def test_an_empty_population_gives_an_empty_shortlist_and_an_unfitted_index_is_refused() -> None:
    assert rank(ProfileIndex().fit([]), VACANCY) == []
    with pytest.raises(ValueError, match="not fitted"):
        rank(ProfileIndex(), VACANCY)


# --- properties on random populations ----------------------------------------------------------

CONCEPTS = [f"c{i}" for i in range(4)]
SKILLS = st.builds(
    SkillFact,
    label=st.sampled_from(["poetsen", "nettoyer", "cook", "lift"]),
    concept_id=st.one_of(st.none(), st.sampled_from(CONCEPTS)),
    level=st.sampled_from([None, *SKILL_LEVELS]),
    evidence=st.sampled_from([None, *EVIDENCE_KINDS]),
)
LANGUAGES = st.builds(
    LanguageFact,
    code=st.sampled_from(["fr", "nl", "rom"]),
    spoken=st.integers(0, 6),
    written=st.integers(0, 6),
)
HOURS = st.one_of(st.none(), st.integers(0, 40))
DATES = st.one_of(st.none(), st.dates(date(2026, 11, 1), date(2027, 4, 1)))
LATS, LONS = st.one_of(st.none(), st.floats(50.78, 50.92)), st.floats(4.25, 4.48)  # the Region
MODES = ["hard", "soft"]
SUBSETS = {
    "shifts": st.frozensets(st.sampled_from(SHIFTS)),
    "transport": st.frozensets(st.sampled_from(TRANSPORT_MODES)),
    "licences": st.frozensets(st.sampled_from(["B", "C", "CE", "AM"])),
}


@st.composite
def profiles(draw: st.DrawFn, profile_id: str) -> ProfileFacts:
    """A random profile under the given id."""
    lat = draw(LATS)
    return ProfileFacts(
        profile_id=profile_id,
        skills=tuple(draw(st.lists(SKILLS, max_size=5))),
        languages=tuple(draw(st.lists(LANGUAGES, max_size=3))),
        hours_min=draw(HOURS),
        hours_max=draw(HOURS),
        shifts=draw(SUBSETS["shifts"]),
        start=draw(DATES),
        lat=lat,
        lon=None if lat is None else draw(LONS),
        max_commute_minutes=draw(st.one_of(st.none(), st.integers(0, 120))),
        transport=draw(SUBSETS["transport"]),
        driving_licences=draw(SUBSETS["licences"]),
    )


@st.composite
def populations(draw: st.DrawFn) -> list[ProfileFacts]:
    """Random profiles with unique random ids, in random order."""
    ids = draw(st.lists(st.text("abcxyz", min_size=1, max_size=3), unique=True, max_size=20))
    return [draw(profiles(profile_id)) for profile_id in ids]


@st.composite
def vacancies(draw: st.DrawFn) -> VacancyFacts:
    """A random vacancy, sometimes asking nothing at all."""
    lat = draw(LATS)
    requirement = st.builds(
        SkillFact,
        label=st.sampled_from(["r1", "r2"]),
        concept_id=st.one_of(st.none(), st.sampled_from(CONCEPTS)),
        level=st.sampled_from([None, *SKILL_LEVELS]),
    )
    language = st.builds(
        LanguageRequirement,
        code=st.sampled_from(["fr", "nl", "en"]),
        spoken=st.integers(0, 6),
        written=st.integers(0, 6),
    )
    return VacancyFacts(
        vacancy_id="v",
        constraints=draw(st.fixed_dictionaries({}, optional=dict.fromkeys(CONSTRAINTS, st.sampled_from(MODES)))),
        must_have=tuple(draw(st.lists(requirement, max_size=3))),
        nice_to_have=tuple(draw(st.lists(requirement, max_size=3))),
        languages=tuple(draw(st.lists(language, max_size=3))),
        lat=lat,
        lon=None if lat is None else draw(LONS),
        hours_per_week=draw(HOURS),
        shifts=draw(SUBSETS["shifts"]),
        start=draw(DATES),
        driving_licence=draw(st.sampled_from([None, "B", "C"])),
    )


RELATED = st.dictionaries(
    st.sampled_from(CONCEPTS),
    st.dictionaries(st.sampled_from(CONCEPTS), st.sampled_from([0.0, 0.25, 0.5, 1.0]), max_size=3),
    max_size=4,
)
@settings(deadline=None, max_examples=150)
@given(population=populations(), vacancy=vacancies(), related=RELATED)
def test_random_shortlists_are_sound(
    population: list[ProfileFacts], vacancy: VacancyFacts, related: dict
) -> None:
    items = shortlist(population, vacancy, related=related)
    eligible = score_all(ProfileIndex().fit(population), vacancy, related=related).eligible
    assert len(items) == int(eligible.sum())
    for item in items:
        assert 0.0 <= item.score <= 1.0
        assert list(item.breakdown) == list(COMPONENTS)
        assert sum(item.breakdown.values()) == pytest.approx(item.score, abs=1e-9)
        assert all(0.0 <= item.breakdown[c] <= DEFAULT_WEIGHTS[c] for c in COMPONENTS)
        assert disagreements(item, vacancy) == []
    keys = [(-item.score, item.profile_id) for item in items]
    assert keys == sorted(keys)
    assert shortlist(population[::-1], vacancy, related=related) == items


@settings(deadline=None, max_examples=100)
@given(population=populations(), vacancy=vacancies(), related=RELATED, data=st.data())
def test_a_profile_scores_the_same_whoever_else_is_indexed(
    population: list[ProfileFacts], vacancy: VacancyFacts, related: dict, data: st.DataObject
) -> None:
    keep = data.draw(st.lists(st.booleans(), min_size=len(population), max_size=len(population)))
    subset = [profile for profile, kept in zip(population, keep, strict=True) if kept]
    kept_ids = {profile.profile_id for profile in subset}
    full = shortlist(population, vacancy, related=related)
    assert shortlist(subset, vacancy, related=related) == [i for i in full if i.profile_id in kept_ids]


@settings(deadline=None, max_examples=50)
@given(population=populations(), vacancy=vacancies(), size=st.integers(0, 25), min_score=st.floats(0, 1))
def test_size_and_min_score_cut_the_full_ranking(
    population: list[ProfileFacts], vacancy: VacancyFacts, size: int, min_score: float
) -> None:
    full = shortlist(population, vacancy)
    cut = shortlist(population, vacancy, size=size, min_score=min_score)
    assert cut == [item for item in full if item.score >= min_score][:size]
