"""Schemas of sign-in for people (the pages): what POST /v1/users answers besides the bearer token."""

from __future__ import annotations

from pydantic import Field

from matching.schemas.resources import UserCreated


def sign_in_url(base_url: str, token: str) -> str:
    """The address of a one-time sign-in link, under the address the admin called."""
    return base_url.rstrip("/") + "/sign-in/" + token


class UserCreatedWithLink(UserCreated):
    sign_in_url: str = Field(
        description="Shown once: the person opens it to choose a user name and password (it expires, works once)."
    )
