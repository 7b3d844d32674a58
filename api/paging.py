"""Paging metadata for list answers: the body stays the bare JSON array clients already read, and the
headers carry the rest (`X-Total-Count`, and an RFC 8288 `Link` with rel="next" while more remain)."""

from __future__ import annotations

from fastapi import Request, Response

TOTAL_HEADER = "X-Total-Count"


def add_page_headers(request: Request, response: Response, *, total: int, limit: int, offset: int) -> None:
    """Say how many items match in all, and where the next page starts (filters kept)."""
    response.headers[TOTAL_HEADER] = str(total)
    if offset + limit < total:
        # The request's own query with only the offset moved, so every filter carries over.
        next_url = request.url.include_query_params(offset=offset + limit, limit=limit)
        response.headers["Link"] = f'<{next_url}>; rel="next"'
