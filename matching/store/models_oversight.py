"""Tables of human oversight and fair exposure (issue 13): overrides, the ranking pause, what each scoring
run needs to be replayed, and how often each profile was shown.

Kept apart from matching/store/models.py (imported at its end, so `SQLModel.metadata` holds them) to keep that
module readable. Rows naming a profile are scrubbed or deleted by erasure (matching/services/erasure.py).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import JSON, Field, SQLModel

from matching.store.columns import UtcDateTime, new_id, utcnow


def _ts() -> Any:
    return Field(default_factory=utcnow, sa_type=UtcDateTime)


class ShortlistOverride(SQLModel, table=True):
    """A liaison's change to a computed shortlist: move, remove or add a candidate, with a reason code.

    The note is staff free text (screened); it is shown to the liaison's organisation only, never to an
    employer, and goes with the profile on erasure.
    """

    __tablename__ = "shortlist_override"
    id: str = Field(default_factory=lambda: new_id("ovr"), primary_key=True)
    shortlist_id: str = Field(foreign_key="shortlist.id", index=True)
    action: str  # move | remove | add
    profile_id: str | None = Field(default=None, index=True)  # NULL once the profile is erased
    reason: str  # a code of matching/overrides.py REASONS
    note: str | None = None
    model_rank: int | None = None  # where the model had put the candidate (None: not among its picks)
    final_rank: int | None = None  # where the candidate stands after this override (None: removed)
    actor_id: str = Field(foreign_key="app_user.id")
    created_at: datetime = _ts()


class RankingPause(SQLModel, table=True):
    """A liaison organisation switched automatic ranking off: its shortlists list everyone eligible, shuffled."""

    __tablename__ = "ranking_pause"
    organisation_id: str = Field(foreign_key="organisation.id", primary_key=True)
    paused_by: str = Field(foreign_key="app_user.id")
    paused_at: datetime = _ts()


class ShortlistRun(SQLModel, table=True):
    """What a shortlist's scoring run used, so that it can be replayed and any difference explained."""

    __tablename__ = "shortlist_run"
    shortlist_id: str = Field(foreign_key="shortlist.id", primary_key=True)
    mode: str = "ranked"  # ranked | paused
    seed: int  # of the band draw (ranked) or of the shuffle (paused)
    scorer_version: str
    taxonomy_version: str
    vacancy_version: int
    settings: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # what changes a score or an order
    # SHA-256 of (id, version) of every profile matchable when it ran: the scoring inputs on the profile side.
    inputs_digest: str
    profiles_count: int
    computed_at: datetime = _ts()


class ShortlistRunCandidate(SQLModel, table=True):
    """One candidate the run considered (the shortlist and the band at its cut), in the model's order,
    with the exposure count its draw used: a replay draws again with the same counts."""

    __tablename__ = "shortlist_run_candidate"
    shortlist_id: str = Field(foreign_key="shortlist.id", primary_key=True)
    position: int = Field(primary_key=True)  # 1-based, by score (ties by id) before the draw
    profile_id: str | None = Field(default=None, index=True)  # NULL once the profile is erased
    profile_version: int
    # SHA-256 of the profile's normalised body (skills, languages, availability, mobility, preferences), what
    # scoring reads: a replay tells an edit that can change a score from one that cannot (a pitch).
    content_digest: str = ""
    score: float
    exposure: int = 0
    shown: bool = False  # made the shortlist


class ExposureCount(SQLModel, table=True):
    """How many times a profile was shown (listed on a computed shortlist, or presented) on one day.

    Kept up to date when a shortlist is stored, so a draw sums a few rows instead of reading history.
    """

    __tablename__ = "exposure_count"
    profile_id: str = Field(foreign_key="profile.id", primary_key=True, ondelete="CASCADE")
    day: date = Field(primary_key=True)
    shown: int = 0
