"""A counsellor prints, for one of their profiles and a vacancy, an explanation the person can keep: in the
person's language, without scores, naming the employer only once the person was presented to it."""

from __future__ import annotations

import re

import pytest

from tests.factories import bearer, create_world, profile_body, vacancy_body


@pytest.fixture
def world(client):
    return create_world(client)


def post(client, path: str, body: dict, token: str) -> dict:
    response = client.post(path, json=body, headers=bearer(token))
    assert response.status_code in (200, 201, 202), response.text
    return response.json()


def explanation(client, world, profile_id, vacancy_id, lang="en", **params):
    headers = bearer(world.counsellor) | {"Accept-Language": lang}
    return client.get(f"/v1/profiles/{profile_id}/explanations/{vacancy_id}", headers=headers, params=params)


@pytest.fixture
def case(client, world):
    profile_id = post(client, "/v1/profiles", profile_body(), world.counsellor)["id"]
    body = vacancy_body(employer_id=world.employer_id, languages=[{"code": "nl", "spoken": "B1"}],
                        constraints={"languages": "soft"},
                        must_have=[{"label": "kantoren schoonmaken"}, {"label": "heftruck besturen"}])
    vacancy_id = post(client, "/v1/vacancies", body, world.liaison)["id"]
    return profile_id, vacancy_id


def test_the_explanation_speaks_the_persons_language_in_words_not_numbers(client, world, case):
    profile_id, vacancy_id = case
    pages = {}
    for lang in ("fr", "nl", "en"):
        response = explanation(client, world, profile_id, vacancy_id, lang)
        assert response.status_code == 200, response.text
        assert response.headers["content-language"] == lang
        pages[lang] = response.json()
    assert pages["fr"]["headings"]["cannot_know"] == "Ce que le classement ne peut pas savoir"
    assert pages["nl"]["headings"]["cannot_know"] == "Wat de rangschikking niet kan weten"
    assert pages["en"]["headings"]["cannot_know"] == "What the ranking cannot know"
    # The same facts, worded three ways: the office cleaning held, the forklift missing, Dutch below the level.
    assert any("nettoyage de bureaux" in s and "exige" in s for s in pages["fr"]["counted_for"])
    assert any("heftruck besturen" in s and "niet in uw profiel" in s for s in pages["nl"]["counted_against"])
    assert "Dutch spoken A2, the vacancy asks B1." in pages["en"]["counted_against"]
    assert "Néerlandais oral A2, l'offre demande B1." in pages["fr"]["counted_against"]
    for lang, page in pages.items():
        assert page["lang"] == lang and page["basis"] == "today" and page["status"] == "none"
        assert len(page["cannot_know"]) >= 4 and page["decision"]
        text = " ".join([page["summary"], *page["counted_for"], *page["counted_against"]])
        assert not re.search(r"\d+ ?%|0\.\d", text), text  # no credit, weight or score
    assert any("décide" in s for s in pages["fr"]["decision"])


def test_the_employer_is_named_only_once_the_person_was_presented_to_it(client, world, case):
    profile_id, vacancy_id = case
    before = explanation(client, world, profile_id, vacancy_id, "en")
    assert before.status_code == 200
    assert before.json()["employer"] is None and "Clean & Co" not in before.text
    html = explanation(client, world, profile_id, vacancy_id, "en", format="html")
    assert "Clean &amp; Co" not in html.text and "Clean & Co" not in html.text

    from matching.services import shortlists
    from matching.store.db import session_scope

    shortlist_id = post(client, f"/v1/vacancies/{vacancy_id}/shortlists", {"size": 100}, world.liaison)["id"]
    with session_scope() as session:
        shortlists.compute(session, shortlist_id)
    listed = explanation(client, world, profile_id, vacancy_id, "en").json()
    assert listed["status"] == "shortlisted" and listed["basis"] == "shortlist" and listed["employer"] is None
    post(client, f"/v1/shortlists/{shortlist_id}/present", {"profile_ids": [profile_id]}, world.liaison)

    after = explanation(client, world, profile_id, vacancy_id, "fr").json()
    assert after["status"] == "presented" and after["employer"] == "Clean & Co"
    assert any("Clean & Co" in s for s in after["decision"])
    html = explanation(client, world, profile_id, vacancy_id, "nl", format="html")
    assert "Clean &amp; Co" in html.text


def test_the_printable_page_is_self_contained_and_runs_nothing(client, world, case):
    profile_id, vacancy_id = case
    headers = bearer(world.counsellor) | {"Accept-Language": "nl", "Accept": "text/html,application/xhtml+xml"}
    response = client.get(f"/v1/profiles/{profile_id}/explanations/{vacancy_id}", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nl">' in page
    assert "@media print" in page and "Wat de rangschikking niet kan weten" in page
    assert "<script" not in page.lower() and not re.search(r"(src|href)=|url\(|@import", page)
    policy = response.headers["content-security-policy"]
    for directive in ("default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"):
        assert directive in policy  # default-src alone leaves <base> and form targets open
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "no-store" in response.headers["cache-control"]


def test_another_counsellors_profile_and_an_unknown_vacancy_are_not_found(client, world, case):
    profile_id, vacancy_id = case
    other = create_world(client, admin=world.admin)
    response = client.get(f"/v1/profiles/{profile_id}/explanations/{vacancy_id}", headers=bearer(other.counsellor))
    assert response.status_code == 404
    assert client.get(f"/v1/profiles/{profile_id}/explanations/{vacancy_id}",
                      headers=bearer(world.liaison)).status_code == 403
    assert explanation(client, world, profile_id, "vac_nothere").status_code == 404


def test_a_strict_requirement_that_leaves_the_person_out_is_said_plainly(client, world):
    profile_id = post(client, "/v1/profiles", profile_body(), world.counsellor)["id"]
    body = vacancy_body(employer_id=world.employer_id, languages=[{"code": "nl", "spoken": "C1"}])  # hard
    vacancy_id = post(client, "/v1/vacancies", body, world.liaison)["id"]
    page = {lang: explanation(client, world, profile_id, vacancy_id, lang).json() for lang in ("en", "nl")}
    assert page["en"]["eligible"] is False
    assert "A language level this vacancy treats as strict is not reached" in page["en"]["summary"]
    assert "Een taalniveau dat voor deze vacature strikt is, wordt niet gehaald" in page["nl"]["summary"]
    assert "Nederlands mondeling A2, de vacature vraagt C1." in page["nl"]["counted_against"]
