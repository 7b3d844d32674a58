"""Workers start their profile index from a snapshot on disk and catch up from the change log.

Building the index from rows costs seconds per hundred thousand profiles; opening a snapshot maps its
arrays from disk instead (matching/ranking/index_snapshot.py), and the change log since the snapshot's position
is replayed as after any other pause. The snapshot carries what a reader needs to replay correctly:
the log position it reflects, the look-back window it had read, and the change key of every profile it
holds, so an erasure logged after the snapshot still removes that profile.

Rule for erased profiles: a snapshot holds profile facts (ids, the labels counsellors typed), so it
must not outlive an erasure. Every few seconds, at a worker's start and at its stop, each snapshot written
before a profile was erased is deleted (`forget_erased`); the keeper writes a new one from rows at its
next round. Otherwise a snapshot is rewritten whenever the change log moved past it, at most every
BLINDMATCH_INDEX_SNAPSHOT_INTERVAL seconds, and every older snapshot is deleted once the new one is in
place. A worker never starts from a snapshot without replaying the log since then, and a snapshot whose
log was pruned is refused.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlmodel import Session, col, select

from matching.ranking import index_snapshot
from matching.ranking.live_index import LiveIndex
from matching.ranking.scoring import SCORER_VERSION, ProfileIndex
from matching.services import profile_index
from matching.services.facts import coordinates, coordinates_key, facts_from_data
from matching.store import reconfirmation, taxonomy_version
from matching.store.db import session_scope
from matching.store.models import MetaValue, Profile, ProfileChange

log = logging.getLogger("blindmatch.index")
DATABASE_ID_KEY = "database_id"


@dataclass(frozen=True)
class Started:
    """A start from a snapshot: which, the log position it reflected, how far behind the log it was."""

    path: Path
    version: int
    behind: int
    open_seconds: float


def database_id(session: Session) -> str | None:
    """This database's random identity: a snapshot of another database (same URL, recreated) is refused."""
    row = session.get(MetaValue, DATABASE_ID_KEY)
    return row.value if row else None


def ensure_database_id(session: Session) -> str:
    row = session.get(MetaValue, DATABASE_ID_KEY)
    if row is None:
        row = MetaValue(key=DATABASE_ID_KEY, value=uuid.uuid4().hex)
        session.add(row)
        session.flush()
    return row.value


def snapshot_key(session: Session) -> str | None:
    """What a snapshot must have been built under to be used here (None: this database has no identity yet)."""
    identity = database_id(session)
    if identity is None:
        return None
    parts = {"database": identity, "taxonomy": taxonomy_version.current(session),
             "coordinates": coordinates_key(session), "scorer": SCORER_VERSION,
             "layout": index_snapshot.layout(ProfileIndex().fit([]))}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def forget_erased(folder: Path) -> int:
    """Delete every snapshot written before a profile was erased since; how many went.

    Erased profiles are the change keys logged after a snapshot's position whose profile row is gone. Two
    indexed queries on the log since the oldest snapshot: cheap enough to run every few seconds.
    """
    versions = {path: snapshot_version(path) for path in index_snapshot.candidates(folder)}
    if not versions:
        return 0
    with session_scope(read_only=True) as session:
        logged = session.exec(select(ProfileChange.seq, ProfileChange.profile_key).where(
            col(ProfileChange.seq) > min(versions.values()))).all()
        keys = {key for _, key in logged}
        present = set(session.exec(select(Profile.change_key).where(col(Profile.change_key).in_(keys)))) if keys \
            else set()
    erased_at = [seq for seq, key in logged if key not in present and seq is not None]
    doomed = [path for path, version in versions.items() if any(seq > version for seq in erased_at)]
    for path in doomed:
        index_snapshot.remove(path)
        log.info("index snapshot %s deleted: a profile it holds was erased", path.name)
    return len(doomed)


def snapshot_version(path: Path) -> int:
    """The change-log position a snapshot reflects, from its name (`snap-<position>-<random>`)."""
    return int(path.name.split("-")[1])


def start(session: Session, folder: Path) -> Started | None:
    """Install this process's index from the newest usable snapshot (None: there is none, build from rows)."""
    started = time.perf_counter()
    forget_erased(folder)  # a worker killed before its keeper saw an erasure left the snapshot behind
    key = snapshot_key(session)
    if key is None:
        return None
    opened, refused = index_snapshot.newest(folder, key=key)
    for reason in refused:
        log.warning("index snapshot refused: %s", reason)
    if opened is None:
        return None
    oldest, latest = profile_index.log_bounds(session)
    if profile_index.missed_changes(oldest, opened.version) or opened.version > latest:
        log.info("index snapshot %s left aside: the change log no longer reaches back to it", opened.path.name)
        return None
    bulk = index_snapshot.restore(ProfileIndex, opened.groups["index"])
    held = opened.groups["cursor"]
    cursor = profile_index.ChangeCursor.resume(
        version=opened.version, seen=set(held["seen"].tolist()),
        ids=dict(zip(held["change_keys"].tolist(), map(bulk.profile_id, range(len(bulk.profile_ids_))), strict=True)))
    loader = profile_index.published_loader(session.get_bind(), cursor)
    live = LiveIndex.adopt(bulk, version=opened.version, loader=loader)
    profile_index.install(live, cursor, coords_key=coordinates_key(session))
    return Started(opened.path, opened.version, latest - opened.version, time.perf_counter() - started)


def write(folder: Path) -> Path | None:
    """Build the index from rows and write it as the newest snapshot, deleting the others; None when another
    process is writing one now."""
    with index_snapshot.writer_lock(folder) as mine:
        if not mine:
            return None
        with session_scope() as session:
            ensure_database_id(session)
        with session_scope(read_only=True) as session:
            key = snapshot_key(session)
            assert key is not None
            # Taken before the rows, as a ChangeCursor is: a change committed in between is replayed later.
            _, latest = profile_index.log_bounds(session)
            seen = profile_index.seen_window(session, latest)
            coords = coordinates(session)
            rows = session.exec(select(Profile.id, Profile.change_key, Profile.data)
                                .where(reconfirmation.matchable())).all()
        rows.sort(key=lambda row: row[0])  # the order of LiveIndex.rebuild: by id, as Python orders strings
        facts = [facts_from_data(profile_id, data, coords) for profile_id, _, data in rows]
        keys = np.array([change_key for _, change_key, _ in rows], dtype=object)
        del rows
        bulk = ProfileIndex().fit(facts)
        del facts
        path = index_snapshot.write(folder, version=latest, key=key, groups={
            "index": vars(bulk),
            "cursor": {"change_keys": keys, "seen": np.array(sorted(seen), dtype=np.int64)},
        })
        index_snapshot.remove_others(folder, keep=path)
    profile_index.release_free_memory()
    return path


def refresh(folder: Path) -> Path | None:
    """Rewrite the snapshot when the change log moved past it, or it is missing or corrupt; None when it is
    current."""
    with session_scope(read_only=True) as session:
        key = snapshot_key(session)
        _, latest = profile_index.log_bounds(session)
    newest = index_snapshot.peek(folder, key=key) if key else None
    if newest is not None and newest[1] >= latest and _intact(newest[0], key):
        index_snapshot.remove_others(folder, keep=newest[0])  # foreign or superseded ones
        return None
    return write(folder)


_intact_paths: set[Path] = set()


def _intact(path: Path, key: str | None) -> bool:
    """Whether the snapshot's files match their checksums (read once per process and snapshot)."""
    if path not in _intact_paths:
        try:
            index_snapshot.read(path, key=key or "")
        except index_snapshot.SnapshotError:
            return False
        _intact_paths.add(path)
    return True
