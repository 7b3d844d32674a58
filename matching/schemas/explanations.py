"""Schemas of the explanation a counsellor hands to a job seeker (GET /v1/profiles/{id}/explanations/{vacancy_id})."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class PersonExplanation(BaseModel):
    """Plain sentences in one language; no score, no weight, no employer unless the person was presented."""

    profile_code: str = Field(description="The profile's short code, to file the page with the person's records.")
    vacancy_id: str
    vacancy_title: str
    sector: str | None
    lang: Literal["en", "fr", "nl"]
    basis: Literal["shortlist", "today"] = Field(
        description="shortlist: what the last list proposing the profile for this vacancy saw; today: the "
        "profile as it is now, compared with the vacancy."
    )
    eligible: bool = Field(description="No requirement the vacancy treats as strict left the profile out.")
    status: Literal["none", "shortlisted", "presented", "interested", "interview", "hired", "declined", "not_hired"]
    employer: str | None = Field(
        description="The employer's organisation name, only once the person was presented to that employer."
    )
    title: str
    summary: str
    counted_for: list[str]
    counted_against: list[str]
    cannot_know: list[str]
    decision: list[str]
    headings: dict[str, str]
    generated_at: datetime
