"""Bearer tokens: admins list, issue and revoke them (role admin)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from api.deps import CurrentActor, SessionDep, shown_once
from matching.schemas.resources import TokenCreate, TokenIssued, TokenPublic
from matching.services import accounts
from matching.store.access import require_role

router = APIRouter(prefix="/v1", tags=["administration"])


@router.get("/tokens", response_model=list[TokenPublic])
def list_tokens(
    session: SessionDep,
    actor: CurrentActor,
    user_id: Annotated[str | None, Query(max_length=64)] = None,  # ids are short: a bound like every input
    organisation_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,  # a bound: the database takes 64-bit integers
):
    """Tokens with their display prefix and status (active, expired, revoked), newest first."""
    require_role(actor, "admin")
    return accounts.list_tokens(session, user_id=user_id, organisation_id=organisation_id, limit=limit, offset=offset)


@router.post(
    "/users/{user_id}/tokens",
    status_code=status.HTTP_201_CREATED,
    response_model=TokenIssued,
    dependencies=[Depends(shown_once)],
)
def issue_token(user_id: str, session: SessionDep, actor: CurrentActor, payload: TokenCreate | None = None):
    """Another token for a user (shown once; only a hash is stored)."""
    require_role(actor, "admin")
    row, user, token = accounts.issue_user_token(
        session, actor, user_id, expires_at=(payload or TokenCreate()).expires_at
    )
    return TokenIssued(**accounts.token_public(row, user).model_dump(), token=token)


@router.post("/tokens/{token_id}/revoke", response_model=TokenPublic)
def revoke_token(token_id: str, session: SessionDep, actor: CurrentActor):
    """Revoke a token: its next call answers 401."""
    require_role(actor, "admin")
    return accounts.revoke_token(session, actor, token_id)
