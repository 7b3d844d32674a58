"""A worker's in-memory index of the published profiles, kept up to date without rebuilding it.

The bulk of the profiles lives in one fitted ProfileIndex; changes since it was built go to a small
delta index, and replaced or erased profiles are masked in the bulk. A ranking merges the two, which
gives exactly the from-scratch ranking because a profile's score depends on that profile alone. When
the delta grows, the bulk is rebuilt (compacted) from the loader, the database in production, so the
index never has to keep a second copy of every profile in Python objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from matching.facts import ProfileFacts, VacancyFacts
from matching.pruning import rank_pruned, skill_holders
from matching.scoring import ProfileIndex, ScoredCandidate, rank, score_all

Loader = Callable[[], Iterable[ProfileFacts]]


class LiveIndex:
    """Published profiles as a bulk index plus a delta; `apply` changes, `rank` as from scratch."""

    def __init__(self, *, compact_after: int = 2000, loader: Loader | None = None) -> None:
        self.compact_after = compact_after
        self.loader = loader
        self._ids: set[str] = set()
        self._kept: dict[str, ProfileFacts] = {}  # every profile's facts, only when there is no loader
        self._bulk = ProfileIndex().fit([])
        self._bulk_ids: set[str] = set()
        self._masked: set[str] = set()  # in the bulk, but replaced or erased since
        self._delta_facts: dict[str, ProfileFacts] = {}
        self._delta = ProfileIndex().fit([])
        self.version = 0  # the change-log position this index reflects

    @classmethod
    def adopt(cls, bulk: ProfileIndex, *, version: int, loader: Loader, compact_after: int = 2000) -> LiveIndex:
        """An index whose bulk was fitted elsewhere (a snapshot), on profiles sorted by id as `rebuild` does."""
        index = cls(compact_after=compact_after, loader=loader)
        index._bulk = bulk
        index._bulk_ids = set(bulk.profile_ids_.tolist())
        index._ids = set(index._bulk_ids)
        index.version = version
        return index

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, profile_id: str) -> bool:
        return profile_id in self._ids

    def ids(self) -> frozenset[str]:
        """The ids of the profiles indexed now."""
        return frozenset(self._ids)

    def facts(self, profile_id: str) -> ProfileFacts | None:
        """The facts indexed for a recently changed profile (or any, without a loader)."""
        return self._delta_facts.get(profile_id) or self._kept.get(profile_id)

    def rebuild(self, profiles: Iterable[ProfileFacts] | None = None, *, version: int = 0) -> LiveIndex:
        """Index these profiles (or the loader's) from scratch."""
        if profiles is None:
            if self.loader is None:
                raise ValueError("give the profiles, or a loader")
            profiles = self.loader()
        ordered = sorted(profiles, key=lambda p: p.profile_id)
        self._bulk = ProfileIndex().fit(ordered)
        self._bulk_ids = {p.profile_id for p in ordered}
        self._ids = set(self._bulk_ids)
        self._kept = {} if self.loader else {p.profile_id: p for p in ordered}
        self._masked = set()
        self._delta_facts = {}
        self._delta = ProfileIndex().fit([])
        self.version = max(self.version, version)
        return self

    def apply(self, *, upserts: Iterable[ProfileFacts] = (), deletes: Iterable[str] = (), version: int) -> None:
        """Add or replace profiles and drop others; a small delta is rebuilt, the bulk only masked."""
        touched = False
        for profile_id in deletes:
            if profile_id in self._ids:
                touched = True
                self._drop(profile_id)
                self._ids.discard(profile_id)
                self._kept.pop(profile_id, None)
        for facts in upserts:
            self._drop(facts.profile_id)
            self._ids.add(facts.profile_id)
            self._delta_facts[facts.profile_id] = facts
            if not self.loader:
                self._kept[facts.profile_id] = facts
            touched = True
        self.version = max(self.version, version)
        if not touched:
            return
        if len(self._delta_facts) + len(self._masked) > self.compact_after:
            self.rebuild(None if self.loader else list(self._kept.values()))
        else:
            self._delta = ProfileIndex().fit([self._delta_facts[i] for i in sorted(self._delta_facts)])

    def rank(self, vacancy: VacancyFacts, *, size: int, min_score: float = 0.0,
             related: Mapping[str, Mapping[str, float]] | None = None, **options: Any) -> list[ScoredCandidate]:
        """The same ranking as `rank(ProfileIndex().fit(all current profiles), ...)`."""
        # Ask the bulk for enough extra items to survive the masking of stale ones.
        bulk = [c for c in rank_pruned(self._bulk, vacancy, size=size + len(self._masked), min_score=min_score,
                                related=related, **options) if c.profile_id not in self._masked]
        delta = rank(self._delta, vacancy, size=size, min_score=min_score, related=related, **options)
        merged = sorted(bulk + delta, key=lambda c: (-c.score, c.profile_id))
        return merged[:size]

    def eligible(self, vacancy: VacancyFacts, *, related: Mapping[str, Mapping[str, float]] | None = None,
                 **options: Any) -> dict[str, float]:
        """Every profile a shortlist of this vacancy could hold (left out by no constraint), with its score:
        the scores `rank` gives, without explaining each one."""
        found: dict[str, float] = {}
        for part, skip in ((self._bulk, self._masked), (self._delta, frozenset())):
            if any(req.concept_id for req in vacancy.must_have):  # only holders can be eligible (see pruning.py)
                part = part.take(skill_holders(part, vacancy, related, must_only=True))
            if not len(part.profile_ids_):
                continue
            scores = score_all(part, vacancy, related=related, **options)
            for row in scores.eligible.nonzero()[0]:
                profile_id = part.profile_ids_[row]
                if profile_id not in skip:
                    found[profile_id] = float(scores.score[row])
        return found

    def _drop(self, profile_id: str) -> None:
        if profile_id in self._bulk_ids:
            self._masked.add(profile_id)
        self._delta_facts.pop(profile_id, None)
