"""Test set-up: real services on loopback, a throwaway data directory, a queue of this run's own.

Tests talk to the real Redis, PostgreSQL and `celery worker` processes. When CI=true and a service
is missing, the tests that need it fail instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path

# Before any project import: the settings and the Celery app are read once per process.
RUN_ID = uuid.uuid4().hex[:8]
DATA_DIR = Path(tempfile.mkdtemp(prefix=f"blindmatch-test-{RUN_ID}-"))
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
os.environ.pop("DATABASE_URL", None)
os.environ["BLINDMATCH_DATA_DIR"] = str(DATA_DIR)
os.environ["REDIS_URL"] = REDIS_URL
os.environ["BLINDMATCH_QUEUE"] = f"blindmatch-test-{RUN_ID}"
os.environ["BLINDMATCH_SECRET_KEY"] = f"test-secret-{RUN_ID}"

import pytest  # noqa: E402
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# Hypothesis' default 200 ms deadline and its too_slow health check measure wall-clock time: on a loaded
# CI machine (2 cores, worker processes running, first calls loading phonenumbers' metadata) an example
# can stall past them and fail as "Unreliable test timings" although nothing is wrong. These tests assert
# behaviour, not speed, so the profile turns both off; loaded here, before any test module is imported,
# it is the parent of every @settings(...) in the tests (which still choose their own max_examples).
hypothesis_settings.register_profile(
    "blindmatch-tests", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("blindmatch-tests")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
IN_CI = os.environ.get("CI") == "true"


def missing_service(what: str) -> None:
    """Fail in CI (a missing service is a broken run), skip on a developer's machine."""
    if IN_CI:
        pytest.fail(f"{what} is not reachable and CI=true: start it (see README)")
    pytest.skip(f"{what} is not reachable")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        missing_service(f"the shared data directory {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def redis_url() -> str:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError:
        missing_service(f"Redis at {REDIS_URL}")
    yield REDIS_URL
    queue = os.environ["BLINDMATCH_QUEUE"]
    for key in client.scan_iter(f"*{queue}*"):
        client.delete(key)


@contextmanager
def fresh_postgres_database(suffix: str):
    """A PostgreSQL database of its own, dropped afterwards; yields its URL."""
    import sqlalchemy

    admin = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"blindmatch_test_{RUN_ID}_{suffix}"
    try:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    except sqlalchemy.exc.OperationalError:
        missing_service(f"PostgreSQL at {POSTGRES_ADMIN_URL}")
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_database() -> str:
    """A fresh PostgreSQL database for this run, dropped at the end."""
    with fresh_postgres_database("main") as url:
        yield url


def use_database(url: str | None) -> None:
    """Point the process's settings and engine at another database."""
    from matching.settings import get_settings
    from matching.store.db import get_engine

    if url is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = url
    from matching.services import crowds, profile_index

    get_settings.cache_clear()
    get_engine.cache_clear()
    profile_index.reset()
    crowds.reset()


@pytest.fixture(scope="session")
def sqlite_database() -> str:
    return f"sqlite:///{DATA_DIR / 'api-tests.db'}"


@pytest.fixture(scope="session")
def prepared_sqlite(sqlite_database: str) -> str:
    from matching.services.bootstrap import prepare_database

    use_database(sqlite_database)
    prepare_database()
    return sqlite_database


@pytest.fixture
def client(prepared_sqlite: str):
    """The real app in-process on the session's SQLite database."""
    from fastapi.testclient import TestClient

    from api.app import app

    use_database(prepared_sqlite)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def pytest_sessionfinish(session, exitstatus) -> None:
    shutil.rmtree(DATA_DIR, ignore_errors=True)
