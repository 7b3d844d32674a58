"""Liveness and readiness probes."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from matching.services import readiness
from matching.settings import get_settings

router = APIRouter(tags=["operations"])


@router.get("/healthz")
def healthz():
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz():
    """The database and the broker are reachable, and at least one worker is warm (taxonomy and index loaded)."""
    ready, body = readiness.report(get_settings())
    return JSONResponse(status_code=200 if ready else 503, content=body)
