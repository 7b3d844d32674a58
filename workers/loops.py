"""The background threads of a worker or `serve` process (outbox relay, maintenance, card keeper, heartbeat)."""

from __future__ import annotations

import threading
from typing import Self


class Loop:
    """A daemon thread running `_run` until stopped; `_run` waits on `self._stop` between its rounds."""

    name = "blindmatch-loop"

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        raise NotImplementedError
