"""The audit log: append-only, hash-chained, checked by `blindmatch audit verify`; no personal data in it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from matching import audit
from matching.access import Actor
from matching.db import make_engine
from tests.conftest import fresh_postgres_database

BLINDMATCH = str(Path(sys.executable).with_name("blindmatch"))
ACTOR = Actor(user_id="usr_1", role="employer", organisation_id="org_1")


@pytest.fixture(scope="module")
def audit_postgres():
    """A PostgreSQL database of this module's own (the tables here are dropped and made again)."""
    with fresh_postgres_database("audit") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("audit_postgres")
    engine = make_engine(url)
    table = SQLModel.metadata.tables["audit_entry"]
    SQLModel.metadata.drop_all(engine, tables=[table])
    SQLModel.metadata.create_all(engine, tables=[table])
    yield engine
    engine.dispose()


def _append(engine, n: int, **kwargs) -> None:
    for i in range(n):
        with Session(engine) as session:
            audit.append(session, action="cards.viewed", actor=ACTOR, subject_type="vacancy", subject_id=f"vac_{i}",
                         details={"candidate_refs": [f"cand_{i}"], "count": 1}, **kwargs)
            session.commit()


def _verify(engine) -> audit.Verification:
    with Session(engine) as session:
        return audit.verify(session)


def test_a_chain_verifies_and_any_change_breaks_it(engine):
    _append(engine, 6)
    result = _verify(engine)
    assert result.ok and result.entries == 6 and result.head != audit.GENESIS
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET subject_id = 'vac_other' WHERE seq = 4"))
    broken = _verify(engine)
    assert not broken.ok and broken.broken_at == 4 and broken.entries == 3 and "changed" in broken.reason


def test_removing_or_rewriting_the_tail_is_seen(engine):
    _append(engine, 5)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entry WHERE seq = 2"))
    result = _verify(engine)
    assert not result.ok and result.broken_at == 3 and "missing" in result.reason


def test_concurrent_appends_make_one_chain(engine):
    threads = [threading.Thread(target=_append, args=(engine, 5)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = _verify(engine)
    assert result.ok and result.entries == 40, result


def test_details_hold_ids_and_codes_only(engine):
    with Session(engine) as session:
        with pytest.raises(ValueError):
            audit.append(session, action="x", actor=ACTOR, details={"pitch": "text a person wrote"})
        with pytest.raises(ValueError):
            audit.append(session, action="x", actor=ACTOR, details={"count": 0.5})
        with pytest.raises(ValueError):
            audit.append(session, action="x", actor=ACTOR, details={"reason": {"nested": "dict"}})


def test_the_cli_verifies_the_chain_and_fails_on_a_tampered_one(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["BLINDMATCH_DATA_DIR"] = str(tmp_path / "var")
    for _ in range(2):  # each admin: a user and a token, two entries
        assert subprocess.run([BLINDMATCH, "create-admin"], env=env, capture_output=True, timeout=120).returncode == 0
    ok = subprocess.run([BLINDMATCH, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "audit chain ok: 4 entries" in ok.stdout
    connection = sqlite3.connect(tmp_path / "var" / "blindmatch.db")
    connection.execute("UPDATE audit_entry SET actor_role = 'admin' WHERE seq = 2")
    connection.commit()
    connection.close()
    broken = subprocess.run([BLINDMATCH, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120)
    assert broken.returncode == 1
    assert "broken at entry 2" in broken.stdout
