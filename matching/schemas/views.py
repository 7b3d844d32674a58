"""Response schemas of the views workers keep (the gap view read from stored state)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from matching.schemas.resources import ProfileGaps


class ProfileGapsView(ProfileGaps):
    """The gap view: its counts are the profile's opportunities (the shortlists' own scoring and rule), its
    gaps what the worker found with them."""

    status: Literal["ready", "pending", "unpublished", "needs_reconfirmation"] = Field(
        description="As for the opportunities: pending while a worker scores the profile's last change."
    )
    computed_at: datetime | None = Field(description="When a worker last scored the profile and its gaps.")
