"""A shortlist scored by the scoring shards (BLINDMATCH_SCORING_SHARDS > 1): what every shard is asked,
and one shard's answer from its own index. The merge and the ordering are shortlists.score's, with the
shards' answers as its ranker (matching/ranking/shards.py), so a sharded shortlist is ordered like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from matching.ranking.scoring import ScoredCandidate
from matching.ranking.shards import Shard
from matching.services import profile_index, ranking_runs
from matching.store.models import Shortlist, Vacancy

FINISHED = ("ready", "failed")


@dataclass(frozen=True)
class ShardAsk:
    """Every shard's best `fetch` candidates (None: all) scoring >= min_score."""

    fetch: int | None
    min_score: float


def first_ask(session: Session, shortlist_id: str) -> ShardAsk | None:
    """What the first round asks every shard (what shortlists.score asks its ranker first); None when the
    shortlist needs nothing."""
    shortlist = session.get(Shortlist, shortlist_id)
    if shortlist is None or shortlist.status in FINISHED:
        return None
    paused = ranking_runs.is_paused(session, ranking_runs.requester_organisation(session, shortlist))
    fetch = ranking_runs.first_fetch(ranking_runs.run_settings(shortlist), paused=paused)
    return ShardAsk(fetch, 0.0 if paused else shortlist.min_score)


@dataclass(frozen=True)
class ShardAnswer:
    candidates: list[ScoredCandidate]
    indexed: int  # the profiles this shard's index holds (logged: which shard a new profile went to)


def rank_shard(session: Session, shortlist_id: str, *, shard: Shard, ask: ShardAsk) -> ShardAnswer | None:
    """This shard's best candidates for the shortlist, explained, in the model's order (only reads)."""
    shortlist = session.get(Shortlist, shortlist_id)
    if shortlist is None or shortlist.status in FINISHED:
        return None
    vacancy = session.get(Vacancy, shortlist.vacancy_id)
    ranker = ranking_runs.index_ranker(session, vacancy, qualified_only=shortlist.qualified_only, shard=shard)
    candidates = ranker(ask.fetch, ask.min_score)
    return ShardAnswer(candidates, len(profile_index.current_index(session, shard=shard)))


def finished(session: Session, shortlist_id: str) -> bool:
    """Ready, failed or gone: a late merge must not store over a decision taken meanwhile."""
    shortlist = session.get(Shortlist, shortlist_id)
    return shortlist is None or shortlist.status in FINISHED
