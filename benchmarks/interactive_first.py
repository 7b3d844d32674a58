"""A liaison's shortlist right after a bulk publish: request -> ready, with interactive work first and without.

Each profile published sends a background task (its opportunities and gaps against every open vacancy).
With the routing (BLINDMATCH_INTERACTIVE_FIRST=true, the default) those wait in `<queue>.background` and
the worker takes the shortlist first; without it (false: one queue, first in first out, as before) the
shortlist waits behind every profile published before it. Both runs in the same invocation, each on a
fresh embedded default (`blindmatch serve`: SQLite file, filesystem broker, one worker process), over HTTP.

    python benchmarks/interactive_first.py [--profiles 600] [--vacancies 20]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
SKILLS = ["nettoyage de bureaux", "utiliser une autolaveuse", "travail en équipe", "repassage", "cuisine",
          "magasinage", "conduire un chariot élévateur", "accueil"]
PROFILE = {
    "languages": [{"code": "fr", "spoken": "B2", "written": "A2"}, {"code": "nl", "spoken": "A2", "written": "A1"}],
    "mobility": {"postcode": "1070", "max_commute_minutes": 45, "transport": ["public_transport"],
                 "driving_licences": []},
    "preferences": {"occupations": ["agent d'entretien"], "contract_types": ["permanent"]},
    "phase": "job_search",
}
VACANCY = {
    "occupation": "schoonmaker kantoren",
    "nice_to_have": [{"label": "schrobmachine bedienen"}],
    "languages": [{"code": "fr", "spoken": "B1"}],
    "location": {"postcode": "1000"},
    "hours_per_week": 30,
    "shifts": ["early_morning"],
    "contract_type": "permanent",
    "start": "2027-01-04",
    "positions": 2,
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    """`blindmatch serve` (the API and its one worker) on a fresh embedded default of its own."""

    def __init__(self, folder: Path, interactive_first: bool) -> None:
        self.folder = folder
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("DATABASE_URL", "REDIS_URL", "BLINDMATCH_QUEUE") and not k.startswith("BLINDMATCH_")}
        self.env.update(BLINDMATCH_DATA_DIR=str(folder), BLINDMATCH_INTERACTIVE_FIRST=str(interactive_first).lower(),
                        BLINDMATCH_RATE_LIMIT="1000000/minute", BLINDMATCH_LOG_LEVEL="WARNING",
                        PYTHONUNBUFFERED="1")
        cli = [sys.executable, "-m", "blindmatch.cli"]
        made = subprocess.run([*cli, "create-admin"], env=self.env, cwd=ROOT, capture_output=True, text=True,
                              check=True)
        self.admin = re.search(r"admin token: (\S+)", made.stdout).group(1)
        port = free_port()
        self.log = open(folder / "serve.log", "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen([*cli, "serve", "--port", str(port)], env=self.env, cwd=ROOT,
                                        stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
        deadline = time.monotonic() + 180
        while True:
            try:
                if self.http.get("/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"blindmatch serve did not start; see {folder / 'serve.log'}")
            time.sleep(0.2)

    def waiting(self) -> int:
        """Task messages waiting in the embedded broker's folder (both queues)."""
        return len(list((self.folder / "broker" / "queue").glob("*.msg")))

    def call(self, token: str, method: str, path: str, body: dict | None = None) -> dict:
        response = self.http.request(method, path, json=body, headers={"Authorization": f"Bearer {token}"})
        if response.status_code >= 300:
            raise RuntimeError(f"{method} {path} -> {response.status_code}: {response.text[:300]}")
        return response.json() if response.content else {}

    def stop(self) -> None:
        self.http.close()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def run(folder: Path, *, interactive_first: bool, profiles: int, vacancies: int) -> dict:
    service = Service(folder, interactive_first)
    try:
        def org(name: str, kind: str) -> str:
            return service.call(service.admin, "POST", "/v1/organisations", {"name": name, "kind": kind})["id"]

        def user(organisation: str, role: str) -> str:
            body = {"organisation_id": organisation, "role": role, "display_name": role}
            return service.call(service.admin, "POST", "/v1/users", body)["token"]

        counselling, liaison_org, employer = (org("Service de guidance", "counselling"),
                                              org("Liaison asbl", "liaison"), org("Clean & Co", "employer"))
        service.call(service.admin, "PUT", f"/v1/organisations/{liaison_org}/employers/{employer}")
        counsellor, liaison = user(counselling, "counsellor"), user(liaison_org, "liaison")
        vacancy_ids = []
        for k in range(vacancies):
            body = {**VACANCY, "title": f"Schoonmaker {k}", "employer_id": employer,
                    "must_have": [{"label": SKILLS[k % len(SKILLS)]}]}
            vacancy_ids.append(service.call(liaison, "POST", "/v1/vacancies", body)["id"])

        started = time.monotonic()
        for k in range(profiles):
            skills = [{"label": SKILLS[(k + j) % len(SKILLS)], "level": "intermediate"} for j in range(3)]
            availability = {"hours_min": 10 + k % 20, "hours_max": 38, "shifts": ["early_morning", "day"]}
            service.call(counsellor, "POST", "/v1/profiles", {**PROFILE, "skills": skills,
                                                              "availability": availability})
        published = time.monotonic() - started

        backlog = service.waiting()  # before the shortlist's: all background
        asked = time.monotonic()
        shortlist = service.call(liaison, "POST", f"/v1/vacancies/{vacancy_ids[0]}/shortlists", {"size": 10})
        while (status := service.call(liaison, "GET", f"/v1/shortlists/{shortlist['id']}")["status"]) in (
                "queued", "running"):
            time.sleep(0.05)
        ready = time.monotonic() - asked
        left = service.waiting()  # background messages still waiting when the shortlist was ready
        while service.waiting():
            time.sleep(0.2)
        drained = time.monotonic() - asked
        return {"published": published, "backlog": backlog, "ready": ready, "status": status, "left": left,
                "drained": drained}
    finally:
        service.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profiles", type=int, default=600)
    parser.add_argument("--vacancies", type=int, default=20)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="blindmatch-bench-") as tmp:
        for interactive_first in (True, False):
            folder = Path(tmp) / ("routed" if interactive_first else "one-queue")
            folder.mkdir()
            rows.append((interactive_first, run(folder, interactive_first=interactive_first,
                                                profiles=args.profiles, vacancies=args.vacancies)))
    print(f"\nshortlist request -> ready right after publishing {args.profiles} profiles over HTTP "
          f"({args.vacancies} open vacancies; embedded default: SQLite, filesystem broker, one worker)\n")
    print("| routing | publish (s) | background tasks queued at the request | shortlist request -> ready (s) "
          "| still queued when ready | backlog drained after (s) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for interactive_first, r in rows:
        name = "interactive first (default)" if interactive_first else "one queue (BLINDMATCH_INTERACTIVE_FIRST=false)"
        print(f"| {name} | {r['published']:.1f} | {r['backlog']} | {r['ready']:.2f} ({r['status']}) | {r['left']} "
              f"| {r['drained']:.1f} |")


if __name__ == "__main__":
    main()
