"""The card rule (matching/privacy/card.py) tested directly, without HTTP: what a card shows is true to k,
never carries a word someone typed, reads the same across vacancies, and resists linking.
"""

from __future__ import annotations

import json
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.privacy import disclosure
from matching.privacy.card import Presented, cards_in_population, employer_cards
from matching.ranking.facts import (
    EVIDENCE_KINDS,
    SHIFTS,
    SKILL_LEVELS,
    LanguageFact,
    LanguageRequirement,
    ProfileFacts,
    SkillFact,
    VacancyFacts,
)
from matching.ranking.scoring import ProfileIndex, score_all

CONCEPTS = [f"bm:skill:c{i}" for i in range(6)]
LABELS = {(c, "en"): f"skill {i}" for i, c in enumerate(CONCEPTS)} | {(CONCEPTS[0], "fr"): "compétence 0"}
PLACES = [(50.8466, 4.3528), (50.8333, 4.3072), (50.8671, 4.3773), (50.8274, 4.3726), (50.8848, 4.3598)]
# What an employer reads is the card minus what the employer itself decided or what names the card.
NOT_ABOUT_THE_PERSON = {"candidate_ref", "status", "reason", "interview_at", "version", "pitch"}


@st.composite
def profiles(draw, index: int) -> ProfileFacts:
    held = draw(st.lists(st.sampled_from(CONCEPTS), max_size=4, unique=True))
    low = draw(st.sampled_from([None, 10, 19, 24, 30]))
    lat, lon = draw(st.sampled_from(PLACES))
    return ProfileFacts(
        profile_id=f"prf_{index}",
        skills=tuple(
            SkillFact(label=draw(st.text(min_size=1, max_size=12)), concept_id=c,
                      level=draw(st.sampled_from([None, *SKILL_LEVELS])),
                      evidence=draw(st.sampled_from([None, *EVIDENCE_KINDS])))
            for c in held
        ),
        languages=tuple(
            LanguageFact(code, draw(st.integers(0, 6)), draw(st.integers(0, 6)))
            for code in draw(st.lists(st.sampled_from(["fr", "nl", "rom"]), max_size=3, unique=True))
        ),
        hours_min=low,
        hours_max=None if low is None else low + draw(st.sampled_from([0, 8, 19])),
        shifts=frozenset(draw(st.lists(st.sampled_from(SHIFTS), max_size=3, unique=True))),
        start=draw(st.sampled_from([None, date(2026, 12, 1), date(2027, 1, 15), date(2027, 3, 2)])),
        lat=lat,
        lon=lon,
        max_commute_minutes=draw(st.sampled_from([None, 20, 45, 60])),
        transport=frozenset(draw(st.lists(st.sampled_from(["public_transport", "car", "bike"]), min_size=1,
                                          max_size=2, unique=True))),
        driving_licences=frozenset(draw(st.sampled_from([(), ("B",), ("C",)]))),
    )


@st.composite
def vacancies(draw) -> VacancyFacts:
    asked = draw(st.lists(st.sampled_from(CONCEPTS), min_size=1, max_size=4, unique=True))
    must = draw(st.integers(0, len(asked)))
    lat, lon = draw(st.sampled_from(PLACES))
    return VacancyFacts(
        vacancy_id="vac",
        must_have=tuple(SkillFact(f"typed {c}", c) for c in asked[:must]),
        nice_to_have=tuple(SkillFact(f"typed {c}", c) for c in asked[must:]),
        languages=tuple(LanguageRequirement(code, spoken=draw(st.integers(0, 4)), written=draw(st.integers(0, 2)))
                        for code in draw(st.lists(st.sampled_from(["fr", "nl"]), max_size=2, unique=True))),
        lat=lat,
        lon=lon,
        hours_per_week=draw(st.sampled_from([None, 20, 30, 38])),
        shifts=frozenset(draw(st.lists(st.sampled_from(SHIFTS), max_size=2, unique=True))),
        start=draw(st.sampled_from([None, date(2027, 1, 4)])),
        driving_licence=draw(st.sampled_from([None, "B"])),
        constraints={name: draw(st.sampled_from(["hard", "soft"]))
                     for name in ("languages", "hours", "commute", "driving_licence")},
    )


RELATED = {CONCEPTS[0]: {CONCEPTS[1]: 0.6}, CONCEPTS[2]: {CONCEPTS[3]: 0.5, CONCEPTS[4]: 0.3}}


def shown(card) -> str:
    """Everything a card tells about the person, as one comparable string (k and met aside)."""
    body = card.model_dump(mode="json", exclude=NOT_ABOUT_THE_PERSON)
    body["privacy"] = {"generalised": body["privacy"]["generalised"]}
    return json.dumps(body, sort_keys=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_the_k_a_card_reports_is_never_more_than_the_profiles_that_would_show_it(data) -> None:
    """Brute force: every eligible published profile presented in turn, at the vacancy's rungs; how many
    give exactly the card shown? Eligibility is scoring's own, not the card rule's."""
    vacancy = data.draw(vacancies(), label="vacancy")
    population = [data.draw(profiles(i), label=f"profile {i}") for i in range(data.draw(st.integers(3, 24)))]
    eligible = score_all(ProfileIndex().fit(population), vacancy, related=RELATED).eligible
    candidates = [p.profile_id for p, ok in zip(population, eligible, strict=True) if ok]
    if not candidates:
        return
    chosen = data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=4, unique=True), label="chosen")
    lang = data.draw(st.sampled_from(["en", "fr", "nl"]), label="lang")
    presented = [Presented(candidate_ref=f"cand_{p}", profile_id=p, status="presented") for p in chosen]
    cards = cards_in_population(vacancy, presented, population, related=RELATED, labels=LABELS, lang=lang)
    rungs = {json.dumps(card.privacy.generalised, sort_keys=True) for card in cards}
    assert len(rungs) == 1  # one combination of rungs for the vacancy: the rungs tell no card apart
    levels = cards[0].privacy.generalised
    all_traits = disclosure.traits(population, vacancy, RELATED)
    assert [t.eligible for t in all_traits] == list(eligible)  # the crowd is who scoring would let through

    def card_of(i: int) -> str:
        values = disclosure.shown_values(all_traits[i], vacancy, levels)
        alone = disclosure.Disclosure(levels=levels, values=values, k=0, met=False)
        person = Presented(candidate_ref="cand_x", profile_id="x", status="presented")
        return shown(employer_cards(vacancy, [person], {"x": alone}, LABELS, lang)[0])

    for card in cards:
        same = sum(bool(ok) and card_of(i) == shown(card) for i, ok in enumerate(eligible))
        assert same >= 1  # the person is among the eligible, so their own card is counted
        assert card.privacy.k <= same, (card.privacy, same)
        assert card.privacy.k == same  # not understated either: the count is exact
        if card.privacy.met:
            assert card.privacy.k >= disclosure.K_TARGET


CANARY = "Qzvyrk"
CANARIES = st.sampled_from([
    f"nettoyage {CANARY}",  # a name after the skill
    f"{CANARY.lower()}escu bureaux",  # a family name
    f"netoyage de bureau {CANARY}",  # typos
    f"Ромски {CANARY}",  # another script and an origin word
    f"Roma {CANARY} cleaning",  # an origin word
    f"صابون {CANARY}",  # Arabic script
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_no_word_a_counsellor_typed_reaches_a_card_in_any_language(data) -> None:
    vacancy = data.draw(vacancies(), label="vacancy")
    population = []
    for i in range(data.draw(st.integers(6, 14))):
        person = data.draw(profiles(i), label=f"profile {i}")
        typed = tuple(SkillFact(data.draw(CANARIES), s.concept_id, s.level, s.evidence) for s in person.skills)
        population.append(ProfileFacts(**{**person.__dict__, "skills": typed}))
    presented = [
        Presented(candidate_ref=f"cand_{p.profile_id}", profile_id=p.profile_id, status="presented",
                  pitch=f"Je suis {CANARY}", pitch_visible=False)
        for p in population[:5]
    ]
    for lang in ("en", "fr", "nl"):
        cards = cards_in_population(vacancy, presented, population, related=RELATED, labels=LABELS, lang=lang)
        text = json.dumps([card.model_dump(mode="json") for card in cards], ensure_ascii=False)
        assert CANARY.lower() not in text.lower()
        assert "typed" not in text  # nor the words the vacancy's author typed: taxonomy labels only
        for card in cards:
            for skill in card.skills:
                assert skill["label"] == LABELS.get((skill["concept_id"], lang), LABELS[(skill["concept_id"], "en")])


def test_the_pitch_shows_only_with_the_counsellors_consent() -> None:
    vacancy = VacancyFacts(vacancy_id="vac", must_have=(SkillFact("x", CONCEPTS[0]),))
    people = [ProfileFacts(profile_id=f"p{i}", skills=(SkillFact("x", CONCEPTS[0]),)) for i in range(6)]
    presented = [Presented(candidate_ref=f"cand_{i}", profile_id=f"p{i}", status="presented",
                           pitch="Toujours à l'heure.", pitch_visible=i == 0) for i in range(2)]
    cards = {c.candidate_ref: c for c in cards_in_population(vacancy, presented, people, labels=LABELS, lang="en")}
    assert cards["cand_0"].pitch == "Toujours à l'heure." and cards["cand_1"].pitch is None


def test_a_person_reads_the_same_on_two_vacancies_at_the_same_rungs() -> None:
    """Fixed grids: a person's hours, start and levels never read differently on another vacancy, so two
    cards of one person add nothing to each other beyond what the finer of them says."""
    person = ProfileFacts(profile_id="p", skills=(SkillFact("x", CONCEPTS[0], "advanced", "observed"),),
                          languages=(LanguageFact("fr", 4, 2),), hours_min=19, hours_max=33,
                          start=date(2027, 2, 10), lat=PLACES[0][0], lon=PLACES[0][1])
    values = []
    for vacancy in (VacancyFacts(vacancy_id="a", must_have=(SkillFact("x", CONCEPTS[0]),), hours_per_week=20,
                                 languages=(LanguageRequirement("fr", 3),), lat=PLACES[1][0], lon=PLACES[1][1]),
                    VacancyFacts(vacancy_id="b", nice_to_have=(SkillFact("y", CONCEPTS[0]),), hours_per_week=30,
                                 languages=(LanguageRequirement("fr", 2),), lat=PLACES[2][0], lon=PLACES[2][1])):
        (t,) = disclosure.traits([person], vacancy)
        for rung in range(3):
            levels = dict.fromkeys(disclosure.QUASI_IDENTIFIERS, rung)
            shown_values = disclosure.shown_values(t, vacancy, levels)
            values.append((rung, shown_values["hours"] if rung < 2 else None, shown_values["start"] if rung < 2
                           else None, shown_values["languages"] if rung < 2 else None))
    assert values[:3] == values[3:]


def test_cards_of_one_employer_cannot_be_paired_across_two_vacancies() -> None:
    """The linkability attack of benchmarks/linkability.py on a generated population (800 profiles, 10
    vacancy pairs, 10 cards each, 5 people on both). Random pairing gets 1 in 10; cards that each hide
    among 5 look-alikes should not let the attacker beat 1 in 5 by more than the sampling error of 50
    shared people (about 0.06), hence the bound 0.25. The previous rule is measured too, to show the
    attack is a real one."""
    from benchmarks.linkability import generated_world, measure

    result = measure(generated_world(), profiles=800, pairs=10)
    print(f"linkability on 800 generated profiles, 10 pairs: before {result.before:.2f}, after {result.after:.2f}, "
          f"mean k {result.k_after:.1f}")
    assert result.before >= 0.5  # the old cards were paired most of the time
    assert result.after <= 1 / disclosure.K_TARGET + 0.05
