"""Administration: organisations, users and liaison links (role admin)."""

from fastapi import APIRouter, Depends, Request, Response, status

from api.deps import CurrentActor, SessionDep, shown_once
from matching.schemas.resources import OrganisationCreate, OrganisationPublic, UserCreate
from matching.schemas.signin import UserCreatedWithLink, sign_in_url
from matching.services import accounts, signin
from matching.store.access import require_role

router = APIRouter(prefix="/v1", tags=["administration"])


@router.post("/organisations", status_code=status.HTTP_201_CREATED, response_model=OrganisationPublic)
def create_organisation(payload: OrganisationCreate, session: SessionDep, actor: CurrentActor):
    """Create a counselling service, a liaison or an employer."""
    require_role(actor, "admin")
    return accounts.create_organisation(session, payload=payload, actor=actor)


@router.get("/organisations", response_model=list[OrganisationPublic])
def list_organisations(session: SessionDep, actor: CurrentActor):
    """All organisations of the installation."""
    require_role(actor, "admin")
    return accounts.list_organisations(session)


@router.post(
    "/users", status_code=status.HTTP_201_CREATED, response_model=UserCreatedWithLink,
    dependencies=[Depends(shown_once)],
)
def create_user(payload: UserCreate, request: Request, session: SessionDep, actor: CurrentActor):
    """Create a user, its token and its one-time sign-in link for the pages (both shown once; hashes stored)."""
    require_role(actor, "admin")
    user, token, link = signin.create_user(session, payload=payload, actor=actor)
    return UserCreatedWithLink(
        id=user.id, role=user.role, organisation_id=user.organisation_id, display_name=user.display_name, token=token,
        sign_in_url=sign_in_url(str(request.base_url), link),
    )


@router.put("/organisations/{liaison_id}/employers/{employer_id}", status_code=status.HTTP_204_NO_CONTENT)
def serve_employer(liaison_id: str, employer_id: str, session: SessionDep, actor: CurrentActor):
    """The liaison serves this employer: it may post vacancies for it, shortlist and present."""
    require_role(actor, "admin")
    accounts.link_liaison(session, liaison_id=liaison_id, employer_id=employer_id, serve=True, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/organisations/{liaison_id}/employers/{employer_id}", status_code=status.HTTP_204_NO_CONTENT)
def stop_serving_employer(liaison_id: str, employer_id: str, session: SessionDep, actor: CurrentActor):
    """End the link between a liaison and an employer."""
    require_role(actor, "admin")
    accounts.link_liaison(session, liaison_id=liaison_id, employer_id=employer_id, serve=False, actor=actor)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
