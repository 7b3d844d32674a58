"""The Celery app: Redis in production (REDIS_URL), a serverless file broker by default.

The embedded default still runs a real worker process: kombu's filesystem transport passes
messages between processes through a folder, so no broker server is needed on a laptop.
"""

from __future__ import annotations

import logging

from celery import Celery

from matching.settings import Settings, get_settings

log = logging.getLogger("blindmatch.worker")
# Tasks nobody waits for at a screen: they go to the background queue, taken only when no shortlist waits.
BACKGROUND_TASKS = ("profile.match", "vacancy.match", "privacy.retention")


class ConfigurationError(ValueError):
    """Settings that would lose or duplicate work; the process refuses to start."""


def soft_time_limit(settings: Settings) -> int:
    """The soft limit leaves the task time to record a readable failure before the hard limit kills it."""
    limit = settings.task_time_limit
    return limit - max(1, min(30, limit // 10))


def check_time_limits(settings: Settings) -> None:
    """Refuse settings under which a live task could be handed to a second worker (checked at start-up)."""
    limit = settings.task_time_limit
    if limit < 2:
        raise ConfigurationError(f"BLINDMATCH_TASK_TIME_LIMIT={limit}: give a task at least 2 seconds.")
    if settings.redis_url and limit >= settings.visibility_timeout:
        raise ConfigurationError(
            f"BLINDMATCH_TASK_TIME_LIMIT={limit} s must stay below the broker's visibility timeout "
            f"({settings.visibility_timeout} s): Redis would hand a task still running to another worker."
        )
    if limit >= settings.stale_running_after:
        raise ConfigurationError(
            f"BLINDMATCH_TASK_TIME_LIMIT={limit} s must stay below BLINDMATCH_RUNNING_TIMEOUT "
            f"({settings.stale_running_after} s): the reconciler would re-send a shortlist still being scored."
        )


def check_shards(settings: Settings) -> None:
    """Refuse scoring shards without Redis: a shortlist's shard answers meet in its result backend.

    The embedded default (one `serve` process with its worker, the filesystem broker) keeps one index:
    on one machine a second process would only load the same profiles again.
    """
    if settings.scoring_shards > 1 and not settings.redis_url:
        raise ConfigurationError(
            f"BLINDMATCH_SCORING_SHARDS={settings.scoring_shards} needs REDIS_URL: the shards' answers to a "
            "shortlist are collected in Redis. Without Redis, leave it at 1."
        )


def result_options(settings: Settings) -> dict:
    """A result backend only for sharded scoring (a chord collects the shards' answers); else none at all:
    every other result lives in the database."""
    if settings.scoring_shards <= 1:
        return {}
    return {
        "result_backend": settings.redis_url,
        # The shards' answers (and the chord's count of them) wait in Redis until the last shard answers:
        # kept past the reconciler's timeout, so a slow shard still completes its chord (whose merge then
        # finds the shortlist decided or not), yet one abandoned after a failure does not stay for ever.
        "result_expires": max(3600, settings.stale_running_after * 2),
    }


def broker_options(settings: Settings) -> tuple[str, dict]:
    """The broker URL and its transport options for these settings."""
    if settings.redis_url:
        visibility = settings.visibility_timeout
        return settings.redis_url, {
            # Unacknowledged tasks (their worker died) come back after this long; time limits stay below it.
            "visibility_timeout": visibility,
            # Look for such tasks a few times per visibility timeout (kombu's default: every 100 s).
            "unacked_restore_interval": max(1, min(10, visibility // 4)),
            "unacked_restore_throttle": 1,
            # A broker gone without closing the connection must not hang a request's publish.
            "socket_connect_timeout": 3,
            "socket_timeout": 10,
            **({"queue_order_strategy": "workers.queues:InteractiveFirstOrder"} if settings.interactive_first else {}),
        }
    folder = settings.broker_folder.resolve()
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return "filesystem://", {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),  # kombu's default is ./control in the working directory
        "store_processed": False,
        "polling_interval": 0.2,  # kombu's default (1 s) delivers at most one task per second
    }


def broker_transport(settings: Settings) -> str | None:
    """The embedded broker's transport class when interactive work goes first (Redis only needs an option)."""
    if settings.redis_url or not settings.interactive_first:
        return None
    return "workers.queues:EmbeddedTransport"


def make_celery(settings: Settings | None = None) -> Celery:
    settings = settings or get_settings()
    check_time_limits(settings)
    check_shards(settings)
    url, transport_options = broker_options(settings)
    app = Celery("blindmatch", broker=url, include=["workers.tasks", "workers.shard_tasks"])
    app.conf.update(
        broker_transport=broker_transport(settings),
        broker_transport_options=transport_options,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=None,  # a worker outlives any broker outage and consumes again after it
        # On a lost connection the running task finishes and stores its result; its redelivery is skipped.
        worker_cancel_long_running_tasks_on_connection_loss=False,
        task_default_queue=settings.queue,
        # Background tasks yield to the shortlists liaisons wait for (workers/queues.py).
        task_routes={name: {"queue": settings.background_queue} for name in BACKGROUND_TASKS},
        task_ignore_result=True,  # results live in the database, not in the broker
        task_acks_late=True,  # a task is acknowledged once done: a killed worker's task is redelivered
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=settings.task_time_limit,
        task_soft_time_limit=soft_time_limit(settings),
        task_serializer="json",
        accept_content=["json"],
        # Publishing gives up quickly when the broker is down: the outbox keeps the message.
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
        worker_hijack_root_logger=False,
        # Retention runs on a schedule (celery beat, or `worker -B` as `serve` starts it).
        beat_schedule={
            "privacy.retention": {
                "task": "privacy.retention",
                "schedule": float(settings.retention_interval),
                "options": {"queue": settings.background_queue},
            }
        },
        beat_schedule_filename=str(settings.data_dir / "celerybeat-schedule"),
        **result_options(settings),
    )
    return app


celery_app = make_celery()


def queue_for(task: str) -> str:
    """The queue a task message goes to: the background one for BACKGROUND_TASKS, else the interactive one."""
    route = celery_app.conf.task_routes.get(task) or {}
    return route.get("queue", celery_app.conf.task_default_queue)
