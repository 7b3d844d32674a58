"""Errors on pages answer pages: sign-in wanted, a refused form, not found, not allowed (the API keeps JSON)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.pages.web import CsrfRefused, SignInRequired, render
from matching.errors import DomainError, Forbidden, InvalidInput, NotFound, Unauthenticated

# Paths the API and its documentation answer; every other path is a page.
API_PREFIXES = ("/v1/", "/v1", "/healthz", "/readyz", "/docs", "/redoc", "/openapi.json", "/static/")


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(API_PREFIXES)


def _sign_in(request: Request) -> Response:
    target = "/sign-in?next=" + quote(request.url.path)
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})  # htmx: the whole page goes
    return RedirectResponse(target, status_code=303)


def error_page(request: Request, status: int, message: str) -> Response:
    return render(request, "errors/error.html", {"status": status, "message": message}, status=status)


def install(app: FastAPI) -> None:
    """Wrap the API's handlers: a page path gets a page, an API path the JSON answer it always had."""
    api_domain = app.exception_handlers[DomainError]
    api_http = app.exception_handlers[StarletteHTTPException]

    async def domain(request: Request, exc: DomainError) -> Any:
        if not is_page(request):
            return api_domain(request, exc)
        if isinstance(exc, Unauthenticated):
            return _sign_in(request)
        status = next(code for cls, code in ((NotFound, 404), (Forbidden, 403), (InvalidInput, 422),
                                              (DomainError, 409)) if isinstance(exc, cls))
        return error_page(request, status, exc.message)

    async def http(request: Request, exc: StarletteHTTPException) -> Any:
        if not is_page(request):
            return api_http(request, exc)
        return error_page(request, exc.status_code, "")

    async def sign_in_required(request: Request, _: SignInRequired) -> Response:
        return _sign_in(request)

    async def csrf_refused(request: Request, _: CsrfRefused) -> Response:
        return error_page(request, 403, "csrf")

    app.add_exception_handler(DomainError, domain)
    app.add_exception_handler(StarletteHTTPException, http)
    app.add_exception_handler(SignInRequired, sign_in_required)
    app.add_exception_handler(CsrfRefused, csrf_refused)
