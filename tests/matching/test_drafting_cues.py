"""Cue features: section headers, the duties a header announces, and cues shared across a coordination."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.drafting.cues import SECTION_WORDS, clause_features, header_of
from matching.drafting.segments import clauses


@pytest.mark.parametrize(("line", "section"), [
    ("Wat vragen we? Ervaring met kantoorschoonmaak.", "profile"),
    ("Wat doe je? Kantoren schoonmaken, sanitair reinigen.", "tasks"),
    ("Wij vragen: ervaring met industriële reiniging.", "profile"),
    ("Jouw job: machines reinigen.", "tasks"),
    ("Wat houdt de job in? Ramen wassen.", "tasks"),
    ("Wat breng je mee? Ervaring als kok.", "profile"),
    ("Vous êtes ponctuel? Vous aimez le contact?", None),  # a question, not a header
    ("Le profil idéal : vous avez ...", "profile"),  # a telling word in a short head
    ("Jouw taken en verantwoordelijkheden: ...", "tasks"),
    ("Ce que nous offrons : un CDI", "offer"),
    ("Je verdeelt de taken onder het team en rapporteert", None),  # a long line is no header
])
def test_a_header_ends_at_a_colon_or_a_question_mark(line, section):
    assert header_of(line) == section


def test_a_clause_under_a_duties_header_is_a_duty_even_when_the_header_ended_its_clause():
    parts = clauses("Titel\nWat doe je? Kantoren schoonmaken, vloeren dweilen.\n")
    duty = next(c for c in parts if c.text.startswith("Kantoren"))
    assert duty.section == "tasks"
    assert clause_features(duty.text, 0, 8, duty.section)["task_cue"]


@given(first=st.sampled_from(["Een fytolicentie", "Un permis C", "A forklift licence"]),
       joiner=st.sampled_from([" en ", " et ", " and "]),
       cue=st.sampled_from(["zijn troeven", "sont un atout", "are a plus", "is een pluspunt"]))
@settings(max_examples=30, deadline=None)
def test_a_plus_cue_after_a_coordination_speaks_of_every_item(first, joiner, cue):
    clause = f"{first}{joiner}rijbewijs B {cue}"
    features = clause_features(clause, 0, len(first), "profile")
    assert features["own_plus"] and not features["own_must"]


def test_a_comma_does_not_carry_a_cue_to_the_part_before_it():
    clause = "Français requis, anglais un plus"
    assert clause_features(clause, 0, 8, None)["own_must"]
    assert not clause_features(clause, 0, 8, None)["own_plus"]


def test_a_part_with_its_own_cue_keeps_it():
    clause = "Nederlands is vereist en Frans is een pluspunt"
    features = clause_features(clause, 0, 10, None)
    assert features["own_must"] and not features["own_plus"]


@pytest.mark.parametrize("header", SECTION_WORDS["tasks"])
def test_every_duties_header_opens_the_duties_section(header):
    assert header_of(f"{header}: iets") == "tasks"


@pytest.mark.parametrize("cue", ["is een voordeel", "is een meerwaarde", "is ook welkom", "est un avantage"])
def test_dutch_and_french_plus_cues(cue):
    clause = f"Een heftruckbrevet {cue}"
    assert clause_features(clause, 4, 18, "profile")["own_plus"]
