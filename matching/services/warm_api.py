"""An API process's start: the one-time work of its hot reads done before the first request."""

from __future__ import annotations

import logging
import time

from sqlmodel import Session

from matching.services import reviews
from matching.store.db import get_engine, reader

log = logging.getLogger("blindmatch.api")


def warm_up() -> None:
    """Map the tables and run each statement of a card read once (token, access, cards, the audit entry rolled
    back), on nothing; a failure (no tables yet, the database down) only makes the first read slower."""
    started = time.perf_counter()
    try:
        with Session(reader(get_engine())) as session:
            reviews.warm_up(session)
    except Exception as exc:  # an unprepared database, say: the process starts all the same
        log.warning("API warm-up skipped: %s", type(exc).__name__)
        return
    log.info("API warm: card read prepared in %.2f s", time.perf_counter() - started)
