"""GET /v1/audit/verify reports a truncated audit log, with the number of entries its signed anchor counts."""

from __future__ import annotations

from sqlalchemy import text

from matching.store.db import get_engine
from tests.factories import admin_token, bearer


def test_the_verify_route_reports_a_truncated_log_and_a_restored_one_verifies(client):
    admin = bearer(admin_token())
    before = client.get("/v1/audit/verify", headers=admin).json()
    assert before["ok"], before
    engine = get_engine()
    with engine.begin() as connection:  # the last two entries, as an attacker who can write rows removes them
        rows = connection.execute(text("SELECT * FROM audit_entry ORDER BY seq DESC LIMIT 2")).mappings().all()
        connection.execute(text("DELETE FROM audit_entry WHERE seq > :seq"), {"seq": rows[-1]["seq"] - 1})
    try:
        truncated = client.get("/v1/audit/verify", headers=admin)
        assert truncated.status_code == 200
        body = truncated.json()
        assert not body["ok"] and body["entries"] == before["entries"] - 2
        assert body["broken_at"] == before["entries"] - 1
        assert f"counts {before['entries']} entries" in body["reason"], body
    finally:  # the shared test database gets its entries back
        with engine.begin() as connection:
            for row in reversed(rows):
                columns = ", ".join(row.keys())
                values = ", ".join(f":{name}" for name in row.keys())
                connection.execute(text(f"INSERT INTO audit_entry ({columns}) VALUES ({values})"), dict(row))
    assert client.get("/v1/audit/verify", headers=admin).json()["ok"]
