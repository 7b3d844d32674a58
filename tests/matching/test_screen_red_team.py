"""Red team of the personal-data screen: generated variants its first tests never drew, one property per class.

The variants (red_team_variants.py) combine two tricks in one value and hide it at the start, in the
middle or at the end of a realistic pitch in French, Dutch or English; they also cover the phrasings
the first generators left out (bare names, ordinal dates, "double four", ages ending a text, origin
through family or journey, religion, Bulgarian typed in Latin letters). The ordinary sentences next to
them (red_team_ordinary.py) must keep passing.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from benchmarks.screen import esco_labels
from matching.privacy import find_personal_data
from matching.privacy.normalise import views_of
from matching.privacy.number_words import numbers_to_digits
from tests.matching import red_team_variants as variants
from tests.matching.red_team_ordinary import RED_TEAM_ORDINARY
from tests.matching.screen_variants import assert_found

_VARIANTS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_VARIANTS
@given(variants.mixed_number_trick_variants())
def test_phone_numbers_with_two_tricks_at_once_inside_a_pitch_are_found(variant: tuple[str, str]) -> None:
    assert_found(variant)


@_VARIANTS
@given(variants.dictated_repeat_variants())
def test_phone_numbers_dictated_with_double_and_triple_are_found(variant: tuple[str, str]) -> None:
    assert_found(variant)


@_VARIANTS
@given(variants.obfuscated_email_variants())
def test_emails_with_at_and_dot_words_spacing_and_look_alikes_are_found(variant: tuple[str, str]) -> None:
    assert_found(variant)


@_VARIANTS
@given(variants.domain_and_handle_variants())
def test_personal_sites_and_handles_inside_a_pitch_are_found(variant: tuple[str, str]) -> None:
    assert_found(variant)


@_VARIANTS
@given(variants.combined_address_variants())
def test_addresses_with_abbreviations_look_alikes_and_other_digits_are_found(variant: tuple[str, str]) -> None:
    assert_found(variant)


@_VARIANTS
@given(variants.ordinal_and_short_birth_date_variants())
def test_ordinal_two_digit_and_cyrillic_birth_dates_are_found(variant: tuple[str, str]) -> None:
    assert_found(variant)


@_VARIANTS
@given(variants.bare_name_variants())
def test_a_bare_name_after_je_suis_ik_ben_im_and_typed_latin_phrases_is_found(variant: tuple[str, str]) -> None:
    assert_found(variant)


@_VARIANTS
@given(variants.stated_age_variants())
def test_ages_ending_a_text_heading_a_cv_or_reached_are_found(variant: tuple[str, str]) -> None:
    assert_found(variant)


@_VARIANTS
@given(variants.decade_of_life_variants())
def test_decades_of_life_in_words_are_ages(variant: tuple[str, str]) -> None:
    assert_found(variant)


@_VARIANTS
@given(variants.origin_red_team_variants())
def test_origin_through_family_journey_romani_words_and_religion_is_found(variant: tuple[str, str]) -> None:
    assert_found(variant)


@_VARIANTS
@given(variants.disguised_plate_variants())
def test_plates_with_odd_separators_cyrillic_capitals_or_invisible_marks_are_found(variant: tuple[str, str]) -> None:
    assert_found(variant)


# --- the normalisation behind the fixes -----------------------------------------------------------


@pytest.mark.parametrize(("spoken", "digits"), [
    ("zero four seven double four", "04744"), ("triple zéro", "000"), ("dubbel vijf", "55"),
    ("double vitrage", "double vitrage"), ("triple A", "triple A"),
])  # fmt: skip
def test_double_and_triple_repeat_the_digit_that_follows(spoken: str, digits: str) -> None:
    assert numbers_to_digits(spoken).replace(" ", "") == digits.replace(" ", "")


@pytest.mark.parametrize("text", [
    "0470 12 34 cinquante-six Trois ans d'expérience", "0470 12 34 zesenvijftig\ntwee jaar ervaring",
    "0470 12 34 fifty-six two years in a hotel", "0470 12 34 56 deux ans de plonge",
])  # fmt: skip
def test_a_number_word_opening_the_next_sentence_does_not_lengthen_a_phone_number(text: str) -> None:
    assert "phone" in find_personal_data(text)


@pytest.mark.parametrize(("written", "digits"), [
    ("vingt et un ans", "21 ans"), ("j'ai trente quatre ans", "j'ai 34 ans"),
    ("a hundred and five years", "a 105 years"), ("I am thirty four years old", "I am 34 years old"),
    ("quatre-vingt-dix-neuf ans", "99 ans"),
])  # fmt: skip
def test_a_count_after_a_number_it_can_extend_stays_one_number(written: str, digits: str) -> None:
    assert numbers_to_digits(written) == digits


@pytest.mark.parametrize(("written", "numeric"), [
    ("born on the twelfth of March 1990", "born on the 12 March 1990"),
    ("born March twenty-second, 1972", "born March 22, 1972"),
    ("geboren op de eenentwintigste mei 1990", "geboren op de 21 mei 1990"),
])  # fmt: skip
def test_ordinal_days_before_or_after_a_month_are_read_as_figures(written: str, numeric: str) -> None:
    assert views_of(written).numeric == numeric


def test_dingbat_and_circled_digits_are_read_as_digits() -> None:
    assert views_of("0470 ➊➋ ❸❹ ➄➅").latin == "0470 12 34 56"


def test_latin_look_alike_words_next_to_cyrillic_ones_are_read_as_cyrillic() -> None:
    assert views_of("Казвам ce Иван").script_folded == "казвам се иван"


# --- what passes ----------------------------------------------------------------------------------


def test_no_red_team_ordinary_sentence_is_flagged() -> None:
    flagged = [(text, kinds) for text in RED_TEAM_ORDINARY if (kinds := find_personal_data(text))]
    print(f"\nfalse positives on {len(RED_TEAM_ORDINARY)} red-team ordinary sentences: {len(flagged)}")
    assert flagged == []


# The bare-name, age and origin finders read capitals and short phrases; ESCO's alternative labels (not only
# the preferred ones the first tests read) hold product names such as "Im Time Calendar" that look like them.
_NEW_KINDS = {"self_introduction", "age", "origin", "licence_plate", "birth_date", "street_address"}


def test_no_esco_label_or_alternative_label_is_taken_for_a_name_age_origin_date_address_or_plate(
    shared_data,
) -> None:
    sets = esco_labels(shared_data / "esco-v1.1.1")
    labels = [label for texts in sets.values() for label in texts]
    flagged = [(label, kinds) for label in labels if _NEW_KINDS & set(kinds := find_personal_data(label))]
    print(f"\nname/age/origin/date/address/plate flags on {len(labels)} ESCO labels with alternatives: {len(flagged)}")
    assert flagged == []
