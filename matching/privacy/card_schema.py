"""What an employer reads of a presented candidate: the card and how far it was generalised.

Built only by the card rule (matching/privacy/card.py); kept apart from matching/schemas/resources.py, which imports
the privacy screen, so that the privacy package and the schemas do not import each other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class CardPrivacy(BaseModel):
    """How far the card was generalised so that what it shows fits at least k published profiles."""

    k: int = Field(
        description="Published profiles that pass the vacancy's hard constraints and must-haves and would show "
        "exactly this card (every value shown or implied) for this vacancy."
    )
    k_target: int
    met: bool = Field(description="k reached the target (false only when fewer such profiles are published).")
    generalised: dict[str, int] = Field(
        description="Per quasi-identifier (area, hours, languages, start, shifts, skills, licence): 0 as is, "
        "higher is coarser. Every card of a vacancy has the same."
    )


class CandidateCard(BaseModel):
    """An anonymised card: only what matters for this vacancy."""

    candidate_ref: str
    score: float = Field(description="The lower bound of score_band.")
    score_band: str | None = Field(
        default=None,
        description="Coverage of the requirements shown (must-haves count twice, a related skill half), in "
        "fifths: read off the card's own skills, so it tells nothing the card does not.",
    )
    explanation: dict[str, Any]
    skills: list[dict[str, Any]]
    languages: list[dict[str, Any]]
    availability: dict[str, Any]
    commute: dict[str, Any]
    status: str
    reason: str | None
    interview_at: datetime | None
    pitch: str | None
    version: int
    privacy: CardPrivacy | None = None
