"""The worker process's entry point (`celery -A workers.main:celery_app worker`): the Celery app, its
tasks and the process signals, imported here so that no module of `workers` imports one that imports it.
"""

from workers import lifecycle, shard_tasks, tasks
from workers.app import celery_app

__all__ = ["celery_app", "lifecycle", "shard_tasks", "tasks"]
