"""Request and response schemas of human oversight, replay and fair exposure (issue 13)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from matching.language.i18n import OVERRIDE_REASONS
from matching.privacy.screen import StaffNote
from matching.schemas.resources import Id, ShortlistItemOut, ShortlistOut, Strict

if TYPE_CHECKING:  # a Literal built from the catalog at run time: to a type checker, a string
    OverrideReason = str
else:
    OverrideReason = Literal[tuple(OVERRIDE_REASONS["en"])]


class OverrideRequest(Strict):
    """A liaison's change to a computed shortlist."""

    action: Literal["move", "remove", "add"]
    profile_id: Id
    position: int | None = Field(
        default=None,
        ge=1,
        le=1000,
        description="move: the new place (1 = first), required; add: where to insert (default: last).",
    )
    reason: OverrideReason = Field(description="One of the documented reason codes; `other` needs a note.")
    note: StaffNote | None = Field(
        default=None, description="Optional words for the liaison's colleagues; never shown to an employer."
    )


class OverrideWarning(BaseModel):
    code: Literal["misses_hard_requirement"]
    requirement: str
    text: str


class OverrideOut(BaseModel):
    id: str
    action: str
    profile_id: str | None
    reason: str
    reason_text: str
    note: str | None
    model_rank: int | None
    final_rank: int | None
    actor_id: str
    created_at: datetime


class OverseenItemOut(ShortlistItemOut):
    """A shortlist item with its model rank beside the final one."""

    score: float | None = Field(description="Null while ranking was paused: the order is random, not by score.")
    model_rank: int | None = Field(description="Where the model put this candidate; null for one a person added.")
    final_rank: int | None = Field(description="The place after people's overrides; null once removed.")
    chosen_by_person: bool = Field(description="A person moved or added this candidate.")
    removed: bool
    hard_misses: list[str] = Field(description="Hard requirements a person-added candidate does not meet.")


class OverseenShortlistOut(ShortlistOut):
    items: list[OverseenItemOut]
    ranking: Literal["ranked", "paused"] | None = Field(
        description="paused: every eligible candidate in a seeded random order, without scores."
    )
    overrides: list[OverrideOut] = Field(description="Every override, oldest first, with its reason and note.")


class OverrideResult(BaseModel):
    override: OverrideOut
    warnings: list[OverrideWarning]
    shortlist: OverseenShortlistOut


class RankingSwitch(Strict):
    paused: bool


class RankingState(BaseModel):
    organisation_id: str
    paused: bool
    paused_at: datetime | None


class ReplayChange(BaseModel):
    code: Literal[
        "vacancy_edited",
        "profiles_changed",
        "profiles_withdrawn",
        "profiles_erased",
        "other_profiles_changed",
        "taxonomy_changed",
        "scorer_changed",
        "settings_changed",
    ]
    text: str
    count: int | None = None
    recorded: str | None = None
    now: str | None = None


class ReplayItem(BaseModel):
    model_rank: int
    profile_id: str | None
    score: float | None


class ReplayOut(BaseModel):
    shortlist_id: str
    identical: bool = Field(description="The recomputation gives the model's recorded order and scores exactly.")
    mode: Literal["ranked", "paused"]
    seed: int
    scorer_version: str
    taxonomy_version: str
    vacancy_version: int
    inputs_digest: str
    changes: list[ReplayChange] = Field(description="What differs from the recorded inputs; empty when none.")
    recorded: list[ReplayItem]
    replayed: list[ReplayItem] = Field(
        description="The recomputed order; a candidate the recorded run did not consider shows a null profile_id."
    )


class OrganisationExposure(BaseModel):
    organisation_id: str
    shown: int = Field(description="Places on shortlists its profiles took over the window.")
    relevance: float = Field(description="Sum of the scores of its qualified candidates over the same shortlists.")
    exposure_per_relevance: float | None = Field(
        description="Its share of places over its share of relevance; 1 is proportional, the goal is 0.8-1.25."
    )
    within_goal: bool | None


class FairnessOut(BaseModel):
    window_days: int
    band: float
    shortlists: int
    qualified_profiles: int = Field(
        description="Profiles that met every hard requirement and scored within the band of a shortlist's last "
        "place, over the window."
    )
    never_shown: int
    never_shown_share: float | None
    goal: tuple[float, float] = (0.8, 1.25)
    organisations: list[OrganisationExposure]
