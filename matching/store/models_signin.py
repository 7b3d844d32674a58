"""Tables of sign-in for people (the web pages): credentials, one-time sign-in links, sessions, failures.

Kept apart from models.py (imported at its end, so the tables join the same metadata). Secrets are stored
as hashes only: a sign-in link's token, a session's token; passwords as argon2 hashes.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from matching.store.columns import UtcDateTime, new_id, utcnow


class Credential(SQLModel, table=True):
    """A person's user name and password hash (argon2), chosen through a sign-in link."""

    user_id: str = Field(foreign_key="app_user.id", primary_key=True)
    username: str = Field(unique=True, index=True)  # lower case
    password_hash: str
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class SignInLink(SQLModel, table=True):
    """A one-time link an admin hands to a person to choose a password; expires, works once."""

    __tablename__ = "sign_in_link"
    id: str = Field(default_factory=lambda: new_id("sil"), primary_key=True)
    user_id: str = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime, nullable=True)


class WebSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds a random token, this row its hash (so a database read leaks none)."""

    __tablename__ = "web_session"
    id: str = Field(default_factory=lambda: new_id("ses"), primary_key=True)
    user_id: str = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(unique=True, index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime, index=True)


class SignInFailure(SQLModel, table=True):
    """Failed sign-ins per user name, counted in the database so every API process sees the same count."""

    __tablename__ = "sign_in_failure"
    username: str = Field(primary_key=True)  # lower case, as typed (an unknown name is throttled alike)
    failures: int = 0
    window_start: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UtcDateTime, nullable=True)
