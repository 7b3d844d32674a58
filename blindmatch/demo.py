"""`blindmatch demo`: the whole flow on the embedded default, over HTTP, with a real worker process."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

DATA = Path(__file__).with_name("demo_data.json")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_api(port: int):
    import uvicorn

    from blindmatch.processes import bounded_http
    from matching.settings import get_settings

    config = uvicorn.Config(
        "api.app:app", host="127.0.0.1", port=port, log_level="warning", **bounded_http(get_settings())
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the API did not start")
        time.sleep(0.05)
    return server, thread


class Client:
    """A thin HTTP client that fails loudly, with the API's error message."""

    def __init__(self, base: str, token: str) -> None:
        self.http = httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)

    def call(self, method: str, path: str, body: Any = None, expect: int = 200) -> Any:
        response = self.http.request(method, path, json=body)
        if response.status_code != expect:
            raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text}")
        return response.json() if response.content else None


def run_demo(console: Console, *, fresh: bool = True, serve: bool = False, port: int = 0) -> None:
    if not console.is_terminal:
        console = Console(width=150)  # piped to a file or a CI log: wide enough for the tables
    from matching.services.accounts import create_admin
    from matching.services.bootstrap import prepare_database
    from matching.settings import get_settings
    from matching.store.db import session_scope

    settings = get_settings()
    if settings.database_url is None and settings.redis_url is None:
        folder = settings.data_dir / "demo"
        if fresh and folder.exists():
            shutil.rmtree(folder)
        os.environ["BLINDMATCH_DATA_DIR"] = str(folder)  # the worker subprocess reads the same settings
        get_settings.cache_clear()
        settings = get_settings()
    console.print(
        f"[bold]blindmatch demo[/bold] — database {settings.effective_database_url}, broker "
        f"{'Redis' if settings.redis_url else 'embedded (files under ' + str(settings.broker_folder) + ')'}"
    )
    prepare_database()
    from matching.services.signin import issue_link

    with session_scope() as session:
        admin, admin_token = create_admin(session, display_name="demo admin")
        admin_link = issue_link(session, user=admin)

    from blindmatch.processes import start_worker

    worker_log = settings.data_dir / "worker.log"
    worker = start_worker(loglevel="INFO", log_path=worker_log)
    console.print(f"worker process {worker.pid} started (its log: {worker_log})")
    port = port or _free_port()
    server, thread = _start_api(port)
    base = f"http://127.0.0.1:{port}"
    try:
        links = _walk(console, base, admin_token)
        links["admin"] = f"{base}/sign-in/{admin_link}"
        _print_sign_in(console, base, links, serve=serve)
        if serve:
            while thread.is_alive():
                thread.join(timeout=1)
        else:
            _drain(settings.broker_folder / "queue")
    except KeyboardInterrupt:
        console.print("stopping")
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        worker.terminate()
        worker.wait(timeout=60)


def _drain(queue: Path, timeout: float = 60) -> None:
    """Let the worker finish the background tasks still queued (vacancies scored against the profiles), so
    that a later `demo --keep` does not start with this run's leftovers."""
    deadline = time.monotonic() + timeout
    while any(queue.glob("*.msg")) and time.monotonic() < deadline:
        time.sleep(0.2)


def _print_sign_in(console: Console, base: str, links: dict[str, str], *, serve: bool) -> None:
    """Where to open the pages, and one sign-in link per role (each works once: choose a password there)."""
    console.print(f"\n[bold]Pages for people:[/bold] {base}/ — open a sign-in link, choose a user name and password:")
    for role in ("counsellor", "liaison", "employer", "admin"):
        console.print(f"  {role:<10} {links[role]}", soft_wrap=True)
    if serve:
        console.print("Serving until Ctrl-C (the worker keeps computing shortlists asked for in the pages).")
    else:
        console.print("(run `blindmatch demo --serve` in a terminal to keep serving after the walk)")


def _walk(console: Console, base: str, admin_token: str) -> dict[str, str]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    admin = Client(base, admin_token)

    def organisation(name: str, kind: str) -> str:
        return admin.call("POST", "/v1/organisations", {"name": name, "kind": kind}, 201)["id"]

    links: dict[str, list[str]] = {}

    def user(org: str, role: str, name: str) -> Client:
        created = admin.call("POST", "/v1/users", {"organisation_id": org, "role": role, "display_name": name}, 201)
        links.setdefault(role, []).append(created["sign_in_url"])
        return Client(base, created["token"])

    liaison_org = organisation("Employer liaison (demo)", "liaison")
    liaison = user(liaison_org, "liaison", "liaison officer")
    counsellors = {
        c["key"]: user(organisation(c["name"], "counselling"), "counsellor", "counsellor") for c in data["counselling"]
    }
    employers: dict[str, tuple[str, Client]] = {}
    employer_links: dict[str, str] = {}
    for employer in data["employers"]:
        org = organisation(employer["name"], "employer")
        admin.call("PUT", f"/v1/organisations/{liaison_org}/employers/{org}", expect=204)
        employers[employer["key"]] = (org, user(org, "employer", "hiring manager"))
        employer_links[org] = links["employer"][-1]

    owner: dict[str, str] = {}
    unknown = 0
    for entry in data["profiles"]:
        created = counsellors[entry["counselling"]].call("POST", "/v1/profiles", entry["body"], 201)
        owner[created["id"]] = entry["counselling"]
        unknown += sum(1 for s in created["skills"] if s["match"] == "unknown")
    console.print(
        f"{len(owner)} anonymised profiles published ({unknown} skill labels not recognised), "
        f"{len(data['vacancies'])} vacancies:"
    )

    vacancies = []
    for entry in data["vacancies"]:
        org, _ = employers[entry["employer"]]
        vacancies.append(liaison.call("POST", "/v1/vacancies", {**entry["body"], "employer_id": org}, 201))
    requested = [(v, liaison.call("POST", f"/v1/vacancies/{v['id']}/shortlists", {"size": 5}, 202)) for v in vacancies]
    started = time.monotonic()
    console.print(f"waiting for the worker process to compute {len(requested)} shortlists...")
    shortlists = _wait_for_shortlists(console, liaison, requested, started)
    console.print(f"shortlists computed by the worker process in {time.monotonic() - started:.1f} s\n")
    for vacancy, shortlist in shortlists:
        console.print(_shortlist_table(vacancy, shortlist))

    vacancy, shortlist = shortlists[0]
    chosen = [item["profile_id"] for item in shortlist["items"][:2]]
    liaison.call("POST", f"/v1/shortlists/{shortlist['id']}/present", {"profile_ids": chosen})
    employer = next(client for org, client in employers.values() if org == vacancy["employer_id"])
    cards = _wait_for_cards(employer, vacancy["id"])
    first = cards[0]["candidate_ref"]
    employer.call(
        "POST",
        f"/v1/vacancies/{vacancy['id']}/candidates/{first}/decision",
        {"decision": "interview", "interview_at": "2027-01-12T10:00:00+01:00"},
    )
    console.print(
        f"\nThe liaison presented 2 candidates for “{vacancy['title']}”; the employer sees cards "
        f"{', '.join(c['candidate_ref'] for c in cards)} (no identity, no organisation) and proposes "
        "an interview to the first. The first card, as the employer's API answer holds it:"
    )
    console.print_json(data=cards[0])
    trajectory = counsellors[owner[chosen[0]]].call("GET", f"/v1/profiles/{chosen[0]}/trajectory")
    steps = ", ".join(
        f"{e['kind']}" + (f" ({e['vacancy_title']})" if e.get("vacancy_title") else "") for e in trajectory["events"]
    )
    console.print(f"The counsellor reads the trajectory of {chosen[0]}, newest first: {steps}")
    _wait_for_opportunities(console, {pid: counsellors[key] for pid, key in owner.items()}, chosen[0], len(vacancies))
    counsellor_keys = list(counsellors)
    return {
        "counsellor": links["counsellor"][counsellor_keys.index(owner[chosen[0]])],
        "liaison": links["liaison"][0],
        "employer": employer_links[vacancy["employer_id"]],
    }


def _wait_for_opportunities(console: Console, readers: dict[str, Client], shown: str, vacancies: int) -> None:
    """The background work the shortlists went ahead of: each profile's opportunities, with every vacancy."""
    started = time.monotonic()

    def done(body: dict) -> bool:
        return body["status"] != "pending" and body["vacancies_scored"] == vacancies

    for profile_id, counsellor in readers.items():
        while not done(counsellor.call("GET", f"/v1/profiles/{profile_id}/opportunities")):
            if time.monotonic() - started > 120:
                raise RuntimeError("the worker did not finish the profiles' opportunities in 2 minutes")
            time.sleep(0.3)
    body = readers[shown].call("GET", f"/v1/profiles/{shown}/opportunities?limit=3")
    fits = ", ".join(f"{item['vacancy_title']} ({item['score']:.2f})" for item in body["items"]) or "none yet"
    console.print(f"Background work done after {time.monotonic() - started:.1f} s more (each profile's "
                  f"opportunities); where {shown} fits best: {fits}")


def _wait_for_cards(employer: Client, vacancy_id: str, timeout: float = 60) -> list:
    """The cards once the worker measured them against the crowd (a second or so after the presentation)."""
    deadline = time.monotonic() + timeout
    while True:
        cards = employer.call("GET", f"/v1/vacancies/{vacancy_id}/candidates")
        if all(card["privacy"] is not None for card in cards) or time.monotonic() > deadline:
            return cards
        time.sleep(0.2)


def _wait_for_shortlists(console: Console, liaison: Client, requested: list, started: float) -> list:
    """Waits for each shortlist in turn and says each one as it is done, so a slow machine does not look stuck.

    One at a time, a few reads a second: polling all of them at once runs into the token's rate limit.
    """
    shortlists = []
    for position, (vacancy, accepted) in enumerate(requested, start=1):
        while True:
            shortlist = liaison.call("GET", f"/v1/shortlists/{accepted['id']}")
            if shortlist["status"] in ("ready", "failed"):
                break
            if time.monotonic() - started > 120:
                raise RuntimeError("the worker did not finish the shortlists in 2 minutes")
            time.sleep(0.3)
        outcome = (f"{len(shortlist['items'])} candidates" if shortlist["status"] == "ready"
                   else "failed: " + (shortlist.get("error") or ""))
        console.print(f"  shortlist {position}/{len(requested)} done after {time.monotonic() - started:.1f} s: "
                      f"{vacancy['title']} ({outcome})")
        shortlists.append((vacancy, shortlist))
    return shortlists


# Column header, part of the score; the numbers are the points a candidate earned out of the part's weight.
PARTS = (("must-have\nskills", "must_have"), ("other\nskills", "skills"), ("languages", "languages"),
         ("mobility", "mobility"), ("availability", "availability"))


def _shortlist_table(vacancy: dict, shortlist: dict) -> Table:
    from matching.ranking.scoring import DEFAULT_WEIGHTS

    table = Table(
        title=f"{vacancy['title']} — {vacancy['location']['postcode']}, {vacancy['hours_per_week']} h/week",
        title_justify="left",
        caption="score = the sum of the five parts (1.00 at most); each part shows the points earned out of "
                "its weight, in brackets",
        caption_justify="left",
    )
    table.add_column("#")
    table.add_column("profile")
    table.add_column("score")
    for header, part in PARTS:
        table.add_column(f"{header}\n(of {DEFAULT_WEIGHTS[part]:.2f})", overflow="fold")
    table.add_column("missing must-have", overflow="fold")
    table.add_column("missing nice-to-have", overflow="fold")
    table.add_column("notes", overflow="fold")
    if shortlist["status"] == "failed":
        table.add_row("", "failed", "", "", "", "", "", "", "", "", shortlist["error"] or "")
    for item in shortlist["items"]:
        b, e = item["breakdown"], item["explanation"]
        missing = e.get("missing", [])
        table.add_row(
            str(item["rank"]),
            item["profile_id"][-6:],
            f"{item['score']:.2f}",
            *(f"{b[part]:.2f}" for _header, part in PARTS),
            ", ".join(m["requirement"] for m in missing if m.get("must_have")) or "-",
            ", ".join(m["requirement"] for m in missing if not m.get("must_have")) or "-",
            "; ".join(note["text"] for note in e.get("notes", [])) or "meets every requirement",
        )
    return table
