"""The card keeper: each worker's loop that keeps the stored card disclosures in step with the change log.

Every BLINDMATCH_CARDS_INTERVAL seconds it measures again the vacancies whose cards may have changed
(matching/services/card_store.py): a publish, change or erasure reaches the employer's cards within
seconds, through a worker, never through a request. On PostgreSQL one keeper works at a time.
"""

from __future__ import annotations

import logging
import time

from matching.services import card_store
from matching.store.db import session_scope
from workers.loops import Loop

log = logging.getLogger("blindmatch.cards")


def keep_once() -> int:
    """One round: how many vacancies' cards were measured again."""
    started = time.perf_counter()
    with session_scope() as session:
        measured = card_store.refresh(session)
    if measured:
        log.info("cards measured again", extra={"vacancies": measured,
                                                "seconds": round(time.perf_counter() - started, 3)})
    return measured


class CardKeeper(Loop):
    """A daemon thread running `keep_once` every `interval` seconds until stopped."""

    name = "blindmatch-cards"

    def stop(self, timeout: float = 30.0) -> None:
        super().stop(timeout)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                keep_once()
            except Exception:
                log.exception("card keeper round failed; the next one tries again")


_background: CardKeeper | None = None


def start_background(interval: float) -> None:
    """Start this process's keeper (once); an interval of 0 turns it off."""
    global _background
    if interval > 0 and _background is None:
        _background = CardKeeper(interval).start()


def stop_background() -> None:
    global _background
    if _background is not None:
        _background.stop()
        _background = None
