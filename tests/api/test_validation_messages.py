"""Validation messages a person understands: what is wrong and what is expected, in the reader's language
(fr, nl, en), naming the field and never repeating what was sent."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.validation_messages import _KINDS, message
from tests.factories import bearer, create_world, profile_body

CANARY = "Qzxw"
WORD_OF = {"en": "expected", "fr": "attendu", "nl": "verwacht"}
HEADERS = {"en": ["en", "en-GB,en;q=0.8", "de"], "fr": ["fr", "fr-BE", "fr-BE,fr;q=0.9,nl;q=0.5"],
           "nl": ["nl", "nl-BE,nl;q=0.9,fr;q=0.8"]}
DEVELOPER_WORDS = ("should", "pattern", "^", "Input", "invalid character", "year", "String", "literal", "[a-z]")
noise = st.text(st.characters(codec="utf-8", categories=["L", "N", "P"]), max_size=6)
canary_text = st.builds(lambda before, after: f"{before}{CANARY}{after}", noise, noise)


def _set(body: dict, path: tuple, value) -> dict:
    target = body
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return body


# (path in the profile body, the field named in the answer, bad values: each holds the canary when text)
CASES = [
    (("languages", 0, "code"), "languages[0].code", canary_text),
    (("mobility", "postcode"), "mobility.postcode", canary_text),
    (("availability", "start"), "availability.start", st.one_of(canary_text, st.just(f"20{CANARY}-12-01"))),
    (("languages", 0, "spoken"), "languages[0].spoken", canary_text),
    (("phase",), "phase", canary_text),
    (("availability", "hours_min"), "availability.hours_min", st.one_of(st.integers(61, 10**6),
                                                                         st.integers(-10**6, 0), canary_text)),
]


@pytest.fixture
def world(client):
    return create_world(client)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), case=st.sampled_from(CASES), lang=st.sampled_from(sorted(HEADERS)))
def test_a_refused_value_is_explained_in_the_readers_language(client, world, data, case, lang):
    path, field, values = case
    value = data.draw(values)
    header = data.draw(st.sampled_from(HEADERS[lang]))
    body = _set(profile_body(languages=[{"code": "fr", "spoken": "B1"}]), path, value)
    response = client.post("/v1/profiles", json=body,
                           headers={**bearer(world.counsellor), "Accept-Language": header})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid" and error["field"] == field
    message = error["message"]
    assert message.startswith(field) and WORD_OF[lang] in message, message
    assert not any(word in message for word in DEVELOPER_WORDS), message
    assert CANARY not in message and CANARY not in response.text  # nothing sent comes back
    assert response.headers["Content-Language"] == lang


@pytest.mark.parametrize(
    ("path", "value", "lang", "expected"),
    [
        (("languages", 0, "code"), "Dutch", "fr", "code de langue de 2 ou 3 lettres"),
        (("languages", 0, "code"), "Dutch", "nl", "taalcode van 2 of 3 kleine letters"),
        (("availability", "start"), "2026-13-45", "en", "YYYY-MM-DD"),
        (("availability", "start"), "1er décembre", "fr", "AAAA-MM-JJ"),
        (("mobility", "postcode"), "10700", "nl", "postcode van 4 cijfers"),
        (("languages", 0, "spoken"), "B3", "fr", "'A1', 'A2', 'B1', 'B2', 'C1' ou 'C2'"),
    ],
)
def test_the_expected_form_is_named(client, world, path, value, lang, expected):
    body = _set(profile_body(languages=[{"code": "fr", "spoken": "B1"}]), path, value)
    response = client.post("/v1/profiles", json=body, headers={**bearer(world.counsellor), "Accept-Language": lang})
    assert response.status_code == 422
    assert expected in response.json()["error"]["message"], response.json()


def test_a_missing_field_is_said_in_the_readers_language(client, world):
    body = profile_body()
    del body["skills"]
    for lang, words in (("en", "skills is required"), ("fr", "skills est obligatoire"), ("nl", "skills is verplicht")):
        response = client.post("/v1/profiles", json=body,
                               headers={**bearer(world.counsellor), "Accept-Language": lang})
        assert response.status_code == 422 and response.json()["error"]["message"] == f"{words}."


@pytest.mark.parametrize("lang", sorted(HEADERS))
def test_an_object_or_list_in_the_wrong_place_is_named_in_every_language(client, world, lang):
    for value, word in (([1, 2], "{...}"), ({"a": 1}, "[...]")):
        body = profile_body(mobility=value) if word == "{...}" else profile_body(skills=value)
        response = client.post("/v1/profiles", json=body,
                               headers={**bearer(world.counsellor), "Accept-Language": lang})
        assert response.status_code == 422, response.text
        assert word in response.json()["error"]["message"]


@given(kind=st.one_of(st.sampled_from(sorted(_KINDS)), st.text(max_size=20)),
       ctx=st.dictionaries(st.sampled_from(["pattern", "ge", "le", "max_length", "min_length", "expected", "error"]),
                           st.one_of(st.integers(), st.text(max_size=10))),
       field=st.one_of(st.none(), st.sampled_from(["skills[0].label", "languages[2].code", "mobility"])),
       lang=st.sampled_from(["en", "fr", "nl"]))
def test_every_error_type_gives_one_sentence(kind, ctx, field, lang):
    text = message({"type": kind, "ctx": ctx, "msg": "Value error, give a label or a concept_id"}, field, lang)
    assert text.endswith(".") and (field or "request") in text.replace("le corps de la requête", "request").replace(
        "the request body", "request").replace("de body van het verzoek", "request")
