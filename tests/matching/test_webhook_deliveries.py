"""A delivery's life, step by step with the worker's own functions: the address checked again at each attempt,
an attempt started once however often its message arrives, retries due from the database, and an end.

Real services here too: the SQLite database of the API tests and an HTTP receiver on loopback; what a worker
process adds (the broker, the maintenance loop's timing) is tested in tests/workers/test_webhook_delivery.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from matching.services import webhooks
from matching.settings import get_settings
from matching.store.db import session_scope
from matching.store.event_models import WebhookDelivery
from matching.store.models import OutboxMessage, utcnow
from tests.factories import bearer, create_world, vacancy_body
from tests.webhook_receiver import Receiver


@pytest.fixture
def settings_env(monkeypatch):
    """Change settings for one test: set(name, value) and the process reads them afresh."""

    def set_(name: str, value: str | None) -> None:
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield set_
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


def a_delivery(client, receiver: Receiver):
    """An employer's webhook on the receiver, and the delivery of its vacancy.opened: (delivery id, webhook,
    world)."""
    world = create_world(client)
    created = client.post("/v1/webhooks", json={"url": receiver.url, "events": ["vacancy.opened"]},
                          headers=bearer(world.employer))
    assert created.status_code == 201, created.text
    vacancy = client.post("/v1/vacancies", json=vacancy_body(), headers=bearer(world.employer))
    assert vacancy.status_code == 201, vacancy.text
    with session_scope(read_only=True) as session:
        (delivery,) = session.exec(select(WebhookDelivery).where(WebhookDelivery.endpoint_id == created.json()["id"]))
    return delivery.id, created.json(), world


def run_attempt(delivery_id: str, attempts_before: int) -> webhooks.Outcome | None:
    """What the webhook.deliver task does, in this process."""
    with session_scope() as session:
        outgoing = webhooks.claim(session, delivery_id, attempts_before=attempts_before)
    if outgoing is None:
        return None
    outcome = webhooks.attempt(outgoing)
    with session_scope() as session:
        webhooks.record(session, outgoing, outcome)
    return outcome


def row(delivery_id: str) -> WebhookDelivery:
    with session_scope(read_only=True) as session:
        return session.get(WebhookDelivery, delivery_id)


def test_the_address_is_checked_again_at_each_attempt(client, receiver, settings_env):
    settings_env("BLINDMATCH_WEBHOOKS_ALLOW_PRIVATE", "true")
    delivery_id, _, _ = a_delivery(client, receiver)
    settings_env("BLINDMATCH_WEBHOOKS_ALLOW_PRIVATE", None)  # the operator withdrew the permission since
    outcome = run_attempt(delivery_id, 0)
    assert outcome.status_code is None and "private" in outcome.error
    assert receiver.received == []  # nothing was sent there
    stored = row(delivery_id)
    assert (stored.status, stored.attempts) == ("pending", 1) and stored.next_attempt_at > utcnow()

    settings_env("BLINDMATCH_WEBHOOKS_ALLOW_PRIVATE", "true")
    assert run_attempt(delivery_id, 1).delivered
    assert row(delivery_id).status == "delivered" and len(receiver.received) == 1


def test_an_attempt_starts_once_however_often_its_message_arrives(client, receiver, settings_env):
    settings_env("BLINDMATCH_WEBHOOKS_ALLOW_PRIVATE", "true")
    delivery_id, _, _ = a_delivery(client, receiver)
    assert run_attempt(delivery_id, 0).delivered
    assert run_attempt(delivery_id, 0) is None  # the broker delivered the message again
    assert run_attempt(delivery_id, 1) is None  # a late maintenance sending: the delivery is done
    assert len(receiver.received) == 1 and row(delivery_id).attempts == 1


def test_retries_are_due_from_the_database_until_the_schedule_ends(client, settings_env):
    settings_env("BLINDMATCH_WEBHOOKS_ALLOW_PRIVATE", "true")
    settings_env("BLINDMATCH_WEBHOOK_RETRY_DELAYS", "5,300")
    down = Receiver()  # never started: connections are refused
    delivery_id, webhook, world = a_delivery(client, down)

    outcome = run_attempt(delivery_id, 0)
    assert outcome.status_code is None and outcome.error
    first = row(delivery_id)
    assert first.status == "pending"
    assert timedelta(seconds=3) < first.next_attempt_at - utcnow() <= timedelta(seconds=5)

    # Once due, the maintenance step sends it again, through the outbox, for the attempt that comes next;
    # not again while that sending may still be on its way.
    with session_scope() as session:
        session.get(WebhookDelivery, delivery_id).next_attempt_at = utcnow() - timedelta(seconds=1)
    for _ in range(2):
        with session_scope() as session:
            webhooks.send_due(session)
    with session_scope(read_only=True) as session:
        messages = session.exec(select(OutboxMessage).where(OutboxMessage.task == webhooks.DELIVER_TASK))
        assert [m.args for m in messages if m.args[0] == delivery_id] == [[delivery_id, 0], [delivery_id, 1]]

    run_attempt(delivery_id, 1)
    assert row(delivery_id).next_attempt_at - utcnow() > timedelta(seconds=290)
    run_attempt(delivery_id, 2)
    last = row(delivery_id)
    assert (last.status, last.attempts, last.next_attempt_at) == ("failed", 3, None)

    log = client.get(f"/v1/webhooks/{webhook['id']}/deliveries", params={"status": "failed"},
                     headers=bearer(world.employer)).json()
    assert [a["attempt"] for a in log[0]["log"]] == [1, 2, 3]
    assert log[0]["log"][-1]["next_attempt_at"] is None and log[0]["log"][0]["next_attempt_at"]
