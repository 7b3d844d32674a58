"""Explanation texts in fr, nl and en: chosen from Accept-Language, rendered from codes and parameters."""

from __future__ import annotations

import pytest

from matching.language.i18n import LANGUAGES, NOTE_TEMPLATES, gap_text, negotiate, note_text, render

STORED = {
    "matched": [{"concept_id": "c:office", "requirement": "kantoren schoonmaken", "must_have": True,
                 "weight": 1.0, "via": "nettoyage de bureaux", "credit": 0.9}],
    "partial": [{"concept_id": "c:scrubber", "requirement": "schrobmachine bedienen", "must_have": False,
                 "weight": 1.0, "via": "nettoyage", "via_concept_id": "c:clean", "credit": 0.5}],
    "missing": [{"concept_id": "c:forklift", "requirement": "heftruck", "must_have": True, "weight": 1.0}],
    "notes": [
        {"code": "language_gap", "text": "Dutch spoken A2, the vacancy asks B1", "language": "nl",
         "channel": "spoken", "has": "A2", "needs": "B1"},
        {"code": "commute", "text": "about 23 min commute, within the 45 min limit", "minutes": 23, "limit": 45},
    ],
}
EVERY_NOTE = [
    {"code": "requirement_unknown", "requirement": "vlotte babbel"},
    {"code": "language_missing", "language": "nl", "needs": {"spoken": "A2", "written": "A1"}},
    {"code": "language_gap", "language": "rom", "channel": "written", "has": None, "needs": "A2"},
    {"code": "licence_missing", "licence": "B"},
    {"code": "location_unknown", "side": "vacancy"},
    {"code": "location_unknown", "side": "candidate"},
    {"code": "commute", "minutes": 20, "limit": 45},
    {"code": "commute_too_long", "minutes": 70, "limit": 45},
    {"code": "hours_mismatch", "vacancy_hours": 38, "hours_min": 19, "hours_max": None},
    {"code": "shift_mismatch", "shifts": ["early_morning", "night"]},
    {"code": "start_later", "days": 30},
]


@pytest.mark.parametrize(
    "header, lang",
    [
        (None, "en"),
        ("", "en"),
        ("nl-BE,nl;q=0.9,fr;q=0.8", "nl"),
        ("fr-BE", "fr"),
        ("de-DE,fr;q=0.5,nl;q=0.7", "nl"),
        ("de, en;q=0.1", "en"),
        ("ro", "en"),
        ("fr;q=0, nl;q=0.2", "nl"),
        ("fr;q=abc", "en"),
        ("*", "en"),
    ],
)
def test_the_reader_language_comes_from_accept_language(header: str | None, lang: str) -> None:
    assert negotiate(header) == lang


def test_the_same_stored_explanation_reads_in_each_language() -> None:
    texts = {lang: render(STORED, lang) for lang in LANGUAGES}
    assert texts["en"]["notes"][0]["text"] == "Dutch spoken A2, the vacancy asks B1"
    assert texts["fr"]["notes"][0]["text"] == "néerlandais oral A2, l'offre demande B1"
    assert texts["nl"]["notes"][0]["text"] == "Nederlands mondeling A2, de vacature vraagt B1"
    assert texts["fr"]["matched"][0]["text"] == (
        "exigence « kantoren schoonmaken » : couverte par « nettoyage de bureaux »"
    )
    assert texts["nl"]["missing"][0]["text"] == 'vereiste "heftruck": ontbreekt'
    assert "50%" in texts["en"]["partial"][0]["text"] and "nettoyage" in texts["en"]["partial"][0]["text"]
    assert "23 min" in texts["nl"]["notes"][1]["text"]
    for lang, rendered in texts.items():
        assert rendered["lang"] == lang
        # Codes and parameters are kept as stored; only texts change.
        assert [{k: v for k, v in n.items() if k != "text"} for n in rendered["notes"]] == [
            {k: v for k, v in n.items() if k != "text"} for n in STORED["notes"]
        ]
    assert STORED["notes"][0]["text"] == "Dutch spoken A2, the vacancy asks B1"  # the stored copy is untouched


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_note_code_has_a_text_in_every_language_with_its_numbers(lang: str) -> None:
    assert set(NOTE_TEMPLATES[lang]) == set(NOTE_TEMPLATES["en"])
    for note in EVERY_NOTE:
        text = note_text(note, lang)
        assert text and "{" not in text
        for key in ("minutes", "limit", "days", "vacancy_hours", "licence"):
            if key in note:
                assert str(note[key]) in text
    assert note_text({"code": "from_a_newer_version", "text": "kept"}, lang) == "kept"


def test_an_empty_explanation_of_a_withdrawn_candidate_stays_empty_and_an_unknown_language_is_refused() -> None:
    assert render({}, "fr") == {}
    with pytest.raises(ValueError):
        render(STORED, "de")


def test_gap_texts_name_the_level_and_count_the_vacancies() -> None:
    assert gap_text("en", language="nl", channel="spoken", level="B1", opens=7, improves=9, max_gain=0.3) == (
        "Dutch spoken B1 would open 7 more vacancies"
    )
    assert gap_text("fr", skill="conduire un chariot élévateur", opens=1, improves=1, max_gain=0.2) == (
        "« conduire un chariot élévateur » ouvrirait 1 offre de plus"
    )
    assert gap_text("nl", language="fr", channel="written", level="A2", opens=0, improves=2, max_gain=0.05) == (
        "Frans schriftelijk A2 zou de score voor 2 vacatures verhogen, tot 5 punten"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("minutes", [0, 1, 4])
def test_a_commute_within_the_same_area_reads_as_a_few_minutes_not_zero(lang: str, minutes: int) -> None:
    text = note_text({"code": "commute", "minutes": minutes, "limit": 45}, lang)
    assert f"{minutes} min" not in text and "45" in text
    assert note_text({"code": "commute", "minutes": 5, "limit": 45}, lang).count("5") >= 1
