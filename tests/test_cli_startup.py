"""Start-up problems a newcomer meets: one clear line each, never a traceback, never the URL's password."""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from matching.settings import Settings
from tests.conftest import fresh_postgres_database
from tests.live import free_port
from tests.test_cli import BLINDMATCH, embedded_env, run

SECRET = "Pa55w0rdOfTheDb"
passwords = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=8, max_size=20)


def _said(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("nonsense", "postgresql://user:password@host:5432/name"),
        (f"mysql://u:{SECRET}@127.0.0.1/x", "postgresql://user:password@host:5432/name"),
        (f"postgresql://u:{SECRET}@127.0.0.1:port/x", "port must be a number"),
        (f"postgresql://u:{SECRET}@127.0.0.1:1/x", "server 127.0.0.1:1"),  # nothing listens there
        (f"postgres://nobody:{SECRET}@127.0.0.1:5432/no_such_database", "server 127.0.0.1:5432"),
    ],
)
def test_a_bad_database_url_is_one_line_that_says_what_to_fix(tmp_path, url, expected):
    env = {**embedded_env(tmp_path), "DATABASE_URL": url}
    result = run(["migrate"], env, timeout=60)
    said = _said(result)
    assert result.returncode == 2
    assert len(said) == 1, said  # one line, not a traceback
    assert "Traceback" not in said[0] and "DATABASE_URL" in said[0] and expected in said[0]
    assert SECRET not in said[0]


def test_the_postgres_scheme_works_like_postgresql(tmp_path):
    with fresh_postgres_database("cli_postgres_scheme") as url:
        short = "postgres://" + url.split("://", 1)[1]  # the form many hosts hand out
        result = run(["migrate"], {**embedded_env(tmp_path), "DATABASE_URL": short}, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "database ready" in result.stdout
        assert not (tmp_path / "var" / "blindmatch.db").exists()  # PostgreSQL was used, not the SQLite default


@settings(max_examples=60, deadline=None)
@given(password=passwords, host=st.sampled_from(["db", "127.0.0.1", "pg.example.org"]),
       name=st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True), port=st.integers(1, 65535))
def test_postgres_urls_read_as_postgresql(password, host, name, port):
    url = f"postgres://user:{password}@{host}:{port}/{name}"
    assert Settings(database_url=url).database_url == f"postgresql://user:{password}@{host}:{port}/{name}"


@settings(max_examples=60, deadline=None)
@given(password=passwords, scheme=st.sampled_from(["mysql", "http", "redis", "postgresq", "sqlite3", "pg", ""]),
       port=st.sampled_from(["5432", "port", "54a"]))
def test_a_refused_database_url_never_repeats_its_password(password, scheme, port):
    password = f"Zq9{password}"  # never a word of the message itself ("password", "sqlite")
    url = f"{scheme}://user:{password}@host:{port}/db" if scheme else f"user:{password}@host/db"
    with pytest.raises(ValidationError) as refused:
        Settings(database_url=url)
    message = str(refused.value)
    assert "DATABASE_URL" in message and password not in message


def test_serve_with_an_unreachable_redis_says_so_in_one_line(tmp_path):
    env = {**embedded_env(tmp_path), "REDIS_URL": f"redis://:{SECRET}@127.0.0.1:{free_port()}/0"}
    process = subprocess.Popen(
        [BLINDMATCH, "serve", "--port", str(free_port()), "--no-worker"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    said: list[str] = []
    try:
        for line in process.stderr:  # the JSON log lines, and the warning before the API starts listening
            said.append(line)
            if "REDIS_URL" in line or "startup complete" in line:
                break
    finally:
        process.terminate()
        process.wait(timeout=60)
    warnings = [line for line in said if not line.startswith("{")]  # not a log record: a line for people
    assert len(warnings) == 1, said
    warning = warnings[0]
    assert "Redis" in warning and "REDIS_URL" in warning and "does not answer" in warning, warning
    assert SECRET not in warning

