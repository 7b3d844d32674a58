"""Request and response schemas of the change feed and of webhooks (GET /v1/events, /v1/webhooks)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from matching.schemas.resources import Strict
from matching.webhook_http import URL_MAX

# The events, in the order of a vacancy's path; who receives which is written in matching/services/events.py.
EVENT_TYPES = (
    "profile.phase_changed",
    "vacancy.opened",
    "shortlist.ready",
    "candidate.shortlisted",
    "candidate.presented",
    "candidate.decision",
    "vacancy.closed",
)
EventType = Literal[EVENT_TYPES]  # type: ignore[valid-type]
# A URL is an address, not free text: a scheme and no whitespace is all the schema asks; what may be posted
# to is decided by matching/webhook_http.py (http or https, public addresses), which explains a refusal.
WebhookUrl = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9+.-]{0,19}://\S+$", max_length=URL_MAX)]


class EventOut(BaseModel):
    """One event as your organisation may see it; webhooks post exactly this object as their body."""

    id: str = Field(description="The event's id (one per receiving organisation).")
    cursor: int = Field(description="Its place in your organisation's feed: GET /v1/events?after=cursor.")
    type: str = Field(description=f"One of {', '.join(EVENT_TYPES)}.")
    occurred_at: datetime
    data: dict[str, Any] = Field(description="Ids and the facts your organisation may already see, no more.")


class EventPage(BaseModel):
    items: list[EventOut]
    next: int = Field(description="The cursor to ask after next time (the last item's, or the one you gave).")


class WebhookCreate(Strict):
    url: WebhookUrl = Field(description="Where to post: http(s), a public address (see the README).")
    events: list[EventType] = Field(min_length=1, max_length=len(EVENT_TYPES))


class WebhookPublic(BaseModel):
    id: str
    url: str
    events: list[str]
    created_at: datetime


class WebhookCreated(WebhookPublic):
    secret: str = Field(description="whsec_ and a base64 key: shown once; verify each delivery's signature with it.")


class AttemptOut(BaseModel):
    attempt: int
    at: datetime
    status_code: int | None = Field(description="The receiver's HTTP status; none when no answer came.")
    error: str | None
    next_attempt_at: datetime | None = Field(description="When the next attempt was set for, if any.")


class DeliveryOut(BaseModel):
    id: str = Field(description="The webhook-id header of every attempt of this event to this webhook.")
    event_id: str
    event_type: str
    status: str = Field(description="pending, delivered or failed (every retry used).")
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime
    log: list[AttemptOut]
