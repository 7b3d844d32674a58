"""Persistence models (SQLModel tables). Table names are singular snake_case.

Profiles hold what a person can do and needs, never who they are: there is no column for a name,
a birth date, an address or any contact, and the organisation of a profile is never shown to employers.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Index, UniqueConstraint, event, insert, text
from sqlmodel import Field, SQLModel

# Tables of their own modules, registered with the same metadata by these imports (each imports only
# matching.store.columns): oversight, the events other systems follow (change feed and webhooks), the web pages'
# sign-in, and the tables the workers keep for the API to read (warm-worker heartbeats, the card crowds).
from matching.store import event_models, models_oversight, models_signin
from matching.store.columns import UtcDateTime, _ts, _ts_nullable, new_id, utcnow
from matching.store.models_workers import CardCrowdState, CardDisclosure, WorkerHeartbeat

__all__ = [
    "CardCrowdState", "CardDisclosure", "UtcDateTime", "WorkerHeartbeat", "new_id", "utcnow",
    "event_models", "models_oversight", "models_signin",
]


class Organisation(SQLModel, table=True):
    id: str = Field(default_factory=lambda: new_id("org"), primary_key=True)
    name: str
    kind: str = Field(index=True)  # counselling | liaison | employer | operator
    created_at: datetime = _ts()


class LiaisonEmployer(SQLModel, table=True):
    """The liaison serves that employer: it may post vacancies for it and follow them."""

    __tablename__ = "liaison_employer"
    liaison_id: str = Field(foreign_key="organisation.id", primary_key=True)
    employer_id: str = Field(foreign_key="organisation.id", primary_key=True)
    created_at: datetime = _ts()


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    id: str = Field(default_factory=lambda: new_id("usr"), primary_key=True)
    organisation_id: str = Field(foreign_key="organisation.id", index=True)
    role: str  # counsellor | liaison | employer | admin
    display_name: str
    created_at: datetime = _ts()


class ApiToken(SQLModel, table=True):
    """A bearer token, stored only as a SHA-256 hash with a short display prefix."""

    __tablename__ = "api_token"
    id: str = Field(default_factory=lambda: new_id("tok"), primary_key=True)
    user_id: str = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(unique=True, index=True)
    prefix: str
    created_at: datetime = _ts()
    expires_at: datetime | None = _ts_nullable()
    revoked_at: datetime | None = _ts_nullable()


class Concept(SQLModel, table=True):
    """A taxonomy concept: a skill or an occupation (seed or ESCO)."""

    id: str = Field(primary_key=True)
    kind: str = Field(index=True)  # skill | occupation
    source: str = "seed"  # seed | esco
    sector: str | None = None
    isco_group: str | None = None


class ConceptLabel(SQLModel, table=True):
    __tablename__ = "concept_label"
    __table_args__ = (UniqueConstraint("concept_id", "lang", "label"),)
    id: int | None = Field(default=None, primary_key=True)
    concept_id: str = Field(foreign_key="concept.id", index=True)
    lang: str
    label: str
    preferred: bool = False


class ConceptRelation(SQLModel, table=True):
    """broader (concept -> broader concept), essential / optional (occupation -> skill), related."""

    __tablename__ = "concept_relation"
    concept_id: str = Field(foreign_key="concept.id", primary_key=True)
    relation: str = Field(primary_key=True)
    target_id: str = Field(foreign_key="concept.id", primary_key=True, index=True)


class Postcode(SQLModel, table=True):
    postcode: str = Field(primary_key=True)
    place_name: str
    region_code: str | None = None
    lat: float
    lon: float


class MetaValue(SQLModel, table=True):
    """Small key/value facts about the installation (e.g. the taxonomy's version stamp)."""

    __tablename__ = "meta_value"
    key: str = Field(primary_key=True)
    value: str


class Profile(SQLModel, table=True):
    # A counsellor's list pages through its organisation's profiles newest first: at 10k profiles, sorting
    # them (JSON bodies included) took 80 ms a page on SQLite; with this index it reads 50 rows.
    __table_args__ = (Index("ix_profile_organisation_created", "organisation_id", "created_at", "id"),)
    id: str = Field(default_factory=lambda: new_id("prf"), primary_key=True)
    organisation_id: str = Field(foreign_key="organisation.id", index=True)
    phase: str = "intake"
    published: bool = Field(default=True, index=True)
    # The normalised body: skills (as understood), languages, availability, mobility, preferences.
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    pitch: str | None = None
    pitch_visible: bool = False
    version: int = 1
    # How the change log names this profile: random, so once the profile is erased it names nobody.
    change_key: str = Field(default_factory=lambda: secrets.token_hex(16), unique=True, index=True)
    # When the counsellor last confirmed the profile still holds (publishing and editing count): past
    # BLINDMATCH_RECONFIRM_DAYS it is no longer matched (matching/store/reconfirmation.py).
    reconfirmed_at: datetime = _ts(index=True)
    # Set by the maintenance pass once it has logged the profile's going stale, so workers' indexes drop it
    # (they learn of changes only from the change log; time passing writes nothing there by itself).
    stale_logged: bool = False
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class Vacancy(SQLModel, table=True):
    id: str = Field(default_factory=lambda: new_id("vac"), primary_key=True)
    employer_id: str = Field(foreign_key="organisation.id", index=True)
    title: str
    status: str = Field(default="open", index=True)  # open | closed
    sector: str | None = None
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    version: int = 1
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class Shortlist(SQLModel, table=True):
    id: str = Field(default_factory=lambda: new_id("sl"), primary_key=True)
    vacancy_id: str = Field(foreign_key="vacancy.id", index=True)
    requested_by: str = Field(foreign_key="app_user.id")
    status: str = Field(default="queued", index=True)  # queued | running | ready | failed
    size: int = 10
    min_score: float = 0.0
    qualified_only: bool = False  # rank only candidates holding every must-have
    attempts: int = 0  # worker starts, a killed worker's included
    requeues: int = 0  # times the reconciler sent it again
    version: int = 1  # raised when an erasure empties one of its items: a rendering cached before is stale
    task_id: str | None = None  # the task message that last started it (a redelivery carries the same id)
    request_id: str | None = None  # the API request that asked for it, for the logs
    error: str | None = None
    created_at: datetime = _ts()
    queued_at: datetime = _ts()
    started_at: datetime | None = _ts_nullable()
    finished_at: datetime | None = _ts_nullable()


class ShortlistItem(SQLModel, table=True):
    __tablename__ = "shortlist_item"
    __table_args__ = (UniqueConstraint("shortlist_id", "rank"),)
    id: int | None = Field(default=None, primary_key=True)
    shortlist_id: str = Field(foreign_key="shortlist.id", index=True)
    rank: int
    # Set to NULL when the profile is erased; the item then shows as withdrawn.
    profile_id: str | None = Field(default=None, index=True)
    score: float
    breakdown: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    explanation: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    commute_minutes: float | None = None
    withdrawn: bool = False
    # Human oversight (matching/services/overrides.py): `rank` is the final order the liaison sees; the
    # model's own rank stays beside it (None for a candidate a person added), and a removed item stays
    # listed after the others so that what the model proposed is never lost.
    model_rank: int | None = None
    chosen_by_person: bool = False
    removed: bool = False


class Match(SQLModel, table=True):
    """A candidate presented for a vacancy, and the employer's decisions on them."""

    __table_args__ = (UniqueConstraint("vacancy_id", "candidate_ref"),)
    id: str = Field(default_factory=lambda: new_id("mt"), primary_key=True)
    vacancy_id: str = Field(foreign_key="vacancy.id", index=True)
    profile_id: str | None = Field(default=None, index=True)
    candidate_ref: str
    shortlist_id: str | None = None
    status: str = "presented"
    reason: str | None = None
    interview_at: datetime | None = _ts_nullable()
    score: float = 0.0
    explanation: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    commute_minutes: float | None = None
    chosen_by_person: bool = False  # the liaison moved or added this candidate on the shortlist
    version: int = 1
    presented_at: datetime = _ts()
    updated_at: datetime = _ts()


class TrajectoryEvent(SQLModel, table=True):
    """One step of a profile's trajectory, as the counsellor reads it."""

    __tablename__ = "trajectory_event"
    id: str = Field(default_factory=lambda: new_id("ev"), primary_key=True)
    profile_id: str = Field(foreign_key="profile.id", index=True)
    kind: str  # phase_changed | shortlisted | presented | interested | interview | hired | declined | ...
    # | follow_up_leaving | follow_up_six_months (the counsellor's follow-up, with an outcome code)
    phase: str | None = None
    note: str | None = None
    vacancy_id: str | None = None
    vacancy_title: str | None = None
    sector: str | None = None
    reason: str | None = None
    interview_at: datetime | None = _ts_nullable()
    outcome: str | None = None  # a follow-up's code: employed | training | searching | inactive | unknown
    at: datetime | None = _ts_nullable()
    created_at: datetime = _ts()


class ProfileChange(SQLModel, table=True):
    """Which profile changed, in order: workers replay it to keep their in-memory index current.

    A row names the profile by its random `change_key`, never by its id or content: a worker knows the
    keys of the profiles it holds, so an erasure's row tells it which one to drop, while the row itself
    (kept a day, see workers/maintenance.py) can no longer be tied to anyone once the profile is gone.
    """

    __tablename__ = "profile_change"
    seq: int | None = Field(default=None, primary_key=True)
    profile_key: str = Field(index=True)
    created_at: datetime = _ts()


@event.listens_for(Profile, "after_insert")
@event.listens_for(Profile, "after_update")
@event.listens_for(Profile, "after_delete")
def _log_profile_change(_mapper: Any, connection: Any, target: Profile) -> None:
    """Every write to a profile appends its change key to the change log, in the same transaction."""
    connection.execute(insert(ProfileChange).values(profile_key=target.change_key))


class ProfileFitRun(SQLModel, table=True):
    """Where a profile stands in its scoring against the open vacancies (one row per profile).

    The task message carries this row's opaque id, never the profile id: the outbox keeps sent messages
    for days, and after an erasure nothing there may name the profile (the row goes with the profile).
    """

    __tablename__ = "profile_fit_run"
    id: str = Field(default_factory=lambda: new_id("pfr"), primary_key=True)
    profile_id: str = Field(foreign_key="profile.id", unique=True, ondelete="CASCADE")
    requested_version: int  # the profile version a task was asked for
    requested_at: datetime | None = _ts_nullable()  # when a task message was last sent (repeated writes coalesce)
    computed_version: int | None = None  # the profile version the stored fits reflect
    vacancies_scored: int = 0
    computed_at: datetime | None = _ts_nullable()
    # What would open doors, computed with the fits: {"eligible", "best_score", "effects": [GapEffect as
    # plain values, best first]} (matching/ranking/gaps.py).
    gaps: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class VacancyFitRun(SQLModel, table=True):
    """Where a vacancy stands in its scoring against the published profiles (one row per vacancy)."""

    __tablename__ = "vacancy_fit_run"
    id: str = Field(default_factory=lambda: new_id("vfr"), primary_key=True)
    vacancy_id: str = Field(foreign_key="vacancy.id", unique=True)
    requested_version: int  # the vacancy version a task was asked for
    requested_at: datetime | None = _ts_nullable()
    computed_version: int | None = None  # the vacancy version the profiles' fits reflect
    profiles_fitting: int = 0
    computed_at: datetime | None = _ts_nullable()


class ProfileFit(SQLModel, table=True):
    """An open vacancy the profile is eligible for, scored as its shortlist would score it.

    Written by the profile's task (every open vacancy) and by the vacancy's (every published profile);
    `vacancy_version` keeps a task that read an older vacancy from overwriting a newer fit.
    """

    __tablename__ = "profile_fit"
    profile_id: str = Field(foreign_key="profile.id", primary_key=True, ondelete="CASCADE")
    vacancy_id: str = Field(foreign_key="vacancy.id", primary_key=True, index=True)
    vacancy_version: int = 1
    score: float
    computed_at: datetime = _ts()


class OutboxMessage(SQLModel, table=True):
    """A task to send to the broker, committed with the row it concerns (sent after commit)."""

    __tablename__ = "outbox_message"
    # Relays look for unsent messages several times a second: only those are indexed, however many were sent.
    __table_args__ = (
        Index("ix_outbox_message_unsent", "created_at", postgresql_where=text("sent_at IS NULL"),
              sqlite_where=text("sent_at IS NULL")),
    )
    id: str = Field(default_factory=lambda: new_id("ob"), primary_key=True)
    task: str
    args: list[Any] = Field(default_factory=list, sa_type=JSON)
    headers: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # e.g. the request id, for the logs
    created_at: datetime = _ts()
    sent_at: datetime | None = _ts_nullable()


class IdempotencyRecord(SQLModel, table=True):
    """The first answer to a POST sent with an Idempotency-Key, replayed for 24 h (api/idempotency.py)."""

    __tablename__ = "idempotency_record"
    owner: str = Field(primary_key=True)  # a hash of the bearer token: keys are scoped to their caller
    key: str = Field(primary_key=True)
    fingerprint: str  # method, path and body: the same key with another request is refused
    status: str = "in_flight"  # in_flight | done | erased | not_kept
    response_status: int | None = None
    response_headers: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    response_body: str | None = None
    created_at: datetime = _ts()
    expires_at: datetime = _ts(index=True)


class AuditEntry(SQLModel, table=True):
    """One line of the append-only audit log, chained to the previous one by its hash (matching/store/audit.py).

    Ids, roles and codes only: never profile content, never a profile id (an erased profile must not
    stay linkable through a log that is never rewritten).
    """

    __tablename__ = "audit_entry"
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    at: datetime = _ts()
    action: str = Field(index=True)
    actor_id: str | None = None  # the user, or None for the service itself (retention)
    actor_role: str | None = None
    organisation_id: str | None = None
    subject_type: str | None = None
    subject_id: str | None = Field(default=None, index=True)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    prev_hash: str
    hash: str = Field(unique=True)


class AuditAnchor(SQLModel, table=True):
    """The audit log's head, kept apart and signed (matching/store/audit.py): a truncated log no longer matches it.

    One row, updated in the transaction of every append.
    """

    __tablename__ = "audit_anchor"
    SINGLE: ClassVar[int] = 1
    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    entries: int  # how many entries the log holds
    head: str  # the last entry's hash
    signature: str  # HMAC-SHA256 of both with BLINDMATCH_SECRET_KEY
    updated_at: datetime = _ts()


def as_utc(value: datetime | None) -> datetime | None:
    """The same instant in UTC. Columns already read back as aware UTC (UtcDateTime); a naive value
    handed in is taken as UTC, the form every datetime of this service is written in."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

