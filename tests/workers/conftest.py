"""Reliability tests run the service as production does: PostgreSQL, Redis, API and worker processes."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import POSTGRES_ADMIN_URL, RUN_ID, fresh_postgres_database, missing_service, use_database


@pytest.fixture(scope="session")
def workers_database() -> str:
    """A PostgreSQL database of these tests' own: shortlists score every published profile there is."""
    import sqlalchemy

    from matching.services.bootstrap import prepare_database

    admin = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"blindmatch_test_{RUN_ID}_workers"
    try:
        with admin.connect() as connection:
            connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    except sqlalchemy.exc.OperationalError:
        missing_service(f"PostgreSQL at {POSTGRES_ADMIN_URL}")
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    use_database(url)
    prepare_database()
    use_database(None)
    yield url
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def pg(workers_database: str, redis_url: str) -> str:
    """That database, for this process and the API and worker processes it starts."""
    use_database(workers_database)
    yield workers_database
    use_database(None)


@pytest.fixture
def queue() -> str:
    """A queue of the test's own: no message of another test reaches its workers."""
    return f"blindmatch-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def fresh_pg(redis_url):
    """A PostgreSQL database of this test's own: every open vacancy and published profile in it is the test's."""
    from matching.services.bootstrap import prepare_database

    with fresh_postgres_database("fits") as url:
        use_database(url)
        prepare_database()
        yield url
        use_database(None)
