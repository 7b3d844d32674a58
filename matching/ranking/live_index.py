"""A worker's in-memory index of the published profiles, kept up to date without rebuilding it.

The bulk of the profiles lives in one fitted ProfileIndex; changes since it was built go to a small
delta index, and replaced or erased profiles are masked in the bulk. A ranking merges the two, which
gives exactly the from-scratch ranking because a profile's score depends on that profile alone. When
the delta grows, the bulk is rebuilt (compacted) from the loader, the database in production, so the
index never has to keep a second copy of every profile in Python objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Set
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matching.ranking.facts import ProfileFacts, VacancyFacts
from matching.ranking.pruning import rank_pruned, skill_holders
from matching.ranking.scoring import ProfileIndex, ScoredCandidate, rank, score_all

Loader = Callable[[], Iterable[ProfileFacts]]


class LiveIndex:
    """Published profiles as a bulk index plus a delta; `apply` changes, `rank` as from scratch.

    No Python object per bulk profile: the bulk is sorted by id, so an id is found by bisection in its
    id array, and a replaced or erased bulk profile is one flag in a bool array.
    """

    def __init__(self, *, compact_after: int = 2000, loader: Loader | None = None) -> None:
        self.compact_after = compact_after
        self.loader = loader
        self._kept: dict[str, ProfileFacts] = {}  # every profile's facts, only when there is no loader
        self._bulk = ProfileIndex().fit([])
        self._masked = np.zeros(0, dtype=bool)  # per bulk row: replaced or erased since the bulk was built
        self._masked_count = 0
        self._delta_facts: dict[str, ProfileFacts] = {}  # at most compact_after profiles
        self._delta = ProfileIndex().fit([])
        self.version = 0  # the change-log position this index reflects

    @classmethod
    def adopt(cls, bulk: ProfileIndex, *, version: int, loader: Loader, compact_after: int = 2000) -> LiveIndex:
        """An index whose bulk was fitted elsewhere (a snapshot), on profiles sorted by id as `rebuild` does."""
        index = cls(compact_after=compact_after, loader=loader)
        index._bulk = bulk
        index._masked = np.zeros(len(bulk.profile_ids_), dtype=bool)
        index._masked_count = 0
        index.version = version
        return index

    def __len__(self) -> int:
        return len(self._masked) - self._masked_count + len(self._delta_facts)

    def __contains__(self, profile_id: object) -> bool:
        if not isinstance(profile_id, str):
            return False
        if profile_id in self._delta_facts:
            return True
        row = self._bulk_row(profile_id)
        return row is not None and not self._masked[row]

    def ids(self) -> Set[str]:
        """The ids of the profiles indexed now (a read-only set that later changes do not alter)."""
        return IndexedIds(self._bulk.profile_ids_, self._masked.copy(), frozenset(self._delta_facts))

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
        self._kept = {} if self.loader else {p.profile_id: p for p in ordered}
        self._masked = np.zeros(len(ordered), dtype=bool)
        self._masked_count = 0
        self._delta_facts = {}
        self._delta = ProfileIndex().fit([])
        self.version = max(self.version, version)
        return self

    def apply(self, *, upserts: Iterable[ProfileFacts] = (), deletes: Iterable[str] = (), version: int) -> None:
        """Add or replace profiles and drop others; a small delta is rebuilt, the bulk only masked."""
        touched = False
        for profile_id in deletes:
            if profile_id in self:
                touched = True
                self._drop(profile_id)
                self._kept.pop(profile_id, None)
        for facts in upserts:
            self._drop(facts.profile_id)
            self._delta_facts[facts.profile_id] = facts
            if not self.loader:
                self._kept[facts.profile_id] = facts
            touched = True
        self.version = max(self.version, version)
        if not touched:
            return
        if len(self._delta_facts) + self._masked_count > self.compact_after:
            self.rebuild(None if self.loader else list(self._kept.values()))
        else:
            self._delta = ProfileIndex().fit([self._delta_facts[i] for i in sorted(self._delta_facts)])

    def rank(self, vacancy: VacancyFacts, *, size: int, min_score: float = 0.0,
             related: Mapping[str, Mapping[str, float]] | None = None, **options: Any) -> list[ScoredCandidate]:
        """The same ranking as `rank(ProfileIndex().fit(all current profiles), ...)`."""
        masked = self._masked if self._masked_count else None
        bulk = rank_pruned(self._bulk, vacancy, size=size, min_score=min_score, related=related, masked=masked,
                           **options)
        delta = rank(self._delta, vacancy, size=size, min_score=min_score, related=related, **options
                     ) if self._delta_facts else []  # an empty delta costs a hundred NumPy calls for nothing
        merged = sorted(bulk + delta, key=lambda c: (-c.score, c.profile_id))
        return merged[:size]

    def eligible(self, vacancy: VacancyFacts, *, related: Mapping[str, Mapping[str, float]] | None = None,
                 **options: Any) -> dict[str, float]:
        """Every profile a shortlist of this vacancy could hold (left out by no constraint), with its score:
        the scores `rank` gives, without explaining each one."""
        found: dict[str, float] = {}
        for part, masked in ((self._bulk, self._masked), (self._delta, None)):
            rows = np.arange(len(part.profile_ids_))
            if any(req.concept_id for req in vacancy.must_have):  # only holders can be eligible (see pruning.py)
                rows = skill_holders(part, vacancy, related, must_only=True)
            if masked is not None and self._masked_count:
                rows = rows[~masked[rows]]
            if not len(rows):
                continue
            scores = score_all(part, vacancy, related=related, rows=rows, **options)
            for at in scores.eligible.nonzero()[0]:
                found[part.profile_id(rows[at])] = float(scores.score[at])
        return found

    def _bulk_row(self, profile_id: str) -> int | None:
        return _row_of(self._bulk.profile_ids_, profile_id)

    def _drop(self, profile_id: str) -> None:
        row = self._bulk_row(profile_id)
        if row is not None and not self._masked[row]:
            self._masked[row] = True
            self._masked_count += 1
        self._delta_facts.pop(profile_id, None)


def _row_of(sorted_ids: NDArray, profile_id: str) -> int | None:
    """The row of this id in a sorted fixed-width id array, or None."""
    key = profile_id.encode()
    if not len(sorted_ids) or len(key) > sorted_ids.dtype.itemsize or key.endswith(b"\0"):
        return None  # longer than any indexed id; a trailing NUL would be lost in the fixed-width array
    at = int(np.searchsorted(sorted_ids, key))
    return at if at < len(sorted_ids) and sorted_ids[at] == key else None


class IndexedIds(Set[str]):
    """The ids indexed at one moment, without a Python string per bulk profile."""

    def __init__(self, bulk_ids: NDArray, masked: NDArray, delta: frozenset[str]) -> None:
        self._bulk_ids, self._masked, self._delta = bulk_ids, masked, delta

    def __contains__(self, profile_id: object) -> bool:
        if not isinstance(profile_id, str):
            return False
        if profile_id in self._delta:
            return True
        row = _row_of(self._bulk_ids, profile_id)
        return row is not None and not self._masked[row]

    def __iter__(self) -> Iterator[str]:
        for row in np.flatnonzero(~self._masked):
            yield bytes(self._bulk_ids[row]).decode()
        yield from self._delta

    def __len__(self) -> int:
        return int((~self._masked).sum()) + len(self._delta)
