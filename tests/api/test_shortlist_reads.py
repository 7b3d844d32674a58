"""A ready shortlist is rendered once and served from memory: an erasure shows at once, access is checked
on every read, and each language gets its own rendering."""

from __future__ import annotations

import pytest

from tests.factories import bearer, create_world, profile_body, vacancy_body

pytestmark = pytest.mark.usefixtures("redis_url")  # the shortlist request sends a message; cleaned up at the end


def test_a_cached_ready_shortlist_shows_an_erasure_at_once_and_stays_private(client):
    from matching.services import renderings, shortlist_runs, shortlists
    from matching.store.db import session_scope

    world = create_world(client)
    other = create_world(client, admin=world.admin)
    mine = [client.post("/v1/profiles", json=profile_body(), headers=bearer(world.counsellor)).json()["id"]
            for _ in range(2)]
    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()["id"]
    accepted = client.post(f"/v1/vacancies/{vacancy}/shortlists", json={"size": 100}, headers=bearer(world.liaison))
    shortlist_id = accepted.json()["id"]
    path = f"/v1/shortlists/{shortlist_id}"
    assert client.get(path, headers=bearer(world.liaison)).json()["status"] == "queued"
    with session_scope() as session:
        shortlist_runs.start(session, shortlist_id, task_id="ob_here", max_attempts=3, stale_after=660)
    with session_scope() as session:
        shortlists.compute(session, shortlist_id)

    first = client.get(path, headers=bearer(world.liaison))
    assert first.status_code == 200 and first.headers["content-language"] == "en"
    assert first.json()["status"] == "ready"  # not the queued answer read before
    assert set(mine) <= {item["profile_id"] for item in first.json()["items"]}
    assert client.get(path, headers=bearer(world.liaison)).content == first.content
    dutch = client.get(path, headers={**bearer(world.liaison), "Accept-Language": "nl"})
    assert dutch.headers["content-language"] == "nl" and dutch.content != first.content

    assert client.delete(f"/v1/profiles/{mine[0]}", headers=bearer(world.counsellor)).status_code == 204
    after = client.get(path, headers=bearer(world.liaison))
    assert mine[0] not in after.text
    assert sum(item["withdrawn"] for item in after.json()["items"]) == 1
    assert mine[0] not in client.get(path, headers={**bearer(world.liaison), "Accept-Language": "nl"}).text
    # Nor does this process keep the renderings that named it (erasure reaches caches too).
    assert not [key for key, rendered in renderings._RENDERED.items() if mine[0].encode() in rendered]

    # Served from memory, still checked: another programme's liaison does not learn it exists.
    foreign = client.get(path, headers=bearer(other.liaison))
    assert foreign.status_code == 404 and foreign.json()["error"]["field"] == "shortlist_id"
    assert client.get(path, headers=bearer(world.employer)).status_code == 403
    assert client.get(path).status_code == 401
