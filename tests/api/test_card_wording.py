"""No word a counsellor typed reaches an employer, over the API, in any reading language.

Profiles are published whose typed skill labels carry a unique canary (a name, a family name, typos,
origin words, other scripts) and still link to taxonomy concepts by fuzzy matching; they are presented;
then every answer an employer can get about them (the card list in en, fr and nl, a decision's answer)
is searched for the canary. The liaison's shortlist may keep the counsellor's words; employers never.
"""

from __future__ import annotations

import random
import uuid

import pytest
from fastapi.testclient import TestClient

from tests.conftest import DATA_DIR, use_database
from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.processes import compute_here, measure_cards_here

pytestmark = pytest.mark.usefixtures("redis_url")  # the shortlist message sent here is cleaned up

# How counsellors have typed the factory profile's skills: each variant keeps enough of the label for the
# fuzzy link and adds what must never reach an employer. {c} is the canary.
VARIANTS = {
    "nettoyage de bureaux": ["nettoyage de bureaux {c}", "netoyage de bureau {c}", "nettoyage des bureaux {c}escu",
                             "nettoyage de bureaux romani {c}", "nettoyage de bureaux Ромски{c}"],
    "utiliser une autolaveuse": ["utiliser une autolaveuse {c}", "utiliser une autolaveus {c}",
                                 "utiliser une autolaveuse à Anderlecht {c}", "utiliser une autolaveuse ص{c}"],
}


def canary(rng: random.Random) -> str:
    """A token no taxonomy label contains, different for every run."""
    return "Qz" + "".join(rng.choice("bcdfghjkmnpqrstvwxz") for _ in range(6))


@pytest.fixture(scope="module")
def presented():
    """Six profiles as one counsellor typed them, each with the canary in its skill labels, presented."""
    from api.app import app
    from matching.services.bootstrap import prepare_database

    rng = random.Random(uuid.uuid4().int)
    token = canary(rng)
    use_database(f"sqlite:///{DATA_DIR / f'card-wording-{uuid.uuid4().hex[:8]}.db'}")
    prepare_database()
    with TestClient(app, raise_server_exceptions=False) as http:
        world = create_world(http)
        linked = 0
        for _ in range(6):
            body = profile_body()
            for skill in body["skills"]:
                if skill["label"] in VARIANTS:
                    skill["label"] = rng.choice(VARIANTS[skill["label"]]).format(c=token)
            response = http.post("/v1/profiles", json=body, headers=bearer(world.counsellor))
            assert response.status_code == 201, response.text
            linked += sum(bool(s.get("concept_id")) and token in s["label"] for s in response.json()["skills"])
        assert linked >= 6, "the typed labels must still link to concepts, or the test proves nothing"
        vacancy = http.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()
        shortlist_id = compute_here(http, world, vacancy["id"])
        liaison = bearer(world.liaison)
        items = http.get(f"/v1/shortlists/{shortlist_id}", headers=liaison).json()["items"]
        assert items
        chosen = [item["profile_id"] for item in items]
        response = http.post(f"/v1/shortlists/{shortlist_id}/present", json={"profile_ids": chosen}, headers=liaison)
        assert response.status_code == 200, response.text
        measure_cards_here()  # a worker's card keeper, in this process
        yield http, world, vacancy["id"], token


def test_no_typed_word_reaches_any_employer_answer(presented):
    http, world, vacancy_id, token = presented
    answers = []
    for accept in ("en", "fr-BE", "nl-BE,nl;q=0.9"):
        response = http.get(f"/v1/vacancies/{vacancy_id}/candidates",
                            headers=bearer(world.employer) | {"Accept-Language": accept})
        assert response.status_code == 200, response.text
        answers.append(response.text)
        cards = response.json()
        assert any(card["skills"] for card in cards), "skills must be shown, or the test proves nothing"
        assert all("via" not in item for card in cards for kind in ("matched", "partial")
                   for item in card["explanation"].get(kind, []))
    card = cards[0]
    decided = http.post(f"/v1/vacancies/{vacancy_id}/candidates/{card['candidate_ref']}/decision",
                        json={"decision": "interested"}, headers=bearer(world.employer))
    assert decided.status_code == 200, decided.text
    answers.append(decided.text)
    for text in answers:
        assert token.lower() not in text.lower()
        assert "escu" not in text and "Anderlecht" not in text and "Ромски" not in text and "ص" not in text


def test_skills_on_cards_carry_the_taxonomy_label_in_the_readers_language(presented):
    http, world, vacancy_id, _ = presented
    labels = {}
    for accept, lang in (("en", "en"), ("fr-BE", "fr"), ("nl-BE", "nl")):
        cards = http.get(f"/v1/vacancies/{vacancy_id}/candidates",
                         headers=bearer(world.employer) | {"Accept-Language": accept}).json()
        for card in cards:
            for skill in card["skills"]:
                concept = http.get(f"/v1/taxonomy/concepts/{skill['concept_id']}", headers=bearer(world.employer))
                assert concept.status_code == 200, concept.text
                names = concept.json()["labels"]
                # The reader's language where the taxonomy has it, else a fallback: a taxonomy label either way.
                assert skill["label"] in {label for labels_in in names.values() for label in labels_in}
                if lang in names:
                    assert skill["label"] in names[lang]
                labels[(lang, skill["concept_id"])] = skill["label"]
    assert labels
