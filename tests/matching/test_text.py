"""Label normalisation: how typed labels and taxonomy labels are made comparable."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from matching.text import label_variants, normalise_label


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


@given(st.text(alphabet=st.characters(blacklist_characters="/")))
def test_a_label_without_slash_has_its_normalised_form_as_only_variant(text: str) -> None:
    normalised = normalise_label(text)
    assert label_variants(text) == ([normalised] if normalised else [])
