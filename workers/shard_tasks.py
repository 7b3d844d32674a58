"""Sharded scoring (BLINDMATCH_SCORING_SHARDS=N > 1): a shortlist is a chord over the shard queues.

shortlist.compute starts the attempt (shortlist_runs.start), then sends one `shortlist.score_shard` per
shard to `<queue>.shard-k`, where only shard k's workers listen, each holding shard k's profiles alone;
the chord's callback, `shortlist.merge_shards`, runs on an ordinary worker: it merges the shards' answers
exactly, orders them as shortlists.score always does (fair draw, exposure counts read from the database,
qualified_only and min_score applied by every shard) and stores the shortlist.

Failures keep the single scoring's semantics: a shard that fails answers with its error instead of
raising, so the callback always runs and puts the shortlist back in the queue (a new shortlist.compute,
a new attempt) or fails it after BLINDMATCH_MAX_ATTEMPTS; a shard at its time limit fails the shortlist
as a scoring at its time limit does. A shard worker that dies mid-task has its message redelivered
(acks_late); a chord that never completes (no worker on a shard queue) leaves the shortlist running past
BLINDMATCH_RUNNING_TIMEOUT, and the reconciler sends it again or fails it, as for a dead worker.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import chord
from celery.exceptions import SoftTimeLimitExceeded

from matching.logs import current_request_id
from matching.ranking.shards import FetchMore, ShardAnswers, from_message, to_message
from matching.services import sharded_scoring, shortlists
from matching.services.sharded_scoring import ShardAsk
from matching.settings import get_settings
from matching.store.db import session_scope
from workers.app import celery_app, queue_for
from workers.attempts import ShardFailed, ShardTimeLimit, attempt_shortlist
from workers.queues import shard_queue

log = logging.getLogger("blindmatch.tasks")
TIME_LIMIT = "time_limit"


def fan_out(shortlist_id: str, *, attempt: int, ask: ShardAsk | None = None) -> None:
    """Send every shard its scoring task, with the merge as the chord's callback (`ask`: a later round)."""
    if ask is None:
        with session_scope(read_only=True) as session:
            ask = sharded_scoring.first_ask(session, shortlist_id)
        if ask is None:
            return
    settings = get_settings()
    shards = settings.scoring_shards
    # The request id travels with every message, so the shards' log lines name the liaison's request.
    headers = {"request_id": current_request_id()} if current_request_id() else {}
    header = [
        score_shard.si(shortlist_id, shard, shards, ask.fetch, ask.min_score).set(
            queue=shard_queue(settings.queue, shard), headers=headers
        )
        for shard in range(shards)
    ]
    merge = merge_shards.s(shortlist_id, attempt, ask.fetch, ask.min_score).set(queue=settings.queue, headers=headers)
    chord(header)(merge)
    log.info("shortlist sent to the scoring shards", extra={
        "shortlist_id": shortlist_id, "attempt": attempt, "shards": shards, "fetch": ask.fetch})


# The answer goes to the result backend (Redis), where the chord collects it: unlike every other task.
@celery_app.task(name="shortlist.score_shard", ignore_result=False)
def score_shard(shortlist_id: str, shard: int, shards: int, fetch: int | None, min_score: float) -> dict[str, Any]:
    """This shard's best `fetch` candidates for the shortlist, explained; an error is answered, not raised."""
    ask = ShardAsk(fetch, min_score)
    context = {"shortlist_id": shortlist_id, "shard": shard, "shards": shards}
    try:
        with session_scope(read_only=True) as session:
            answer = sharded_scoring.rank_shard(session, shortlist_id, shard=(shard, shards), ask=ask)
    except SoftTimeLimitExceeded:
        log.error("shard stopped at the time limit", extra=context)
        return {"shard": shard, "error": TIME_LIMIT}
    except Exception as exc:
        log.exception("shard scoring failed", extra=context)
        return {"shard": shard, "error": type(exc).__name__}
    if answer is None:  # decided meanwhile (ready, or failed): the merge does nothing either
        log.info("shard: nothing to do for this shortlist", extra=context)
        return {"shard": shard, "candidates": []}
    log.info("shard scored", extra={**context, "indexed": answer.indexed, "returned": len(answer.candidates)})
    return {"shard": shard, "candidates": to_message(answer.candidates)}


@celery_app.task(name="shortlist.merge_shards")
def merge_shards(
    answers: list[dict[str, Any]], shortlist_id: str, attempt: int, fetch: int | None, min_score: float
) -> None:
    """Merge the shards' answers, order and store the shortlist; a failed shard retries the attempt."""
    context = {"shortlist_id": shortlist_id, "attempt": attempt}
    with session_scope(read_only=True) as session:
        if sharded_scoring.finished(session, shortlist_id):
            log.info("shortlist: nothing to do for this merge", extra=context)
            return

    def merge_and_store() -> None:
        errors = sorted({answer["error"] for answer in answers if "error" in answer})
        if TIME_LIMIT in errors:
            raise ShardTimeLimit()
        if errors:
            raise ShardFailed(", ".join(errors))
        merged = ShardAnswers([from_message(a["candidates"]) for a in answers], fetched=fetch, min_score=min_score)
        try:
            with session_scope(read_only=True) as session:
                ranked = shortlists.score(session, shortlist_id, ranker=merged)
        except FetchMore as more:
            # The band at the shortlist's cut goes on past what the shards sent: ask them again for more.
            fan_out(shortlist_id, attempt=attempt, ask=ShardAsk(more.size, more.min_score))
            return
        if ranked is not None:
            with session_scope() as session:
                shortlists.store(session, shortlist_id, ranked)
        log.info("shortlist ready", extra={**context, "shards": len(answers)})

    def again(exc: Exception) -> None:
        # Back in the queue (attempt_shortlist did that): a new shortlist.compute starts the next attempt.
        # Should this send fail, the reconciler re-sends the queued shortlist.
        celery_app.send_task(shortlists.COMPUTE_TASK, args=[shortlist_id], countdown=2**attempt,
                             queue=queue_for(shortlists.COMPUTE_TASK))

    attempt_shortlist(shortlist_id, attempt=attempt, context=context, work=merge_and_store, again=again)
