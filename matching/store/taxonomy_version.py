"""The taxonomy's version stamp: every process rebuilds its cached linker when it changes."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy import select
from sqlmodel import Session, SQLModel

from matching.store.models import MetaValue

VERSION_KEY = "taxonomy_version"


def current(session: Session) -> str:
    """The stamp now ("empty" before any taxonomy was loaded)."""
    row = session.get(MetaValue, VERSION_KEY)
    return row.value if row else "empty"


def bump(session: Session) -> str:
    """A new stamp, so every process's taxonomy cache rebuilds; returns it."""
    row = session.get(MetaValue, VERSION_KEY) or MetaValue(key=VERSION_KEY, value="")
    row.value = uuid.uuid4().hex
    session.add(row)
    session.flush()
    return row.value


def fingerprint(session: Session) -> str:
    """A digest of every concept, label and relation: an import that changed nothing leaves it as it was.

    Compared before and after an import so that re-running it keeps the stamp, and no process rebuilds
    its linker (nor reports a new taxonomy) for nothing.
    """
    session.flush()
    digest = hashlib.sha256()
    for name, order in (("concept", ("id",)), ("concept_label", ("concept_id", "lang", "label")),
                        ("concept_relation", ("concept_id", "relation", "target_id"))):
        table = SQLModel.metadata.tables[name]
        # A label's row id is a surrogate that a re-import renumbers: it is no part of the taxonomy.
        columns = sorted((c for c in table.c if not (name == "concept_label" and c.name == "id")),
                         key=lambda column: column.name)
        digest.update(name.encode())
        query = select(*columns).order_by(*(table.c[key] for key in order))
        for row in session.execute(query):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()
