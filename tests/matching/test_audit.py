"""The audit log: append-only, hash-chained, checked by `blindmatch audit verify`; no personal data in it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import Session, SQLModel

from matching.store import audit
from matching.store.access import Actor
from matching.store.db import make_engine
from matching.store.models import AuditAnchor
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
    _reset(engine)
    yield engine
    engine.dispose()


def _reset(engine) -> None:
    # The accounts tables too: verify holds the users and tokens it finds against the entries that made them.
    names = ("audit_entry", "audit_anchor", "organisation", "app_user", "api_token")
    tables = [SQLModel.metadata.tables[name] for name in names]
    SQLModel.metadata.drop_all(engine, tables=tables)
    SQLModel.metadata.create_all(engine, tables=tables)


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
    # Verified while appends go on, too: the anchor is read in the chain's snapshot, never half-updated.
    threads = [threading.Thread(target=_append, args=(engine, 5)) for _ in range(8)]
    for thread in threads:
        thread.start()
    during = [_verify(engine) for _ in range(3)]
    for thread in threads:
        thread.join()
    result = _verify(engine)
    assert result.ok and result.entries == 40, result
    assert all(seen.ok for seen in during), during
    with Session(engine) as session:
        anchor = session.get(AuditAnchor, AuditAnchor.SINGLE)
    assert anchor.entries == 40 and anchor.head == result.head  # no append lost its update of the anchor


def test_appends_from_two_processes_keep_the_anchor(engine, tmp_path):
    url = engine.url.render_as_string(hide_password=False)
    script = (
        "import sys\n"
        "from sqlmodel import Session\n"
        "from matching.store import audit\n"
        "from matching.store.db import make_engine\n"
        "engine = make_engine(sys.argv[1])\n"
        "for i in range(15):\n"
        "    with Session(engine) as session:\n"
        "        audit.append(session, action='cards.viewed', actor=None, details={'count': i})\n"
        "        session.commit()\n"
    )
    processes = [subprocess.Popen([sys.executable, "-c", script, url]) for _ in range(2)]
    assert [process.wait(timeout=300) for process in processes] == [0, 0]
    result = _verify(engine)
    assert result.ok and result.entries == 30, result


def _delete_after(engine, seq: int) -> None:
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entry WHERE seq > :seq"), {"seq": seq})


@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(total=st.integers(min_value=1, max_value=9), data=st.data())
def test_deleting_the_last_entries_is_reported_as_truncation(engine, total, data):
    _reset(engine)
    _append(engine, total)
    removed = data.draw(st.integers(min_value=1, max_value=total), label="entries deleted from the end")
    _delete_after(engine, total - removed)
    result = _verify(engine)
    assert not result.ok, result
    assert result.entries == total - removed and result.broken_at == total - removed + 1
    assert f"counts {total} entries" in result.reason and "truncated" in result.reason


def test_deleting_the_anchor_is_seen(engine):
    _append(engine, 3)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_anchor"))
    result = _verify(engine)
    assert not result.ok and "anchor is missing" in result.reason
    _delete_after(engine, 0)
    assert _verify(engine).ok  # no entry and no anchor: a fresh installation


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(total=st.integers(min_value=2, max_value=8), data=st.data(),
       guessed_key=st.text(min_size=0, max_size=40) | st.just("dev-only-secret-change-me"))
def test_an_anchor_rewritten_without_the_key_is_seen(engine, total, data, guessed_key):
    import hashlib
    import hmac

    _reset(engine)
    _append(engine, total)
    kept = data.draw(st.integers(min_value=1, max_value=total - 1), label="entries kept")
    _delete_after(engine, kept)
    with Session(engine) as session:  # what an attacker who can write rows computes: the chain's new head
        head = audit.verify(session).head
    signature = hmac.new(guessed_key.encode(), f"audit-anchor\0{kept}\0{head}".encode(), hashlib.sha256).hexdigest()
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_anchor SET entries = :n, head = :head, signature = :signature"),
                           {"n": kept, "head": head, "signature": signature})
    result = _verify(engine)
    assert not result.ok and "signature does not match" in result.reason


def test_candidate_refs_are_kept_as_keyed_digests(engine):
    with Session(engine) as session:
        entry = audit.append(session, action="cards.viewed", actor=ACTOR,
                             details={"candidate_refs": ["cand_abc"], "candidate_ref": "cand_def"})
        details = dict(entry.details)
        session.commit()
    assert "cand_abc" not in str(details) and "cand_def" not in str(details)
    assert details["candidate_ref"] == audit.ref_digest("cand_def")
    assert _verify(engine).ok


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
    for _ in range(2):  # each admin: a user, a token and a sign-in link for the pages, three entries
        assert subprocess.run([BLINDMATCH, "create-admin"], env=env, capture_output=True, timeout=120).returncode == 0
    ok = subprocess.run([BLINDMATCH, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "audit chain ok: 6 entries" in ok.stdout
    connection = sqlite3.connect(tmp_path / "var" / "blindmatch.db")
    connection.execute("UPDATE audit_entry SET actor_role = 'admin' WHERE seq = 2")
    connection.commit()
    connection.close()
    broken = subprocess.run([BLINDMATCH, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120)
    assert broken.returncode == 1
    assert "broken at entry 2" in broken.stdout


def test_the_cli_reports_a_truncated_chain_with_the_count_expected(tmp_path):
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["BLINDMATCH_DATA_DIR"] = str(tmp_path / "var")
    for _ in range(2):
        assert subprocess.run([BLINDMATCH, "create-admin"], env=env, capture_output=True, timeout=120).returncode == 0
    connection = sqlite3.connect(tmp_path / "var" / "blindmatch.db")
    connection.execute("DELETE FROM audit_entry WHERE seq > 3")  # the second admin's entries, chain intact
    connection.commit()
    connection.close()
    broken = subprocess.run([BLINDMATCH, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120)
    assert broken.returncode == 1, broken.stdout
    assert "truncated" in broken.stdout and "counts 6 entries" in broken.stdout


def _make_users(engine, n: int) -> None:
    """Users with their tokens, made by the service: each making is recorded in the log."""
    from matching.schemas.resources import UserCreate
    from matching.services.accounts import create_user
    from matching.store.models import Organisation

    for _ in range(n):
        with Session(engine) as session:
            organisation = Organisation(name="Clean & Co", kind="employer")
            session.add(organisation)
            session.flush()
            create_user(session, payload=UserCreate(organisation_id=organisation.id, role="employer",
                                                    display_name="e"), actor=ACTOR)
            session.commit()


def _snapshot(engine, table: str) -> list[dict]:
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(text(f"SELECT * FROM {table}"))]


def test_deleting_the_whole_log_with_its_anchor_is_seen_where_the_service_made_users(engine):
    _make_users(engine, 2)
    _append(engine, 3)
    assert _verify(engine).ok
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entry"))
        connection.execute(text("DELETE FROM audit_anchor"))
    result = _verify(engine)
    assert not result.ok, result
    assert "2 users" in result.reason and "2 tokens" in result.reason, result.reason


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.integers(min_value=0, max_value=3), after=st.integers(min_value=1, max_value=3),
       views=st.integers(min_value=0, max_value=3))
def test_a_tail_cut_back_to_an_older_signed_anchor_is_seen(engine, before, after, views):
    """An attacker who can write rows keeps an old anchor (a backup has one), then deletes what came after it."""
    _reset(engine)
    _make_users(engine, before)
    _append(engine, views)
    anchors = _snapshot(engine, "audit_anchor")
    old_anchor = anchors[0] if anchors else None
    kept = old_anchor["entries"] if old_anchor else 0
    _make_users(engine, after)
    _append(engine, views)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entry WHERE seq > :seq"), {"seq": kept})
        connection.execute(text("DELETE FROM audit_anchor"))
        if old_anchor:
            connection.execute(
                text("INSERT INTO audit_anchor (id, entries, head, signature, updated_at) "
                     "VALUES (:id, :entries, :head, :signature, :updated_at)"), old_anchor)
    result = _verify(engine)
    assert not result.ok, result
    assert f"{after} users" in result.reason
