"""One mapping from domain errors and validation errors to the error shape of API.md."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.validation_messages import message as validation_message
from matching.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, Unauthenticated
from matching.language.i18n import negotiate
from matching.privacy import is_identity_field

log = logging.getLogger("blindmatch.api")

STATUS = {InvalidInput: 422, NotFound: 404, Forbidden: 403, Conflict: 409, Unauthenticated: 401}


def error_body(code: str, message: str, field: str | None = None) -> dict:
    return {"error": {"code": code, "message": message, "field": field}}


def json_path(loc: tuple) -> str | None:
    """('body', 'skills', 0, 'level') -> 'skills[0].level'."""
    parts = list(loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc)
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif isinstance(part, str) and not part.startswith("function-"):
            path += f".{part}" if path else part
    return path or None


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _key_position(body: Any, loc: tuple) -> tuple[str | None, str]:
    """Where an unexpected key sits, without its name: (path of its object, 'the 3rd key of skills[0]').

    A key is client content like any value ("jan.peeters@gmail.com": 1), so an answer names its position.
    """
    parent = json_path(loc[:-1])
    where = parent or "the request body"
    container = body
    for part in loc[1:-1] if loc and loc[0] == "body" else loc[:-1]:
        try:
            container = container[part]
        except (KeyError, IndexError, TypeError):
            return parent, f"a key of {where}"
    keys = list(container) if isinstance(container, dict) else []
    if loc[-1] not in keys:
        return parent, f"a key of {where}"
    return parent, f"the {_ordinal(keys.index(loc[-1]) + 1)} key of {where}"


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    # Identity fields first: they are the reason to refuse, whatever else is wrong.
    errors = sorted(errors, key=lambda e: not (e["type"] == "extra_forbidden" and is_identity_field(str(e["loc"][-1]))))
    first = errors[0] if errors else {"type": "invalid", "loc": (), "msg": "invalid request"}
    lang = negotiate(request.headers.get("accept-language"))
    loc = tuple(first["loc"])
    field = json_path(loc)
    # Nothing the client sent is repeated: not a value (pydantic's `input` is never read here), not a key
    # (unknown keys are named by position), only the paths of fields this service declares.
    if first["type"] == "extra_forbidden":
        parent, position = _key_position(getattr(exc, "body", None), loc)
        if is_identity_field(str(loc[-1])):
            body = error_body(
                "identity_field",
                f"{_capitalised(position)} would identify a person (a name, a birth date, an origin, contact "
                "or official data); the service stores no identity. Remove this key (keep the link to the "
                "person in your own files).",
                parent,
            )
        else:
            body = error_body(
                "unknown_field",
                f"{_capitalised(position)} is not a field this request takes; see /docs for the fields it takes.",
                parent,
            )
    elif first["type"] == "personal_data":
        body = error_body("personal_data", first["msg"], field)  # the kinds found, from screen.py's template
    elif first["type"] == "json_invalid":
        body = error_body("invalid_json", "The request body is not valid JSON.", None)
    elif first["type"] == "missing":
        body = error_body("required", validation_message(first, field, lang), field)
    else:
        # What is wrong and what is expected, in the reader's language, from the declared rule only.
        body = error_body("invalid", validation_message(first, field, lang), field)
    return JSONResponse(status_code=422, content=body, headers={"Content-Language": lang})


def _domain_error(_: Request, exc: DomainError) -> JSONResponse:
    status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(status_code=status, content=error_body(exc.code, exc.message, exc.field), headers=headers)


def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    codes = {400: "invalid_body", 404: "not_found", 405: "method_not_allowed", 401: "unauthenticated", 403: "forbidden"}
    # Fixed sentences: a framework's detail may quote what the client sent.
    message = {
        400: "The request body could not be read (send JSON in UTF-8).",  # e.g. bytes that are not UTF-8
        401: "No valid bearer token.",
        403: "Your role may not do this.",
        404: "No such endpoint.",
        405: "This endpoint does not take this method.",
    }.get(exc.status_code, "This request cannot be answered as sent.")
    return JSONResponse(
        status_code=exc.status_code,
        content=error_body(codes.get(exc.status_code, "error"), message),
        headers=getattr(exc, "headers", None),
    )


def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)  # the trace goes to the log, never to the caller
    return JSONResponse(
        status_code=500,
        content=error_body(
            "internal", "Something went wrong on our side; the request was not applied. Try again later."
        ),
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
