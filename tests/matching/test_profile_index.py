"""A process's live index follows the database's change log: publish, change, unpublish, erase."""

from __future__ import annotations

from sqlmodel import select

from matching.services import profile_index
from matching.store import reconfirmation
from matching.store.db import session_scope
from matching.store.models import Profile, ProfileChange
from tests.factories import bearer, create_world, profile_body


def indexed_ids() -> set[str]:
    with session_scope() as session:
        index = profile_index.current_index(session)
        return set(index.ids())


def published_ids() -> set[str]:
    """The profiles matched: published and reconfirmed in time (other tests leave stale ones behind)."""
    with session_scope() as session:
        return set(session.exec(select(Profile.id).where(reconfirmation.matchable())))


def test_the_index_follows_every_kind_of_change(client):
    world = create_world(client)
    counsellor = bearer(world.counsellor)
    profile_index.reset()
    first = client.post("/v1/profiles", json=profile_body(), headers=counsellor).json()["id"]
    assert indexed_ids() == published_ids()  # built from scratch

    second = client.post("/v1/profiles", json=profile_body(), headers=counsellor).json()["id"]
    assert second in indexed_ids()
    response = client.patch(f"/v1/profiles/{second}", json={"mobility": {"postcode": "1180"}}, headers=counsellor)
    assert response.status_code == 200
    with session_scope() as session:
        facts = profile_index.current_index(session).facts(second)
    assert facts.lat is not None and facts.lat < 50.82  # Uccle, south of the centre

    client.patch(f"/v1/profiles/{first}", json={"published": False}, headers=counsellor)
    assert first not in indexed_ids()
    client.post(f"/v1/profiles/{second}/phase", json={"phase": "closed"}, headers=counsellor)
    assert second not in indexed_ids()
    third = client.post("/v1/profiles", json=profile_body(), headers=counsellor).json()["id"]
    assert client.delete(f"/v1/profiles/{third}", headers=counsellor).status_code == 204
    assert indexed_ids() == published_ids()


def test_the_change_log_holds_random_keys_only(client):
    world = create_world(client)
    created = client.post("/v1/profiles", json=profile_body(), headers=bearer(world.counsellor)).json()["id"]
    with session_scope() as session:
        key = session.get(Profile, created).change_key
        rows = session.exec(select(ProfileChange).where(ProfileChange.profile_key == key)).all()
        assert not session.exec(select(ProfileChange).where(ProfileChange.profile_key == created)).all()
    assert rows and all(set(row.model_dump()) == {"seq", "profile_key", "created_at"} for row in rows)


def test_a_pruned_change_log_makes_a_sleeping_index_rebuild(client):
    from datetime import timedelta

    from sqlalchemy import func

    from matching.store.models import utcnow

    world = create_world(client)
    counsellor = bearer(world.counsellor)
    first = client.post("/v1/profiles", json=profile_body(), headers=counsellor).json()["id"]
    assert first in indexed_ids()
    with session_scope() as session:  # an index that fell asleep: it remembers an old position
        stale = profile_index.current_index(session)
    second = client.post("/v1/profiles", json=profile_body(), headers=counsellor).json()["id"]
    client.delete(f"/v1/profiles/{first}", headers=counsellor)
    with session_scope() as session:
        removed = profile_index.prune_change_log(session, before=utcnow() + timedelta(seconds=1))
        left = session.exec(select(func.count()).select_from(ProfileChange)).one()
    assert removed > 0 and left == 1  # the newest row stays, so numbering never restarts
    with session_scope() as session:
        stale.version = 0  # what a worker that slept through the pruning still believes
        ids = profile_index.current_index(session).ids()
    assert second in ids and first not in ids
    assert ids == published_ids()


def test_a_change_committed_late_is_read_once_and_the_window_not_again(client):
    """Change-log numbers are taken at insert and may commit out of order (two API processes)."""
    from sqlalchemy import func

    with session_scope() as session:
        latest = session.exec(select(func.max(ProfileChange.seq))).one() or 0
        cursor = profile_index.ChangeCursor(session, latest)
        assert cursor.news(session) == set()  # the window it was taken with is not news
    with session_scope() as session:
        session.add(ProfileChange(seq=latest + 2, profile_key="committed_first"))
    with session_scope() as session:
        assert cursor.news(session) == {"committed_first"}
    with session_scope() as session:  # numbered before it, committed after it
        session.add(ProfileChange(seq=latest + 1, profile_key="committed_late"))
    with session_scope() as session:
        assert cursor.news(session) == {"committed_late"}
        assert cursor.news(session) == set()
        assert cursor.version == latest + 2


def test_a_profile_published_while_the_index_loads_and_erased_after_leaves_the_index(client):
    """The cursor's keys are read before the load; a profile published in between is loaded without the
    cursor knowing its key. The load tells the cursor, so the erasure's log row still removes it."""
    world = create_world(client)
    counsellor = bearer(world.counsellor)
    with session_scope() as session:
        _, latest = profile_index.log_bounds(session)
        cursor = profile_index.ChangeCursor(session, latest)  # what `current` takes before it builds
    late = client.post("/v1/profiles", json=profile_body(), headers=counsellor).json()["id"]
    with session_scope() as session:
        load = profile_index.published_loader(session.get_bind(), cursor)
    index = profile_index.LiveIndex(loader=load).rebuild(load(), version=latest)
    assert late in index
    assert client.delete(f"/v1/profiles/{late}", headers=counsellor).status_code == 204
    with session_scope() as session:
        _, upserts, deletes = profile_index.changes_since(session, cursor)
    index.apply(upserts=upserts, deletes=deletes, version=latest + 10)
    assert late not in index
