"""One attempt at a shortlist, wherever its work runs (shortlist.compute, or the merge of the scoring
shards): on an error it goes back to the queue and is tried again, until the attempts run out; then it
fails with a reason the liaison can read. Stopped at the time limit, it fails at once."""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery.exceptions import SoftTimeLimitExceeded

from matching.services import shortlist_runs
from matching.settings import get_settings
from matching.store.db import session_scope

log = logging.getLogger("blindmatch.tasks")


class ShardTimeLimit(Exception):
    """A scoring shard stopped at its time limit: the shortlist fails as a single scoring would."""


class ShardFailed(Exception):
    """A scoring shard answered with an error (named by its exception's class): this attempt failed."""


def _cause(exc: Exception) -> str:
    return f"a scoring shard: {exc}" if isinstance(exc, ShardFailed) else type(exc).__name__


def attempt_shortlist(
    shortlist_id: str,
    *,
    attempt: int,
    context: dict,
    work: Callable[[], None],
    again: Callable[[Exception], None],
) -> None:
    """Run one attempt's work; on an error, retry through `again` (after putting the shortlist back in the
    queue) until the attempts run out, then fail it with a reason the liaison can read."""
    settings = get_settings()
    try:
        work()
    except (SoftTimeLimitExceeded, ShardTimeLimit):
        with session_scope() as session:
            shortlist_runs.fail(
                session, shortlist_id, reason="Scoring took too long; ask for a smaller shortlist or try again later."
            )
        log.error("shortlist stopped at the time limit", extra={**context, "attempt": attempt})
    except Exception as exc:
        log.exception("shortlist failed", extra={**context, "attempt": attempt})
        if attempt >= settings.max_attempts:
            with session_scope() as session:
                shortlist_runs.fail(
                    session,
                    shortlist_id,
                    reason=f"Scoring failed {attempt} times ({_cause(exc)}); the team can read why in the "
                    "logs. Ask for a new shortlist later.",
                )
            return
        with session_scope() as session:
            shortlist_runs.back_to_queue(session, shortlist_id)
        again(exc)
