"""A liaison asks for the shortlists of many vacancies at once: all created with their task messages, or none."""

from __future__ import annotations

import pytest
from sqlmodel import col, func, select

from tests.factories import bearer, create_world, vacancy_body

pytestmark = pytest.mark.usefixtures("redis_url")  # the task messages are sent; cleaned up at the end


def shortlist_count() -> int:
    from matching.store.db import session_scope
    from matching.store.models import Shortlist

    with session_scope(read_only=True) as session:
        return session.exec(select(func.count()).select_from(Shortlist)).one()


@pytest.fixture
def world(client):
    return create_world(client)


def vacancies(client, world, n: int) -> list[str]:
    ids = []
    for i in range(n):
        response = client.post("/v1/vacancies", json=vacancy_body(title=f"Poste {i}", employer_id=world.employer_id),
                               headers=bearer(world.liaison))
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


def test_a_batch_creates_one_queued_shortlist_per_vacancy_each_with_its_message(client, world):
    from matching.store.db import session_scope
    from matching.store.models import OutboxMessage, Shortlist

    ids = vacancies(client, world, 3)
    response = client.post("/v1/shortlists/batch", json={"vacancy_ids": ids, "size": 5, "min_score": 0.1},
                           headers=bearer(world.liaison))
    assert response.status_code == 202, response.text
    created = response.json()
    assert [item["vacancy_id"] for item in created] == ids
    assert {item["status"] for item in created} == {"queued"}
    with session_scope(read_only=True) as session:
        rows = session.exec(select(Shortlist).where(col(Shortlist.id).in_([i["id"] for i in created]))).all()
        messages = session.exec(select(OutboxMessage).where(OutboxMessage.task == "shortlist.compute")).all()
    assert {(r.vacancy_id, r.size, r.min_score) for r in rows} == {(i, 5, 0.1) for i in ids}
    sent_for = [m.args[0] for m in messages]
    assert all(sent_for.count(item["id"]) == 1 for item in created)
    for item in created:  # each one is an ordinary shortlist the liaison can read
        assert client.get(f"/v1/shortlists/{item['id']}", headers=bearer(world.liaison)).status_code == 200


def test_one_bad_id_refuses_the_whole_batch_and_names_it(client, world):
    other = create_world(client, admin=world.admin)
    own = vacancies(client, world, 2)
    foreign = vacancies(client, other, 1)[0]
    closed = vacancies(client, world, 1)[0]
    assert client.post(f"/v1/vacancies/{closed}/close", headers=bearer(world.liaison)).status_code == 200
    before = shortlist_count()
    cases = [
        ([own[0], foreign, own[1]], 404, "not_found", "vacancy_ids[1]"),
        ([own[0], "vac_nope"], 404, "not_found", "vacancy_ids[1]"),
        ([closed, own[0]], 409, "vacancy_closed", "vacancy_ids[0]"),
        ([own[0], own[1], own[0]], 422, "duplicate", "vacancy_ids[2]"),
        ([], 422, "invalid", "vacancy_ids"),
        ([own[0]] * 101, 422, "invalid", "vacancy_ids"),
    ]
    for ids, status, code, field in cases:
        response = client.post("/v1/shortlists/batch", json={"vacancy_ids": ids}, headers=bearer(world.liaison))
        assert response.status_code == status, (ids, response.text)
        error = response.json()["error"]
        assert (error["code"], error["field"]) == (code, field), error
        assert foreign not in response.text
    assert shortlist_count() == before
    employer = client.post("/v1/shortlists/batch", json={"vacancy_ids": own}, headers=bearer(world.employer))
    assert employer.status_code == 403
