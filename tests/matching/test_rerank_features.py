"""Features the linking re-ranker benchmark reads from the product's linker: head nouns, gender forms,
word coverage, ISCO group agreement and the occupation hierarchy, on a small taxonomy."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.rerank_features import (
    FEATURE_NAMES,
    TaxonomyFacts,
    candidate_features,
    content_words,
    head_noun,
    same_word,
)
from matching.language.linking import ConceptLinker, LabelRow


@pytest.mark.parametrize(("title", "head"), [
    ("Agent d'entretien (h/f/x)", "agent"),
    ("Aide-soignante", "aide soignante"),
    ("Boucher/ère (h/f/x)", "boucher"),
    ("  Conducteur de métro", "conducteur"),
    ("(h/f/x)", ""),
    ("", ""),
])
def test_the_head_noun_is_the_first_word_with_hyphenated_compounds_whole(title, head):
    assert head_noun(title) == head


@pytest.mark.parametrize(("a", "b", "same"), [
    ("bouchere", "boucher", True),
    ("vendeur", "vendeuse", True),
    ("animatrice", "animateur", True),
    ("caissiere", "caissier", True),
    ("technicienne", "technicien", True),
    ("boucher", "boulanger", False),
])
def test_a_word_and_its_feminine_are_the_same_word(a, b, same):
    assert same_word(a, b) is same


def test_content_words_drop_gender_markers_and_function_words():
    assert content_words("Agent de l'entretien des bureaux (h/f/x)") == {"agent", "entretien", "bureaux"}


def _facts() -> TaxonomyFacts:
    rows = [
        LabelRow("butcher", "occupation", "fr", "boucher/bouchère", preferred=True),
        LabelRow("butcher", "occupation", "nl", "slager", preferred=True),
        LabelRow("head-butcher", "occupation", "fr", "chef boucher/cheffe bouchère", preferred=True),
        LabelRow("baker", "occupation", "fr", "boulanger/boulangère", preferred=True),
        LabelRow("group-butchers", "occupation", "fr", "bouchers, poissonniers", preferred=True),
    ]
    groups = {"butcher": "group-butchers", "head-butcher": "group-butchers"}
    linker = ConceptLinker().fit(rows, groups=groups)
    broader = {"head-butcher": ["butcher"]}
    return TaxonomyFacts(linker, groups, broader, Counter({"butcher": 1}))


def test_a_feminine_title_matches_its_occupation_on_head_noun_and_words():
    facts = _facts()
    hits = facts.linker.search("Bouchère (h/f/x)", lang="fr", kind="occupation", limit=4)
    assert hits[0].concept_id == "butcher"  # the gendered title links to the job first
    rows = candidate_features("Bouchère (h/f/x)", hits, facts)
    assert rows.shape == (len(hits), len(FEATURE_NAMES))
    first = dict(zip(FEATURE_NAMES, rows[0], strict=True))
    assert first["same head noun"] == 1.0
    assert first["query words in its labels"] == 1.0
    assert first["exact label"] == 1.0
    assert first["gap to first"] == 0.0
    assert first["log names"] > 0
    assert first["log narrower"] > 0  # the head butcher is narrower


def test_group_agreement_hierarchy_and_group_names_are_read_from_the_taxonomy():
    facts = _facts()
    hits = facts.linker.search("chef boucher", lang="fr", kind="occupation", limit=4)
    by_concept = {hit.concept_id: dict(zip(FEATURE_NAMES, row, strict=True))
                  for hit, row in zip(hits, candidate_features("chef boucher", hits, facts), strict=True)}
    assert by_concept["head-butcher"]["depth"] == 1.0
    assert by_concept["butcher"]["depth"] == 0.0
    # Both butchers share their ISCO group; the baker, if found at all, shares nothing.
    assert by_concept["head-butcher"]["ISCO group share"] == by_concept["butcher"]["ISCO group share"] > 0
    assert by_concept.get("baker", {"ISCO group share": 0.0})["ISCO group share"] == 0.0
    assert by_concept.get("group-butchers", {"names a group": 1.0})["names a group"] == 1.0
    assert by_concept["head-butcher"]["same head noun"] == 1.0
    assert by_concept["butcher"]["same head noun"] == 0.0


def test_no_hits_give_no_rows():
    assert candidate_features("plombier", [], _facts()).shape == (0, len(FEATURE_NAMES))
