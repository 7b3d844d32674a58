"""Stuck work is recovered, deliveries never overlap, time limits are checked, errors before commit send nothing.

These run the services in this process, each test on a fresh SQLite database; the live tests next to
them show the same mechanisms with real worker processes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from matching.settings import Settings
from matching.store.models import OutboxMessage, Shortlist, utcnow
from tests.conftest import use_database
from tests.factories import bearer, create_world, vacancy_body


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A migrated database, copied for each test: the reconciler looks at every shortlist there is."""
    from matching.services.bootstrap import prepare_database
    from matching.store.db import get_engine

    path = tmp_path_factory.mktemp("recovery") / "template.db"
    use_database(f"sqlite:///{path}")
    prepare_database()
    get_engine().dispose()  # the last connection checkpoints the WAL into the file
    use_database(None)
    return path


@pytest.fixture
def client(template, tmp_path, redis_url):
    from fastapi.testclient import TestClient

    from api.app import app

    shutil.copy(template, tmp_path / "recovery.db")
    use_database(f"sqlite:///{tmp_path / 'recovery.db'}")
    with TestClient(app) as http:
        yield http
    use_database(None)


@pytest.fixture
def world(client):
    return create_world(client)


def new_shortlist(client, world) -> str:
    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()
    response = client.post(
        f"/v1/vacancies/{vacancy['id']}/shortlists",
        json={},
        headers={**bearer(world.liaison), "X-Request-ID": "req-recovery"},
    )
    assert response.status_code == 202, response.text
    from workers.dispatch import relay_pending

    relay_pending()  # sent, as a worker's relay loop would (no worker consumes here)
    return response.json()["id"]


def change(shortlist_id: str, **fields) -> None:
    from matching.store.db import session_scope

    with session_scope() as session:
        row = session.get(Shortlist, shortlist_id)
        for name, value in fields.items():
            setattr(row, name, value)
        session.add(row)


def row(shortlist_id: str) -> Shortlist:
    from matching.store.db import session_scope

    with session_scope(read_only=True) as session:
        return session.get(Shortlist, shortlist_id)


def pending_for(shortlist_id: str) -> list[OutboxMessage]:
    from matching.store.db import session_scope

    with session_scope(read_only=True) as session:
        messages = session.exec(select(OutboxMessage).where(OutboxMessage.sent_at == None)).all()  # noqa: E711
        return [m for m in messages if m.args == [shortlist_id]]


def reconcile(now):
    from matching.services import shortlist_runs
    from matching.store.db import session_scope

    with session_scope() as session:
        return shortlist_runs.reconcile(
            session, queued_timeout=600, running_timeout=660, max_attempts=3, now=now
        )


def test_stuck_shortlists_are_sent_again_then_failed_with_a_reason(client, world):
    lost = new_shortlist(client, world)  # its message never reached a worker
    dead = new_shortlist(client, world)  # its worker died mid-task
    fresh = new_shortlist(client, world)  # queued a moment ago: left alone
    hour_ago = utcnow() - timedelta(hours=1)
    change(lost, queued_at=hour_ago)
    change(dead, status="running", attempts=1, task_id="ob_dead", started_at=hour_ago)

    done = reconcile(utcnow())
    assert sorted(done.resent) == sorted([lost, dead]) and done.failed == []
    for shortlist_id in (lost, dead):
        assert (row(shortlist_id).status, row(shortlist_id).requeues) == ("queued", 1)
        (message,) = pending_for(shortlist_id)
        assert message.headers == {"request_id": "req-recovery"}  # the logs still follow the first request
    assert (row(fresh).status, row(fresh).requeues) == ("queued", 0)

    # Still nobody takes them: each round past the timeout sends them again, then gives up.
    for round_ in (2, 3, 4):
        done = reconcile(utcnow() + timedelta(hours=round_))
    assert set(done.failed) >= {lost, dead}
    body = client.get(f"/v1/shortlists/{lost}", headers=bearer(world.liaison)).json()
    assert body["status"] == "failed"
    assert body["error"].startswith("No worker took this shortlist up in") and "4 sendings" in body["error"]
    assert "ask for a new shortlist" in body["error"].lower()
    assert row(lost).finished_at is not None


def test_a_backlog_is_left_alone_and_a_lost_message_is_found(client, world):
    now = utcnow()
    waiting = new_shortlist(client, world)  # behind a busy worker for 20 minutes
    busy = new_shortlist(client, world)
    change(waiting, queued_at=now - timedelta(minutes=20))
    change(busy, status="running", task_id="ob_busy", queued_at=now - timedelta(minutes=30),
           started_at=now - timedelta(minutes=1))
    assert reconcile(now).resent == []  # the workers are busy and nothing queued after it started: a backlog

    # A shortlist queued after it has started: first in, first out, so the waiting one's message is lost.
    later = new_shortlist(client, world)
    change(later, status="ready", queued_at=now - timedelta(minutes=15), started_at=now - timedelta(minutes=2))
    assert reconcile(now).resent == [waiting]
    assert row(waiting).requeues == 1


def test_a_shortlist_interrupted_too_often_is_failed(client, world):
    shortlist_id = new_shortlist(client, world)
    change(shortlist_id, status="running", attempts=3, started_at=utcnow() - timedelta(hours=1))
    assert reconcile(utcnow()).failed == [shortlist_id]
    body = client.get(f"/v1/shortlists/{shortlist_id}", headers=bearer(world.liaison)).json()
    assert body["status"] == "failed"
    assert body["error"].startswith("The scoring was interrupted 3 times before it finished.")


def test_deliveries_of_one_shortlist_never_overlap(client, world):
    from matching.services import shortlist_runs, shortlists
    from matching.services.profile_index import reset
    from matching.store.db import session_scope

    def start(task_id: str):
        with session_scope() as session:
            started = shortlist_runs.start(session, shortlist_id, task_id=task_id, max_attempts=3, stale_after=660)
            return started.attempts if started else None

    shortlist_id = new_shortlist(client, world)
    assert start("ob_a") == 1
    assert start("ob_b") is None  # another message (a duplicate send) while ob_a works on it
    assert start("ob_a") == 2  # ob_a's own message again: its worker died, the broker redelivered it
    reset()  # this process's profile index may hold another test database's profiles
    with session_scope() as session:
        shortlists.compute(session, shortlist_id)
    assert start("ob_a") is None and start("ob_c") is None  # finished: late duplicates do nothing
    assert (row(shortlist_id).status, row(shortlist_id).attempts) == ("ready", 2)

    poisoned = new_shortlist(client, world)  # a shortlist whose scoring killed its worker three times
    change(poisoned, status="running", attempts=3, task_id="ob_p")
    with session_scope() as session:
        assert shortlist_runs.start(session, poisoned, task_id="ob_p", max_attempts=3, stale_after=660) is None
    assert row(poisoned).status == "failed" and "interrupted 3 times" in row(poisoned).error


def test_task_time_limits_stay_below_the_visibility_timeout():
    from workers.app import ConfigurationError, check_time_limits, soft_time_limit

    redis = "redis://127.0.0.1:6379/0"
    check_time_limits(Settings(redis_url=redis))  # the defaults: 600 s, visibility 1200 s, reconciler 660 s
    assert soft_time_limit(Settings(task_time_limit=600)) == 570
    assert soft_time_limit(Settings(task_time_limit=8)) == 7
    with pytest.raises(ConfigurationError, match="visibility timeout"):
        check_time_limits(Settings(redis_url=redis, task_time_limit=300, broker_visibility_timeout=300))
    with pytest.raises(ConfigurationError, match="RUNNING_TIMEOUT"):
        check_time_limits(Settings(redis_url=redis, task_time_limit=300, running_timeout=200))

    # Checked when a process starts: the worker (and the API, which sends tasks) refuse to run.
    result = subprocess.run(
        [sys.executable, "-c", "import workers.app"],
        env={"PATH": "/usr/bin:/bin", "REDIS_URL": redis, "BLINDMATCH_TASK_TIME_LIMIT": "900",
             "BLINDMATCH_BROKER_VISIBILITY_TIMEOUT": "600"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "must stay below the broker's visibility timeout" in result.stderr


def test_an_error_before_commit_sends_nothing(client, world, redis_url):
    import redis

    from api.deps import get_session
    from matching.schemas.resources import ShortlistRequest
    from matching.services import shortlists
    from matching.services.accounts import authenticate
    from matching.settings import get_settings
    from matching.store.db import session_scope
    from workers.dispatch import relay_pending

    broker = redis.Redis.from_url(redis_url)
    queue = get_settings().queue
    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer)).json()

    def request(fail: bool) -> str:
        scope = get_session()
        session = next(scope)
        actor = authenticate(session, world.liaison)
        shortlist_id = shortlists.request_shortlist(session, actor, vacancy["id"], payload=ShortlistRequest()).id
        if fail:
            with pytest.raises(RuntimeError):
                scope.throw(RuntimeError("the request failed after the shortlist was recorded"))
        else:
            with pytest.raises(StopIteration):
                next(scope)
        return shortlist_id

    before = broker.llen(queue)
    failed = request(fail=True)
    relay_pending()  # what every worker's relay loop does a few times a second
    assert broker.llen(queue) == before
    with session_scope(read_only=True) as session:
        assert session.get(Shortlist, failed) is None
    assert pending_for(failed) == []

    sent = request(fail=False)
    assert pending_for(sent) != []  # the API only records the message ...
    relay_pending()  # ... the relay sends it
    assert broker.llen(queue) == before + 1
    with session_scope(read_only=True) as session:
        messages = [m for m in session.exec(select(OutboxMessage)).all() if m.args == [sent]]
    assert len(messages) == 1 and messages[0].sent_at is not None


def test_a_failed_scoring_shard_retries_the_attempt_then_fails_the_shortlist(client, world, redis_url):
    # The merge of the scoring shards (workers/shard_tasks.py), run here on the answers a shard worker sends:
    # a shard answers its error instead of raising, so the merge always runs and decides.
    import redis

    from matching.settings import get_settings
    from workers.shard_tasks import merge_shards

    broker = redis.Redis.from_url(redis_url)
    queue = get_settings().queue
    failed_shard = [{"shard": 0, "candidates": []}, {"shard": 1, "error": "OperationalError"}]

    shortlist_id = new_shortlist(client, world)
    change(shortlist_id, status="running", attempts=1, started_at=utcnow())
    before = broker.llen(queue)
    merge_shards(failed_shard, shortlist_id, 1, 12, 0.0)
    assert row(shortlist_id).status == "queued"  # and a new shortlist.compute is on its way (attempt 2)
    assert broker.llen(queue) == before + 1

    change(shortlist_id, status="running", attempts=3)
    merge_shards(failed_shard, shortlist_id, 3, 12, 0.0)
    failed = row(shortlist_id)
    assert failed.status == "failed" and failed.error.startswith(
        "Scoring failed 3 times (a scoring shard: OperationalError)")
    # The other shard's late answer (its chord of an earlier attempt) changes nothing.
    merge_shards([{"shard": 0, "candidates": []}, {"shard": 1, "candidates": []}], shortlist_id, 2, 12, 0.0)
    assert row(shortlist_id).status == "failed"

    slow = new_shortlist(client, world)
    change(slow, status="running", attempts=1, started_at=utcnow())
    merge_shards([{"shard": 0, "error": "time_limit"}, {"shard": 1, "candidates": []}], slow, 1, 12, 0.0)
    assert row(slow).status == "failed" and row(slow).error.startswith("Scoring took too long")


def test_scoring_shards_need_redis_and_a_result_backend():
    from workers.app import ConfigurationError, check_shards, result_options

    check_shards(Settings())  # one shard, the embedded default: no result backend at all
    assert result_options(Settings()) == {}
    with pytest.raises(ConfigurationError, match="needs REDIS_URL"):
        check_shards(Settings(scoring_shards=2, redis_url=None))
    redis = "redis://127.0.0.1:6379/0"
    check_shards(Settings(scoring_shards=2, redis_url=redis))
    assert result_options(Settings(scoring_shards=2, redis_url=redis))["result_backend"] == redis
