"""Webhooks of your organisation: register, list, delete, and read their delivery log."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, status

from api.deps import CurrentActor, SessionDep, shown_once
from api.paging import add_page_headers
from matching.schemas.events import DeliveryOut, WebhookCreate, WebhookCreated, WebhookPublic
from matching.services import webhooks

router = APIRouter(prefix="/v1/webhooks", tags=["events"])


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookCreated,
    dependencies=[Depends(shown_once)],
)
def create_webhook(payload: WebhookCreate, session: SessionDep, actor: CurrentActor):
    """Post these event types to a URL, signed as Standard Webhooks says; the secret is shown once."""
    return webhooks.create_endpoint(session, actor, payload=payload)


@router.get("", response_model=list[WebhookPublic])
def list_webhooks(session: SessionDep, actor: CurrentActor):
    """Your organisation's webhooks (never their secrets)."""
    return webhooks.list_endpoints(session, actor)


@router.delete("/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_webhook(webhook_id: str, session: SessionDep, actor: CurrentActor):
    """Stop posting to this webhook; its delivery log goes with it."""
    webhooks.delete_endpoint(session, actor, webhook_id)


@router.get("/{webhook_id}/deliveries", response_model=list[DeliveryOut])
def list_deliveries(
    webhook_id: str,
    request: Request,
    response: Response,
    session: SessionDep,
    actor: CurrentActor,
    status: Literal["pending", "delivered", "failed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
):
    """The delivery log, newest event first: each attempt's time, status code, error and next attempt."""
    rows, total = webhooks.list_deliveries(session, actor, webhook_id, status=status, limit=limit, offset=offset)
    add_page_headers(request, response, total=total, limit=limit, offset=offset)
    return rows
