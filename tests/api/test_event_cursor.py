"""A system following the feed with `after=next` misses nothing while writers commit concurrently on PostgreSQL,
where a sequence number is drawn at insert and becomes visible only at commit (possibly after a larger one)."""

from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import event
from sqlmodel import Session

from tests.conftest import fresh_postgres_database, use_database
from tests.factories import bearer, create_world, profile_body
from tests.live import live_api

PHASES = ["training", "job_search", "internship", "follow_up"]


@pytest.fixture
def slow_commits():
    """Each transaction waits a little before it commits, widening the window in which a later cursor could
    become visible before an earlier one."""

    def wait(_session) -> None:
        time.sleep(random.uniform(0, 0.03))

    event.listen(Session, "before_commit", wait)
    yield
    event.remove(Session, "before_commit", wait)


def test_a_reader_following_the_feed_misses_no_event_while_writers_commit(redis_url, slow_commits):
    from matching.services.bootstrap import prepare_database

    with fresh_postgres_database("cursor") as url:
        use_database(url)
        prepare_database()
        try:
            with live_api() as http:
                world = create_world(http)
                counsellor = bearer(world.counsellor)
                ids = []
                for _ in range(4):
                    created = http.post("/v1/profiles", json=profile_body(), headers=counsellor)
                    assert created.status_code == 201, created.text
                    ids.append(created.json()["id"])
                seen: list[str] = []
                writing = threading.Event()
                writing.set()

                def read_on() -> None:
                    after = 0
                    while True:
                        done = not writing.is_set()  # read once more after the writers finished
                        page = http.get("/v1/events", params={"after": after}, headers=counsellor).json()
                        seen.extend(item["id"] for item in page["items"])
                        after = page["next"]
                        if done and not page["items"]:
                            return

                def write(profile_id: str) -> None:
                    for phase in PHASES * 3:
                        changed = http.post(f"/v1/profiles/{profile_id}/phase", json={"phase": phase},
                                            headers=counsellor)
                        assert changed.status_code == 200, changed.text

                reader = threading.Thread(target=read_on)
                writers = [threading.Thread(target=write, args=(profile_id,)) for profile_id in ids]
                reader.start()
                for thread in writers:
                    thread.start()
                for thread in writers:
                    thread.join()
                writing.clear()
                reader.join(timeout=120)
                everything = http.get("/v1/events", params={"limit": 500}, headers=counsellor).json()["items"]
            assert len(everything) == 4 + 4 * len(PHASES) * 3
            assert seen == [item["id"] for item in everything]
        finally:
            use_database(None)
