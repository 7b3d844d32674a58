"""Request and answer of POST /v1/vacancies/draft: a job ad in, a proposed vacancy out (never stored)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from matching.privacy.screen import StaffText
from matching.schemas.resources import CEFR, ContractType, Shift, Strict

NOTHING_KEPT = "Nothing was stored: confirm or edit this proposal and post it to /v1/vacancies."


class DraftRequest(Strict):
    text: StaffText = Field(description="The job ad as received (an e-mail, an ad, a phone note).")
    lang: Literal["fr", "nl", "en"] | None = Field(default=None, description="The ad's language; guessed if absent.")


class Words(BaseModel):
    """Where an item came from: character offsets into the text sent (Python string indices) and the words."""

    start: int
    end: int
    text: str


class DraftSkill(BaseModel):
    concept_id: str
    label: str | None  # the concept's preferred label in the ad's language
    source: Words
    probability: float = Field(description="That the employer requires it (>= 0.5: proposed as a must-have).")
    confidence: float = Field(description="How surely the words name this concept (1.0: a label as written).")


class DraftLanguage(BaseModel):
    code: str
    spoken: CEFR
    source: Words
    probability: float


class DraftOccupation(BaseModel):
    concept_id: str
    label: str | None
    source: Words
    confidence: float


class DraftText(BaseModel):
    value: str
    source: Words


class DraftHours(BaseModel):
    value: int
    source: Words


class DraftShift(BaseModel):
    value: Shift
    source: Words


class DraftContract(BaseModel):
    value: ContractType
    source: Words


class DraftLicence(BaseModel):
    value: str
    source: Words
    probability: float


class DraftOut(BaseModel):
    lang: Literal["fr", "nl", "en"]
    title: DraftText | None
    occupation: DraftOccupation | None
    must_have: list[DraftSkill]
    nice_to_have: list[DraftSkill]
    languages: list[DraftLanguage]
    hours_per_week: DraftHours | None
    shifts: list[DraftShift]
    contract_type: DraftContract | None
    postcode: DraftText | None
    driving_licence: DraftLicence | None
    stored: Literal[False] = False
    note: str = NOTHING_KEPT
