"""Sign-in for people: one-time sign-in links, passwords (argon2), browser sessions, throttled failures.

Machine clients keep their bearer tokens (accounts.py); this is the browser's way in. Every secret a
browser holds (a link's token, a session's token) is stored as its SHA-256 hash only.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, delete, select

from matching.errors import InvalidInput, NotFound, Unauthenticated
from matching.schemas.resources import UserCreate
from matching.services import accounts
from matching.services.accounts import hash_token
from matching.settings import get_settings
from matching.store import audit
from matching.store.access import Actor
from matching.store.models import User, as_utc, utcnow
from matching.store.models_signin import Credential, SignInFailure, SignInLink, WebSession

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
PASSWORD_MIN, PASSWORD_MAX = 10, 200
# Five wrong passwords for one user name within the window lock that name for the window.
MAX_FAILURES, WINDOW = 5, timedelta(minutes=15)
_hasher = PasswordHasher()
# Verified when the user name is unknown, so an answer takes as long whether the name exists or not.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def issue_link(session: Session, *, user: User, actor: Actor | None = None) -> str:
    """A one-time sign-in link's token for `user` (shown once); earlier unused links of the user stop working."""
    now = utcnow()
    for old in session.exec(select(SignInLink).where(SignInLink.user_id == user.id, col(SignInLink.used_at).is_(None))):
        old.used_at = now
        session.add(old)
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=get_settings().sign_in_link_hours)
    link = SignInLink(user_id=user.id, token_hash=hash_token(token), expires_at=expires_at)
    session.add(link)
    session.flush()
    audit.append(session, action="sign_in_link.issued", actor=actor, subject_type="user", subject_id=user.id,
                 details={"expires_at": audit.iso(expires_at)})
    return token


def create_user(session: Session, *, payload: UserCreate, actor: Actor) -> tuple[User, str, str]:
    """A user with its bearer token (machine clients) and its one-time sign-in link's token (people)."""
    user, token = accounts.create_user(session, payload=payload, actor=actor)
    return user, token, issue_link(session, user=user, actor=actor)


def issue_link_for(session: Session, actor: Actor, user_id: str) -> tuple[User, str]:
    """A new sign-in link for an existing user (the admin's page): the previous ones stop working."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No user with this id.", field="user_id")
    return user, issue_link(session, user=user, actor=actor)


def _open_link(session: Session, token: str) -> SignInLink:
    link = session.exec(select(SignInLink).where(SignInLink.token_hash == hash_token(token))).first()
    if link is None or link.used_at is not None or as_utc(link.expires_at) <= utcnow():
        raise NotFound("This sign-in link is unknown, already used or expired; ask an admin for a new one.")
    return link


def link_user(session: Session, token: str) -> tuple[User, str | None]:
    """Whose link this is, and the user name they already chose (if any)."""
    link = _open_link(session, token)
    user = session.get(User, link.user_id)
    if user is None:  # removed since the link was issued
        raise NotFound("This sign-in link is unknown, already used or expired; ask an admin for a new one.")
    credential = session.get(Credential, link.user_id)
    return user, credential.username if credential else None


def _check_password(password: str, repeated: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise InvalidInput(f"Choose a password of {PASSWORD_MIN} to {PASSWORD_MAX} characters.",
                           code="weak_password", field="password")
    if password != repeated:
        raise InvalidInput("The two passwords differ; type the same password twice.", code="mismatch",
                           field="password_again")


def redeem_link(session: Session, token: str, *, username: str, password: str, repeated: str) -> str:
    """Set the user name and password through a link (used once); answers a new session's token."""
    link = _open_link(session, token)
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise InvalidInput("A user name has 3 to 40 letters a-z, digits, dots, dashes or underscores.",
                           code="invalid_username", field="username")
    _check_password(password, repeated)
    taken = session.exec(select(Credential).where(Credential.username == username)).first()
    if taken is not None and taken.user_id != link.user_id:
        raise InvalidInput("This user name is taken; choose another.", code="username_taken", field="username")
    credential = session.get(Credential, link.user_id) or Credential(user_id=link.user_id, username=username,
                                                                      password_hash="")
    credential.username, credential.password_hash, credential.updated_at = username, _hasher.hash(password), utcnow()
    link.used_at = utcnow()
    session.add_all([credential, link])
    session.flush()
    user = session.get(User, link.user_id)
    audit.append(session, action="password.set", actor=_actor(user), subject_type="user", subject_id=user.id)
    return _open_session(session, user)


def _actor(user: User) -> Actor:
    return Actor(user_id=user.id, role=user.role, organisation_id=user.organisation_id)


def _open_session(session: Session, user: User) -> str:
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(hours=get_settings().session_hours)
    session.add(WebSession(user_id=user.id, token_hash=hash_token(token), expires_at=expires_at))
    session.flush()
    return token


def _throttle(session: Session, username: str) -> SignInFailure:
    row = session.get(SignInFailure, username, with_for_update=True) or SignInFailure(username=username)
    now = utcnow()
    locked_until = as_utc(row.locked_until)
    if locked_until is not None and locked_until > now:
        minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
        raise Unauthenticated(f"Too many failed sign-ins for this user name; try again in {minutes} minutes.",
                              code="sign_in_throttled")
    if as_utc(row.window_start) + WINDOW <= now:
        row.failures, row.window_start, row.locked_until = 0, now, None
    return row


def sign_in(session: Session, *, username: str, password: str) -> str:
    """A new session's token for a right user name and password; failures are counted and throttled."""
    username = username.strip().lower()[:64]
    failures = _throttle(session, username)
    credential = session.exec(select(Credential).where(Credential.username == username)).first()
    try:
        _hasher.verify(credential.password_hash if credential else _DUMMY_HASH, password[:PASSWORD_MAX])
        ok = credential is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        failures.failures += 1
        if failures.failures >= MAX_FAILURES:
            failures.locked_until = utcnow() + WINDOW
        session.add(failures)
        session.flush()  # the page answers the form again (no exception reaches the request): this commits
        raise Unauthenticated("Wrong user name or password.", code="wrong_credentials")
    if failures.failures and session.get(SignInFailure, username) is not None:
        session.delete(failures)
    user = session.get(User, credential.user_id)
    if _hasher.check_needs_rehash(credential.password_hash):
        credential.password_hash = _hasher.hash(password)
        session.add(credential)
    audit.append(session, action="user.signed_in", actor=_actor(user), subject_type="user", subject_id=user.id)
    return _open_session(session, user)


def session_actor(session: Session, token: str | None) -> Actor | None:
    """The actor of a browser session cookie, or None (unknown, expired or signed out)."""
    if not token:
        return None
    row = session.exec(
        select(WebSession, User).join(User, col(User.id) == WebSession.user_id)
        .where(WebSession.token_hash == hash_token(token))
    ).first()
    if row is None or as_utc(row[0].expires_at) <= utcnow():
        return None
    return _actor(row[1])


def sign_out(session: Session, token: str | None) -> None:
    """End the browser session (the cookie's token no longer works); expired sessions of anyone go too."""
    if token:
        session.exec(delete(WebSession).where(WebSession.token_hash == hash_token(token)))
    session.exec(delete(WebSession).where(col(WebSession.expires_at) <= utcnow()))


def display_name(session: Session, user_id: str) -> str:
    user = session.get(User, user_id)
    return user.display_name if user else ""
