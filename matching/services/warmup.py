"""A worker's warm-up and heartbeat: what it loads before its first task, and how the API learns it is ready.

A worker loads the taxonomy (its linker, relations and labels) and its index of published profiles before
it consumes (workers/lifecycle.py), so the first shortlist it takes costs a shortlist, not a load. Then it
writes its row in `worker_heartbeat` every BLINDMATCH_HEARTBEAT_INTERVAL seconds; the readiness probe of
any API process counts the warm workers seen lately, from the database, keeping no state of its own.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from matching.ranking.shards import Shard
from matching.services import index_snapshots, profile_index, taxonomy
from matching.store.models import WorkerHeartbeat, utcnow

log = logging.getLogger("blindmatch.warmup")
MISSED_BEATS = 3  # a worker not seen for this many heartbeat intervals counts as gone


@dataclass(frozen=True)
class Warmed:
    concepts: int
    profiles: int
    taxonomy_seconds: float
    index_seconds: float
    from_snapshot: bool = False

    @property
    def seconds(self) -> float:
        return self.taxonomy_seconds + self.index_seconds


def warm(session: Session, *, indexes: Sequence[Shard | None] = (None,), snapshots: Path | None = None) -> Warmed:
    """Load the taxonomy and the profile indexes into this process (the whole population's, or the scoring
    shards' of a shard worker), and say what and how long.

    With a snapshot folder, the whole population's index starts from the newest usable snapshot there and
    replays the change log since it; without one (or none usable), and for a shard's index, from rows.
    """
    started = time.perf_counter()
    concepts = len(taxonomy.snapshot(session).sectors)
    loaded = time.perf_counter()
    whole = None in indexes
    snapshot = index_snapshots.start(session, snapshots) if snapshots is not None and whole else None
    profiles = sum(len(profile_index.current_index(session, shard=shard)) for shard in indexes)
    warmed = Warmed(concepts, profiles, loaded - started, time.perf_counter() - loaded, snapshot is not None)
    source = (f"from snapshot {snapshot.path.name} ({snapshot.behind} log positions behind)"
              if snapshot else "built from rows")
    log.info(
        "worker warm: taxonomy of %d concepts in %.2f s, index of %d profiles %s in %.2f s",
        warmed.concepts, warmed.taxonomy_seconds, warmed.profiles, source, warmed.index_seconds,
        extra={"concepts": warmed.concepts, "profiles": warmed.profiles, "warm_seconds": round(warmed.seconds, 3),
               "index_seconds": round(warmed.index_seconds, 3), "from_snapshot": warmed.from_snapshot},
    )
    return warmed


def beat(session: Session, worker: str, *, warmed: Warmed | None, started_at: datetime) -> None:
    """Write this worker's row: seen now, and ready once warm."""
    row = session.get(WorkerHeartbeat, worker) or WorkerHeartbeat(worker=worker, started_at=started_at)
    now = utcnow()
    row.seen_at = now
    if warmed is not None and row.ready_at is None:
        row.ready_at = now
        row.warm_seconds = round(warmed.seconds, 3)
        row.concepts, row.profiles = warmed.concepts, warmed.profiles
    session.add(row)


def forget(session: Session, worker: str) -> None:
    """A worker stopping removes its row: it is no longer ready."""
    session.execute(delete(WorkerHeartbeat).where(col(WorkerHeartbeat.worker) == worker))


def warm_workers(session: Session, *, interval: float, now: datetime | None = None) -> int:
    """Workers warm and seen within the last few heartbeats (the others stopped or died)."""
    since = (now or utcnow()) - timedelta(seconds=interval * MISSED_BEATS)
    query = select(func.count()).select_from(WorkerHeartbeat).where(
        col(WorkerHeartbeat.ready_at).is_not(None), col(WorkerHeartbeat.seen_at) >= since)
    return int(session.exec(query).one())
