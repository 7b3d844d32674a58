"""Human oversight (issue 13): overrides, the ranking switch, replays and the fairness figures, over HTTP."""

from __future__ import annotations

import pytest

from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.processes import measure_cards_here

pytestmark = pytest.mark.usefixtures("redis_url")  # a shortlist request sends a message; cleaned up at the end


def ready_shortlist(client, world, vacancy: str, *, size: int = 100) -> str:
    """A shortlist asked over HTTP and computed here, as a worker would."""
    from matching.services import shortlist_runs, shortlists
    from matching.store.db import session_scope

    accepted = client.post(f"/v1/vacancies/{vacancy}/shortlists", json={"size": size}, headers=bearer(world.liaison))
    assert accepted.status_code == 202, accepted.text
    shortlist_id = accepted.json()["id"]
    with session_scope() as session:
        shortlist_runs.start(session, shortlist_id, task_id="ob_test", max_attempts=3, stale_after=660)
    with session_scope() as session:
        shortlists.compute(session, shortlist_id)
    return shortlist_id


def publish(client, world, n: int, **changes) -> list[str]:
    return [
        client.post("/v1/profiles", json=profile_body(**changes), headers=bearer(world.counsellor)).json()["id"]
        for _ in range(n)
    ]


def audit_actions(client, world, action: str) -> list[dict]:
    response = client.get("/v1/audit", params={"action": action, "limit": 1000}, headers=bearer(world.admin))
    assert response.status_code == 200, response.text
    return response.json()


def test_a_liaison_moves_removes_and_adds_candidates_each_with_a_reason_and_an_audit_entry(client):
    world = create_world(client)
    mine = publish(client, world, 3)
    # Speaks no language the vacancy asks for (a hard requirement): the model leaves this person out.
    outsider = publish(client, world, 1, languages=[{"code": "rom", "spoken": "C2", "written": "A1"}])[0]
    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()["id"]
    shortlist_id = ready_shortlist(client, world, vacancy)
    path = f"/v1/shortlists/{shortlist_id}"
    before = client.get(path, headers=bearer(world.liaison)).json()
    assert before["ranking"] == "ranked"
    by_id = {item["profile_id"]: item for item in before["items"]}
    assert set(mine) <= set(by_id) and outsider not in by_id
    assert all(item["model_rank"] == item["final_rank"] == item["rank"] for item in before["items"])
    last = mine[-1]
    overrides = f"{path}/overrides"

    moved = client.post(
        overrides,
        json={"action": "move", "profile_id": last, "position": 1, "reason": "knows_fit"},
        headers={**bearer(world.liaison), "Accept-Language": "fr"},
    )
    assert moved.status_code == 200, moved.text
    body = moved.json()
    first = body["shortlist"]["items"][0]
    assert first["profile_id"] == last and first["final_rank"] == 1 and first["chosen_by_person"]
    assert first["model_rank"] == by_id[last]["model_rank"]
    assert body["override"]["reason_text"].startswith("La personne de liaison")
    # The shortlist as read afterwards (renderings are cached per version) shows the new order.
    assert client.get(path, headers=bearer(world.liaison)).json()["items"][0]["profile_id"] == last

    removed = client.post(
        overrides,
        json={
            "action": "remove",
            "profile_id": mine[0],
            "reason": "candidate_unavailable",
            "note": "Starts a training course next month.",
        },
        headers=bearer(world.liaison),
    )
    assert removed.status_code == 200, removed.text
    item = next(i for i in removed.json()["shortlist"]["items"] if i["profile_id"] == mine[0])
    assert item["removed"] and item["final_rank"] is None and item["model_rank"] == by_id[mine[0]]["model_rank"]
    refused = client.post(f"{path}/present", json={"profile_ids": [mine[0]]}, headers=bearer(world.liaison))
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "profile_ids[0]"

    added = client.post(
        overrides,
        json={"action": "add", "profile_id": outsider, "position": 2, "reason": "requirement_met_in_practice"},
        headers=bearer(world.liaison),
    )
    assert added.status_code == 200, added.text
    assert [w["requirement"] for w in added.json()["warnings"]] == ["languages"]
    assert "You decide" in added.json()["warnings"][0]["text"]
    second = added.json()["shortlist"]["items"][1]
    assert second["profile_id"] == outsider and second["model_rank"] is None and second["chosen_by_person"]
    assert second["hard_misses"] == ["languages"]
    assert (
        client.post(
            overrides,
            json={"action": "add", "profile_id": outsider, "reason": "knows_fit"},
            headers=bearer(world.liaison),
        ).status_code
        == 409
    )

    presented = client.post(f"{path}/present", json={"profile_ids": [outsider, mine[1]]}, headers=bearer(world.liaison))
    assert presented.status_code == 200, presented.text
    from sqlmodel import select

    from matching.store.db import session_scope
    from matching.store.models import Match

    with session_scope() as session:
        chosen = {
            m.profile_id: m.chosen_by_person for m in session.exec(select(Match).where(Match.vacancy_id == vacancy))
        }
    assert chosen == {outsider: True, mine[1]: False}
    # The employer's cards never carry the liaison's note (measured as a worker would: the full cards).
    measure_cards_here()
    cards = client.get(f"/v1/vacancies/{vacancy}/candidates", headers=bearer(world.employer))
    assert cards.status_code == 200 and "training course" not in cards.text

    entries = [e for e in audit_actions(client, world, "shortlist.override") if e["subject_id"] == shortlist_id]
    assert [e["details"]["kind"] for e in entries] == ["move", "remove", "add"]
    assert [e["details"]["reason"] for e in entries] == [
        "knows_fit",
        "candidate_unavailable",
        "requirement_met_in_practice",
    ]
    assert entries[2]["details"]["hard_misses"] == ["languages"] and "model_rank" not in entries[2]["details"]
    assert not any(p in str(entries) for p in [*mine, outsider])  # the log names nobody

    # Erasure takes the note about the person too; the override's reason and ranks stay.
    assert client.delete(f"/v1/profiles/{mine[0]}", headers=bearer(world.counsellor)).status_code == 204
    kept = client.get(path, headers=bearer(world.liaison)).json()["overrides"]
    assert [(o["action"], o["profile_id"], o["note"]) for o in kept][1] == ("remove", None, None)
    assert "training course" not in client.get(path, headers=bearer(world.liaison)).text


def test_overrides_refuse_what_a_person_can_fix(client):
    world = create_world(client)
    mine = publish(client, world, 2)
    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()["id"]
    overrides = f"/v1/shortlists/{ready_shortlist(client, world, vacancy)}/overrides"

    def post(body: dict, token: str = world.liaison):
        return client.post(overrides, json=body, headers=bearer(token))

    personal = post({"action": "remove", "profile_id": mine[0], "reason": "other", "note": "call her on 0470 12 34 56"})
    assert personal.status_code == 422 and "0470" not in personal.text
    no_note = post({"action": "remove", "profile_id": mine[0], "reason": "other"})
    assert no_note.status_code == 422 and no_note.json()["error"]["field"] == "note"
    unknown_reason = post({"action": "remove", "profile_id": mine[0], "reason": "gut_feeling"})
    assert unknown_reason.status_code == 422
    no_place = post({"action": "move", "profile_id": mine[0], "reason": "knows_fit"})
    assert no_place.status_code == 422 and no_place.json()["error"]["field"] == "position"
    too_far = post({"action": "move", "profile_id": mine[0], "reason": "knows_fit", "position": 1000})
    assert too_far.status_code == 422 and too_far.json()["error"]["field"] == "position"
    absent = post({"action": "add", "profile_id": "prf_nobody", "reason": "knows_fit"})
    assert absent.status_code == 404 and absent.json()["error"]["field"] == "profile_id"
    assert post({"action": "remove", "profile_id": mine[0], "reason": "knows_fit"}, world.employer).status_code == 403


def test_pausing_ranking_lists_everyone_eligible_shuffled_without_scores_until_resumed(client):
    world = create_world(client)
    other = create_world(client, admin=world.admin)
    mine = publish(client, world, 3)
    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()["id"]
    switch = f"/v1/organisations/{world.liaison_id}/ranking"
    assert client.put(switch, json={"paused": True}, headers=bearer(other.liaison)).status_code == 404
    assert client.put(switch, json={"paused": True}, headers=bearer(world.counsellor)).status_code == 403
    assert (
        client.put(
            f"/v1/organisations/{world.employer_id}/ranking", json={"paused": True}, headers=bearer(world.admin)
        ).status_code
        == 422
    )
    paused = client.put(switch, json={"paused": True}, headers=bearer(world.liaison))
    assert paused.status_code == 200 and paused.json()["paused"] is True

    # Size 1, yet everyone eligible is listed: no score decides who is left out.
    shortlist_id = ready_shortlist(client, world, vacancy, size=1)
    listed = client.get(f"/v1/shortlists/{shortlist_id}", headers=bearer(world.liaison)).json()
    assert listed["ranking"] == "paused" and len(listed["items"]) >= 3
    assert set(mine) <= {item["profile_id"] for item in listed["items"]}
    assert all(item["score"] is None and item["breakdown"] == {} for item in listed["items"])
    replayed = client.post(f"/v1/shortlists/{shortlist_id}/replay", headers=bearer(world.liaison)).json()
    assert replayed["identical"] and replayed["mode"] == "paused"

    resumed = client.put(switch, json={"paused": False}, headers=bearer(world.admin))
    assert resumed.status_code == 200 and resumed.json()["paused"] is False
    again = ready_shortlist(client, world, vacancy, size=1)
    ranked = client.get(f"/v1/shortlists/{again}", headers=bearer(world.liaison)).json()
    assert ranked["ranking"] == "ranked" and len(ranked["items"]) == 1 and ranked["items"][0]["score"] > 0
    switches = [
        e
        for e in audit_actions(client, world, "ranking.paused") + audit_actions(client, world, "ranking.resumed")
        if e["subject_id"] == world.liaison_id
    ]
    assert sorted(e["action"] for e in switches) == ["ranking.paused", "ranking.resumed"]


def test_a_replay_is_identical_and_then_names_what_changed(client):
    world = create_world(client)
    mine = publish(client, world, 3)
    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()["id"]
    shortlist_id = ready_shortlist(client, world, vacancy, size=5)
    replay = f"/v1/shortlists/{shortlist_id}/replay"
    first = client.post(replay, headers=bearer(world.liaison))
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["identical"] and body["changes"] == [] and body["recorded"] == body["replayed"]
    assert len(body["recorded"]) == 5 and len(body["inputs_digest"]) == 64

    edited = client.patch(f"/v1/vacancies/{vacancy}", json={"hours_per_week": 20}, headers=bearer(world.employer))
    assert edited.status_code == 200, edited.text
    assert client.delete(f"/v1/profiles/{mine[0]}", headers=bearer(world.counsellor)).status_code == 204
    after = client.post(replay, headers=bearer(world.liaison)).json()
    changes = {c["code"]: c for c in after["changes"]}
    assert changes["vacancy_edited"]["recorded"] == "1" and changes["vacancy_edited"]["now"] == "2"
    assert {"profiles_erased", "other_profiles_changed"} & set(changes)  # among the considered or not
    assert client.post(replay, headers=bearer(world.employer)).status_code == 403


def test_fairness_figures_are_for_the_admin(client):
    world = create_world(client)
    publish(client, world, 4)
    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()["id"]
    from sqlmodel import select

    from matching.services.ranking_runs import exposure_counts
    from matching.store.db import session_scope
    from matching.store.models import Profile

    ready_shortlist(client, world, vacancy, size=1)
    with session_scope() as session:
        everyone = list(session.exec(select(Profile.id)))
        before = exposure_counts(session, everyone, days=90)
    second = ready_shortlist(client, world, vacancy, size=3)
    listed = [
        i["profile_id"] for i in client.get(f"/v1/shortlists/{second}", headers=bearer(world.liaison)).json()["items"]
    ]
    with session_scope() as session:
        after = exposure_counts(session, everyone, days=90)
    assert len(listed) == 3
    for profile_id in everyone:  # counted when the shortlist was stored, once per listing
        assert after.get(profile_id, 0) == before.get(profile_id, 0) + (profile_id in listed)
    figures = client.get("/v1/fairness", headers=bearer(world.admin))
    assert figures.status_code == 200, figures.text
    body = figures.json()
    assert body["shortlists"] >= 1 and body["qualified_profiles"] >= 1 and body["band"] == 0.02
    assert world.counselling_id in {o["organisation_id"] for o in body["organisations"]}
    assert client.get("/v1/fairness", headers=bearer(world.liaison)).status_code == 403


def test_thirty_similar_vacancies_show_nearly_all_of_twenty_equally_qualified_candidates(client):
    """Through the service: the draw, the exposure counted at each store, the next shortlist's draw."""
    world = create_world(client)
    german = [{"code": "fr", "spoken": "B2", "written": "A2"}, {"code": "de", "spoken": "B2", "written": "B1"}]
    pool = set(publish(client, world, 20, languages=german))
    # German is a hard requirement here: only the pool is eligible, and its twenty score the same.
    body = vacancy_body(languages=[{"code": "de", "spoken": "B1"}])
    shown: set[str] = set()
    for n in range(30):
        vacancy = client.post("/v1/vacancies", json={**body, "title": f"Nettoyeur {n}"}, headers=bearer(world.employer))
        shortlist_id = ready_shortlist(client, world, vacancy.json()["id"], size=5)
        items = client.get(f"/v1/shortlists/{shortlist_id}", headers=bearer(world.liaison)).json()["items"]
        assert len(items) == 5 and {i["profile_id"] for i in items} <= pool
        assert len({i["score"] for i in items}) == 1
        shown |= {i["profile_id"] for i in items}
    assert len(shown) >= 18  # ties by id would have shown the same 5 thirty times


def test_a_replay_counts_the_candidates_edited_withdrawn_and_erased_and_ignores_a_pitch(client):
    world = create_world(client)
    dutch = [{"code": "fr", "spoken": "B2", "written": "A2"}, {"code": "sv", "spoken": "B2", "written": "B1"}]
    pool = publish(client, world, 4, languages=dutch)  # only they speak Swedish, a hard requirement below
    body = vacancy_body(languages=[{"code": "sv", "spoken": "B1"}])
    vacancy = client.post("/v1/vacancies", json=body, headers=bearer(world.employer)).json()["id"]
    shortlist_id = ready_shortlist(client, world, vacancy, size=2)
    replay = f"/v1/shortlists/{shortlist_id}/replay"
    assert client.post(replay, headers=bearer(world.liaison)).json()["identical"]

    def patch(profile_id: str, change: dict) -> None:
        response = client.patch(f"/v1/profiles/{profile_id}", json=change, headers=bearer(world.counsellor))
        assert response.status_code == 200, response.text

    patch(pool[0], {"pitch": "Toujours de bonne humeur."})  # scoring never reads the pitch
    after_pitch = client.post(replay, headers=bearer(world.liaison)).json()
    assert after_pitch["identical"] and after_pitch["changes"] == []

    patch(pool[1], {"availability": {"hours_min": 10, "hours_max": 38, "shifts": ["early_morning"]}})
    patch(pool[2], {"published": False})
    assert client.delete(f"/v1/profiles/{pool[3]}", headers=bearer(world.counsellor)).status_code == 204
    changes = {c["code"]: c["count"] for c in client.post(replay, headers=bearer(world.liaison)).json()["changes"]}
    assert changes == {"profiles_changed": 1, "profiles_withdrawn": 1, "profiles_erased": 1}


def test_a_replay_tells_what_changed_in_the_readers_language(client):
    world = create_world(client)
    mine = publish(client, world, 3)
    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()["id"]
    shortlist_id = ready_shortlist(client, world, vacancy, size=5)
    edited = client.patch(f"/v1/vacancies/{vacancy}", json={"hours_per_week": 20}, headers=bearer(world.employer))
    assert edited.status_code == 200, edited.text
    assert client.delete(f"/v1/profiles/{mine[0]}", headers=bearer(world.counsellor)).status_code == 204
    expected = {
        "fr": "L'offre a été modifiée depuis : version 1 alors, 2 maintenant.",
        "nl": "De vacature werd intussen gewijzigd: versie 1 toen, 2 nu.",
        "en": "The vacancy was edited since: version 1 then, 2 now.",
    }
    told = {}
    for header, lang in (("fr-BE,fr;q=0.9", "fr"), ("nl-BE", "nl"), ("en-GB,en;q=0.8", "en")):
        answer = client.post(
            f"/v1/shortlists/{shortlist_id}/replay", headers={**bearer(world.liaison), "Accept-Language": header}
        )
        assert answer.status_code == 200 and answer.headers["content-language"] == lang
        told[lang] = {c["code"]: c["text"] for c in answer.json()["changes"]}
        assert told[lang]["vacancy_edited"] == expected[lang]
    # Every change (the erased profile among them), not only the first, is told in the reader's language.
    assert len(told["en"]) >= 2 and set(told["fr"]) == set(told["nl"]) == set(told["en"])
    for code, english in told["en"].items():
        assert told["fr"][code] != english and told["nl"][code] != english and "{" not in english


def test_every_replay_change_has_its_words_in_three_languages_with_the_same_figures():
    import string

    from matching.language.i18n_replay import REPLAY_TEXTS
    from matching.schemas.oversight import ReplayChange

    codes = set(ReplayChange.model_fields["code"].annotation.__args__)
    fields = {
        lang: {code: {f for _, f, _, _ in string.Formatter().parse(text) if f} for code, text in texts.items()}
        for lang, texts in REPLAY_TEXTS.items()
    }
    assert set(fields) == {"en", "fr", "nl"}
    for lang in ("fr", "nl"):
        assert set(fields[lang]) == codes and fields[lang] == fields["en"], lang
