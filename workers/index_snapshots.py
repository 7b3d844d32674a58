"""The snapshot keeper: each worker's main process rewrites the machine's index snapshot when it fell behind.

Its first round runs as the worker becomes ready (a worker that built from rows leaves a snapshot for the
next start), then one every BLINDMATCH_INDEX_SNAPSHOT_INTERVAL seconds. A file lock lets one worker of
the machine write at a time; the others skip that round. See matching/services/index_snapshots.py for the
rule on erased profiles.
"""

from __future__ import annotations

import logging
import time

from matching.services import index_snapshots
from matching.settings import get_settings
from workers.loops import Loop

log = logging.getLogger("blindmatch.index")


ERASURE_CHECK_SECONDS = 2.0  # how long an erased profile's facts may stay in a snapshot while a worker runs


def forget_erased() -> None:
    try:
        index_snapshots.forget_erased(get_settings().index_snapshot_folder)
    except Exception:
        log.exception("index snapshots not checked for erasures")


def run_once() -> None:
    folder = get_settings().index_snapshot_folder
    forget_erased()
    started = time.perf_counter()
    try:
        written = index_snapshots.refresh(folder)
    except Exception:
        log.exception("index snapshot not written")
        return
    if written is not None:
        log.info("index snapshot written: %s in %.2f s", written.name, time.perf_counter() - started,
                 extra={"snapshot": written.name, "seconds": round(time.perf_counter() - started, 3)})


class SnapshotKeeper(Loop):
    """A daemon thread running `run_once` now, then every `interval` seconds until stopped."""

    name = "blindmatch-index-snapshots"

    def _run(self) -> None:
        run_once()
        next_round = time.monotonic() + self.interval
        while not self._stop.wait(min(self.interval, ERASURE_CHECK_SECONDS)):
            if time.monotonic() >= next_round:
                run_once()
                next_round = time.monotonic() + self.interval
            else:
                forget_erased()


_background: SnapshotKeeper | None = None


def start_background(interval: float) -> None:
    """Start this process's keeper (once); an interval of 0 turns it off."""
    global _background
    if interval > 0 and _background is None:
        _background = SnapshotKeeper(interval).start()


def stop_background() -> None:
    global _background
    if _background is not None:
        _background.stop()  # a write cut short leaves only a temporary folder, removed later
        _background = None
        forget_erased()  # an erasure since the last check must not wait for the next start
