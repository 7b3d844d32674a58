"""What every page shares: templates and their words per language, the signed-in person, CSRF, cookies."""

from __future__ import annotations

import hmac
import secrets
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from babel.dates import format_date, format_datetime, get_timezone
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.deps import SessionDep
from api.pages import catalogs, words
from matching.language.i18n import LANGUAGES, negotiate
from matching.services import signin
from matching.store.access import Actor

HERE = Path(__file__).resolve().parent.parent
SESSION_COOKIE, CSRF_COOKIE, LANGUAGE_COOKIE = "bm_session", "bm_csrf", "bm_lang"
CSRF_FIELD, CSRF_HEADER = "csrf_token", "x-csrf-token"
ONE_YEAR = 365 * 24 * 3600

env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                  trim_blocks=True, lstrip_blocks=True)
env.globals["languages"] = LANGUAGES
env.globals["words"] = words.ALL


class SignInRequired(Exception):
    """No signed-in person: the page sends the browser to the sign-in form (api/pages/errors.py)."""


class CsrfRefused(Exception):
    """A form or htmx request without the page's CSRF token (api/pages/errors.py answers 403)."""


def language(request: Request) -> str:
    """The remembered choice (cookie) first, then the browser's Accept-Language."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return chosen if chosen in LANGUAGES else negotiate(request.headers.get("accept-language"))


def csrf_token(request: Request) -> str:
    """This browser's CSRF token (double-submit: the cookie and every form carry it); made on first use."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = request.state.new_csrf = secrets.token_urlsafe(32)
    return token


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(response: Any, request: Request, name: str, value: str, *, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax", secure=_secure(request),
                        path="/")


def render(request: Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200,
           block: str | None = None) -> HTMLResponse:
    """The page (or, for htmx, one of its blocks) in the reader's language, with the CSRF cookie set."""
    lang = language(request)
    words = catalogs.translations(lang)
    values = {
        "request": request,
        "lang": lang,
        "_": words.gettext,
        "ngettext": words.ngettext,
        "csrf_token": csrf_token(request),
        "actor": getattr(request.state, "actor", None),
        "person": getattr(request.state, "person", ""),
        "fmt_date": lambda value: _date(value, lang),
        "fmt_datetime": lambda value: _datetime(value, lang),
        **(context or {}),
    }
    compiled = env.get_template(template)
    if block:
        html = "".join(compiled.blocks[block](compiled.new_context(values)))
    else:
        html = compiled.render(values)
    response = HTMLResponse(html, status_code=status, headers={"Content-Language": lang, "Cache-Control": "no-store"})
    finish(request, response)
    return response


def finish(request: Request, response: Any) -> None:
    """Set the CSRF cookie made while this request was answered."""
    new = getattr(request.state, "new_csrf", None)
    if new:
        set_cookie(response, request, CSRF_COOKIE, new)


def _date(value: date | datetime | str | None, lang: str) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value, format="medium", locale=lang)


def _datetime(value: datetime | None, lang: str) -> str:
    return format_datetime(value, format="medium", locale=lang, tzinfo=get_timezone("Europe/Brussels")) if value else ""


def redirect(request: Request, url: str) -> RedirectResponse:
    """After a form: 303 to the page to read (htmx follows it too)."""
    response = RedirectResponse(url, status_code=303)
    finish(request, response)
    return response


def local_path(value: str | None, default: str = "/") -> str:
    """A `next` address only within this site: "/profiles", never "//elsewhere" or "https://...".."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def page_actor(request: Request, session: SessionDep) -> Actor:
    """The signed-in person, else SignInRequired (the page sends the browser to the sign-in form)."""
    actor = signin.session_actor(session, request.cookies.get(SESSION_COOKIE))
    if actor is None:
        raise SignInRequired()
    request.state.actor = actor
    request.state.person = signin.display_name(session, actor.user_id)
    return actor


async def csrf_checked(request: Request) -> None:
    """Refuse a state-changing request whose form field or X-CSRF-Token header does not hold the cookie's token."""
    expected = request.cookies.get(CSRF_COOKIE)
    sent: object = request.headers.get(CSRF_HEADER)  # a form field may also be a file: checked below
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = (await request.form()).get(CSRF_FIELD)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(expected, sent):
        raise CsrfRefused()


PageActor = Annotated[Actor, Depends(page_actor)]
Csrf = Depends(csrf_checked)
