"""A process started from an index snapshot and the change log since ranks exactly like a fresh build, and
an erased profile never comes back from a snapshot."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from matching.ranking import index_snapshot
from matching.ranking.facts import VacancyFacts
from matching.ranking.live_index import LiveIndex
from matching.services import index_snapshots, profile_index
from matching.services.facts import published_facts
from matching.store import reconfirmation
from matching.store.db import session_scope
from matching.store.models import MetaValue, Profile, utcnow
from tests.factories import bearer, create_world, profile_body


def publish(client, counsellor: dict, count: int, *, hours: int = 10) -> list[str]:
    ids = []
    for offset in range(count):
        body = profile_body(availability={"hours_min": hours + offset, "hours_max": 38, "shifts": ["day"]},
                            mobility={"postcode": ("1070", "1180", "1000", "1050")[offset % 4],
                                      "max_commute_minutes": 30 + offset, "transport": ["car"]})
        response = client.post("/v1/profiles", json=body, headers=counsellor)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


def vacancies() -> list[VacancyFacts]:
    """Vacancies asking for what the published profiles hold, near and far, at several hours."""
    with session_scope(read_only=True) as session:
        held = [skill for facts in published_facts(session)[:5] for skill in facts.skills if skill.concept_id]
    return [VacancyFacts(vacancy_id=f"v{i}", must_have=tuple(held[i:i + 1]), nice_to_have=tuple(held[i + 1:i + 3]),
                         lat=50.85, lon=4.35 + i / 10, hours_per_week=12 + 3 * i) for i in range(4)]


def rankings(index: LiveIndex, wanted: list[VacancyFacts]) -> list:
    return [index.rank(vacancy, size=1000) for vacancy in wanted]


def fresh_build() -> LiveIndex:
    with session_scope(read_only=True) as session:
        return LiveIndex().rebuild(published_facts(session))


def start_from(folder) -> index_snapshots.Started | None:
    profile_index.reset()
    with session_scope(read_only=True) as session:
        started = index_snapshots.start(session, folder)
        profile_index.current_index(session)  # catches up from the log, as the warm-up does
    return started


def current() -> LiveIndex:
    with session_scope(read_only=True) as session:
        return profile_index.current_index(session)


def test_a_process_started_from_a_snapshot_ranks_like_a_fresh_build(client, tmp_path):
    world = create_world(client)
    counsellor = bearer(world.counsellor)
    before = publish(client, counsellor, 6)
    path = index_snapshots.write(tmp_path)
    assert path is not None

    # After the snapshot: new profiles, a change, an unpublish.
    after = publish(client, counsellor, 3, hours=20)
    client.patch(f"/v1/profiles/{before[1]}", json={"mobility": {"postcode": "1050"}}, headers=counsellor)
    client.patch(f"/v1/profiles/{before[2]}", json={"published": False}, headers=counsellor)

    started = start_from(tmp_path)
    assert started is not None and started.path == path and started.behind > 0
    index = current()
    assert before[2] not in index
    assert set(after) <= index.ids()
    wanted = vacancies()
    assert rankings(index, wanted) == rankings(fresh_build(), wanted)

    # An erasure of a profile the snapshot holds, and one published after it and erased before any reader
    # looked: the snapshot is deleted at the next start, which builds from rows without either.
    assert client.delete(f"/v1/profiles/{before[0]}", headers=counsellor).status_code == 204
    fleeting = publish(client, counsellor, 1)[0]
    assert client.delete(f"/v1/profiles/{fleeting}", headers=counsellor).status_code == 204
    assert start_from(tmp_path) is None and not path.exists()
    index = current()
    assert before[0] not in index and fleeting not in index
    assert rankings(index, wanted) == rankings(fresh_build(), wanted)
    assert index.ids() == fresh_build().ids()

    # And it keeps following the log like any index.
    later = publish(client, counsellor, 1)[0]
    assert client.delete(f"/v1/profiles/{before[3]}", headers=counsellor).status_code == 204
    index = current()
    assert later in index and before[3] not in index
    assert rankings(index, wanted) == rankings(fresh_build(), wanted)


def test_a_snapshot_whose_log_was_pruned_or_foreign_is_left_aside(client, tmp_path):
    world = create_world(client)
    counsellor = bearer(world.counsellor)
    publish(client, counsellor, 2)
    assert index_snapshots.write(tmp_path) is not None
    with session_scope() as session:  # another database behind the same URL: another identity
        identity = session.get(MetaValue, index_snapshots.DATABASE_ID_KEY)
        real, identity.value = identity.value, "another-database"
    try:
        assert start_from(tmp_path) is None
    finally:
        with session_scope() as session:
            session.get(MetaValue, index_snapshots.DATABASE_ID_KEY).value = real
    assert start_from(tmp_path) is not None

    publish(client, counsellor, 2)
    publish(client, counsellor, 1)
    with session_scope() as session:
        profile_index.prune_change_log(session, before=utcnow() + timedelta(seconds=1))
    assert start_from(tmp_path) is None  # changes it never saw are gone: built from rows instead
    assert current().ids() == fresh_build().ids()


def test_after_an_erasure_the_snapshot_is_rewritten_and_the_old_one_deleted(client, tmp_path):
    world = create_world(client)
    counsellor = bearer(world.counsellor)
    erased = publish(client, counsellor, 2)[0]
    with session_scope(read_only=True) as session:
        change_key = session.get(Profile, erased).change_key
    first = index_snapshots.refresh(tmp_path)
    assert first is not None and holds(first, erased) and holds(first, change_key)
    assert index_snapshots.refresh(tmp_path) is None  # nothing changed: nothing rewritten

    assert client.delete(f"/v1/profiles/{erased}", headers=counsellor).status_code == 204
    second = index_snapshots.refresh(tmp_path)  # the keeper's next round
    assert second is not None and not first.exists()
    assert index_snapshot.candidates(tmp_path) == [second]
    assert not any(holds(path, erased) or holds(path, change_key) for path in tmp_path.rglob("*") if path.is_file())
    with session_scope(read_only=True) as session:
        matchable = set(session.exec(select(Profile.id).where(reconfirmation.matchable())))
    opened = index_snapshot.read(second, key=snapshot_key())
    assert {bytes(i).decode() for i in opened.groups["index"]["profile_ids_"]} == matchable


def holds(path, text: str) -> bool:
    if path.is_dir():
        return any(holds(p, text) for p in path.iterdir())
    raw = path.read_bytes()
    return text.encode() in raw or text.encode("utf-32-le") in raw


def snapshot_key() -> str:
    with session_scope(read_only=True) as session:
        return index_snapshots.snapshot_key(session)


def test_while_another_process_writes_a_snapshot_a_writer_skips_its_round(client, tmp_path):
    with index_snapshot.writer_lock(tmp_path) as mine:  # as another worker of the machine would hold it
        assert mine
        assert index_snapshots.write(tmp_path) is None
    assert index_snapshots.write(tmp_path) is not None


def test_an_erasure_deletes_every_snapshot_that_holds_the_person_at_once(client, tmp_path):
    """Without waiting for the keeper's next rewrite: a snapshot written before an erasure is deleted at the
    next check (every few seconds, at a worker's start and stop); a snapshot after it, or a mere publish, stays."""
    world = create_world(client)
    counsellor = bearer(world.counsellor)
    erased, kept = publish(client, counsellor, 2)
    before = index_snapshots.refresh(tmp_path)
    assert before is not None and holds(before, erased)
    publish(client, counsellor, 1)
    assert index_snapshots.forget_erased(tmp_path) == 0 and before.exists()  # a publish is no erasure

    assert client.delete(f"/v1/profiles/{erased}", headers=counsellor).status_code == 204
    assert index_snapshots.forget_erased(tmp_path) == 1
    assert not before.exists() and index_snapshot.candidates(tmp_path) == []
    assert not any(holds(path, erased) for path in tmp_path.rglob("*") if path.is_file())

    after = index_snapshots.refresh(tmp_path)  # the keeper's next round writes one without the person
    assert after is not None and holds(after, kept) and not holds(after, erased)
    assert index_snapshots.forget_erased(tmp_path) == 0 and after.exists()
