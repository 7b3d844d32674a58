"""Engine and session scope: SQLite file by default, PostgreSQL through DATABASE_URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from matching.settings import get_settings

READ_ONLY = "blindmatch_read_only"


def make_engine(url: str) -> Engine:
    """An engine with the pragmas that make SQLite safe for several processes."""
    if url.startswith("sqlite"):
        # hide_parameters: an error or a log line shows the SQL, never the profile content bound to it.
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            # WAL lets the worker read while the API writes; busy_timeout waits instead of failing.
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            # Erasure: deleted and overwritten content is zeroed in the file, not left in free pages.
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.close()
            # The driver's own BEGIN (deferred) is replaced by ours below.
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection) -> None:
            # A deferred transaction that read first cannot take the write lock once another process has
            # written since ("database is locked" at once, busy_timeout does not help): writers take the
            # lock when they begin and queue on busy_timeout. Read-only scopes stay deferred and concurrent.
            # A session opened while another of the same thread holds the write lock must be read-only
            # (`reader`), or it waits for its own thread until busy_timeout.
            read_only = connection.get_execution_options().get(READ_ONLY, False)
            connection.exec_driver_sql("BEGIN DEFERRED" if read_only else "BEGIN IMMEDIATE")

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # An API process runs up to 40 requests at once (the thread pool): with the default 5 (+10 overflow) pooled
    # connections, connections beyond the pool were opened and closed per request under load.
    return create_engine(url, pool_pre_ping=True, hide_parameters=True, pool_size=20, max_overflow=20)


@lru_cache
def get_engine() -> Engine:
    """The process's engine, built from settings once."""
    settings = get_settings()
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.effective_database_url)


def reader(engine: Engine) -> Engine:
    """The same engine for scopes that only read: on SQLite they do not queue behind writers."""
    return engine.execution_options(**{READ_ONLY: True})


@contextmanager
def session_scope(*, read_only: bool = False) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    engine = reader(get_engine()) if read_only else get_engine()
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
