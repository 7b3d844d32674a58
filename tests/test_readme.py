"""The README's curl examples work as written: each one is sent, headers and body as printed, to the real app."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.factories import admin_token, create_world

README = Path(__file__).parents[1] / "README.md"


def curl_commands(text: str) -> list[str]:
    """Every curl command of the README's shell blocks, a command spread over several lines joined."""
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        pending = ""
        for line in block.splitlines():
            if not pending and not line.startswith("curl "):
                continue  # comments (answers), assignments, other commands
            pending = f"{pending}\n{line}" if pending else line
            try:
                shlex.split(pending)
            except ValueError:  # a quote still open: the body goes on next line
                continue
            commands.append(pending)
            pending = ""
        assert not pending, f"unclosed quote in {pending[:80]}"
    return commands


def parse(command: str, variables: dict[str, str]) -> tuple[str, str, dict[str, str], str | None]:
    """(method, path, headers, body) of a curl command once its $VARIABLES are replaced."""
    for name in sorted(variables, key=len, reverse=True):
        command = command.replace(f"${name}", variables[name])
    assert "$" not in command.replace("$(", ""), f"a variable the README never defines: {command[:120]}"
    words = shlex.split(command)[1:]
    method, headers, body, url = "GET", {}, None, None
    while words:
        word = words.pop(0)
        if word == "-X":
            method = words.pop(0)
        elif word == "-H":
            name, _, value = words.pop(0).partition(":")
            headers[name.strip()] = value.strip()
        elif word in ("-d", "--data"):
            body = words.pop(0)
            method = "POST" if method == "GET" else method
        elif word.startswith("localhost"):
            url = word
        else:
            assert word == "-s", f"an option this test does not read: {word}"
    assert url is not None
    return method, url.removeprefix("localhost:8000"), headers, body


@pytest.fixture
def webhooks_unresolved(monkeypatch):
    """The webhook example names a receiver's host this machine need not resolve: the operator's flag lets a
    webhook be registered before its host resolves (tests/matching/test_webhook_urls.py checks URLs)."""
    from matching.settings import get_settings

    monkeypatch.setenv("BLINDMATCH_WEBHOOKS_ALLOW_PRIVATE", "true")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("BLINDMATCH_WEBHOOKS_ALLOW_PRIVATE")
    get_settings.cache_clear()


def test_every_curl_example_of_the_readme_works_as_written(client, webhooks_unresolved):
    commands = curl_commands(README.read_text(encoding="utf-8"))
    assert len(commands) >= 10
    admin = admin_token()
    world = create_world(client, admin=admin)
    variables = {"T": admin, "EMPLOYER_ORG": world.employer_id, "LIAISON": world.liaison,
                 "COUNSELLOR": world.counsellor, "EMPLOYER": world.employer}
    for command in commands:
        method, path, headers, body = parse(command, variables)
        if body is not None:  # without it the API answers 422: the README once forgot it
            assert headers.get("Content-Type") == "application/json", command[:120]
        response = client.request(method, path, headers=headers, content=body)
        assert response.status_code in (200, 201, 202, 204), f"{command[:120]} -> {response.text}"
        answer = response.json() if response.content else None
        if (method, path) == ("POST", "/v1/organisations"):
            variables["LIAISON_ORG"] = answer["id"]
        elif (method, path) == ("POST", "/v1/profiles"):
            variables["PROFILE"] = answer["id"]
        elif (method, path) == ("POST", "/v1/vacancies"):
            variables["VACANCY"] = answer["id"]
        elif path.endswith("/shortlists") and method == "POST":
            variables["SHORTLIST"] = answer["id"]
        elif (method, path) == ("POST", "/v1/webhooks"):
            variables["WEBHOOK"] = answer["id"]


def test_the_readme_points_at_the_contract_shipped_in_the_repository():
    text = README.read_text(encoding="utf-8")
    assert "(docs/API.md)" in text and (README.parent / "docs" / "API.md").is_file()
    assert "/employers/{employer_id}" in text  # a liaison must be linked to an employer first, and how
