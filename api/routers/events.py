"""The change feed: your organisation's events in order (roles counsellor, liaison, employer)."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.deps import CurrentActor, SessionDep
from api.paging import add_cursor_link
from matching.schemas.events import EventPage
from matching.services import events

router = APIRouter(prefix="/v1/events", tags=["events"])


@router.get("", response_model=EventPage)
def list_events(
    request: Request,
    response: Response,
    session: SessionDep,
    actor: CurrentActor,
    after: Annotated[int, Query(ge=0, le=2**63 - 1, description="A cursor: events after it (0: from the start)")] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
):
    """Your organisation's events after `after`, oldest first; ask again with `next` to follow (Link rel="next"
    while a page comes back full)."""
    page = events.feed(session, actor, after=after, limit=limit)
    add_cursor_link(request, response, next_cursor=page.next, full=len(page.items) == limit)
    return page
