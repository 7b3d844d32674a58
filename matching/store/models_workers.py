"""Tables the workers keep and the API only reads, so that no API process holds derived state.

- `worker_heartbeat`: each worker's warm-up and liveness, read by the readiness probe.
- `card_disclosure`, `card_crowd_state`: what each presented candidate's card may show, measured by the
  workers against the vacancy's crowd as profiles are published, changed and erased (services/card_store.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from matching.store.columns import _ts, _ts_nullable


class WorkerHeartbeat(SQLModel, table=True):
    """A worker process: when it started, when it was warm (taxonomy and index loaded), when last seen."""

    __tablename__ = "worker_heartbeat"
    worker: str = Field(primary_key=True, max_length=200)  # host name and process id
    started_at: datetime = _ts()
    ready_at: datetime | None = _ts_nullable()  # None while it warms up
    seen_at: datetime = _ts()
    warm_seconds: float | None = None
    concepts: int = 0  # in its taxonomy
    profiles: int = 0  # in its index


class CardDisclosure(SQLModel, table=True):
    """What one presented candidate's card may show on its vacancy, as the workers last measured it against
    the vacancy's crowd (matching/privacy/disclosure.py): the rungs, the generalised values, k.

    Keyed by the per-vacancy pseudonym, never by profile id; an erasure deletes its rows in its own
    transaction (matching/services/erasure.py), the workers rewrite the others within seconds.
    """

    __tablename__ = "card_disclosure"
    vacancy_id: str = Field(primary_key=True, max_length=64)
    candidate_ref: str = Field(primary_key=True, max_length=64)
    vacancy_version: int  # measured for this version of the vacancy: another version's rows are not shown
    levels: dict[str, int] = Field(default_factory=dict, sa_type=JSON)
    shown: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)  # the values at those rungs
    k: int
    met: bool
    computed_at: datetime = _ts()


class CardCrowdState(SQLModel, table=True):
    """Where the workers' measure of one vacancy's cards stands: for which presentations, up to which change."""

    __tablename__ = "card_crowd_state"
    vacancy_id: str = Field(primary_key=True, max_length=64)
    digest: str  # the vacancy's version and the cards shown when last measured
    change_seq: int  # the change-log position the crowd had read then
    refreshed_at: datetime = _ts()
