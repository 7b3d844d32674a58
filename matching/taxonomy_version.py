"""The taxonomy's version stamp: every process rebuilds its cached linker when it changes."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from matching.models import MetaValue

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
