"""Scoring shards: profiles split by id over N indexes, and the exact merge of their partial rankings.

With BLINDMATCH_SCORING_SHARDS=N each shard worker indexes only its own profiles and returns its own top
k for a shortlist; the merge sorts the union by (score descending, profile id) and keeps k. That is the
single index's answer exactly: a profile's score depends on that profile alone (matching/ranking/live_index.py),
each global top-k member is in its own shard's top k, and both orders break ties by profile id.

A pure module: the workers fan out and collect, matching/services/ranking_runs.py orders what is merged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from itertools import chain
from typing import Any

from matching.ranking.scoring import ScoredCandidate

Shard = tuple[int, int]  # (this shard, how many): an index of the profiles with shard_of(id, n) == k


def shard_of(profile_id: str, shards: int) -> int:
    """The shard a profile belongs to: stable across processes, machines and Python versions.

    Not hash(): Python salts it per process (PYTHONHASHSEED), so two workers would disagree.
    """
    if shards <= 1:
        return 0
    digest = hashlib.blake2b(profile_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def in_shard(profile_id: str, shard: Shard | None) -> bool:
    """Whether a profile belongs in an index of `shard` (None: the whole population)."""
    return shard is None or shard_of(profile_id, shard[1]) == shard[0]


def merge_top(partials: Iterable[Sequence[ScoredCandidate]], size: int | None) -> list[ScoredCandidate]:
    """The best `size` of the shards' candidates (None: all), in the single index's order."""
    merged = sorted(chain.from_iterable(partials), key=lambda c: (-c.score, c.profile_id))
    return merged if size is None else merged[:size]


class FetchMore(Exception):
    """The ordering needs more candidates than the shards sent: ask every shard again for `size`."""

    def __init__(self, size: int | None, min_score: float) -> None:
        super().__init__(f"the shards must be asked for {'all' if size is None else size} candidates")
        self.size = size
        self.min_score = min_score


class ShardAnswers:
    """The shards' partial rankings, answering `ranker(size, min_score)` exactly or raising FetchMore.

    The shards were each asked for their best `fetched` (None: all) at `min_score`. A global top `size` is
    exact from them when size <= fetched, or when every shard sent fewer than it was asked for (then the
    shards sent every candidate they hold).
    """

    def __init__(self, partials: Sequence[Sequence[ScoredCandidate]], *, fetched: int | None,
                 min_score: float) -> None:
        self.partials = partials
        self.fetched = fetched
        self.min_score = min_score

    @property
    def complete(self) -> bool:
        return self.fetched is None or all(len(part) < self.fetched for part in self.partials)

    def __call__(self, size: int | None, min_score: float) -> list[ScoredCandidate]:
        if min_score != self.min_score:
            raise FetchMore(size, min_score)
        if not self.complete and (size is None or size > (self.fetched or 0)):
            raise FetchMore(size, min_score)
        return merge_top(self.partials, size)


def to_message(candidates: Iterable[ScoredCandidate]) -> list[dict[str, Any]]:
    """Candidates as JSON for the result backend (floats survive JSON exactly)."""
    return [asdict(c) for c in candidates]


def from_message(rows: Iterable[dict[str, Any]]) -> list[ScoredCandidate]:
    return [ScoredCandidate(**row) for row in rows]
