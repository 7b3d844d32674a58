"""The FastAPI application: routers per resource, one error mapping."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.middleware.cors import CORSMiddleware

from api import errors, limits, middleware, openapi, pages
from api.routers import (
    admin,
    audit,
    drafts,
    events,
    explanations,
    follow_ups,
    gaps,
    health,
    oversight,
    profiles,
    reports,
    reviews,
    shortlists,
    taxonomy,
    tokens,
    vacancies,
    webhooks,
)
from matching.privacy import redact
from matching.services.warm_api import warm_up
from matching.settings import Settings, get_settings

DESCRIPTION = """Blind-hiring matching: anonymised skill profiles, vacancies, shortlists scored by background
workers, anonymised candidate cards for employers. This service uses the ESCO classification of the
European Commission. Postcode coordinates: GeoNames (CC BY 4.0) where imported."""


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Before the first request: SQLAlchemy's one-time work for the card read, the rate limits' connection
    # to Redis and the access log's route words, never population state.
    await run_in_threadpool(warm_up)
    await run_in_threadpool(limits.warm_up)
    await run_in_threadpool(middleware.warm_up, app)
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()  # in production, a default secret stops the start here
    app = FastAPI(title="blindmatch", version="1.0", description=DESCRIPTION, lifespan=_lifespan)
    errors.install(app)
    # drafts before vacancies: its /v1/vacancies/draft must not be read as a vacancy id.
    routers = (
        health, admin, tokens, audit, taxonomy, profiles, gaps, explanations, follow_ups, drafts, vacancies,
        shortlists, oversight, reviews, reports,
    )
    for module in routers:
        app.include_router(module.router)
    # Events other systems follow: the change feed and webhooks.
    app.include_router(events.router)
    app.include_router(webhooks.router)
    pages.install(app)  # pages for people: same services, same rules; strict CSP on every answer
    middleware.install(app)  # request id and log, rate limits, Idempotency-Key
    openapi.install(app)  # the error answers as they really are
    # CORS stays closed (no browser page of another origin may call) unless origins are listed.
    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
            expose_headers=["X-Total-Count", "Link"],  # list paging (api/paging.py): a page reads them
            allow_credentials=False,  # bearer tokens travel in a header, never in cookies
        )
    redact.install("uvicorn.access", "uvicorn.error", "blindmatch.access")  # paths name profiles
    return app


app = create_app()
