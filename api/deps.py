"""Dependency aliases: the request's session (one transaction), the authenticated actor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from matching.language.i18n import negotiate
from matching.services.accounts import authenticate
from matching.settings import Settings, get_settings
from matching.store.access import Actor
from matching.store.db import get_engine


def shown_once(response: Response) -> None:
    """Mark an answer that carries a secret shown once (a bearer token): nobody keeps it, this service neither.

    `Cache-Control: no-store` tells proxies and browsers; the Idempotency-Key store honours it too, keeping
    only that the request was answered (api/idempotency.py), so the secret is never stored in clear.
    """
    response.headers["Cache-Control"] = "no-store"


def get_session() -> Iterator[Session]:
    """One transaction per request; tasks it recorded in the outbox are sent by the relays after the commit."""
    with Session(get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


# scope="function": commit before the response is sent, so the next request sees the change.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <token>")
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]


def get_actor(
    session: SessionDep, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Actor:
    return authenticate(session, credentials.credentials if credentials else None)


CurrentActor = Annotated[Actor, Depends(get_actor)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def reader_language(response: Response, accept_language: Annotated[str | None, Header()] = None) -> str:
    """The language (fr, nl, en) explanations are worded in for this reader; the answer says which."""
    lang = response.headers["Content-Language"] = negotiate(accept_language)
    return lang


ReaderLanguage = Annotated[str, Depends(reader_language)]
