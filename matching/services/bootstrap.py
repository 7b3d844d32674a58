"""Bring a database to a working state: schema migrations, seed taxonomy, seed postcodes."""

from __future__ import annotations

from dataclasses import dataclass

from matching.services.taxonomy import load_seed
from matching.store.db import get_engine, session_scope
from matching.store.migrate import upgrade
from matching.store.postcodes import load_seed_postcodes


@dataclass(frozen=True)
class Prepared:
    concepts_added: int
    postcodes_added: int


def prepare_database() -> Prepared:
    """Idempotent: migrate to the latest schema and add the project's seed data where missing."""
    upgrade(get_engine())
    with session_scope() as session:
        concepts = load_seed(session)
        postcodes = load_seed_postcodes(session)
    return Prepared(concepts_added=concepts, postcodes_added=postcodes)
