"""A webhook receiver for tests: a real HTTP server on loopback that records every POST it gets.

It can refuse its first deliveries (503) or be started late (nothing listens on its port until then), as a
receiver that is down for a while.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.live import free_port


class Receiver:
    def __init__(self, *, refuse_first: int = 0) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/hooks/blindmatch"
        self.received: list[tuple[dict[str, str], str]] = []  # (headers, body) of each accepted POST
        self.refused = 0
        self._refuse_first = refuse_first
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
                with receiver._lock:
                    refuse = receiver.refused < receiver._refuse_first
                    if refuse:
                        receiver.refused += 1
                    else:
                        receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(503 if refuse else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def unique(self) -> dict[str, tuple[dict[str, str], str]]:
        """What was received, one per webhook-id (a receiver de-duplicates on it), in arrival order."""
        with self._lock:
            found: dict[str, tuple[dict[str, str], str]] = {}
            for headers, body in self.received:
                found.setdefault(headers["webhook-id"], (headers, body))
            return found

    def events(self) -> list[dict]:
        """The de-duplicated events, in cursor order."""
        return sorted((json.loads(body) for _, body in self.unique().values()), key=lambda e: e["cursor"])
