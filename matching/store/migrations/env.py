"""Alembic environment: runs against the engine the caller hands over, or DATABASE_URL."""

from alembic import context
from sqlmodel import SQLModel

import matching.store.models  # registers the tables on the metadata
from matching.settings import get_settings
from matching.store.db import make_engine

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(get_settings().effective_database_url)
    with engine.connect() as connection:
        _run(connection)


def _render_item(type_: str, obj, _context):
    """UtcDateTime converts values in Python; its column is a plain timezone-aware DateTime."""
    if type_ == "type" and isinstance(obj, matching.store.models.UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False  # alembic's own rendering


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
