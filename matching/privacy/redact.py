"""Keep profile ids and candidate refs out of log lines: logs are not rewritten when a profile is erased.

A profile id is what the counsellor's own files link to a person, so an access log line such as
"GET /v1/profiles/prf_... 200" would keep saying, after erasure, that this person's profile was read. A
candidate ref (the employer's pseudonym, in decision paths) names the same person on one vacancy.
"""

from __future__ import annotations

import logging
import re
from typing import Any

PROFILE_ID = re.compile(r"prf_[A-Za-z0-9_-]{6,}")
_PERSON_ID = re.compile(r"(?P<prefix>prf|cand)_[A-Za-z0-9_-]{6,}")


def redact(value: Any) -> Any:
    """The value with every profile id and candidate ref replaced; anything but a string is returned as is."""
    return _PERSON_ID.sub(r"\g<prefix>_[redacted]", value) if isinstance(value, str) else value


class RedactProfileIds(logging.Filter):
    """A logging filter that rewrites a record's message, arguments and `extra` fields, keeping their shape.

    uvicorn's access formatter unpacks `record.args` as a tuple, so arguments are rewritten one by
    one rather than merged into the message; structured logs carry the path as an extra field too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in vars(record).items():
            if isinstance(value, str) and ("prf_" in value or "cand_" in value):
                setattr(record, key, redact(value))
        if isinstance(record.args, tuple):
            record.args = tuple(redact(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: redact(arg) for key, arg in record.args.items()}
        return True


def install(*logger_names: str) -> None:
    """Add the filter to these loggers (once each)."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactProfileIds) for f in logger.filters):
            logger.addFilter(RedactProfileIds())
