"""Label normalisation: how typed labels and taxonomy labels are made comparable."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.language.text import label_variants, masculine_forms, normalise_label


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("NETTOYAGE DE BUREAUX", "nettoyage de bureaux"),
        ("Ménage", "menage"),
        ("Boucher (h/f/x)", "boucher"),
        ("Monteur-câbleur (h/f:x)", "monteur cableur"),
        ("Schoonmaker kantoren (M/V/X)", "schoonmaker kantoren"),
        ("Vendeur H/F", "vendeur"),
        ("Lagerist (m/w/d)", "lagerist"),
        ("Cleaner (m/f)", "cleaner"),
        ("schoonmaker m/v/x", "schoonmaker"),
        ("Technicien d’études", "technicien d etudes"),
        ("  aide -  soignant  ", "aide soignant"),
        ("employé(e) administratif", "employe administratif"),
        ("Industriële schrobmachine", "industriele schrobmachine"),
        ("cœur de métier", "coeur de metier"),
    ],
)
def test_normalise_label_folds_case_accents_markers_and_punctuation(typed: str, expected: str) -> None:
    assert normalise_label(typed) == expected


def test_normalise_label_keeps_slashes_that_are_not_gender_markers() -> None:
    assert normalise_label("TCP/IP") == "tcp ip"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("nettoyeur/nettoyeuse de bureaux", ["nettoyeur de bureaux", "nettoyeuse de bureaux"]),
        ("directeur technique/directrice technique", ["directeur technique", "directrice technique"]),
        ("boucher/bouchère", ["boucher", "bouchere"]),
        (
            "employé/employée administratif/administrative",
            ["employe administratif", "employee administrative"],
        ),
        ("Cariste (h/f/x)", ["cariste"]),
        ("nettoyage de bureaux", ["nettoyage de bureaux"]),
    ],
)
def test_label_variants_split_masculine_and_feminine_forms(label: str, expected: list[str]) -> None:
    assert label_variants(label) == expected


def test_label_variants_keep_a_slashed_term_that_is_not_a_gender_pair() -> None:
    assert "utiliser tcp ip" in label_variants("utiliser TCP/IP")


def test_label_variants_of_an_empty_label_are_empty() -> None:
    assert label_variants("  (h/f/x) ") == []


@given(st.text())
def test_normalised_labels_are_plain_lowercase_words(text: str) -> None:
    normalised = normalise_label(text)
    assert re.fullmatch(r"(?:[0-9a-z]+(?: [0-9a-z]+)*)?", normalised)
    assert normalise_label(normalised) == normalised


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Vendeur/euse", ["vendeur"]),
        ("Caissier/ière", ["caissier"]),
        ("Infirmier/-ière", ["infirmier"]),
        ("Animateur/trice", ["animateur"]),
        ("Vendeur-euse", ["vendeur"]),
        ("Ouvrier.ère polyvalent.e", ["ouvrier polyvalent"]),
        ("Technicien·ne de surface", ["technicien de surface"]),
        ("Chef-fe de rang", ["chef de rang"]),
        ("Boulanger - Boulangère", ["boulanger", "boulangere"]),
        ("Vendeur - Vendeuse en boulangerie", ["vendeur en boulangerie", "vendeuse en boulangerie"]),
        ("Verkoper - verkoopster (m/v/x)", ["verkoper", "verkoopster"]),
    ],
)
def test_inclusive_and_abbreviated_gender_forms_read_as_the_job(typed: str, expected: list[str]) -> None:
    assert label_variants(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "aide-soignante",
        "Conseiller emploi - job coach",
        "Expert-comptable - Conseiller fiscal",
        "porte-parole",
        "technicien de fabrication en industrie papetière - papiers d’hygiène",  # shares a prefix, no pair
        "M.U.G.E.N",  # dotted letters, not a feminine ending
    ],
)
def test_hyphens_and_dashes_that_are_not_gender_forms_stay(typed: str) -> None:
    assert label_variants(typed) == [normalise_label(typed)]


@pytest.mark.parametrize(
    ("feminine", "masculine"),
    [
        ("plongeuse", "plongeur"), ("animatrice", "animateur"), ("caissiere", "caissier"),
        ("technicienne", "technicien"), ("maitresse", "maitre"), ("avocate", "avocat"),
        ("vendeuses", "vendeur"), ("verkoopster", "verkoper"), ("schoonmaakster", "schoonmaker"),
        ("kapster", "kapper"), ("boerin", "boer"),
    ],
)
def test_masculine_forms_include_the_masculine_of_a_feminine_word(feminine: str, masculine: str) -> None:
    assert masculine in masculine_forms(feminine)


def test_a_masculine_word_has_no_form_of_itself() -> None:
    assert "plongeur" not in masculine_forms("plongeur")


@given(st.text(alphabet=st.characters(blacklist_characters="/-–—")))
def test_a_label_without_slash_has_its_normalised_form_as_only_variant(text: str) -> None:
    normalised = normalise_label(text)
    assert label_variants(text) == ([normalised] if normalised else [])
