"""Domain errors; api/ maps them to HTTP status codes in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a message a person can act on, a machine code, and the field at fault."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code


class InvalidInput(DomainError):
    """The payload is well-formed JSON but cannot be accepted (422)."""

    code = "invalid"


class NotFound(DomainError):
    """No such object, or not one the caller may know exists (404)."""

    code = "not_found"


class Forbidden(DomainError):
    """The caller's role may never do this (403)."""

    code = "forbidden"


class Conflict(DomainError):
    """The object's state does not allow this now (409)."""

    code = "conflict"


class Unauthenticated(DomainError):
    """No valid token (401)."""

    code = "unauthenticated"
