"""Admin pages: organisations, users with their one-time sign-in links, liaison-employer links, the audit chain."""

from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import ValidationError

from api.deps import SessionDep
from api.pages.web import Csrf, PageActor, redirect, render
from matching.errors import InvalidInput
from matching.schemas.resources import OrganisationCreate, UserCreate
from matching.schemas.signin import sign_in_url
from matching.services import accounts, overviews, signin
from matching.store import audit
from matching.store.access import require_role

router = APIRouter(include_in_schema=False)


def _validated(schema, body: dict, field: str):
    try:
        return schema.model_validate(body)
    except ValidationError as refused:
        error = refused.errors()[0]
        raise InvalidInput(str(error["msg"]).removeprefix("Value error, "), field=field) from None


@router.get("/admin")
def organisations(request: Request, session: SessionDep, actor: PageActor) -> Response:
    require_role(actor, "admin")
    return render(request, "admin/organisations.html", {"organisations": accounts.list_organisations(session)})


@router.post("/admin/organisations", dependencies=[Csrf])
async def create_organisation(request: Request, session: SessionDep, actor: PageActor) -> Response:
    require_role(actor, "admin")
    form = await request.form()
    payload = _validated(OrganisationCreate, {"name": form.get("name"), "kind": form.get("kind")}, "name")
    accounts.create_organisation(session, payload=payload, actor=actor)
    return redirect(request, "/admin")


def _users_page(request: Request, session: SessionDep, actor, **shown) -> Response:
    context = {"users": overviews.list_users(session, actor), "organisations": accounts.list_organisations(session),
               **shown}
    return render(request, "admin/users.html", context)


@router.get("/admin/users")
def users(request: Request, session: SessionDep, actor: PageActor) -> Response:
    require_role(actor, "admin")
    return _users_page(request, session, actor)


@router.post("/admin/users", dependencies=[Csrf])
async def create_user(request: Request, session: SessionDep, actor: PageActor) -> Response:
    """The new person's sign-in link (and bearer token) are shown on this answer only."""
    require_role(actor, "admin")
    form = await request.form()
    body = {"organisation_id": form.get("organisation_id"), "role": form.get("role"),
            "display_name": form.get("display_name")}
    user, token, link = signin.create_user(session, payload=_validated(UserCreate, body, "display_name"), actor=actor)
    return _users_page(request, session, actor, created=user.display_name, token=token,
                       link=sign_in_url(str(request.base_url), link))


@router.post("/admin/users/{user_id}/sign-in-link", dependencies=[Csrf])
def new_link(user_id: str, request: Request, session: SessionDep, actor: PageActor) -> Response:
    require_role(actor, "admin")
    user, link = signin.issue_link_for(session, actor, user_id)
    return _users_page(request, session, actor, created=user.display_name,
                       link=sign_in_url(str(request.base_url), link))


@router.get("/admin/links")
def links(request: Request, session: SessionDep, actor: PageActor) -> Response:
    require_role(actor, "admin")
    organisations = accounts.list_organisations(session)
    return render(request, "admin/links.html", {"links": overviews.list_links(session, actor),
                                                "liaisons": [o for o in organisations if o.kind == "liaison"],
                                                "employers": [o for o in organisations if o.kind == "employer"]})


@router.post("/admin/links", dependencies=[Csrf])
async def change_link(request: Request, session: SessionDep, actor: PageActor) -> Response:
    require_role(actor, "admin")
    form = await request.form()
    accounts.link_liaison(session, liaison_id=str(form.get("liaison_id", "")),
                          employer_id=str(form.get("employer_id", "")), serve=form.get("serve") != "no", actor=actor)
    return redirect(request, "/admin/links")


@router.get("/admin/audit")
def audit_status(request: Request, session: SessionDep, actor: PageActor) -> Response:
    require_role(actor, "admin")
    verification = audit.verify(session)
    latest = audit.entries(session, after=max(0, verification.entries - 20), limit=20)
    return render(request, "admin/audit.html", {"verification": asdict(verification),
                                                "entries": [audit.describe(e) for e in reversed(latest)]})
