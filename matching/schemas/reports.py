"""Schemas of follow-ups and of the funders' reports: codes and counts only, never free text about a person."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from matching.schemas.resources import Strict

FollowUpKind = Literal["leaving", "six_months"]
Outcome = Literal["employed", "training", "searching", "inactive", "unknown"]
OUTCOMES: tuple[str, ...] = ("employed", "training", "searching", "inactive", "unknown")
FOLLOW_UP_KINDS: tuple[str, ...] = ("leaving", "six_months")


class FollowUpIn(Strict):
    at: date | None = Field(
        default=None, description="The day the outcome holds (leaving, or six months on); default: today (UTC)."
    )
    kind: FollowUpKind
    outcome: Outcome


class FollowUpOut(BaseModel):
    kind: FollowUpKind
    at: date
    outcome: Outcome


class FollowUps(BaseModel):
    profile_id: str
    follow_ups: list[FollowUpOut]


class Cell(BaseModel):
    """A count as published: null when it is small (1-4) or would let a small one be worked out."""

    value: int | None
    suppressed: bool


class CountTable(BaseModel):
    """Rows x columns of counts with their totals ("total" row and column), small cells suppressed."""

    rows: list[str]
    columns: list[str]
    cells: list[list[int | None]]


class PhaseFigures(BaseModel):
    phase: str
    participants: int | None = Field(description="Participants who spent time in this phase within the period.")
    median_days: float | None = Field(
        description="Median days spent in the phase within the period (null when fewer than 5 participants)."
    )


class GapCount(BaseModel):
    concept_id: str
    label: str
    participants: int | None


class PrecisionFigure(BaseModel):
    group: str = Field(description='"all", "language:<code>" or "sector:<name>".')
    against: Literal["presented", "interview_or_hired"]
    k: int
    shortlists: int
    precision: float | None = Field(description="Mean precision at k (null with fewer than 5 shortlists).")


class Accuracy(BaseModel):
    """How often the ranking's top k holds the candidates people chose (AI Act Art. 15: accuracy, declared)."""

    period_from: date
    period_to: date
    ks: list[int]
    figures: list[PrecisionFigure]


class ProfileRow(BaseModel):
    """One participant, named by its code only: the counsellor joins it to their own records offline."""

    profile_code: str
    phase_at_end: str
    days_in_programme: int
    shortlisted: int
    presented: int
    interviews: int
    hired: bool
    days_to_first_interview: int | None
    outcome_leaving: str | None
    outcome_six_months: str | None


class ProgrammeReport(BaseModel):
    organisation_id: str | None = Field(description="The counselling organisation; null: every one (admin).")
    period_from: date
    period_to: date
    generated_at: datetime
    threshold: int = Field(description="Counts from 1 to threshold-1 are suppressed; 0 is shown.")
    participants_by_phase: CountTable = Field(description="Participants by their phase at the end of the period.")
    phases: list[PhaseFigures]
    funnel: dict[str, int | None] = Field(
        description="Participants shortlisted, presented, invited to an interview, hired within the period."
    )
    median_days_to_first_interview: float | None
    outcomes: CountTable = Field(description="Outcome at leaving and six months after, with totals.")
    gaps: list[GapCount] = Field(description="Requirements the participants most often missed on their shortlists.")
    accuracy: Accuracy
    profiles: list[ProfileRow] = Field(
        description="One row per participant, by code: for the organisation's counsellors only (empty for the admin)."
    )
