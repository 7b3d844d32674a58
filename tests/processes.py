"""Real processes for reliability tests: a private Redis to stop and start, API and worker processes to kill."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import missing_service
from tests.live import free_port
from workers.queues import BACKGROUND_SUFFIX

REPO = Path(__file__).resolve().parents[1]


def wait_until(predicate: Callable[[], Any], *, timeout: float, what: str, every: float = 0.1) -> Any:
    """Poll until `predicate` returns something true; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


class PrivateRedis:
    """A redis-server of this test's own, without persistence: a restart loses everything it held."""

    def __init__(self, log_path: Path) -> None:
        if shutil.which("redis-server") is None:
            missing_service("the redis-server binary")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        import redis

        with open(self.log_path, "ab") as log:
            command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly"]
            self.process = subprocess.Popen([*command, "no"], stdout=log, stderr=subprocess.STDOUT)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.2)

        def answers() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"redis-server on port {self.port} exited: {self.log_path.read_text()[-2000:]}")
            try:
                return bool(client.ping())
            except redis.RedisError:
                return False

        # Generous: a loaded CI machine starts processes slowly; an exit fails at once above.
        wait_until(answers, timeout=60, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@contextmanager
def private_redis(log_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(log_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def service_env(**overrides: str | float | int) -> dict[str, str]:
    """This test process's environment (data dir, database, broker, queue) with some settings changed."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.update({name: str(value) for name, value in overrides.items()})
    return env


class Worker:
    """A `celery worker` in a process group of its own, so that kill -9 takes its pool children with it."""

    def __init__(self, log_path: Path, env: dict[str, str], concurrency: int = 1,
                 queues: list[str] | None = None) -> None:
        from blindmatch.cli import worker_command

        self.log_path = log_path
        command = worker_command(concurrency=concurrency)
        if queues:  # e.g. a scoring shard's queue alone
            command[command.index("-Q") + 1] = ",".join(queues)
        elif "BLINDMATCH_QUEUE" in env:  # the interactive queue and its background one
            queue = env["BLINDMATCH_QUEUE"]
            command[command.index("-Q") + 1] = f"{queue},{queue}{BACKGROUND_SUFFIX}"
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(
                command,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                cwd=REPO,
            )

    def children(self) -> list[int]:
        """The pool processes (prefork children) that run the tasks."""
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill_all(self) -> None:
        """kill -9 of the whole worker: the main process and its pool, as a crashed machine would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout: float = 60) -> int:
        """SIGTERM (Celery's warm shutdown) and wait; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode

    def log_lines(self) -> list[dict]:
        return json_lines(self.log_path)

    def tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]


@contextmanager
def worker(log_path: Path, env: dict[str, str], concurrency: int = 1,
           queues: list[str] | None = None) -> Iterator[Worker]:
    process = Worker(log_path, env, concurrency, queues)
    try:
        yield process
    finally:
        process.stop(timeout=30)


class ApiServer:
    """`blindmatch serve --no-worker` in its own process, as production runs the API."""

    def __init__(self, log_path: Path, env: dict[str, str]) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        command = [sys.executable, "-m", "blindmatch.cli", "serve", "--no-worker", "--port", str(self.port)]
        with open(log_path, "ab") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)

        def healthy() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"the API process exited: {self.tail()}")
            try:
                return httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        # Importing the app (scikit-learn, scipy) on a loaded 2-core CI machine can take well over 30 s.
        wait_until(healthy, timeout=120, what="the API process")
        self.http = httpx.Client(base_url=self.base_url, timeout=60)

    def stop(self, timeout: float = 30) -> int:
        self.http.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def log_lines(self) -> list[dict]:
        return json_lines(self.log_path)

    def tail(self, chars: int = 4000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]


@contextmanager
def api_server(log_path: Path, env: dict[str, str]) -> Iterator[ApiServer]:
    server = ApiServer(log_path, env)
    try:
        yield server
    finally:
        server.stop()


def json_lines(path: Path) -> list[dict]:
    """The JSON log lines of a process (other lines, e.g. Celery's banner, are skipped)."""
    lines = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
    return lines


def seed(http: httpx.Client, *, profiles: int = 3):
    """A world (organisations, users), `profiles` published profiles and one open vacancy, over HTTP."""
    from tests.factories import bearer, create_world, profile_body, vacancy_body

    world = create_world(http)
    profile_ids = []
    for index in range(profiles):
        body = profile_body(availability={"hours_min": 10 + index, "hours_max": 38, "shifts": ["early_morning"]})
        response = http.post("/v1/profiles", json=body, headers=bearer(world.counsellor))
        assert response.status_code == 201, response.text
        profile_ids.append(response.json()["id"])
    body = vacancy_body(employer_id=world.employer_id)
    response = http.post("/v1/vacancies", json=body, headers=bearer(world.liaison))
    assert response.status_code == 201, response.text
    return world, response.json()["id"], profile_ids


def shortlist_row(shortlist_id: str):
    """The shortlist as stored (this process reads the same database as the services)."""
    from matching.store.db import session_scope
    from matching.store.models import Shortlist

    with session_scope(read_only=True) as session:
        return session.get(Shortlist, shortlist_id)


def compute_here(http, world, vacancy_id: str) -> str:
    """Request a shortlist and compute it in this process with the worker's own code (no broker needed)."""
    from matching.services import shortlist_runs, shortlists
    from matching.services.profile_index import reset
    from matching.store.db import session_scope
    from tests.factories import bearer

    accepted = http.post(f"/v1/vacancies/{vacancy_id}/shortlists", json={}, headers=bearer(world.liaison))
    assert accepted.status_code == 202, accepted.text
    shortlist_id = accepted.json()["id"]
    reset()  # this process's profile index may hold another test database's profiles
    with session_scope() as session:
        shortlist_runs.start(session, shortlist_id, task_id="ob_here", max_attempts=3, stale_after=660)
    with session_scope() as session:
        shortlists.compute(session, shortlist_id)
    return shortlist_id


def present_top(http, world, shortlist_id: str) -> str:
    """Present the shortlist's first candidate and return its profile id.

    On the session's shared SQLite database, many tests publish the same profile body: which of them a
    shortlist ranks first depends on ties between identical profiles, so tests present what was ranked.
    """
    from tests.factories import bearer

    liaison = bearer(world.liaison)
    items = http.get(f"/v1/shortlists/{shortlist_id}", headers=liaison).json()["items"]
    profile_id = items[0]["profile_id"]
    presented = http.post(f"/v1/shortlists/{shortlist_id}/present", json={"profile_ids": [profile_id]}, headers=liaison)
    assert presented.status_code == 200, presented.text
    measure_cards_here()
    return profile_id


def fits_here(*, profile_ids: list[str] = (), vacancy_ids: list[str] = ()) -> None:
    """Run, in this process, the opportunity tasks pending for these vacancies, then these profiles, as a
    worker would (compute, then store): tests of the API without a worker process read what they store."""
    from sqlmodel import col, select

    from matching.services import opportunities, vacancy_fits
    from matching.services.profile_index import reset
    from matching.store.db import session_scope
    from matching.store.models import ProfileFitRun, VacancyFitRun

    reset()  # this process's profile index may hold another test database's profiles
    for service, table, key, ids in ((vacancy_fits, VacancyFitRun, VacancyFitRun.vacancy_id, vacancy_ids),
                                     (opportunities, ProfileFitRun, ProfileFitRun.profile_id, profile_ids)):
        for _ in range(3):  # a store that finds its row changed asks again
            with session_scope(read_only=True) as session:
                runs = session.exec(select(table.id).where(col(key).in_(list(ids)))).all()
                computed = [c for c in (service.compute(session, run_id) for run_id in runs) if c is not None]
            if not computed:
                break
            with session_scope() as session:
                for item in computed:
                    service.store(session, item)


def measure_cards_here() -> int:
    """Measure the employer cards in this process with the worker's own code (its card keeper's round), on
    the database this process uses: what a worker does within a second of a presentation or a change."""
    from matching.services import card_store
    from matching.store.db import session_scope

    with session_scope() as session:
        return card_store.refresh(session)
