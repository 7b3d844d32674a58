"""Live components for end-to-end tests: a real uvicorn server and real `celery worker` processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def live_api():
    """The app served by uvicorn on a loopback port, in this process (so it shares the test's settings)."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config("api.app:app", host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    # Generous limits: a loaded 2-core CI machine (worker processes importing scikit-learn next door) can
    # take far longer than a laptop to start the server or answer; they only bound a hang.
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        assert thread.is_alive(), "uvicorn stopped before it started (port taken?)"
        time.sleep(0.05)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            yield client
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def celery_worker(log_path: Path, *, extra_env: dict[str, str] | None = None):
    """A real `celery worker` subprocess on the configured broker and database."""
    from blindmatch.cli import worker_command

    env = {**os.environ, **(extra_env or {})}
    with open(log_path, "ab") as log:
        process = subprocess.Popen(worker_command(concurrency=1), env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for_shortlist(client: httpx.Client, shortlist_id: str, headers: dict, *, timeout: float = 120) -> dict:
    # A worker started for a test first consumes what earlier tests left in the run's shared queue (no-ops
    # for shortlists of other databases): on a slow CI machine that and its start-up take a while.
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(f"/v1/shortlists/{shortlist_id}", headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] in ("ready", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.1)


def wait_for_cards(client: httpx.Client, vacancy_id: str, headers: dict, *, timeout: float = 60) -> list[dict]:
    """The vacancy's cards once a worker's card keeper measured them all (a card presented a moment ago shows
    nothing of the person, `privacy` null, until then)."""
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(f"/v1/vacancies/{vacancy_id}/candidates", headers=headers)
        assert response.status_code == 200, response.text
        cards = response.json()
        shown = [c for c in cards if c["status"] not in ("withdrawn", "awaiting_reconfirmation")]
        pending = [c for c in shown if c["privacy"] is None]
        if not pending or time.monotonic() > deadline:
            return cards
        time.sleep(0.1)
