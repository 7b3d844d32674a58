"""Paging metadata for list answers: the body stays the bare JSON array clients already read, and the
headers carry the rest (`X-Total-Count`, and an RFC 8288 `Link` with rel="next" while more remain)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query, Request, Response
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from matching.schemas.resources import UtcInstant

TOTAL_HEADER = "X-Total-Count"
MAX_INSTANT_LENGTH = 40  # an ISO 8601 time with microseconds and an offset fits


def _bounded(value: Any) -> Any:
    # Bounded like every query value; Query(max_length=...) does not apply to a datetime.
    if isinstance(value, str) and len(value) > MAX_INSTANT_LENGTH:
        raise PydanticCustomError("too_long", "give a date and time such as 2027-01-12T10:00:00Z")
    return value


# Items changed at or after this instant.
BoundedInstant = Annotated[
    UtcInstant,
    BeforeValidator(_bounded),
    WithJsonSchema({"type": "string", "format": "date-time", "maxLength": MAX_INSTANT_LENGTH}),
]
UpdatedSince = Annotated[
    BoundedInstant | None, Query(description="Changed at or after, with an offset: 2027-01-12T10:00:00Z")
]


def add_page_headers(request: Request, response: Response, *, total: int, limit: int, offset: int) -> None:
    """Say how many items match in all, and where the next page starts (filters kept)."""
    response.headers[TOTAL_HEADER] = str(total)
    if offset + limit < total:
        # The request's own query with only the offset moved, so every filter carries over.
        next_url = request.url.include_query_params(offset=offset + limit, limit=limit)
        response.headers["Link"] = f'<{next_url}>; rel="next"'


def add_cursor_link(request: Request, response: Response, *, next_cursor: int, full: bool) -> None:
    """A cursor-paged list (the change feed): the same Link rel="next", with `after` moved, while the page
    came back full (more may be waiting); an answer short of the limit means you are up to date."""
    if full:
        next_url = request.url.include_query_params(after=next_cursor)
        response.headers["Link"] = f'<{next_url}>; rel="next"'
