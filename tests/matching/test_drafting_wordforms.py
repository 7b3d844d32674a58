"""Word forms the taxonomy's labels do not spell: Dutch compounds and derived words, English and French endings."""

from __future__ import annotations

import json

import pytest

from matching.drafting import draft_vacancy
from matching.drafting.wordforms import WordForms
from matching.linking import ConceptLinker, LabelRow
from matching.services.taxonomy import SEED_PATH


@pytest.fixture(scope="module")
def linker() -> ConceptLinker:
    concepts = json.loads(SEED_PATH.read_text(encoding="utf-8"))["concepts"]
    return ConceptLinker().fit(
        LabelRow(c["id"], c["kind"], lang, label, i == 0)
        for c in concepts for lang, labels in c["labels"].items() for i, label in enumerate(labels)
    )


def must(text: str, linker: ConceptLinker, lang: str) -> set[str]:
    return {i.concept_id for i in draft_vacancy(text, linker=linker, lang=lang).must_have}


def test_a_dutch_compound_with_a_linking_en_names_the_label_without_it(linker):
    found = must("Magazijnier (m/v/x)\nVereist: je hebt geen probleem met ploegenwerk.", linker, "nl")
    assert "bm:skill:shift-work" in found


def test_an_english_ing_form_names_the_label_in_the_base_form(linker):
    found = must("Kitchen porter\nYou need: experience washing dishes in a professional kitchen.", linker, "en")
    assert "bm:skill:dishwashing" in found


def test_compounds_split_only_into_words_the_labels_use():
    forms = WordForms([("shift", "nl", "ploegwerk"), ("teams", "nl", "werken in ploegen"),
                       ("clean", "nl", "schoonmaak van kantoren")])
    assert forms.key("ploegenwerk", "nl") == forms.key("ploegwerk", "nl") == ("ploeg", "werk")
    assert forms.concepts_for("ploegenwerk", "nl") == {"shift"}
    assert forms.key("kantoorschoonmaak", "nl") == ("kantoor", "schoonmaak")  # kantoor(en) + schoonmaak
    assert forms.concepts_for("bakkerij", "nl") == set()  # no known parts: no split, no concept


@pytest.mark.parametrize(("lang", "derived", "base"), [
    ("nl", "hygiënische", "hygiëne"),
    ("nl", "hygiënisch", "hygiëne"),
    ("nl", "klantvriendelijke", "klantvriendelijkheid"),
    ("fr", "défensive", "défensif"),
    ("fr", "polyvalentes", "polyvalent"),
    ("en", "mopping", "mop"),
    ("en", "dishes", "dish"),
])
def test_derived_and_inflected_words_share_the_stem_of_their_base(lang, derived, base):
    forms = WordForms([("c", lang, base)])
    assert forms.concepts_for(derived, lang) == {"c"}


def test_a_stem_of_another_language_does_not_count():
    forms = WordForms([("c", "nl", "hygiëne")])
    assert forms.concepts_for("hygiënische", "fr") == set()


def test_only_spans_whose_words_a_label_uses_together_go_to_the_linker():
    forms = WordForms([("pick", "nl", "orderpicking"), ("fork", "nl", "heftruck rijden"),
                       ("city", "fr", "connaissance de Bruxelles")])
    assert forms.may_name_a_label("heftruck rijden")
    assert forms.may_name_a_label("heftruk rijden")  # a typo in a label word
    assert forms.may_name_a_label("connaissez bien Bruxelles")  # a conjugated form and one extra word
    assert not forms.may_name_a_label("orderpicking heftruck")  # label words, never in one label
    assert not forms.may_name_a_label("zonnige dag")  # no label word at all
