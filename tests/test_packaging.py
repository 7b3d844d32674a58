"""The image and the compose file a newcomer starts from: no root, and the first steps named."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).parents[1]


def test_the_image_runs_as_an_unprivileged_user_that_owns_its_data_folder():
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()]
    users = [line.split(None, 1)[1] for line in lines if line.startswith("USER ")]
    assert users, "no USER: the service would run as root"
    last = users[-1].split(":")[0]
    assert last not in ("root", "0")
    assert lines.index(next(line for line in lines if line.startswith("USER "))) < lines.index(
        next(line for line in lines if line.startswith("CMD "))
    )
    assert any("chown" in line and "/data" in line for line in lines)  # the data folder stays writable


def test_compose_names_the_admin_and_import_commands_and_mounts_a_data_folder():
    text = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    stack = yaml.safe_load(text)
    for command in ("blindmatch create-admin", "blindmatch taxonomy import-esco /import/",
                    "blindmatch geo import /import/"):
        assert f"docker compose run --rm api {command}" in text, command
    for service in ("api", "worker"):
        assert any(str(volume).endswith(":/import:ro") for volume in stack["services"][service]["volumes"])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docker compose run --rm api blindmatch create-admin" in readme
    assert "blindmatch taxonomy import-esco /import/esco" in readme
