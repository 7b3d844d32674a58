"""Structured logs: one JSON object per line, carrying the request id that follows work into the worker.

The API sets the request id for each request (api/middleware.py); the outbox copies it into the task
message's headers; the worker sets it again for the task (workers/app.py). Grep one id to follow a
shortlist from the POST to the scores.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime

from matching.privacy.redact import RedactProfileIds

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# fullmatch, not match: with match, "$" also matches before a final line break, and "id\n" passed.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def safe_request_id(given: object) -> str | None:
    """`given` when it is safe to write into logs and rows as is (letters, digits, `._:-`, at most 64), else None.

    Every way in of a request id goes through here: the API's X-Request-ID header and the worker's task
    message (whose headers anyone who can write to the broker chooses).
    """
    return given if isinstance(given, str) and SAFE_REQUEST_ID.fullmatch(given) else None

# Attributes every LogRecord has; anything else was passed through `extra=` and is logged as a field.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime", "taskName"}


def current_request_id() -> str | None:
    return request_id_var.get()


class JsonFormatter(logging.Formatter):
    """A log record as one JSON line: time, level, logger, message, request id and the `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get() or "-"
        return True


def configure(*, fmt: str = "json", level: str = "INFO") -> None:
    """Send every log record (the service's, uvicorn's, celery's) to stderr in one format."""
    handler = logging.StreamHandler(sys.stderr)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.addFilter(_RequestIdFilter())
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    # Profile ids never reach a log line: logs are not rewritten when a profile is erased.
    handler.addFilter(RedactProfileIds())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "celery"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
