"""The load generator of benchmarks/load.py: virtual users over keep-alive HTTP/1.1, in several processes.

A minimal asyncio HTTP client (one connection per user, Content-Length bodies, which is all uvicorn sends
for this API) costs a fraction of a general-purpose client's CPU, and the generator shares the machine
with the service it measures. Each process runs its share of the users and returns one record per
request: (what, status, seconds), plus one record per shortlist from request to ready.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import random
import time
from dataclasses import dataclass, field
from typing import Any

POLL_SECONDS = 0.01  # how often a liaison looks whether its shortlist is ready


class Http:
    """One keep-alive HTTP/1.1 connection."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port = host, port
        self.auth = f"Authorization: Bearer {token}\r\n"
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        payload = b"" if body is None else json.dumps(body).encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n{self.auth}"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + payload)
        assert self.reader is not None
        header = await self.reader.readuntil(b"\r\n\r\n")
        status = int(header[9:12])
        length = 0
        for line in header.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        return status, await self.reader.readexactly(length) if length else b""


@dataclass
class Plan:
    """What one process's users do, and for how long."""

    host: str
    port: int
    seconds: float
    readers: list[tuple[str, list[str]]] = field(default_factory=list)  # (liaison token, ready shortlist ids)
    employers: list[tuple[str, list[str]]] = field(default_factory=list)  # (token, vacancy ids with cards)
    liaisons: list[tuple[str, list[str]]] = field(default_factory=list)  # (token, vacancy ids to shortlist)
    counsellors: list[tuple[str, list[dict]]] = field(default_factory=list)  # (token, profile bodies)
    sequential_shortlists: int = 0  # instead of a timed run: this many shortlists, one after the other
    think: float = 0.0  # seconds each liaison, employer and counsellor waits between two actions
    read_think: float = 0.0  # seconds a reader waits between two reads


Record = tuple[str, int, float]


FAILED = 599  # no answer: the connection was closed or timed out (it is opened again for the next request)
TIMEOUT = 120.0


async def _timed(http: Http, records: list[Record], what: str, method: str, path: str, body: Any = None):
    started = time.perf_counter()
    try:
        status, answer = await asyncio.wait_for(http.request(method, path, body), TIMEOUT)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
        if http.writer is not None:
            http.writer.close()
        http.reader = http.writer = None
        status, answer = FAILED, b""
    records.append((what, status, time.perf_counter() - started))
    return status, answer


async def _reader(plan: Plan, token: str, ids: list[str], records: list[Record], until: float) -> None:
    http = Http(plan.host, plan.port, token)
    while time.perf_counter() < until:
        await _timed(http, records, "GET /v1/shortlists/{id} (ready)", "GET", f"/v1/shortlists/{random.choice(ids)}")
        await asyncio.sleep(plan.read_think)


async def _employer(plan: Plan, token: str, ids: list[str], records: list[Record], until: float) -> None:
    http = Http(plan.host, plan.port, token)
    while time.perf_counter() < until:
        path = f"/v1/vacancies/{random.choice(ids)}/candidates"
        await _timed(http, records, "GET /v1/vacancies/{id}/candidates", "GET", path)
        await asyncio.sleep(plan.think)


async def _counsellor(plan: Plan, token: str, bodies: list[dict], records: list[Record], until: float) -> None:
    http = Http(plan.host, plan.port, token)
    while time.perf_counter() < until and bodies:
        await _timed(http, records, "POST /v1/profiles", "POST", "/v1/profiles", bodies.pop())
        await asyncio.sleep(plan.think)


async def shortlist_once(http: Http, vacancy_id: str, records: list[Record]) -> None:
    """Ask for a shortlist, then look every POLL_SECONDS until it is ready: one request-to-ready record."""
    started = time.perf_counter()
    status, answer = await _timed(http, records, "POST /v1/vacancies/{id}/shortlists", "POST",
                                  f"/v1/vacancies/{vacancy_id}/shortlists", {"size": 10})
    if status != 202:
        return
    shortlist_id = json.loads(answer)["id"]
    while True:
        status, answer = await _timed(http, records, "GET /v1/shortlists/{id} (polling)", "GET",
                                      f"/v1/shortlists/{shortlist_id}")
        state = json.loads(answer).get("status") if status == 200 else "error"
        if state != "queued" and state != "running":
            records.append((f"request to {state}", 0, time.perf_counter() - started))
            return
        await asyncio.sleep(POLL_SECONDS)


async def _liaison(plan: Plan, token: str, ids: list[str], records: list[Record], until: float) -> None:
    http = Http(plan.host, plan.port, token)
    while time.perf_counter() < until:
        await shortlist_once(http, random.choice(ids), records)
        await asyncio.sleep(plan.think)


async def _run(plan: Plan) -> list[Record]:
    records: list[Record] = []
    if plan.sequential_shortlists:
        token, ids = plan.liaisons[0]
        http = Http(plan.host, plan.port, token)
        for k in range(plan.sequential_shortlists):
            await shortlist_once(http, ids[k % len(ids)], records)
        return records
    until = time.perf_counter() + plan.seconds
    users = [_reader(plan, t, ids, records, until) for t, ids in plan.readers]
    users += [_employer(plan, t, ids, records, until) for t, ids in plan.employers]
    users += [_liaison(plan, t, ids, records, until) for t, ids in plan.liaisons]
    users += [_counsellor(plan, t, list(bodies), records, until) for t, bodies in plan.counsellors]
    await asyncio.gather(*users)
    return records


def _process(plan: Plan, results: multiprocessing.Queue) -> None:
    results.put(asyncio.run(_run(plan)))


def run(plans: list[Plan]) -> list[Record]:
    """Each plan in a process of its own, all at once; every record of every process."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [context.Process(target=_process, args=(plan, results)) for plan in plans]
    for process in processes:
        process.start()
    # A generator that died would leave get() waiting for ever: its share is then missing, and said so.
    records: list[Record] = []
    for _ in processes:
        try:
            records += results.get(timeout=max(plan.seconds for plan in plans) + TIMEOUT + 300)
        except Exception:
            records.append(("generator process lost", FAILED, 0.0))
    for process in processes:
        process.join()
    return records
