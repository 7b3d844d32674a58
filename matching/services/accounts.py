"""Organisations, users and bearer tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from matching.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from matching.privacy.screen import About, screened_label
from matching.schemas.resources import OrganisationCreate, TokenPublic, UserCreate
from matching.settings import get_settings
from matching.store import audit
from matching.store.access import Actor
from matching.store.models import ApiToken, LiaisonEmployer, Organisation, User, as_utc, utcnow

TOKEN_PREFIX = "bm_"
# What the admin list shows of a token: enough to tell tokens apart, far too little to use one.
DISPLAY_LENGTH = 10
# Which organisation kinds a role belongs to: a counsellor works for a counselling service, etc.
ROLE_KINDS = {
    "counsellor": {"counselling"},
    "liaison": {"liaison"},
    "employer": {"employer"},
    "admin": {"operator"},
}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_organisation(session: Session, *, payload: OrganisationCreate, actor: Actor | None = None) -> Organisation:
    organisation = Organisation(name=payload.name, kind=payload.kind)
    session.add(organisation)
    session.flush()
    audit.append(
        session,
        action="organisation.created",
        actor=actor,
        subject_type="organisation",
        subject_id=organisation.id,
        details={"kind": organisation.kind},
    )
    return organisation


def default_expiry() -> datetime | None:
    days = get_settings().token_ttl_days
    return utcnow() + timedelta(days=days) if days else None


def issue_token(
    session: Session, *, user: User, expires_at: datetime | None = None, actor: Actor | None = None
) -> tuple[ApiToken, str]:
    """A new bearer token for `user` (32 random bytes); only its hash and a display prefix are kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        token_hash=hash_token(token),
        prefix=token[:DISPLAY_LENGTH],
        expires_at=expires_at or default_expiry(),
    )
    session.add(row)
    session.flush()
    audit.append(
        session,
        action="token.issued",
        actor=actor,
        subject_type="token",
        subject_id=row.id,
        details={
            "user_id": user.id,
            "role": user.role,
            "token_prefix": row.prefix,
            "expires_at": audit.iso(row.expires_at),
        },
    )
    return row, token


def create_user(session: Session, *, payload: UserCreate, actor: Actor | None = None) -> tuple[User, str]:
    organisation = session.get(Organisation, payload.organisation_id)
    if organisation is None:
        raise InvalidInput("No organisation with this id.", code="unknown_organisation", field="organisation_id")
    if organisation.kind not in ROLE_KINDS[payload.role]:
        raise InvalidInput(
            f"A {payload.role} cannot belong to an organisation of kind {organisation.kind}.",
            code="role_mismatch",
            field="role",
        )
    user = User(organisation_id=organisation.id, role=payload.role, display_name=payload.display_name)
    session.add(user)
    session.flush()
    audit.append(
        session,
        action="user.created",
        actor=actor,
        subject_type="user",
        subject_id=user.id,
        details={"role": user.role},
    )
    return user, issue_token(session, user=user, actor=actor)[1]


def create_admin(session: Session, *, display_name: str = "admin") -> tuple[User, str]:
    """The installation's first (or another) admin, in the operator organisation.

    The name comes from the command line, not a request body: it passes the same screen as a user's
    display_name in POST /v1/users (StaffLabel), here.
    """
    try:
        display_name = screened_label(display_name, About.STAFF)
    except ValueError as refused:
        raise InvalidInput(f"name: {refused}", field="name") from None
    operator = session.exec(select(Organisation).where(Organisation.kind == "operator")).first()
    if operator is None:
        operator = Organisation(name="Operator", kind="operator")
        session.add(operator)
        session.flush()
    user = User(organisation_id=operator.id, role="admin", display_name=display_name)
    session.add(user)
    session.flush()
    audit.append(
        session, action="user.created", actor=None, subject_type="user", subject_id=user.id, details={"role": "admin"}
    )
    return user, issue_token(session, user=user)[1]


# Every request of every caller starts here: one query of columns, built once (building a select costs more
# than running it) and run on the connection (the ORM would only wrap plain columns).
_TOKEN_QUERY = (
    select(ApiToken.id, ApiToken.revoked_at, ApiToken.expires_at, User.id, User.role, User.organisation_id)
    .join(User, col(User.id) == ApiToken.user_id, isouter=True)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


def authenticate(session: Session, token: str | None) -> Actor:
    """The actor behind a bearer token; Unauthenticated when missing, unknown, expired or revoked."""
    if not token:
        raise Unauthenticated("Send an Authorization: Bearer <token> header.")
    row = session.connection().execute(_TOKEN_QUERY, {"token_hash": hash_token(token)}).first()
    if row is None or row[1] is not None:
        raise Unauthenticated("This token is not valid (unknown or revoked).")
    token_id, _, expires_at, user_id, role, organisation_id = row
    expires_at = as_utc(expires_at)
    if expires_at is not None and expires_at <= utcnow():
        raise Unauthenticated("This token has expired; ask an admin for a new one.")
    if user_id is None:
        raise Unauthenticated("This token's user no longer exists.")
    return Actor(user_id=user_id, role=role, organisation_id=organisation_id, token_id=token_id)


def _organisation_of_kind(session: Session, organisation_id: str, kind: str, field: str) -> Organisation:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None or organisation.kind != kind:
        raise NotFound(f"No {kind} organisation with this id.", field=field)
    return organisation


def link_liaison(
    session: Session, *, liaison_id: str, employer_id: str, serve: bool, actor: Actor | None = None
) -> None:
    """Make (or end) the link by which a liaison serves an employer; idempotent."""
    _organisation_of_kind(session, liaison_id, "liaison", "liaison_id")
    _organisation_of_kind(session, employer_id, "employer", "employer_id")
    link = session.get(LiaisonEmployer, (liaison_id, employer_id))
    if serve and link is None:
        session.add(LiaisonEmployer(liaison_id=liaison_id, employer_id=employer_id))
    elif not serve and link is not None:
        session.delete(link)
    else:
        return  # nothing changed: nothing to record
    session.flush()
    audit.append(
        session,
        action="liaison.linked" if serve else "liaison.unlinked",
        actor=actor,
        subject_type="organisation",
        subject_id=liaison_id,
        details={"employer_id": employer_id},
    )


def list_links(session: Session) -> list[LiaisonEmployer]:
    """Every liaison-employer link an admin made, oldest first."""
    return list(session.exec(select(LiaisonEmployer).order_by(LiaisonEmployer.created_at)))


def list_organisations(session: Session) -> list[Organisation]:
    return list(session.exec(select(Organisation).order_by(Organisation.created_at, Organisation.id)))


def ensure_kind(organisation: Organisation, kind: str) -> None:
    if organisation.kind != kind:
        raise Conflict(f"This organisation is a {organisation.kind}, not a {kind}.")


def _token_status(row: ApiToken, now: datetime) -> str:
    if row.revoked_at is not None:
        return "revoked"
    expires_at = as_utc(row.expires_at)
    return "expired" if expires_at is not None and expires_at <= now else "active"


def token_public(row: ApiToken, user: User, now: datetime | None = None) -> TokenPublic:
    return TokenPublic(
        id=row.id,
        user_id=row.user_id,
        role=user.role,
        organisation_id=user.organisation_id,
        prefix=row.prefix,
        status=_token_status(row, now or utcnow()),
        created_at=as_utc(row.created_at),
        expires_at=as_utc(row.expires_at),
        revoked_at=as_utc(row.revoked_at),
    )


def list_tokens(
    session: Session, *, user_id: str | None = None, organisation_id: str | None = None, limit: int, offset: int
) -> list[TokenPublic]:
    """Tokens with their display prefix and status (never the token or its hash), newest first."""
    query = select(ApiToken, User).join(User, col(User.id) == ApiToken.user_id)
    if user_id:
        query = query.where(ApiToken.user_id == user_id)
    if organisation_id:
        query = query.where(User.organisation_id == organisation_id)
    query = query.order_by(col(ApiToken.created_at).desc(), ApiToken.id).offset(offset).limit(limit)
    now = utcnow()
    return [token_public(row, user, now) for row, user in session.exec(query)]


def issue_user_token(
    session: Session, actor: Actor, user_id: str, *, expires_at: datetime | None
) -> tuple[ApiToken, User, str]:
    """Another token for an existing user (e.g. after a revocation); shown once."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No user with this id.", field="user_id")
    if expires_at is not None and as_utc(expires_at) <= utcnow():
        raise InvalidInput("expires_at is in the past.", code="invalid", field="expires_at")
    row, token = issue_token(session, user=user, expires_at=expires_at, actor=actor)
    return row, user, token


def revoke_token(session: Session, actor: Actor, token_id: str) -> TokenPublic:
    """Revoke a token: its next call answers 401. Revoking twice changes nothing."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound("No token with this id.", field="token_id")
    user = session.get(User, row.user_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.flush()
        audit.append(
            session,
            action="token.revoked",
            actor=actor,
            subject_type="token",
            subject_id=row.id,
            details={"user_id": row.user_id, "token_prefix": row.prefix},
        )
    return token_public(row, user)
