"""Signing in and out, the one-time sign-in link, the language switch, the home page of each role."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from api.deps import SessionDep
from api.pages.web import (
    LANGUAGE_COOKIE,
    ONE_YEAR,
    SESSION_COOKIE,
    Csrf,
    local_path,
    redirect,
    render,
    set_cookie,
)
from matching.errors import InvalidInput, Unauthenticated
from matching.language.i18n import LANGUAGES
from matching.services import signin

router = APIRouter(include_in_schema=False)
HOMES = {"counsellor": "/profiles", "liaison": "/vacancies", "employer": "/vacancies", "admin": "/admin"}


@router.get("/")
def home(request: Request, session: SessionDep) -> Response:
    """Each role's first page; the sign-in form for a browser not signed in."""
    actor = signin.session_actor(session, request.cookies.get(SESSION_COOKIE))
    return redirect(request, HOMES[actor.role] if actor else "/sign-in")


@router.get("/sign-in")
def sign_in_form(request: Request, next: str | None = None) -> Response:
    return render(request, "auth/sign_in.html", {"next": local_path(next)})


def _signed_in(request: Request, token: str, target: str) -> Response:
    response = redirect(request, target)
    set_cookie(response, request, SESSION_COOKIE, token)
    return response


@router.post("/sign-in", dependencies=[Csrf])
def sign_in(
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=400)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    try:
        token = signin.sign_in(session, username=username, password=password)
    except Unauthenticated as refused:
        # Answered as a page, so the request's transaction commits the failure count (throttling).
        status = 429 if refused.code == "sign_in_throttled" else 401
        context = {"next": local_path(next), "error": refused.code, "username": username}
        return render(request, "auth/sign_in.html", context, status=status)
    return _signed_in(request, token, local_path(next))


@router.get("/sign-in/{token}")
def link_form(token: str, request: Request, session: SessionDep) -> Response:
    """The page a sign-in link opens: choose a user name and a password."""
    user, username = signin.link_user(session, token)
    return render(request, "auth/link.html", {"token": token, "name": user.display_name, "username": username or ""})


@router.post("/sign-in/{token}", dependencies=[Csrf])
def redeem_link(
    token: str,
    request: Request,
    session: SessionDep,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=400)] = "",
    password_again: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    try:
        session_token = signin.redeem_link(session, token, username=username, password=password,
                                           repeated=password_again)
    except InvalidInput as refused:
        user, _ = signin.link_user(session, token)
        context = {"token": token, "name": user.display_name, "username": username,
                   "errors": {refused.field: refused.code}}
        return render(request, "auth/link.html", context, status=422)
    return _signed_in(request, session_token, "/")


@router.post("/sign-out", dependencies=[Csrf])
def sign_out(request: Request, session: SessionDep) -> Response:
    signin.sign_out(session, request.cookies.get(SESSION_COOKIE))
    response = redirect(request, "/sign-in")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/language/{lang}")
def choose_language(lang: str, request: Request, next: str | None = None) -> Response:
    """Remember the reader's language (a cookie) and go back to the page."""
    response = redirect(request, local_path(next))
    if lang in LANGUAGES:
        set_cookie(response, request, LANGUAGE_COOKIE, lang, max_age=ONE_YEAR)
    return response
