"""Webhooks: endpoints per organisation, and the delivery of each event to them, at least once.

An event recorded in a transaction gets, in that transaction, a delivery row per endpoint of its organisation
that asked for its type, and a task message in the outbox (sent after commit). A worker claims the delivery,
posts it signed (matching/webhook_signing.py) to a checked address (matching/webhook_http.py) and records
the attempt. A failed attempt is given a time for the next one (BLINDMATCH_WEBHOOK_RETRY_DELAYS, about a
day in all); the maintenance loop sends what is due again. Nothing waits in a broker's countdown, so a worker
restart or a lost message delays a delivery, never loses it. The delivery's id is the `webhook-id` of every
attempt: a receiver that sees an id twice has the event already.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from matching import webhook_http
from matching.errors import Conflict, NotFound
from matching.schemas.events import AttemptOut, DeliveryOut, EventOut, WebhookCreate, WebhookCreated, WebhookPublic
from matching.settings import get_settings
from matching.store import audit, outbox
from matching.store.access import Actor, require_role
from matching.store.event_models import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from matching.store.models import as_utc, utcnow
from matching.webhook_signing import new_secret, signed_headers

log = logging.getLogger("blindmatch.webhooks")
DELIVER_TASK = "webhook.deliver"
OWNER_ROLES = ("counsellor", "liaison", "employer")
MAX_ENDPOINTS = 10  # per organisation: each one multiplies the deliveries of every event
ERROR_MAX = 300


# --- endpoints ---------------------------------------------------------------------------------------


def create_endpoint(session: Session, actor: Actor, *, payload: WebhookCreate) -> WebhookCreated:
    """Register a URL for some event types; the answer shows the signing secret, once."""
    require_role(actor, *OWNER_ROLES)
    url = webhook_http.check_url(payload.url, allow_private=get_settings().webhooks_allow_private)
    mine = WebhookEndpoint.organisation_id == actor.organisation_id
    count = session.exec(select(func.count()).select_from(WebhookEndpoint).where(mine)).one()
    if count >= MAX_ENDPOINTS:
        raise Conflict(f"Your organisation has {MAX_ENDPOINTS} webhooks already; delete one first.",
                       code="too_many_webhooks")
    endpoint = WebhookEndpoint(
        organisation_id=actor.organisation_id,
        url=url,
        events=list(dict.fromkeys(payload.events)),
        secret=new_secret(),
        created_by=actor.user_id,
    )
    session.add(endpoint)
    session.flush()
    audit.append(session, action="webhook.created", actor=actor, subject_type="webhook", subject_id=endpoint.id)
    return WebhookCreated(**endpoint_public(endpoint).model_dump(), secret=endpoint.secret)


def endpoint_public(endpoint: WebhookEndpoint) -> WebhookPublic:
    return WebhookPublic(id=endpoint.id, url=endpoint.url, events=endpoint.events,
                         created_at=as_utc(endpoint.created_at))


def list_endpoints(session: Session, actor: Actor) -> list[WebhookPublic]:
    require_role(actor, *OWNER_ROLES)
    query = select(WebhookEndpoint).where(WebhookEndpoint.organisation_id == actor.organisation_id)
    return [endpoint_public(e) for e in session.exec(query.order_by(WebhookEndpoint.created_at, WebhookEndpoint.id))]


def visible_endpoint(session: Session, actor: Actor, endpoint_id: str) -> WebhookEndpoint:
    """A webhook of the caller's organisation, else NotFound (another organisation's is not revealed)."""
    require_role(actor, *OWNER_ROLES)
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.organisation_id != actor.organisation_id:
        raise NotFound("No webhook with this id in your organisation.", field="webhook_id")
    return endpoint


def delete_endpoint(session: Session, actor: Actor, endpoint_id: str) -> None:
    """Remove a webhook with its delivery log; attempts under way find nothing left to record."""
    endpoint = visible_endpoint(session, actor, endpoint_id)
    deliveries = select(WebhookDelivery.id).where(WebhookDelivery.endpoint_id == endpoint.id)
    session.execute(delete(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(deliveries)))
    session.execute(delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
    session.delete(endpoint)
    session.flush()
    audit.append(session, action="webhook.deleted", actor=actor, subject_type="webhook", subject_id=endpoint_id)


def list_deliveries(
    session: Session, actor: Actor, endpoint_id: str, *, status: str | None, limit: int, offset: int
) -> tuple[list[DeliveryOut], int]:
    """The webhook's deliveries, newest first, each with its attempts; and how many match."""
    endpoint = visible_endpoint(session, actor, endpoint_id)
    conditions = [WebhookDelivery.endpoint_id == endpoint.id]
    if status is not None:
        conditions.append(WebhookDelivery.status == status)
    total = session.exec(select(func.count()).select_from(WebhookDelivery).where(*conditions)).one()
    rows = session.exec(
        select(WebhookDelivery, Event)
        .join(Event, col(Event.seq) == WebhookDelivery.event_seq)
        .where(*conditions)
        .order_by(col(WebhookDelivery.event_seq).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    ids = [delivery.id for delivery, _ in rows]
    attempts: dict[str, list[AttemptOut]] = {}
    if ids:
        query = select(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(ids)).order_by(WebhookAttempt.attempt)
        for a in session.exec(query):
            attempts.setdefault(a.delivery_id, []).append(
                AttemptOut(attempt=a.attempt, at=as_utc(a.at), status_code=a.status_code, error=a.error,
                           next_attempt_at=as_utc(a.next_attempt_at))
            )
    return [
        DeliveryOut(id=d.id, event_id=e.id, event_type=e.type, status=d.status, attempts=d.attempts,
                    next_attempt_at=as_utc(d.next_attempt_at), last_status_code=d.last_status_code,
                    last_error=d.last_error, delivered_at=as_utc(d.delivered_at), created_at=as_utc(d.created_at),
                    log=attempts.get(d.id, []))
        for d, e in rows
    ], total


# --- deliveries --------------------------------------------------------------------------------------


def _lease() -> timedelta:
    """How long a claimed or sent delivery waits before the maintenance loop takes it as lost: well past
    an attempt's longest (a timeout per address tried) and a queue's usual wait."""
    return timedelta(seconds=max(120.0, 6 * get_settings().webhook_timeout))


def fan_out(session: Session, events: list[Event]) -> int:
    """A delivery per endpoint that asked for each event, and its task message, in the caller's transaction."""
    organisations = {event.organisation_id for event in events}
    query = select(WebhookEndpoint).where(col(WebhookEndpoint.organisation_id).in_(organisations))
    endpoints = list(session.exec(query))
    if not endpoints:
        return 0
    due = utcnow() + _lease()
    created = 0
    for event in events:
        for endpoint in endpoints:
            if endpoint.organisation_id == event.organisation_id and event.type in endpoint.events:
                delivery = WebhookDelivery(endpoint_id=endpoint.id, event_seq=event.seq, next_attempt_at=due)
                session.add(delivery)
                outbox.enqueue(session, task=DELIVER_TASK, args=[delivery.id, 0])
                created += 1
    session.flush()
    return created


def send_due(session: Session, *, limit: int = 200) -> int:
    """Maintenance: send again the deliveries whose next attempt is due (retries, and sendings lost)."""
    now = utcnow()
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.status == "pending", col(WebhookDelivery.next_attempt_at) <= now)
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list(session.exec(query))
    for delivery in rows:
        outbox.enqueue(session, task=DELIVER_TASK, args=[delivery.id, delivery.attempts])
        delivery.next_attempt_at = now + _lease()
        session.add(delivery)
    return len(rows)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One attempt to make: what to send, where, with which key."""

    delivery_id: str
    attempt: int
    url: str
    secret: str
    body: str


def claim(session: Session, delivery_id: str, *, attempts_before: int) -> Outgoing | None:
    """Start attempt `attempts_before + 1`, unless the delivery is done, gone, or that attempt was started
    already (a message sent twice, redelivered, or overtaken): then None, and nothing is sent."""
    query = select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update(skip_locked=True)
    delivery = session.exec(query).first()
    if delivery is None or delivery.status != "pending" or delivery.attempts != attempts_before:
        return None
    endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
    event = session.get(Event, delivery.event_seq)
    delivery.attempts += 1
    delivery.next_attempt_at = utcnow() + _lease()  # if this worker dies mid-attempt, the loop sends it again
    session.add(delivery)
    return Outgoing(delivery_id=delivery.id, attempt=delivery.attempts, url=endpoint.url, secret=endpoint.secret,
                    body=body_of(event))


def body_of(event: Event) -> str:
    """The posted body: the event as the change feed shows it, in compact JSON (signed as sent)."""
    return json.dumps(EventOut.model_validate(_feed_item(event)).model_dump(mode="json"), separators=(",", ":"),
                      ensure_ascii=False)


def _feed_item(event: Event) -> dict:
    return {"id": event.id, "cursor": event.seq, "type": event.type, "occurred_at": as_utc(event.occurred_at),
            "data": event.data}


@dataclass(frozen=True, slots=True)
class Outcome:
    status_code: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def attempt(outgoing: Outgoing) -> Outcome:
    """Post one attempt: the address checked again (a name may point elsewhere now), signed at this instant."""
    settings = get_settings()
    try:
        target = webhook_http.resolve(webhook_http.parse(outgoing.url), allow_private=settings.webhooks_allow_private)
        headers = signed_headers(outgoing.secret, message_id=outgoing.delivery_id, body=outgoing.body, at=utcnow())
        status = webhook_http.post(target, body=outgoing.body.encode("utf-8"), headers=headers,
                                   timeout=settings.webhook_timeout)
    except webhook_http.UrlRefused as refused:
        return Outcome(None, str(refused))
    except httpx.TimeoutException:
        return Outcome(None, f"No answer within {settings.webhook_timeout:g} s.")
    except httpx.HTTPError as error:  # connection refused or reset, TLS, protocol
        return Outcome(None, f"Could not deliver: {type(error).__name__}.")
    if 200 <= status < 300:
        return Outcome(status, None)
    return Outcome(status, f"The receiver answered {status}; a 2xx status confirms a delivery.")


def record(
    session: Session, outgoing: Outgoing, outcome: Outcome, *, now: datetime | None = None
) -> WebhookDelivery | None:
    """Log the attempt; the delivery is done, failed (every retry used), or due again after the schedule's delay."""
    now = now or utcnow()
    delivery = session.get(WebhookDelivery, outgoing.delivery_id, with_for_update=True)
    if delivery is None:  # its webhook was deleted meanwhile
        return None
    schedule = get_settings().webhook_retry_schedule
    next_at = None
    if delivery.status == "pending" and outcome.delivered:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", now, None
    elif delivery.status == "pending" and delivery.attempts == outgoing.attempt:  # no later attempt started
        if outgoing.attempt > len(schedule):
            delivery.status, delivery.next_attempt_at = "failed", None
        else:
            next_at = delivery.next_attempt_at = now + timedelta(seconds=schedule[outgoing.attempt - 1])
    delivery.last_status_code = outcome.status_code
    delivery.last_error = (outcome.error or "")[:ERROR_MAX] or None
    session.add(delivery)
    session.add(WebhookAttempt(delivery_id=delivery.id, attempt=outgoing.attempt, status_code=outcome.status_code,
                               error=delivery.last_error, at=now, next_attempt_at=next_at))
    session.flush()
    return delivery


def purge(session: Session, *, before: datetime) -> int:
    """Forget events older than `before` (BLINDMATCH_EVENTS_KEEP_DAYS), with their deliveries; how many."""
    old = select(Event.seq).where(col(Event.occurred_at) < before)
    deliveries = select(WebhookDelivery.id).where(col(WebhookDelivery.event_seq).in_(old))
    session.execute(delete(WebhookAttempt).where(col(WebhookAttempt.delivery_id).in_(deliveries)))
    session.execute(delete(WebhookDelivery).where(col(WebhookDelivery.event_seq).in_(old)))
    return session.execute(delete(Event).where(col(Event.occurred_at) < before)).rowcount or 0
