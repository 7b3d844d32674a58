"""Each process's live index of published profiles, synchronised with the database's change log.

Workers on several machines each hold their own index; before every shortlist they replay the
profile changes logged since their last look, so they agree with the database without rebuilding.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from matching.ranking.facts import ProfileFacts
from matching.ranking.live_index import LiveIndex
from matching.ranking.shards import Shard, in_shard
from matching.services.facts import coordinates, coordinates_key, facts_from_data, published_facts
from matching.store import db, reconfirmation
from matching.store.models import Profile, ProfileChange, utcnow

log = logging.getLogger("blindmatch.index")
# Change-log rows are numbered when inserted but may commit out of order: readers keep the positions of a
# window of recent rows they have read (ChangeCursor), which catches a change numbered below one already read.
LOOKBACK = 500


def release_free_memory() -> None:
    """Return the rows and facts the build freed to the system: a worker lives long (glibc only)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except OSError:
        pass


def prune_change_log(session: Session, *, before: datetime) -> int:
    """Forget changes older than `before`; the newest row stays so numbering never restarts."""
    newest = session.exec(select(func.max(ProfileChange.seq))).one()
    if newest is None:
        return 0
    result = session.execute(delete(ProfileChange).where(
        col(ProfileChange.created_at) < before, col(ProfileChange.seq) < newest))
    return result.rowcount or 0


def log_bounds(session: Session) -> tuple[int | None, int]:
    """The oldest change-log position still kept (None when empty) and the newest (0 when empty)."""
    oldest, latest = session.exec(select(func.min(ProfileChange.seq), func.max(ProfileChange.seq))).one()
    return oldest, latest or 0


def missed_changes(oldest: int | None, version: int) -> bool:
    """Whether changes after `version` were pruned from the log before a reader saw them."""
    return oldest is not None and oldest > version + 1


def seen_window(session: Session, latest: int) -> set[int]:
    """The log positions of the look-back window before `latest` (and after it) committed by now."""
    return set(session.exec(select(ProfileChange.seq).where(col(ProfileChange.seq) > latest - LOOKBACK)))


def published_loader(bind, cursor: ChangeCursor) -> Callable[[], list[ProfileFacts]]:
    """Reads every matchable profile's facts when an index is built or compacts, in a read-only session of
    its own, and tells the cursor the change key of each profile it loads."""

    def load_published() -> list[ProfileFacts]:
        # compaction may run later, outside this request's session; read-only: on SQLite the
        # caller may hold the write lock, and a writer session here would wait for it.
        keys: dict[str, str] = {}
        with Session(db.reader(bind)) as reader:
            facts = published_facts(reader, keys=keys)
        # A profile published after the cursor last looked, loaded here, then erased: without its key the
        # erasure's log row would name nobody this reader holds, and the profile would stay indexed.
        cursor.learn(keys)
        return facts

    return load_published


class ChangeCursor:
    """A reader's place in the change log: the newest position read, and the positions of the look-back
    window already read, so a change that committed late (numbered below one already read) is still read
    once, and the window is not read again and again (it holds hundreds of rows under steady publishing).

    The log names profiles by change key (matching/store/models.py ProfileChange): the cursor keeps the key of
    every published profile its reader holds, which is how it knows whom an erasure's row removes.
    """

    def __init__(self, session: Session, latest: int) -> None:
        # Taken before the reader loads the profiles it starts from: a change committed in between is
        # read again later (replaying is idempotent), never lost.
        self.version = latest
        self._seen: set[int] = seen_window(session, latest)
        # Before the reader's own load, too: a profile erased after this is in neither; one published
        # after this is read from the log later, with its key.
        published = session.exec(select(Profile.change_key, Profile.id).where(reconfirmation.matchable())).all()
        self._ids: dict[str, str] = {key: profile_id for key, profile_id in published}

    @classmethod
    def resume(cls, *, version: int, seen: set[int], ids: dict[str, str]) -> ChangeCursor:
        """A cursor where another reader left off (a snapshot): its position, window read, and the change
        key -> id of every profile it held, so an erasure after it still finds whom to drop."""
        cursor = cls.__new__(cls)
        cursor.version, cursor._seen, cursor._ids = version, set(seen), dict(ids)
        return cursor

    def learn(self, keys: dict[str, str]) -> None:
        """Note the change key -> id of profiles a load put in the reader's index."""
        self._ids.update(keys)

    def news(self, session: Session) -> set[str]:
        """The change keys of the profiles changed in the log since the last call (or the cursor's start)."""
        rows = session.exec(select(ProfileChange.seq, ProfileChange.profile_key).where(
            col(ProfileChange.seq) > self.version - LOOKBACK)).all()
        fresh = {profile_key for seq, profile_key in rows if seq not in self._seen}
        self._seen = {seq for seq, _ in rows if seq is not None}  # a key: never None once stored
        self.version = max(self.version, *self._seen) if self._seen else self.version
        return fresh

    def resolve(self, keys: set[str], published: dict[str, str]) -> list[str]:
        """Note which keys are published now (key -> id); the ids of the others this reader held."""
        gone = [self._ids.pop(key) for key in keys - published.keys() if key in self._ids]
        self._ids.update(published)
        return gone


def changes_since(
    session: Session, cursor: ChangeCursor, *, with_skills: bool = True
) -> tuple[set[str], list[ProfileFacts], list[str]]:
    """Profiles changed since the cursor last looked: their ids, the published ones' facts, and the
    ids of those no longer published (or erased)."""
    keys = cursor.news(session)
    if not keys:
        return set(), [], []
    # Matchable is filtered here, not in SQL: with both conditions SQLite may walk the `published` index
    # (every profile) instead of looking the few keys up.
    rows_found = session.exec(select(
        Profile.change_key, Profile.id, Profile.published, Profile.reconfirmed_at, Profile.data
    ).where(col(Profile.change_key).in_(keys))).all()
    # "Published" below means matchable: a stale profile leaves the index like an unpublished one.
    now = utcnow()
    found = [(key, profile_id, reconfirmation.is_matchable(published, at, now), data)
             for key, profile_id, published, at, data in rows_found]
    rows = {profile_id: data for _, profile_id, published, data in found if published}
    gone = cursor.resolve(keys, {key: profile_id for key, profile_id, published, _ in found if published})
    coords = coordinates(session) if rows else {}
    upserts = [facts_from_data(i, data, coords, with_skills=with_skills) for i, data in rows.items()]
    changed = {profile_id for _, profile_id, _, _ in found} | set(gone)
    return changed, upserts, [i for i in changed if i not in rows]


class _IndexCache:
    def __init__(self, shard: Shard | None = None) -> None:
        self.shard = shard  # None: every published profile; else only this scoring shard's (matching/ranking/shards.py)
        self._lock = threading.Lock()
        self._index: LiveIndex | None = None
        self._cursor: ChangeCursor | None = None
        self._coords_key: int | None = None
        self.last_build_seconds: float | None = None

    def current(self, session: Session) -> LiveIndex:
        with self._lock:
            coords_key = coordinates_key(session)
            oldest, latest = log_bounds(session)
            # Changes this index never saw were pruned from the log (it slept for a day): start afresh.
            missed = self._index is not None and missed_changes(oldest, self._index.version)
            if self._index is None or self._cursor is None or coords_key != self._coords_key or missed:
                self._cursor = ChangeCursor(session, latest)
                self._index = self._build(session, latest)
                self._coords_key = coords_key
            elif latest > self._index.version:
                _, upserts, deletes = changes_since(session, self._cursor)
                # A profile's shard never changes (its id's hash): another shard's news is not ours.
                # Deletes need no filter: the index ignores ids it does not hold.
                upserts = [facts for facts in upserts if in_shard(facts.profile_id, self.shard)]
                self._index.apply(upserts=upserts, deletes=deletes, version=latest)
            return self._index

    def _build(self, session: Session, latest: int) -> LiveIndex:
        started = time.perf_counter()
        bind = session.get_bind()
        assert self._cursor is not None  # taken by `current` before the build, as its comment says
        read_all = published_loader(bind, self._cursor)

        def load_published() -> list:
            facts = read_all()
            if self.shard is None:
                return facts
            return [f for f in facts if in_shard(f.profile_id, self.shard)]

        index = LiveIndex(loader=load_published).rebuild(load_published(), version=latest)
        release_free_memory()
        self.last_build_seconds = time.perf_counter() - started
        log.info("profile index built: %d profiles in %.2f s", len(index), self.last_build_seconds,
                 extra={"shard": None if self.shard is None else f"{self.shard[0]}/{self.shard[1]}"})
        return index

    def install(self, index: LiveIndex, cursor: ChangeCursor, coords_key: int) -> None:
        with self._lock:
            self._index, self._cursor, self._coords_key = index, cursor, coords_key

    def reset(self) -> None:
        with self._lock:
            self._index = None


# One cache per shard this process scores: a worker of the interactive queue holds the whole population
# (None), a shard worker only its shard's (it consumes that shard's queue alone: workers/queues.py).
_caches: dict[Shard | None, _IndexCache] = {None: _IndexCache()}


def current_index(session: Session, *, shard: Shard | None = None) -> LiveIndex:
    """This process's index of published profiles (of one scoring shard), brought up to date with the log."""
    cache = _caches.get(shard) or _caches.setdefault(shard, _IndexCache(shard))
    return cache.current(session)


def install(index: LiveIndex, cursor: ChangeCursor, *, coords_key: int) -> None:
    """Start this process's whole-population index from one loaded elsewhere (a snapshot): the next look
    catches it up."""
    _caches[None].install(index, cursor, coords_key)


def reset() -> None:
    """Forget the indexes (tests, or after a database switch)."""
    for cache in list(_caches.values()):
        cache.reset()
