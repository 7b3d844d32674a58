"""Employer cards are measured by the workers and stored: every API process reads the same rows at once.

PostgreSQL, Redis, a real worker and several `blindmatch serve --no-worker` API processes, as production
runs them: no API process builds a crowd, so one started a moment ago answers like one running for long.
"""

from __future__ import annotations

import pytest

from tests.conftest import fresh_postgres_database, use_database
from tests.factories import bearer, create_world, profile_body, vacancy_body
from tests.live import wait_for_cards
from tests.processes import api_server, service_env, shortlist_row, wait_until, worker

pytestmark = pytest.mark.e2e


@pytest.fixture
def cards_database(redis_url):
    from matching.services.bootstrap import prepare_database

    # A database of its own: the crowd of the vacancy is exactly the profiles published here.
    with fresh_postgres_database("cards") as url:
        use_database(url)
        prepare_database()
        yield url
        use_database(None)


def audit_entries() -> list[tuple[str, str | None]]:
    from sqlmodel import select

    from matching.store.db import session_scope
    from matching.store.models import AuditEntry

    with session_scope(read_only=True) as session:
        return [(e.action, e.subject_id) for e in session.exec(select(AuditEntry).order_by(AuditEntry.seq))]


def test_any_api_process_reads_the_workers_cards_at_once_and_a_publish_reaches_them(cards_database, queue, tmp_path):
    env = service_env(BLINDMATCH_QUEUE=queue, BLINDMATCH_CARDS_INTERVAL=0.5, BLINDMATCH_RATE_LIMIT="100000/minute")
    with api_server(tmp_path / "api-1.log", env) as one, worker(tmp_path / "worker.log", env) as w:
        world = create_world(one.http)
        counsellor, liaison, employer = bearer(world.counsellor), bearer(world.liaison), bearer(world.employer)
        for _ in range(6):  # alike: every card value is shared by all of them, the crowd is the six
            assert one.http.post("/v1/profiles", json=profile_body(), headers=counsellor).status_code == 201
        vacancy = one.http.post("/v1/vacancies", json=vacancy_body(employer_id=world.employer_id), headers=liaison)
        vacancy_id = vacancy.json()["id"]
        accepted = one.http.post(f"/v1/vacancies/{vacancy_id}/shortlists", json={}, headers=liaison).json()
        wait_until(lambda: shortlist_row(accepted["id"]).status == "ready", timeout=120, what=w.tail())
        items = one.http.get(f"/v1/shortlists/{accepted['id']}", headers=liaison).json()["items"]
        presented = one.http.post(f"/v1/shortlists/{accepted['id']}/present",
                                  json={"profile_ids": [items[0]["profile_id"], items[1]["profile_id"]]},
                                  headers=liaison)
        assert presented.status_code == 200, presented.text
        path = f"/v1/vacancies/{vacancy_id}/candidates"
        cards = wait_for_cards(one.http, vacancy_id, employer)
        assert [card["privacy"]["k"] for card in cards] == [6, 6], cards

        # A second API process started while the first runs: its first read answers the same.
        with api_server(tmp_path / "api-2.log", env) as two:
            assert two.http.get(path, headers=employer).json() == one.http.get(path, headers=employer).json()

        # The API process killed (no graceful stop) and started again while the worker runs: its very first
        # read, asked without waiting for anything, answers the cards the worker stored, and it was warmed
        # before it reported ready (its start-up read no card and wrote no audit entry).
        entries_before = audit_entries()
        one.process.kill()
        one.process.wait()
        with api_server(tmp_path / "api-3.log", env) as restarted:
            first = restarted.http.get(path, headers=employer)
            assert first.status_code == 200 and first.json() == cards
            assert audit_entries() == [*entries_before, ("cards.viewed", vacancy_id)]  # the read's own entry only
            messages = [line.get("message", "") for line in restarted.log_lines()]
            assert any(m.startswith("API warm:") for m in messages), restarted.tail()
            assert not any(m.startswith("API warm-up skipped") for m in messages), restarted.tail()

            # Two more alike profiles published: the worker measures the crowd again, the cards follow.
            api = restarted.http
            for _ in range(2):
                assert api.post("/v1/profiles", json=profile_body(), headers=counsellor).status_code == 201
            wait_until(lambda: [c["privacy"]["k"] for c in api.get(path, headers=employer).json()] == [8, 8],
                       timeout=60, what=w.tail())
            # An erasure: the person's card is withdrawn at once, the other's crowd shrinks through the worker.
            erased = api.delete(f"/v1/profiles/{items[1]['profile_id']}", headers=counsellor)
            assert erased.status_code == 204, erased.text
            statuses = sorted(c["status"] for c in api.get(path, headers=employer).json())
            assert statuses == ["presented", "withdrawn"]
            wait_until(lambda: [c["privacy"]["k"] for c in api.get(path, headers=employer).json()
                                if c["privacy"]] == [7], timeout=60, what=w.tail())

    # What the workers stored holds no profile id: rows are keyed by the per-vacancy pseudonym.
    from sqlmodel import select

    from matching.store.db import session_scope
    from matching.store.models import CardDisclosure

    with session_scope(read_only=True) as session:
        rows = session.exec(select(CardDisclosure)).all()
    assert len(rows) == 1 and items[0]["profile_id"] not in str(rows[0].model_dump())
