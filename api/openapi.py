"""The OpenAPI schema tells the truth about errors: every error answer has the shape of API.md.

FastAPI documents its own 422 body (`HTTPValidationError`), which this service never sends; here each
operation documents the answers the error mapping (api/errors.py), the limits and the idempotency
layer really give, and every POST documents the Idempotency-Key header.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "field"],
            "properties": {
                "code": {"type": "string", "description": "A machine code, e.g. identity_field, stale_version."},
                "message": {"type": "string", "description": "A sentence a person understands."},
                "field": {"type": ["string", "null"], "description": "The JSON path at fault, when one is."},
            },
        }
    },
}
ERRORS = {
    "400": "The body could not be read at all (not UTF-8 text).",
    "401": "No valid bearer token.",
    "403": "Your role may never do this.",
    "404": "No such object among the ones you may see.",
    "409": "The object's state (or version) does not allow this now, or the same Idempotency-Key is in flight.",
    "413": "The request body is larger than BLINDMATCH_MAX_BODY_BYTES (refused before it is read).",
    "422": "The request is not valid (the error names the field), or an Idempotency-Key was reused.",
    "429": "Too many requests for this token, or the card-view quota is reached; see Retry-After.",
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "The same key and body within 24 h returns the first answer and creates nothing twice.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}
# Only a POST sent again with its Idempotency-Key can get this one (api/idempotency.py).
ERASED_REPLAY = (
    "The first answer to this Idempotency-Key is no longer kept: it named a profile erased since (`erased`) "
    "or carried a token shown once (`not_kept`)."
)
PUBLIC = {"/healthz", "/readyz"}


def _error(description: str, *, retry_after: bool = False) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }
    if retry_after:
        response["headers"] = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "string"}}}
    return response


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Rewrite a FastAPI schema in place so its error answers are the ones this service gives."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if path in PUBLIC:
                if path == "/readyz":
                    responses["503"] = {"description": "The database or the broker cannot be reached."}
                continue
            for status, description in ERRORS.items():
                responses[status] = _error(description, retry_after=status in ("409", "429"))
            if method == "post":
                responses["410"] = _error(ERASED_REPLAY)
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == IDEMPOTENCY_KEY["name"] for p in parameters):
                    parameters.append(dict(IDEMPOTENCY_KEY))
    for unused in ("HTTPValidationError", "ValidationError"):
        schema["components"]["schemas"].pop(unused, None)
    return schema


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    openapi_version=app.openapi_version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
