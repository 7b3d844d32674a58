"""Schema migrations: the models and the migrations agree, and upgrading again loses nothing."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import Session, SQLModel

from matching.store.db import make_engine
from matching.store.migrate import upgrade
from matching.store.models import Organisation
from tests.conftest import fresh_postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
        yield engine
        engine.dispose()
        return
    with fresh_postgres_database(f"mig{uuid.uuid4().hex[:6]}") as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def test_migrations_build_exactly_the_models(engine):
    upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == [], "models changed without a migration: run scripts/regen-initial-migration"


def test_upgrading_twice_keeps_the_data(engine):
    upgrade(engine)
    with Session(engine) as session:
        session.add(Organisation(id="org_keep", name="Kept", kind="employer"))
        session.commit()
    upgrade(engine)
    with Session(engine) as session:
        assert session.get(Organisation, "org_keep").name == "Kept"
