"""The audit log, read by admins: who viewed, presented, decided, erased, issued or revoked what."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CurrentActor, SessionDep
from matching.schemas.resources import AuditEntryPublic, AuditVerification
from matching.store import audit
from matching.store.access import require_role

router = APIRouter(prefix="/v1/audit", tags=["administration"])


@router.get("", response_model=list[AuditEntryPublic])
def list_entries(
    session: SessionDep,
    actor: CurrentActor,
    after: Annotated[int, Query(ge=0, le=2**62, description="Entries after this sequence number.")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    action: Annotated[str | None, Query(max_length=64)] = None,
):
    """Audit entries, oldest first; page with `after` (the last `seq` you read)."""
    require_role(actor, "admin")
    return [audit.describe(entry) for entry in audit.entries(session, after=after, limit=limit, action=action)]


@router.get("/verify", response_model=AuditVerification)
def verify(session: SessionDep, actor: CurrentActor):
    """Walk the hash chain: ok, or the first entry that was changed, removed or re-ordered."""
    require_role(actor, "admin")
    return asdict(audit.verify(session))
