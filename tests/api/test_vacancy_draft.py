"""Over HTTP: a pasted job ad comes back as a proposed vacancy, for liaisons and employers, and nothing of
it is stored anywhere: no row in any table, no kept answer for a replay, no word of it in the logs."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, inspect, select, table

from tests.factories import bearer, create_world

AD = """Nettoyeur/euse de bureaux (h/f/x) - Bruxelles 1000
Vos tâches : nettoyage des sanitaires, vider les poubelles.
Profil : expérience en nettoyage de bureaux indispensable. Vous parlez français (B1 minimum).
Le néerlandais est un atout. Un plus : savoir utiliser une autolaveuse.
Horaire : du lundi au vendredi de 6h à 9h, soit 15h/semaine. Contrat à durée indéterminée (CDI).
"""


@pytest.fixture
def world(client):
    return create_world(client)


def row_counts() -> dict[str, int]:
    from matching.store.db import session_scope

    with session_scope() as session:
        names = inspect(session.connection()).get_table_names()
        return {name: session.execute(select(func.count()).select_from(table(name))).scalar_one() for name in names}


def test_a_liaison_and_an_employer_get_a_proposal_with_the_words_behind_each_item(client, world):
    for token in (world.liaison, world.employer):
        response = client.post("/v1/vacancies/draft", json={"text": AD}, headers=bearer(token))
        assert response.status_code == 200, response.text
        assert "no-store" in response.headers["cache-control"]
        draft = response.json()
        assert draft["stored"] is False and draft["lang"] == "fr"
        assert draft["occupation"]["concept_id"] == "bm:occ:office-cleaner"
        must = {s["concept_id"]: s for s in draft["must_have"]}
        assert "bm:skill:office-cleaning" in must
        office = must["bm:skill:office-cleaning"]
        assert AD[office["source"]["start"]:office["source"]["end"]] == office["source"]["text"]
        assert office["source"]["text"] == "nettoyage de bureaux" and office["probability"] >= 0.5
        nice = {s["concept_id"] for s in draft["nice_to_have"]}
        assert "bm:skill:scrubber-dryer" in nice and "bm:skill:scrubber-dryer" not in must
        languages = {lang["code"]: lang for lang in draft["languages"]}
        assert languages["fr"]["spoken"] == "B1" and languages["fr"]["probability"] >= 0.5
        assert languages["nl"]["probability"] < 0.5
        assert draft["hours_per_week"]["value"] == 15 and draft["contract_type"]["value"] == "permanent"
        assert draft["postcode"]["value"] == "1000"


@pytest.mark.parametrize("role", ["admin", "counsellor"])
def test_other_roles_may_not_draft(client, world, role):
    from tests.factories import admin_token

    token = world.counsellor if role == "counsellor" else admin_token()
    response = client.post("/v1/vacancies/draft", json={"text": AD}, headers=bearer(token))
    assert response.status_code == 403, response.text


def test_an_ad_with_contact_data_is_refused_without_repeating_it(client, world):
    text = AD + "Envoyez votre CV à sophie.martens@cleanco.be ou appelez le 0471 23 45 67."
    response = client.post("/v1/vacancies/draft", json={"text": text}, headers=bearer(world.liaison))
    assert response.status_code == 422, response.text
    body = response.text
    assert response.json()["error"]["field"] == "text"
    for secret in ("sophie", "martens", "cleanco", "0471", "23 45 67", "nettoyage"):
        assert secret not in body.lower()


def test_nothing_is_stored_in_any_table_nor_kept_for_a_replay_nor_logged(client, world, caplog):
    client.post("/v1/vacancies/draft", json={"text": "warm-up"}, headers=bearer(world.liaison))
    before = row_counts()
    with caplog.at_level(logging.DEBUG):
        response = client.post("/v1/vacancies/draft", json={"text": AD}, headers=bearer(world.liaison))
    assert response.status_code == 200, response.text
    assert row_counts() == before
    assert "nettoyage" not in caplog.text and "autolaveuse" not in caplog.text

    # With an Idempotency-Key only the fact that the key was answered is kept, never the answer.
    keyed = bearer(world.liaison) | {"Idempotency-Key": "draft-once"}
    first = client.post("/v1/vacancies/draft", json={"text": AD}, headers=keyed)
    assert first.status_code == 200, first.text
    after = row_counts()
    assert {name: after[name] - before[name] for name in after if after[name] != before[name]} == {
        "idempotency_record": 1
    }
    from matching.store.db import session_scope
    from matching.store.models import IdempotencyRecord

    with session_scope() as session:
        kept = session.exec(select(IdempotencyRecord).order_by(IdempotencyRecord.created_at.desc())).first()[0]
        assert kept.status == "not_kept" and not kept.response_body and "nettoyage" not in str(kept.model_dump())
    replay = client.post("/v1/vacancies/draft", json={"text": AD}, headers=keyed)
    assert replay.status_code == 410 and replay.json()["error"]["code"] == "not_kept"
    assert "nettoyage" not in replay.text


def test_a_bad_language_or_an_empty_text_is_a_422(client, world):
    too_long = {"text": "Nettoyage de bureaux. " * 300}  # 6,600 characters: above the 5,000 an ad may take
    for body, field in (({"text": AD, "lang": "de"}, "lang"), ({"text": "  "}, "text"), ({}, "text"),
                        (too_long, "text")):
        response = client.post("/v1/vacancies/draft", json=body, headers=bearer(world.employer))
        assert response.status_code == 422 and response.json()["error"]["field"] == field, response.text
