"""Request and response schemas of the public API (pydantic). Requests forbid unknown fields.

Services accept these and return them; the API only routes. Employer-facing schemas are
allow-lists: a field not declared here never reaches an employer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from matching.privacy.screen import SeekerLabel, SeekerNote, SeekerParagraph, StaffLabel, unscreened_text_fields
from matching.ranking.facts import EVIDENCE_KINDS, SHIFTS, SKILL_LEVELS, TRANSPORT_MODES

CEFR = Literal["A1", "A2", "B1", "B2", "C1", "C2"]
SkillLevel = Literal[SKILL_LEVELS]  # type: ignore[valid-type]
Evidence = Literal[EVIDENCE_KINDS]  # type: ignore[valid-type]
Shift = Literal[SHIFTS]  # type: ignore[valid-type]
Transport = Literal[TRANSPORT_MODES]  # type: ignore[valid-type]
ContractType = Literal["permanent", "temporary", "art60", "internship", "training"]
Phase = Literal[
    "intake",
    "preparation",
    "orientation",
    "training",
    "internship",
    "job_search",
    "employed",
    "follow_up",
    "closed",
]
OrganisationKind = Literal["counselling", "liaison", "employer"]
Role = Literal["counsellor", "liaison", "employer", "admin"]
Decision = Literal["interested", "declined", "interview", "hired", "not_hired"]
DeclineReason = Literal["skills", "language", "availability", "mobility", "position_filled", "other"]
# ISO 639-1 (two letters) where one exists, ISO 639-3 (three letters, e.g. "rom") otherwise.
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$", max_length=3)]
Postcode = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$", max_length=4)]
Licence = Annotated[str, StringConstraints(pattern=r"^(AM|A1|A2|A|B|BE|C1|C1E|C|CE|D1|D1E|D|DE|G)$", max_length=3)]
# Ids the service made (new_id: a prefix and URL-safe characters) and taxonomy concept ids (ESCO URIs,
# "bm:skill:..."): a format, not free text, so they need no screen; the pattern keeps text out of them.
Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,64}$", max_length=64)]
# A concept id is a URI or a prefixed name: a scheme first, so a phone number or an e-mail is never one.
ConceptId = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9+.-]{0,19}:[A-Za-z0-9:/._~#-]{1,279}$", max_length=300)
]
# Every other str field of a request is free text and takes one of the screened types of
# matching/privacy/screen.py (SeekerLabel, StaffLabel, SeekerParagraph, SeekerNote), which decides there
# what each kind of field refuses. Strict refuses, at import, a request schema with an unscreened one;
# tests/api/test_free_text_screen.py walks the OpenAPI and sends each field personal data.
# Lists of choices are bounded by the number of choices: a repeat adds nothing.


EARLIEST_INSTANT = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(9000, 1, 1, tzinfo=UTC)


def _utc_instant(value: datetime) -> datetime:
    # A time without an offset is refused, not assumed: reading it as UTC moves a Brussels interview by an
    # hour or two, and a token's expiry with it. Answers then carry the one form the API speaks, UTC.
    if value.tzinfo is None or value.utcoffset() is None:
        raise PydanticCustomError(
            "timezone_required",
            "give the time zone offset, e.g. 2027-03-01T14:30:00+01:00 (Brussels in winter) or 2027-03-01T13:30:00Z",
        )
    try:
        instant = value.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00-14:00 is past the last year a datetime holds, once in UTC
        instant = None
    # A day inside the calendar's ends at least: a database session in another zone (PostgreSQL answers
    # timestamptz in the session's zone) must be able to read the instant back without leaving year 1..9999.
    if instant is None or not EARLIEST_INSTANT <= instant <= LATEST_INSTANT:
        raise PydanticCustomError(
            "datetime_out_of_range",
            f"give a time between {EARLIEST_INSTANT:%Y-%m-%d} and {LATEST_INSTANT:%Y-%m-%d} (UTC)",
        )
    return instant


# A date and time with an offset (ISO 8601), converted to UTC.
UtcInstant = Annotated[datetime, AfterValidator(_utc_instant)]


class Strict(BaseModel):
    """A request schema: unknown fields are refused, and no free-text field goes unscreened."""

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        # At import, not in review: a str field added without a screened type stops the service starting.
        unscreened = unscreened_text_fields(cls.model_json_schema())
        if unscreened:
            raise TypeError(
                f"{cls.__name__}: free text without a personal-data screen at {', '.join(unscreened)}; use a "
                "type of matching/privacy/screen.py, or a pattern if the field is not free text"
            )


# --- administration -------------------------------------------------------------------------


class OrganisationCreate(Strict):
    name: StaffLabel
    kind: OrganisationKind


class OrganisationPublic(BaseModel):
    id: str
    name: str
    kind: str


class UserCreate(Strict):
    organisation_id: Id
    role: Role
    display_name: StaffLabel


class UserCreated(BaseModel):
    id: str
    role: str
    organisation_id: str
    display_name: str
    token: str = Field(description="Shown once; only its hash is stored.")


class TokenCreate(Strict):
    expires_at: UtcInstant | None = Field(
        default=None,
        description="When the token stops working, with an offset (answered in UTC); "
        "default: BLINDMATCH_TOKEN_TTL_DAYS from now.",
    )


class TokenPublic(BaseModel):
    """A token as admins see it: a display prefix, never the token nor its hash."""

    id: str
    user_id: str
    role: str
    organisation_id: str
    prefix: str
    status: Literal["active", "expired", "revoked"]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenIssued(TokenPublic):
    token: str = Field(description="Shown once; only its hash is stored.")


class AuditEntryPublic(BaseModel):
    seq: int
    at: datetime
    action: str
    actor_id: str | None
    actor_role: str | None
    organisation_id: str | None
    subject_type: str | None
    subject_id: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str


class AuditVerification(BaseModel):
    ok: bool
    entries: int
    head: str = Field(description="The hash of the last entry that holds.")
    broken_at: int | None = None
    reason: str | None = None


# --- taxonomy -------------------------------------------------------------------------------


class TaxonomyHit(BaseModel):
    concept_id: str
    label: str
    lang: str
    kind: str
    score: float


class ConceptPublic(BaseModel):
    concept_id: str
    kind: str
    sector: str | None
    labels: dict[str, list[str]]
    broader: list[str]
    narrower: list[str]


# --- profiles -------------------------------------------------------------------------------


class SkillIn(Strict):
    label: SeekerLabel | None = None
    concept_id: ConceptId | None = None
    level: SkillLevel | None = None
    evidence: Evidence | None = None

    @model_validator(mode="after")
    def _label_or_concept(self) -> SkillIn:
        if not self.label and not self.concept_id:
            raise ValueError("give a label or a concept_id")
        return self


class Suggestion(BaseModel):
    """A concept close to a label the taxonomy did not know: its id can be sent instead of the label."""

    concept_id: str
    label: str


class SkillOut(BaseModel):
    label: str
    concept_id: str | None
    matched_label: str | None
    match: Literal["exact", "fuzzy", "unknown"]
    confidence: float
    level: str | None = None
    evidence: str | None = None
    # Only when match is "unknown": why it matters, and the closest concepts (up to three) to pick from.
    warning: str | None = None
    suggestions: list[Suggestion] = Field(default_factory=list)


class LanguageIn(Strict):
    code: LanguageCode
    spoken: CEFR | None = None
    written: CEFR | None = None


class Availability(Strict):
    hours_min: int | None = Field(default=None, ge=1, le=60)
    hours_max: int | None = Field(default=None, ge=1, le=60)
    shifts: list[Shift] = Field(default_factory=list, max_length=len(SHIFTS))
    start: date | None = None

    @model_validator(mode="after")
    def _hours_order(self) -> Availability:
        if self.hours_min and self.hours_max and self.hours_min > self.hours_max:
            raise ValueError("hours_min is above hours_max")
        return self


class Mobility(Strict):
    postcode: Postcode | None = None
    max_commute_minutes: int | None = Field(default=None, ge=5, le=240)
    transport: list[Transport] = Field(default_factory=list, max_length=len(TRANSPORT_MODES))
    driving_licences: list[Licence] = Field(default_factory=list, max_length=15)


class Preferences(Strict):
    occupations: list[SeekerLabel] = Field(default_factory=list, max_length=20)
    contract_types: list[ContractType] = Field(default_factory=list, max_length=5)


class ProfileCreate(Strict):
    skills: list[SkillIn] = Field(min_length=1, max_length=60)
    languages: list[LanguageIn] = Field(default_factory=list, max_length=15)
    availability: Availability = Field(default_factory=Availability)
    mobility: Mobility = Field(default_factory=Mobility)
    preferences: Preferences = Field(default_factory=Preferences)
    phase: Phase = "intake"
    pitch: SeekerParagraph | None = None
    pitch_visible: bool = Field(
        default=False, description="The counsellor allows employers to read the pitch on cards."
    )
    published: bool = Field(default=True, description="Only published profiles are scored.")


class ProfileUpdate(Strict):
    skills: list[SkillIn] | None = Field(default=None, min_length=1, max_length=60)
    languages: list[LanguageIn] | None = Field(default=None, max_length=15)
    availability: Availability | None = None
    mobility: Mobility | None = None
    preferences: Preferences | None = None
    pitch: SeekerParagraph | None = None
    pitch_visible: bool | None = None
    published: bool | None = None
    version: int | None = Field(default=None, description="If given, the update is refused (409) when stale.")


class ProfilePublic(BaseModel):
    id: str
    organisation_id: str
    phase: str
    published: bool
    skills: list[SkillOut]
    languages: list[dict[str, Any]]
    availability: dict[str, Any]
    mobility: dict[str, Any]
    preferences: dict[str, Any]
    pitch: str | None
    pitch_visible: bool
    version: int
    created_at: datetime
    updated_at: datetime
    reconfirmed_at: datetime = Field(description="When the counsellor last confirmed the profile (or edited it).")
    needs_reconfirmation: bool = Field(
        description="Published, but not reconfirmed for BLINDMATCH_RECONFIRM_DAYS: not matched until reconfirmed."
    )
    stale_since: datetime | None = Field(
        description="When it stopped being matched (null while it is matched or unpublished)."
    )


class PhaseChange(Strict):
    phase: Phase
    note: SeekerNote | None = None


class TrajectoryEventOut(BaseModel):
    kind: str
    at: datetime
    phase: str | None = None
    note: str | None = None
    vacancy_id: str | None = None
    vacancy_title: str | None = None
    sector: str | None = None
    reason: str | None = None
    interview_at: datetime | None = None
    outcome: str | None = None


class Opportunity(BaseModel):
    vacancy_id: str
    vacancy_title: str
    sector: str | None
    status: str
    score: float | None


class Trajectory(BaseModel):
    profile_id: str
    phase: str
    events: list[TrajectoryEventOut]
    opportunities: list[Opportunity]


class FitOut(BaseModel):
    """An open vacancy the profile fits: no hard requirement leaves it out. Never the employer's identity."""

    rank: int
    vacancy_id: str
    vacancy_title: str
    sector: str | None
    score: float


class ProfileOpportunities(BaseModel):
    profile_id: str
    status: Literal["ready", "pending", "unpublished", "needs_reconfirmation"] = Field(
        description="pending: the profile changed since the last scoring; a worker is on it. "
        "needs_reconfirmation: not reconfirmed for BLINDMATCH_RECONFIRM_DAYS, so not matched until it is."
    )
    computed_at: datetime | None
    vacancies_scored: int = Field(description="Open vacancies the profile was scored against.")
    items: list[FitOut] = Field(description="The best fits among the vacancies still open, best first.")


class GapOut(BaseModel):
    """One skill or language level the candidate could acquire, and the doors it would open."""

    kind: Literal["skill", "language"]
    concept_id: str | None = None
    skill: str | None = Field(default=None, description="The skill's name in the reader's language.")
    language: str | None = None
    channel: Literal["spoken", "written"] | None = None
    level: CEFR | None = None
    opens: int = Field(description="Open vacancies that would become eligible, as a shortlist means it.")
    improves: int = Field(description="Open vacancies whose score would rise.")
    max_gain: float = Field(description="The largest rise of one vacancy's score.")
    best_score_after: float
    text: str


class ProfileGaps(BaseModel):
    profile_id: str
    lang: str
    open_vacancies: int
    eligible_vacancies: int
    best_score: float = Field(description="The best score over the vacancies the profile is eligible for.")
    gaps: list[GapOut]


# --- vacancies ------------------------------------------------------------------------------


class RequirementIn(Strict):
    label: StaffLabel | None = None
    concept_id: ConceptId | None = None
    level: SkillLevel | None = None

    @model_validator(mode="after")
    def _label_or_concept(self) -> RequirementIn:
        if not self.label and not self.concept_id:
            raise ValueError("give a label or a concept_id")
        return self


class LanguageRequirementIn(Strict):
    code: LanguageCode
    spoken: CEFR | None = None
    written: CEFR | None = None


class Location(Strict):
    postcode: Postcode


ConstraintMode = Literal["hard", "soft"]


class ConstraintsIn(Strict):
    """Per requirement: hard leaves out a candidate who falls short, soft lowers the score (a candidate
    beyond its tolerance is still left out). Unset ones take the defaults shown on the vacancy."""

    languages: ConstraintMode | None = None
    hours: ConstraintMode | None = None
    commute: ConstraintMode | None = None
    driving_licence: ConstraintMode | None = None


class VacancyCreate(Strict):
    employer_id: Id | None = Field(default=None, description="Only when a liaison posts for an employer.")
    title: StaffLabel
    occupation: StaffLabel | None = None
    must_have: list[RequirementIn] = Field(min_length=1, max_length=20)
    nice_to_have: list[RequirementIn] = Field(default_factory=list, max_length=30)
    languages: list[LanguageRequirementIn] = Field(default_factory=list, max_length=10)
    location: Location
    hours_per_week: int | None = Field(default=None, ge=1, le=60)
    shifts: list[Shift] = Field(default_factory=list, max_length=len(SHIFTS))
    contract_type: ContractType | None = None
    start: date | None = None
    driving_licence: Licence | None = None
    positions: int = Field(default=1, ge=1, le=100)
    constraints: ConstraintsIn | None = None


class VacancyUpdate(Strict):
    title: StaffLabel | None = None
    occupation: StaffLabel | None = None
    must_have: list[RequirementIn] | None = Field(default=None, min_length=1, max_length=20)
    nice_to_have: list[RequirementIn] | None = Field(default=None, max_length=30)
    languages: list[LanguageRequirementIn] | None = Field(default=None, max_length=10)
    location: Location | None = None
    hours_per_week: int | None = Field(default=None, ge=1, le=60)
    shifts: list[Shift] | None = Field(default=None, max_length=len(SHIFTS))
    contract_type: ContractType | None = None
    start: date | None = None
    driving_licence: Licence | None = None
    positions: int | None = Field(default=None, ge=1, le=100)
    constraints: ConstraintsIn | None = None
    version: int | None = None


class VacancyPublic(BaseModel):
    id: str
    employer_id: str
    title: str
    status: str
    sector: str | None = Field(
        default=None, description="The taxonomy sector of its occupation (or of most must-haves); a list filter."
    )
    occupation: SkillOut | None
    must_have: list[SkillOut]
    nice_to_have: list[SkillOut]
    languages: list[dict[str, Any]]
    location: dict[str, Any]
    hours_per_week: int | None
    shifts: list[str]
    contract_type: str | None
    start: date | None
    driving_licence: str | None
    positions: int
    constraints: dict[str, str] = Field(
        description="Each requirement's mode: hard (a shortfall leaves the candidate out) or soft (lowers the score)."
    )
    version: int
    created_at: datetime
    updated_at: datetime


# --- shortlists -----------------------------------------------------------------------------


class ShortlistRequest(Strict):
    size: int = Field(default=10, ge=1, le=100)
    min_score: float = Field(default=0.0, ge=0.0, le=1.0)
    qualified_only: bool = Field(default=False, description="only candidates holding every must-have")


class ShortlistItemOut(BaseModel):
    rank: int
    profile_id: str | None
    score: float
    breakdown: dict[str, float]
    explanation: dict[str, Any]
    commute_minutes: float | None
    withdrawn: bool
    qualified: bool  # holds every must-have and meets every hard requirement (explain.qualified)


class ShortlistOut(BaseModel):
    id: str
    vacancy_id: str
    status: Literal["queued", "running", "ready", "failed"]
    size: int
    min_score: float
    qualified_only: bool
    attempts: int
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    items: list[ShortlistItemOut]


class ShortlistAccepted(BaseModel):
    id: str
    status: str


# Each shortlist of a batch is one task message; the API relays up to 100 messages after a request.
BATCH_MAX = 100


class ShortlistBatchRequest(Strict):
    vacancy_ids: list[Id] = Field(min_length=1, max_length=BATCH_MAX)
    size: int = Field(default=10, ge=1, le=100)
    min_score: float = Field(default=0.0, ge=0.0, le=1.0)
    qualified_only: bool = Field(default=False, description="only candidates holding every must-have")


class ShortlistBatchItem(BaseModel):
    vacancy_id: str
    id: str
    status: str


class Presentation(Strict):
    profile_ids: list[Id] = Field(min_length=1, max_length=50)


class PresentationResult(BaseModel):
    shortlist_id: str
    presented: list[str]
    already_presented: list[str]


# --- employer review ------------------------------------------------------------------------


class DecisionIn(Strict):
    decision: Decision
    reason: DeclineReason | None = None
    interview_at: UtcInstant | None = Field(
        default=None, description="With an offset, e.g. 2027-01-12T10:00:00+01:00; answered in UTC."
    )
    version: int | None = None
