"""An API process's start: its warm-up never stops it, and /readyz still says what is reachable."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import fresh_postgres_database, use_database


@pytest.fixture
def redis_down(monkeypatch):
    from matching.settings import get_settings

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("REDIS_URL")
    get_settings.cache_clear()


def test_an_api_process_starts_on_a_database_without_tables_and_with_redis_down(redis_down):
    from api.app import create_app

    with fresh_postgres_database("start") as url:
        use_database(url)
        try:
            with TestClient(create_app(), raise_server_exceptions=False) as http:  # the lifespan's warm-up ran
                assert http.get("/healthz").status_code == 200  # the process is up
                ready = http.get("/readyz")
                assert ready.status_code == 503  # and not ready: no worker seen, the broker unreachable
                assert ready.json()["checks"]["broker"] != "ok"
                assert ready.json()["checks"]["workers"] != "ok"
        finally:
            use_database(None)
