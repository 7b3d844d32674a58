"""The `blindmatch` command as a newcomer runs it: embedded default, no server, real worker process."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.live import free_port

BLINDMATCH = str(Path(sys.executable).with_name("blindmatch"))


def embedded_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a fresh machine: no DATABASE_URL, no REDIS_URL, a data directory of its own."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "BLINDMATCH_QUEUE")}
    env["BLINDMATCH_DATA_DIR"] = str(tmp_path / "var")
    return env


def run(args: list[str], env: dict[str, str], timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([BLINDMATCH, *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_create_admin_prints_a_token_that_works(tmp_path):
    result = run(["create-admin"], embedded_env(tmp_path))
    assert result.returncode == 0, result.stderr
    token_lines = [line for line in result.stdout.splitlines() if "token" in line]
    assert len(token_lines) == 1
    token = token_lines[0].split()[-1]
    assert re.fullmatch(r"bm_[A-Za-z0-9_-]{40,}", token)
    assert (tmp_path / "var" / "blindmatch.db").exists()
    # The pages' way in for the first admin: a one-time sign-in link.
    assert re.search(r"sign-in link .*: http://127\.0\.0\.1:8000/sign-in/[A-Za-z0-9_-]{40,}\n", result.stdout)


def test_demo_prints_the_shortlists_computed_by_the_worker(tmp_path):
    result = run(["demo"], embedded_env(tmp_path))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert "embedded" in out
    assert "shortlists computed by the worker process" in out
    assert out.count("┃ # ┃") == 8, out[-3000:]  # one table per vacancy
    # progress while the worker computes, one line per shortlist as it is done
    assert [int(n) for n in re.findall(r"shortlist (\d)/8 done", out)] == list(range(1, 9))
    # the table says what its numbers are, and splits what is missing by kind
    assert out.count("score = the sum of the five parts") == 8 and "(of 0.40)" in out
    assert "missing must-have" in out and "nice-to-have" in out and "missing:" not in out
    assert "about 0 min" not in out
    assert "Magazijnmedewerker" in out or "magazijn" in out.lower()
    assert "trajectory" in out and "presented" in out
    assert not list((tmp_path / "var" / "demo" / "broker" / "queue").iterdir()), "messages left unconsumed"


def test_serve_runs_the_api_and_a_worker_on_the_embedded_default(tmp_path):
    env = embedded_env(tmp_path)
    port = free_port()
    process = subprocess.Popen(
        [BLINDMATCH, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 120  # generous: API and worker start-up are slow on a loaded CI machine
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2)
                if response.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, "serve did not become ready"
            time.sleep(0.3)
        assert response.json()["checks"] == {"database": "ok", "broker": "ok", "workers": "ok"}
        assert httpx.get(f"http://127.0.0.1:{port}/v1/profiles").status_code == 401
    finally:
        process.terminate()
        process.wait(timeout=60)
    assert process.returncode == 0


def test_geo_import_then_an_antwerp_postcode_is_known(tmp_path, shared_data):
    env = embedded_env(tmp_path)
    result = run(["geo", "import", str(shared_data / "geo" / "be_postcodes.csv")], env)
    assert result.returncode == 0, result.stderr
    assert "postcodes imported" in result.stdout
    again = run(["geo", "import", str(shared_data / "geo" / "be_postcodes.csv")], env)
    assert again.stdout.split()[0] == result.stdout.split()[0]  # idempotent: the same count twice
    # the count differs from the file's lines: the answer says why, and what the second run changed
    said = " ".join(result.stdout.split())
    data_rows = len((shared_data / "geo" / "be_postcodes.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert f"from {data_rows} rows" in said and "sharing the postcode" in said
    assert f"{data_rows - int(said.split()[0])} rows" in said
    assert " 0 new, 0 updated" in " ".join(again.stdout.split())
    bad = tmp_path / "bad.csv"
    bad.write_text("postcode,place_name\n2000,Antwerpen\n")
    refused = run(["geo", "import", str(bad)], env)
    assert refused.returncode == 2
    assert "lat" in refused.stdout


def test_taxonomy_import_esco_twice(tmp_path, shared_data):
    env = embedded_env(tmp_path)
    source = tmp_path / "esco"
    source.mkdir()
    for name in (
        "skills_en.csv.gz",
        "skills_fr.csv.gz",
        "occupations_fr.csv.gz",
        "broaderRelationsSkillPillar_en.csv.gz",
    ):
        shutil.copy(shared_data / "esco-v1.1.1" / name, source / name)
    first = run(["taxonomy", "import-esco", str(source), "--languages", "en,fr"], env)
    assert first.returncode == 0, first.stderr[-2000:]
    said = " ".join(first.stdout.split())
    assert "13896 skills" in said and "taxonomy changed" in said
    assert "EscoImportReport" not in said and "skills=" not in said  # sentences, not a Python object
    assert "ESCO classification of the European Commission" in first.stdout
    second = run(["taxonomy", "import-esco", str(source), "--languages", "en,fr"], env)
    assert second.returncode == 0
    said_again = " ".join(second.stdout.split())
    assert "13896 skills" in said_again and "nothing changed" in said_again
    version = re.search(r"new version ([0-9a-f]+)", said).group(1)
    assert f"version {version} kept" in said_again


@pytest.mark.parametrize("command", [["taxonomy", "import-esco", "/no/such/dir"], ["geo", "import", "/no/such.csv"]])
def test_import_commands_refuse_a_missing_path(tmp_path, command):
    result = run(command, embedded_env(tmp_path))
    assert result.returncode == 2
    assert "not a" in (result.stdout + result.stderr)


@pytest.mark.parametrize(
    "name",
    ["jan.peeters@gmail.com", "Jan 0470 12 34 56", "Admin (call +32 470 12 34 56)", "Rue Haute 12, 1000 Bruxelles", ""],
)
def test_create_admin_screens_the_name_like_a_display_name_of_the_api(tmp_path, name):
    """The command line is another way in: its name passes the screen of POST /v1/users, nothing is stored."""
    env = embedded_env(tmp_path)
    result = run(["create-admin", "--name", name], env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "token" not in result.stdout
    if name:
        assert name not in result.stdout + result.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "var" / "blindmatch.db") as database:
        assert database.execute('SELECT count(*) FROM app_user').fetchone() == (0,)
    assert run(["create-admin", "--name", "Operations desk"], env).returncode == 0
