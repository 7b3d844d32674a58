"""What events cost: a write that records them, a feed page read by cursor, one signed webhook attempt.

Per backend (a SQLite file, a fresh PostgreSQL database), in this process, through the service layer:

- a phase change (one transaction, as `POST /v1/profiles/{id}/phase`) with events recorded, without webhooks
  and with 3 webhooks on the organisation (a delivery row and an outbox message each), against the same
  change with event recording switched off (the peer);
- a page of 100 events at the end of a feed of --events events, by cursor (`after`, as the API reads it),
  against the same page by OFFSET (the peer: what offset paging would cost there);
- one webhook attempt to a receiver on loopback: the address resolved and checked, the body signed (Standard
  Webhooks) and posted to the address checked, against a bare httpx POST of the same body (the peer).

    python benchmarks/events.py [--repeats 300] [--events 20000] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.shortlist_reads import PROFILE, postgres_url, timings  # noqa: E402

PHASES = ("training", "job_search")


class _Quiet(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (the standard library's name)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_args) -> None:
        pass


def build():
    """A counselling service with a user and one profile; the counsellor and the profile id."""
    from matching.schemas.resources import OrganisationCreate, ProfileCreate, UserCreate
    from matching.services import accounts
    from matching.services.bootstrap import prepare_database
    from matching.services.profiles import create_profile
    from matching.store.db import session_scope

    prepare_database()
    with session_scope() as session:
        org = accounts.create_organisation(session, payload=OrganisationCreate(name="Guidance", kind="counselling"))
        token = accounts.create_user(
            session, payload=UserCreate(organisation_id=org.id, role="counsellor", display_name="c")
        )[1]
    with session_scope() as session:
        counsellor = accounts.authenticate(session, token)
        profile_id = create_profile(session, counsellor, payload=ProfileCreate(**PROFILE)).id
    return counsellor, profile_id


def measure(url: str, repeats: int, events: int) -> dict[str, dict[str, float]]:
    from sqlmodel import col, select

    from matching.schemas.events import EVENT_TYPES, WebhookCreate
    from matching.schemas.resources import PhaseChange
    from matching.services import events as events_service
    from matching.services import profiles, webhooks
    from matching.settings import get_settings
    from matching.store.db import get_engine, session_scope
    from matching.store.event_models import Event

    os.environ["DATABASE_URL"] = url
    get_settings.cache_clear()
    get_engine.cache_clear()
    counsellor, profile_id = build()
    turn = iter(range(10**9))

    def change_phase() -> None:
        with session_scope() as session:
            phase = PHASES[next(turn) % 2]
            profiles.change_phase(session, counsellor, profile_id, payload=PhaseChange(phase=phase))

    figures = {}
    recording = events_service._write
    events_service._write = lambda session, rows: None
    figures["phase change, events off (peer)"] = timings(change_phase, repeats)
    events_service._write = recording
    figures["phase change, events, no webhook"] = timings(change_phase, repeats)
    with session_scope() as session:
        for _ in range(3):
            webhooks.create_endpoint(session, counsellor, payload=WebhookCreate(url="http://127.0.0.1:9/hook",
                                                                                events=list(EVENT_TYPES)))
    figures["phase change, events, 3 webhooks"] = timings(change_phase, repeats)

    with session_scope() as session:  # a long feed, written as the service writes rows
        have = len(session.exec(select(Event.seq).where(Event.organisation_id == counsellor.organisation_id)).all())
        session.add_all(Event(organisation_id=counsellor.organisation_id, type="profile.phase_changed",
                              data={"profile_id": profile_id, "phase": "training"}, profile_id=profile_id)
                        for _ in range(max(0, events - have)))
    with session_scope(read_only=True) as session:
        mine = select(Event.seq).where(Event.organisation_id == counsellor.organisation_id)
        last = session.exec(mine.order_by(col(Event.seq).desc()).limit(101)).all()[-1]
        total = len(session.exec(mine).all())

    def by_cursor() -> None:
        with session_scope(read_only=True) as session:
            assert len(events_service.feed(session, counsellor, after=last, limit=100).items) == 100

    def by_offset() -> None:
        with session_scope(read_only=True) as session:
            query = (select(Event).where(Event.organisation_id == counsellor.organisation_id)
                     .order_by(col(Event.seq)).offset(total - 100).limit(100))
            assert len([events_service.to_public(e) for e in session.exec(query)]) == 100

    figures[f"feed page of 100 at event {total}, cursor"] = timings(by_cursor, repeats)
    figures[f"feed page of 100 at event {total}, OFFSET (peer)"] = timings(by_offset, repeats)
    get_engine().dispose()
    get_engine.cache_clear()
    return figures


def delivery(repeats: int) -> dict[str, dict[str, float]]:
    import httpx

    from matching.services import webhooks
    from matching.webhook_signing import new_secret

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    body = '{"id":"evt_x","cursor":1,"type":"candidate.decision","occurred_at":"2027-01-12T09:00:00Z","data":{}}'
    outgoing = webhooks.Outgoing(delivery_id="msg_bench", attempt=1, url=url, secret=new_secret(), body=body)

    def signed() -> None:
        assert webhooks.attempt(outgoing).delivered

    def bare() -> None:
        assert httpx.post(url, content=body, headers={"Content-Type": "application/json"}).status_code == 204

    figures = {"webhook attempt: check, sign, post": timings(signed, repeats),
               "bare httpx POST (peer)": timings(bare, repeats)}
    server.shutdown()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=300)
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-events-"))
    os.environ.setdefault("BLINDMATCH_SECRET_KEY", secrets.token_urlsafe(32))
    os.environ["BLINDMATCH_DATA_DIR"] = str(folder)
    os.environ["BLINDMATCH_WEBHOOKS_ALLOW_PRIVATE"] = "true"  # the receivers here are on loopback
    rows = []
    for backend in args.backends.split(","):
        if backend == "sqlite":
            rows.append((backend, measure(f"sqlite:///{folder / 'events.db'}", args.repeats, args.events)))
            continue
        with postgres_url() as url:
            rows.append((backend, measure(url, args.repeats, args.events)))
    rows.append(("-", delivery(args.repeats)))
    print(f"\nEvents through the service layer, {args.repeats} repeats each, {os.cpu_count()} cores; ms\n")
    print("backend | what | median | p90 | CPU mean")
    print("--- | --- | --- | --- | ---")
    for backend, figures in rows:
        for what, f in figures.items():
            print(f"{backend} | {what} | {f['median']:.3f} | {f['p90']:.3f} | {f['cpu']:.3f}")


if __name__ == "__main__":
    main()
