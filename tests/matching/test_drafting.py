"""Reading job ads in French, Dutch and English, with typos and gender forms, into proposed vacancies."""

from __future__ import annotations

import json

import pytest

from matching.drafting import draft_vacancy
from matching.drafting.draft import detect_language
from matching.language.linking import ConceptLinker, LabelRow
from matching.services.taxonomy import SEED_PATH


@pytest.fixture(scope="module")
def linker() -> ConceptLinker:
    concepts = json.loads(SEED_PATH.read_text(encoding="utf-8"))["concepts"]
    return ConceptLinker().fit(
        LabelRow(c["id"], c["kind"], lang, label, i == 0)
        for c in concepts for lang, labels in c["labels"].items() for i, label in enumerate(labels)
    )


def read(text: str, linker: ConceptLinker, lang: str | None = None):
    draft = draft_vacancy(text, linker=linker, lang=lang)
    for item in [*draft.must_have, *draft.nice_to_have, *draft.languages]:
        assert text[item.source.start:item.source.end] == item.source.text  # offsets point at the words
        assert 0.0 <= item.probability <= 1.0
    return draft


def must(draft) -> set[str]:
    return {i.concept_id for i in draft.must_have}


def nice(draft) -> set[str]:
    return {i.concept_id for i in draft.nice_to_have}


def test_french_ad_with_a_gender_form_and_cue_words(linker):
    draft = read("Magasinier·ère - Anderlecht\nProfil : le brevet cariste est indispensable.\n"
                 "La connaissance d'un WMS est un plus.\nContrat : CDD, 38h/semaine. 1070 Anderlecht.", linker)
    assert draft.lang == "fr"
    assert draft.occupation.concept_id == "bm:occ:warehouse-operative"
    assert "bm:skill:forklift-certificate" in must(draft)
    assert "bm:skill:wms" in nice(draft) and "bm:skill:wms" not in must(draft)
    assert (draft.hours_per_week.value, draft.contract_type.value, draft.postcode.value) == (38, "temporary", "1070")


def test_french_slash_feminine_ending_in_the_title(linker):
    draft = read("Nettoyeur/euse de bureaux (h/f/x)\nExpérience en nettoyage de bureaux exigée.", linker)
    assert draft.occupation.concept_id == "bm:occ:office-cleaner"
    assert must(draft) == {"bm:skill:office-cleaning"}


def test_dutch_ad_with_a_typo_and_a_plus(linker):
    draft = read("Schoonmaker kantoren (m/v/x)\nJouw profiel: ervaring met kantoorschoonmaak is vereist.\n"
                 "Ervaring met een schrobmachine is een pluspunt.\nJe spreekt goed Nederlands (B2) en hebt "
                 "basiskennis Frans.", linker)
    assert draft.lang == "nl"
    assert draft.occupation.concept_id == "bm:occ:office-cleaner"
    assert "bm:skill:office-cleaning" in must(draft)
    assert "bm:skill:scrubber-dryer" in nice(draft)
    assert {(i.value, i.level) for i in draft.languages} == {("nl", "B2"), ("fr", "A2")}


def test_a_typo_in_a_skill_is_still_found(linker):
    draft = read("Magazijnmedewerkr (m/v/x)\nVereist: een heftruckattest en ervaring met orderpickng.", linker)
    assert {"bm:skill:forklift-certificate", "bm:skill:order-picking"} <= must(draft)


def test_english_ad_must_have_and_nice_to_have_sections(linker):
    draft = read("Forklift driver - Brussels\nMust have: forklift certificate and reach truck experience.\n"
                 "Nice to have: experience with a WMS.\nEnglish is an asset. Permanent contract, full-time.",
                 linker)
    assert draft.lang == "en"
    assert {"bm:skill:forklift-certificate", "bm:skill:reach-truck"} <= must(draft)
    assert "bm:skill:wms" in nice(draft)
    english = next(i for i in draft.languages if i.value == "en")
    assert english.probability < 0.5  # an asset, not a requirement
    assert (draft.hours_per_week.value, draft.contract_type.value) == (38, "permanent")


def test_a_negated_requirement_is_no_must_have(linker):
    draft = read("Préparateur de commandes\nExpérience en préparation de commandes souhaitée mais pas "
                 "indispensable.", linker)
    assert "bm:skill:order-picking" in nice(draft)


def test_bilingual_means_both_languages_at_b2_and_a_licence_is_read(linker):
    draft = read("Ouvrier polyvalent\nProfil : permis B obligatoire. Bilingue FR/NL.", linker)
    assert {(i.value, i.level) for i in draft.languages} == {("fr", "B2"), ("nl", "B2")}
    assert draft.driving_licence.value == "B" and draft.driving_licence.probability >= 0.5
    assert "bm:skill:driving-licence-b" in must(draft)


def test_the_language_is_guessed_when_not_given():
    assert detect_language("Vous êtes ponctuel et vous avez une expérience de la vente.") == "fr"
    assert detect_language("Je hebt ervaring met het vullen van de rekken.") == "nl"
    assert detect_language("You have experience with the till and you are friendly.") == "en"


@pytest.mark.parametrize("separator", [" ", ", ", " et ", " - "])
@pytest.mark.parametrize("item", ["permis B", "nettoyage de bureaux"])
def test_a_text_of_one_endless_line_costs_work_in_proportion_to_its_length(linker, monkeypatch, separator, item):
    """Every mention's cues used to be read from the whole clause: a pasted line of 10,000 characters
    repeating a skill took 15 s of CPU per request. Counted in characters normalised, not in seconds."""
    from matching.drafting import cues

    normalised: list[int] = []

    def counting(text: str) -> str:
        normalised.append(len(text))
        return normalise(text)

    normalise = cues.normalise_label
    getattr(cues._padded, "cache_clear", lambda: None)()  # what an earlier test left cached is not counted
    monkeypatch.setattr(cues, "normalise_label", counting)
    text = "Agent\n" + separator.join([item] * (9_900 // (len(item) + len(separator))))
    draft = draft_vacancy(text, linker=linker, lang="fr")
    assert draft.must_have or draft.nice_to_have or draft.driving_licence or draft.languages  # it was read
    assert sum(normalised) <= 150 * len(text), (sum(normalised), len(text))
