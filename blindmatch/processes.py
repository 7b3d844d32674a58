"""How the service's processes are started: the worker's command line, a worker subprocess, uvicorn's limits.

Shared by the `blindmatch` command and the demo (which runs the same processes as `serve`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matching.settings import Settings


def worker_command(concurrency: int = 1, loglevel: str = "INFO", *, beat: bool = False,
                   shard: int | None = None) -> list[str]:
    """The exact `celery worker` command line the service runs; with `beat`, it also runs the schedule.

    With `shard`: a scoring shard's worker (BLINDMATCH_SCORING_SHARDS > 1), consuming `<queue>.shard-k` alone,
    so that it loads only that shard's profiles (workers/queues.py).
    """
    from matching.settings import get_settings
    from workers.queues import shard_queue

    settings = get_settings()
    if shard is not None and not 0 <= shard < settings.scoring_shards:
        raise ValueError(f"shard {shard}: BLINDMATCH_SCORING_SHARDS={settings.scoring_shards} numbers them from 0 "
                         f"to {settings.scoring_shards - 1}")
    queues = [shard_queue(settings.queue, shard)] if shard is not None else settings.worker_queues
    if beat:  # the beat schedule file lives in the data directory
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "workers.main:celery_app",  # the app with its process signals and tasks
        "worker",
        "--loglevel",
        loglevel,
        "--concurrency",
        str(concurrency),
        "-Q",
        ",".join(queues),  # interactive first (workers/queues.py)
        "--without-gossip",
        "--without-mingle",
        *(["-B"] if beat else []),
    ]


def start_worker(concurrency: int = 1, loglevel: str = "INFO", *, beat: bool = False,
                 log_path: Path | None = None) -> subprocess.Popen:
    """A worker subprocess; its output goes to `log_path` when given, else to this terminal."""
    command = worker_command(concurrency, loglevel, beat=beat)
    if log_path is None:
        return subprocess.Popen(command, env=os.environ.copy())
    with open(log_path, "ab") as log:
        return subprocess.Popen(command, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)


def bounded_http(settings: Settings) -> dict:
    """uvicorn options that bound the request line and headers as the app bounds bodies.

    uvicorn's default parser (httptools) buffers headers of any size: an 8 MB header was read whole and
    answered 200. h11 refuses a head that grows past its buffer limit while it arrives.
    """
    return {"http": "h11", "h11_max_incomplete_event_size": settings.max_header_bytes}
