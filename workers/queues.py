"""Interactive work first: a worker takes from the interactive queue whenever it holds a message.

Shortlists (a liaison waits for them) go to the configured queue, background tasks (a profile or a
vacancy scored for opportunities, retention) to `<queue>.background`. Both brokers hand messages out in
that order, instead of kombu's default round robin over the queues a worker consumes:
- Redis: the queue-order strategy below lists the interactive queue first in every BRPOP;
- the embedded broker (kombu's filesystem transport): a channel whose cycle tries the interactive queue
  first on every poll.
A background backlog therefore delays a shortlist by at most the one background task already running.
"""

from __future__ import annotations

from kombu.transport import filesystem
from kombu.utils.scheduling import FairCycle, priority_cycle

BACKGROUND_SUFFIX = ".background"


def interactive_first(queues: list[str]) -> list[str]:
    """The queues in the order to take from: background ones last."""
    return sorted(queues, key=lambda queue: (queue.endswith(BACKGROUND_SUFFIX), queue))


class InteractiveFirstOrder(priority_cycle):
    """Redis' queue order (`queue_order_strategy`): interactive queues first, never rotated."""

    def consume(self, n: int) -> list[str]:
        return interactive_first(self.items[:n])


class InteractiveFirstCycle(FairCycle):
    """The embedded broker's poll: the interactive queues first on every get, then the background ones."""

    def get(self, callback, **kwargs):
        for queue in interactive_first(list(self.resources)):
            try:
                return self.fun(queue, callback, **kwargs)
            except self.predicate:
                continue
        raise self.predicate()


class EmbeddedChannel(filesystem.Channel):
    def _reset_cycle(self) -> None:
        self._cycle = InteractiveFirstCycle(self._get_and_deliver, self._active_queues, filesystem.Empty)


class EmbeddedTransport(filesystem.Transport):
    """kombu's filesystem transport, interactive queues first."""

    Channel = EmbeddedChannel


# Scoring shards (BLINDMATCH_SCORING_SHARDS=N, matching/ranking/shards.py): shard k's tasks wait in `<queue>.shard-k`.
# A shard worker consumes that queue alone, so its process holds only shard k's index: taking shortlists or
# background tasks too would make it load every profile as well, which sharding is there to avoid.
SHARD_SUFFIX = ".shard-"


def shard_queue(queue: str, shard: int) -> str:
    return f"{queue}{SHARD_SUFFIX}{shard}"


def indexes_for(consumed: list[str] | None, *, queue: str, shards: int) -> list[tuple[int, int] | None]:
    """The profile indexes a worker consuming these queues needs (None: the whole population's), to load
    them before its first task: its shards' for shard queues, the whole one for any other queue."""
    if not consumed:
        return [None]
    needed: list[tuple[int, int] | None] = []
    for name in consumed:
        prefix, found, number = name.rpartition(SHARD_SUFFIX)
        index = (int(number), shards) if found and prefix == queue and number.isdigit() else None
        if index not in needed:
            needed.append(index)
    return needed
