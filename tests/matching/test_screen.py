"""The one free-text screen: what a field about a job seeker and a field about staff or a job refuse."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from matching.privacy import find_personal_data
from matching.privacy.screen import CONTACT_KINDS, About, SeekerLabel, StaffLabel, refused_kinds


class Form(BaseModel):
    seeker: SeekerLabel | None = None
    staff: StaffLabel | None = None


@pytest.mark.parametrize(
    "text", ["Roma Brussels", "Roma mediator (m/v/x)", "Romani-speaking social worker", "Aide-ménagère 18+"]
)
def test_staff_and_job_texts_keep_their_origin_and_language_words(text):
    assert Form(staff=text).staff == text


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Liaison asbl - info@liaison.be", "email"),
        ("Schoonmaker, bel 0470 12 34 56", "phone"),
        ("Clean & Co, rue Haute 12", "street_address"),
        ("Plongeur (www.monresto.be/jobs)", "url"),
    ],
)
def test_contact_data_is_refused_in_both_kinds_of_field_without_its_value(text, kind):
    for field in ("seeker", "staff"):
        with pytest.raises(ValidationError) as refused:
            Form(**{field: text})
        (error,) = refused.value.errors(include_input=False)
        assert error["type"] == "personal_data"
        assert kind in error["ctx"]["kinds"]
        assert text.split()[-1] not in error["msg"]


@given(st.text(max_size=200))
def test_a_staff_field_refuses_exactly_the_contact_kinds_a_seeker_field_refuses(text):
    seeker = refused_kinds(text, About.SEEKER)
    assert seeker == find_personal_data(text)  # every kind, including ones the detector learns later
    assert refused_kinds(text, About.STAFF) == [kind for kind in seeker if kind in CONTACT_KINDS]


def test_a_request_schema_with_an_unscreened_free_text_field_cannot_be_defined():
    from matching.schemas.resources import Id, Strict

    with pytest.raises(TypeError, match=r"free text without a personal-data screen at items\[\]\.note"):

        class Item(BaseModel):  # nested, not itself a request schema: still walked
            note: str | None = None
            code: Id

        class Forgetful(Strict):  # noqa: F841 - defining it is the test
            items: list[Item] = []
