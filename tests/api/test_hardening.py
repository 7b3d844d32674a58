"""Secrets from the environment, production refusing the default secret, no stack traces, CORS closed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from matching.settings import DEFAULT_SECRET, Settings

GOOD_SECRET = "x" * 48


def _production_env(secret: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "BLINDMATCH_SECRET_KEY"}
    env["BLINDMATCH_ENVIRONMENT"] = "production"
    if secret is not None:
        env["BLINDMATCH_SECRET_KEY"] = secret
    return env


@pytest.mark.parametrize("secret", [DEFAULT_SECRET, "short-but-not-default"])
def test_production_refuses_a_default_or_short_secret(secret):
    with pytest.raises(ValueError, match="BLINDMATCH_SECRET_KEY"):
        Settings(environment="production", secret_key=secret)


@pytest.mark.parametrize("secret", [None, "short-but-not-default"])
def test_production_api_and_worker_refuse_to_start(secret):
    for module in ("api.app", "workers.app"):  # both stop at import, before serving or consuming
        result = subprocess.run([sys.executable, "-c", f"import {module}"], env=_production_env(secret),
                                capture_output=True, text=True, timeout=120)
        assert result.returncode != 0, module
        assert "BLINDMATCH_SECRET_KEY" in result.stderr
        if secret:
            assert secret not in result.stderr  # the refused value is not printed


def test_production_starts_with_a_real_secret():
    assert Settings(environment="production", secret_key=GOOD_SECRET).secret_key == GOOD_SECRET
    result = subprocess.run([sys.executable, "-c", "import api.app"], env=_production_env(GOOD_SECRET),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def _app_with_a_failing_route(settings: Settings | None = None):
    from api.app import create_app

    app = create_app(settings)

    def boom():
        raise RuntimeError("internal detail prf_abcdefgh12345 /srv/app/secret.py")

    app.add_api_route("/boom", boom)
    return app


def test_an_unexpected_error_answers_without_a_stack_trace(prepared_sqlite):
    with TestClient(_app_with_a_failing_route(), raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal"
    for leak in ("Traceback", "RuntimeError", "internal detail", "prf_abcdefgh12345", "secret.py", 'File "'):
        assert leak not in response.text


def _preflight(client, origin: str):
    return client.options(
        "/v1/profiles",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization,content-type"},
    )


def test_cors_is_closed_by_default(prepared_sqlite):
    from api.app import create_app

    with TestClient(create_app(Settings()), raise_server_exceptions=False) as client:
        for origin in ("https://evil.example", "http://localhost:3000", "null"):
            response = _preflight(client, origin)
            assert "access-control-allow-origin" not in response.headers
            simple = client.get("/healthz", headers={"Origin": origin})
            assert "access-control-allow-origin" not in simple.headers


def test_cors_allows_only_the_listed_origins(prepared_sqlite):
    from api.app import create_app

    settings = Settings(cors_origins="https://app.example, https://liaison.example")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        allowed = _preflight(client, "https://liaison.example")
        assert allowed.headers.get("access-control-allow-origin") == "https://liaison.example"
        assert "access-control-allow-credentials" not in allowed.headers
        refused = _preflight(client, "https://evil.example")
        assert "access-control-allow-origin" not in refused.headers
