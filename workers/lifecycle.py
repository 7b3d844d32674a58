"""A worker process's life: JSON logs, warm-up before the first task, the request id of each task, a clean
engine per forked child, and the heartbeat, relay, maintenance and card keeper loops in the main process. Connected by
`workers.main`, the worker's entry point; none of these fire in the API.
"""

from __future__ import annotations

from celery import signals

from matching import logs
from matching.logs import request_id_var, safe_request_id
from matching.settings import get_settings
from matching.store.db import get_engine
from workers import cards, dispatch, heartbeat, index_snapshots, maintenance, queues


@signals.setup_logging.connect
def _setup_logging(**_kwargs) -> None:
    settings = get_settings()
    logs.configure(fmt=settings.log_format, level=settings.log_level)


@signals.worker_process_init.connect
def _fresh_engine(**_kwargs) -> None:
    get_engine().dispose(close=False)  # connections inherited through fork belong to the parent


@signals.task_prerun.connect
def _task_request_id(task=None, **_kwargs) -> None:
    # The id comes from the task message: whoever can write to the broker chooses it, so it passes the
    # same check as an X-Request-ID header before it reaches a log line or a row (outbox messages).
    request = getattr(task, "request", None)
    headers = getattr(request, "headers", None) or {}
    given = getattr(request, "request_id", None) or headers.get("request_id")
    request_id_var.set(safe_request_id(given))


@signals.task_postrun.connect
def _forget_request_id(**_kwargs) -> None:
    request_id_var.set(None)


@signals.celeryd_after_setup.connect
def _warm_up(instance=None, **_kwargs) -> None:
    # In the main process, after logging is set up and before the pool forks and the consumer starts: no
    # task is taken before the taxonomy and the index are loaded, and pool children inherit them. The -Q
    # queues are applied by now: a shard worker loads its shard's index only.
    settings = get_settings()
    selected = getattr(getattr(instance, "app", None), "amqp", None)
    consumed = list(selected.queues.consume_from or ()) if selected is not None else []
    heartbeat.warm_up(queues.indexes_for(consumed, queue=settings.queue, shards=settings.scoring_shards))


@signals.worker_ready.connect
def _start_loops(**_kwargs) -> None:
    settings = get_settings()
    heartbeat.start_background(settings.heartbeat_interval)  # ready: the readiness probe counts this worker
    dispatch.start_background(settings.relay_interval)
    maintenance.start_background(settings.maintenance_interval)
    cards.start_background(settings.cards_interval)
    if heartbeat.holds_whole_index():  # a shard worker holds part of the population: it writes no snapshot
        index_snapshots.start_background(settings.index_snapshot_interval)


@signals.worker_shutdown.connect
def _stop_loops(**_kwargs) -> None:
    heartbeat.stop_background()
    index_snapshots.stop_background()
    cards.stop_background()
    maintenance.stop_background()
    dispatch.stop_background()
