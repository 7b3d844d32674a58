"""Pages for people: thin routers over the same services and access rules as the API (see api/routers)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from api.pages import admin, admin_oversight, auth, counsellor, employer, errors, liaison
from api.pages.security import SecurityHeaders

STATIC = Path(__file__).resolve().parent.parent / "static"
ROUTERS = (auth.router, counsellor.router, liaison.router, employer.router, admin.router,
           admin_oversight.router)


def install(app: FastAPI) -> None:
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app)
    app.add_middleware(SecurityHeaders)
