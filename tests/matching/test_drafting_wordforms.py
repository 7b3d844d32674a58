"""Word forms the taxonomy's labels do not spell: Dutch compounds and derived words, English and French endings."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.drafting import draft_vacancy
from matching.drafting.wordforms import PARTICLES, WordForms, stem
from matching.language.linking import ConceptLinker, LabelRow
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
    forms = WordForms([("shift", "nl", "ploegwerk"), ("shift", "nl", "werken in ploegen"),
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


# Dutch verbs in the infinitive a label uses and the forms an ad conjugates them in (stem + -t, -en, -de).
DUTCH_VERBS = ["kennen", "werken", "rijden", "laden", "lossen", "maken", "vullen", "volgen", "controleren",
               "sorteren", "plooien", "bedienen", "poetsen", "schilderen", "monteren", "reinigen"]


def _dutch_finite(infinitive: str) -> str:
    """The present tense third person: drop -en, undouble, lengthen an open vowel, add -t unless it ends in t."""
    root = infinitive[:-2]
    if len(root) > 2 and root[-1] == root[-2]:
        root = root[:-1]
    elif root[-1] not in "aeiou" and root[-2] in "aou" and root[-3] not in "aeiou":
        root = root[:-1] + root[-2] + root[-1]
    elif root.endswith("er") and root[-3] not in "aeiou" and len(root) > 4:
        root = root[:-2] + "eer"
    return root if root.endswith("t") else root + "t"


@pytest.mark.parametrize("infinitive", DUTCH_VERBS)
def test_a_conjugated_dutch_verb_has_the_stem_of_its_infinitive(infinitive):
    assert stem(_dutch_finite(infinitive), "nl") == stem(infinitive, "nl")


@given(verb=st.sampled_from(DUTCH_VERBS), noun=st.sampled_from(["brussel", "rekken", "kassa", "paletten"]),
       adverb=st.sampled_from(["", "goed ", "graag ", "steeds "]))
@settings(max_examples=60, deadline=None)
def test_word_order_conjugation_and_adverbs_do_not_change_a_dutch_key(verb, noun, adverb):
    forms = WordForms([("c", "nl", f"{noun} {verb}")])
    assert forms.concepts_for(f"{_dutch_finite(verb)} {adverb}de {noun}", "nl") == {"c"}
    assert forms.concepts_for(f"{_dutch_finite(verb)} {noun} {adverb}".strip(), "nl") == {"c"}


@given(particle=st.sampled_from(sorted(PARTICLES)), verb=st.sampled_from(["vullen", "maken", "zetten", "volgen"]))
@settings(max_examples=40, deadline=None)
def test_a_separable_verb_with_its_particle_at_the_end_names_the_joined_verb(particle, verb):
    forms = WordForms([("c", "nl", f"rekken {particle}{verb}")])
    assert forms.concepts_for(f"{_dutch_finite(verb)} de rekken {particle}", "nl") == {"c"}


@pytest.mark.parametrize(("ad", "label"), [
    ("huishoudhulp", "huishoudelijke hulp"),  # a compound made with an -elijk adjective's stem
    ("klantvriendelijk", "klantvriendelijkheid"),
    ("magazijnervaring", "magazijn"),  # a compound closed by a cue noun: experience of the warehouse
    ("kassa-ervaring", "kassa"),
    ("HACCP-normen", "HACCP"),
    ("hygiënevoorschriften", "hygiëne"),
])
def test_dutch_derivations_and_cue_compounds(ad, label):
    forms = WordForms([("c", "nl", label), ("help", "nl", "hulp bij het eten")])
    assert forms.concepts_for(ad, "nl") == {"c"}


def test_a_label_also_names_its_thing_without_a_verb_of_using_when_the_thing_is_specific():
    forms = WordForms([("safety", "nl", "veiligheidsvoorschriften naleven"), ("hedge", "nl", "haagschaar gebruiken"),
                       ("wms", "nl", "WMS gebruiken"), ("instr", "fr", "suivre des instructions")])
    assert forms.concepts_for("veiligheidsvoorschriften", "nl") == {"safety"}
    assert forms.concepts_for("haagschaar", "nl") == {"hedge"}
    assert forms.concepts_for("WMS", "nl") == set()  # three letters alone: too unspecific to drop the verb
    assert forms.concepts_for("instructions", "fr") == {"instr"}


@given(adjective=st.sampled_from(["ponctuel", "autonome", "polyvalent"]),
       copula=st.sampled_from(["vous êtes", "être", "il est", ""]))
@settings(max_examples=30, deadline=None)
def test_french_copulas_do_not_change_a_key(adjective, copula):
    forms = WordForms([("c", "fr", f"être {adjective}")])
    assert forms.concepts_for(f"{copula} {adjective}".strip(), "fr") == {"c"}
