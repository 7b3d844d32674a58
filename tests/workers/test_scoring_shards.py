"""Two scoring shards on two worker processes give a shortlist the single index's answer, exactly."""

from __future__ import annotations

import pytest
from sqlmodel import select

from matching.ranking.shards import FetchMore, ShardAnswers, shard_of
from matching.services import profile_index, ranking_runs
from matching.store.db import session_scope
from matching.store.models import Shortlist, ShortlistItem, Vacancy
from matching.store.models_oversight import ShortlistRun, ShortlistRunCandidate
from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.processes import api_server, service_env, shortlist_row, wait_until, worker
from workers.queues import BACKGROUND_SUFFIX, shard_queue

pytestmark = pytest.mark.e2e

TIED = 32  # profiles alike (one score), so that a shortlist of 1 holds a band of ties longer than a first fetch


def lesser_profile(index: int) -> dict:
    """A profile scoring at most as well as the usual one (a lower skill level or weaker evidence)."""
    body = profile_body()
    body["skills"][0] = {"label": "nettoyage de bureaux", "level": ("basic", "intermediate")[index % 2],
                         "evidence": ("self_declared", "observed")[index // 2 % 2]}
    return body


def publish(api, world, body: dict) -> str:
    response = api.http.post("/v1/profiles", json=body, headers=bearer(world.counsellor))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def request(api, world, vacancy_id: str, *, size: int) -> str:
    accepted = api.http.post(f"/v1/vacancies/{vacancy_id}/shortlists", json={"size": size},
                             headers=bearer(world.liaison))
    assert accepted.status_code == 202, accepted.text
    shortlist_id = accepted.json()["id"]
    row = wait_until(lambda: (r := shortlist_row(shortlist_id)).status in ("ready", "failed") and r,
                     timeout=300, what=f"shortlist {shortlist_id}")
    assert row.status == "ready", row.error
    return shortlist_id


def single_index_answer(shortlist_id: str) -> tuple[list, list[tuple[str, float]]]:
    """The shortlist computed in this process with one index of every profile: the same services, seed,
    settings and exposure counts the sharded run recorded (what a replay does)."""
    profile_index.reset()
    with session_scope(read_only=True) as session:
        shortlist = session.get(Shortlist, shortlist_id)
        run = session.get(ShortlistRun, shortlist_id)
        considered = session.exec(select(ShortlistRunCandidate).where(
            ShortlistRunCandidate.shortlist_id == shortlist_id).order_by(ShortlistRunCandidate.position)).all()
        result = ranking_runs.run(session, shortlist, seed=run.seed, settings=run.settings, paused=False,
                                  exposure={c.profile_id: c.exposure for c in considered})
    return result.candidates, [(c.profile_id, c.score) for c in result.considered]


def shard_rounds(shortlist_id: str) -> int:
    """How many times the merge must ask the shards for this shortlist, worked out in this process with
    two shard indexes of its own (the same services the workers run)."""
    profile_index.reset()
    with session_scope(read_only=True) as session:
        shortlist = session.get(Shortlist, shortlist_id)
        run = session.get(ShortlistRun, shortlist_id)
        vacancy = session.get(Vacancy, shortlist.vacancy_id)
        rankers = [ranking_runs.index_ranker(session, vacancy, qualified_only=False, shard=(k, 2)) for k in (0, 1)]
        fetch: int | None = ranking_runs.first_fetch(run.settings, paused=False)
        min_score = run.settings["min_score"]
        for rounds in range(1, 10):
            answers = ShardAnswers([ranker(fetch, min_score) for ranker in rankers], fetched=fetch,
                                   min_score=min_score)
            try:
                ranking_runs.run(session, shortlist, seed=run.seed, settings=run.settings, paused=False,
                                 ranker=answers)
                return rounds
            except FetchMore as more:
                fetch, min_score = more.size, more.min_score
    raise AssertionError("the shards were asked more than 9 times")


def stored_items(shortlist_id: str) -> list[tuple]:
    with session_scope(read_only=True) as session:
        items = session.exec(select(ShortlistItem).where(ShortlistItem.shortlist_id == shortlist_id)
                             .order_by(ShortlistItem.rank)).all()
        return [(i.profile_id, i.score, i.breakdown, i.explanation, i.commute_minutes) for i in items]


def recorded_considered(shortlist_id: str) -> list[tuple]:
    with session_scope(read_only=True) as session:
        rows = session.exec(select(ShortlistRunCandidate).where(ShortlistRunCandidate.shortlist_id == shortlist_id)
                            .order_by(ShortlistRunCandidate.position)).all()
        return [(c.profile_id, c.score) for c in rows]


def assert_single_answer(shortlist_id: str) -> None:
    candidates, considered = single_index_answer(shortlist_id)
    expected = [(c.profile_id, c.score, c.breakdown, c.explanation, c.commute_minutes) for c in candidates]
    assert stored_items(shortlist_id) == expected  # the same items, scores, order and explanations
    assert recorded_considered(shortlist_id) == considered  # the same band at the cut, in the same order


def shard_logs(shard_worker, shortlist_id: str) -> list[dict]:
    return [line for line in shard_worker.log_lines()
            if line.get("message") == "shard scored" and line.get("shortlist_id") == shortlist_id]


def test_two_shards_on_two_workers_answer_as_one_index(fresh_pg, redis_url, queue, tmp_path):
    env = service_env(BLINDMATCH_QUEUE=queue, BLINDMATCH_SCORING_SHARDS=2, REDIS_URL=redis_url)
    with api_server(tmp_path / "api.log", env) as api:
        world = create_world(api.http)
        bodies = [profile_body() for _ in range(TIED)] + [lesser_profile(index) for index in range(8)]
        profile_ids = [publish(api, world, body) for body in bodies]
        vacancy = api.http.post("/v1/vacancies", json=vacancy_body(employer_id=world.employer_id),
                                headers=bearer(world.liaison))
        assert vacancy.status_code == 201, vacancy.text
        vacancy_id = vacancy.json()["id"]
        held = {k: {p for p in profile_ids if shard_of(p, 2) == k} for k in (0, 1)}
        assert held[0] and held[1]

        # The ordinary worker takes shortlists (it sends the chord and merges); each shard worker only
        # its shard's queue, and so loads only its shard's profiles.
        with (worker(tmp_path / "worker.log", env, queues=[queue, queue + BACKGROUND_SUFFIX]) as ordinary,
              worker(tmp_path / "shard-0.log", env, queues=[shard_queue(queue, 0)]) as shard0,
              worker(tmp_path / "shard-1.log", env, queues=[shard_queue(queue, 1)]) as shard1):
            shards = (shard0, shard1)
            for k, w in enumerate(shards):
                warm = wait_until(lambda w=w: [x for x in w.log_lines() if x.get("message", "").startswith(
                    "worker warm")], timeout=240, what=w.tail())
                assert warm[0]["profiles"] == len(held[k])

            # A shortlist of 10 among 40 profiles, and one of 1 whose band of ties runs past what each
            # shard sent first (12 each): then the merge asks the shards a second time.
            for size in (10, 1):
                shortlist_id = request(api, world, vacancy_id, size=size)
                assert_single_answer(shortlist_id)
                for k, w in enumerate(shards):
                    (*_, last) = shard_logs(w, shortlist_id)
                    assert last["indexed"] == len(held[k])
                assert any(line.get("message") == "shortlist sent to the scoring shards"
                           for line in ordinary.log_lines())
                rounds = shard_rounds(shortlist_id)
                assert [len(shard_logs(w, shortlist_id)) for w in shards] == [rounds, rounds]
            # The 32 ties fill every place a first fetch brings (12 from each shard, one of them full):
            # the band at the shortlist's cut went on, and the merge asked the shards again.
            assert rounds >= 2

            # Published after the workers started: it joins its own shard's index, and the shortlist.
            newcomer = publish(api, world, lesser_profile(0))
            home = shard_of(newcomer, 2)
            shortlist_id = request(api, world, vacancy_id, size=50)  # everyone eligible
            assert newcomer in {item[0] for item in stored_items(shortlist_id)}
            assert_single_answer(shortlist_id)
            indexed = [shard_logs(w, shortlist_id)[-1]["indexed"] for w in shards]
            assert indexed[home] == len(held[home]) + 1 and indexed[1 - home] == len(held[1 - home])

            replayed = api.http.post(f"/v1/shortlists/{shortlist_id}/replay", headers=bearer(world.liaison))
            assert replayed.status_code == 200 and replayed.json()["identical"], replayed.text


def test_a_shard_nobody_scores_fails_the_shortlist_and_its_late_answer_changes_nothing(
        fresh_pg, redis_url, queue, tmp_path):
    # Short limits: the reconciler (every worker's maintenance loop) finds the shortlist running too long.
    env = service_env(BLINDMATCH_QUEUE=queue, BLINDMATCH_SCORING_SHARDS=2, REDIS_URL=redis_url,
                      BLINDMATCH_TASK_TIME_LIMIT=5, BLINDMATCH_RUNNING_TIMEOUT=6, BLINDMATCH_MAX_ATTEMPTS=2,
                      BLINDMATCH_MAINTENANCE_INTERVAL=0.5)
    with api_server(tmp_path / "api.log", env) as api:
        world = create_world(api.http)
        for _ in range(3):
            publish(api, world, profile_body())
        vacancy = api.http.post("/v1/vacancies", json=vacancy_body(employer_id=world.employer_id),
                                headers=bearer(world.liaison))
        vacancy_id = vacancy.json()["id"]
        with (worker(tmp_path / "worker.log", env, queues=[queue, queue + BACKGROUND_SUFFIX]) as ordinary,
              worker(tmp_path / "shard-0.log", env, queues=[shard_queue(queue, 0)])):
            accepted = api.http.post(f"/v1/vacancies/{vacancy_id}/shortlists", json={},
                                     headers=bearer(world.liaison))
            shortlist_id = accepted.json()["id"]
            # No worker on shard 1: the chord never completes; the shortlist is sent again, then failed.
            failed = wait_until(lambda: (r := shortlist_row(shortlist_id)).status != "running"
                                and r.status != "queued" and r, timeout=300, what=ordinary.tail())
            assert failed.status == "failed" and "interrupted 2 times" in failed.error, failed.error

            # A shard-1 worker at last: it answers both attempts' tasks, and the merges leave the decision.
            with worker(tmp_path / "shard-1.log", env, queues=[shard_queue(queue, 1)]):
                wait_until(lambda: len([line for line in ordinary.log_lines()
                                        if line.get("message") == "shortlist: nothing to do for this merge"]) == 2,
                           timeout=300, what=ordinary.tail())
            assert shortlist_row(shortlist_id).status == "failed"
