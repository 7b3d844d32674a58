"""One settings object, read once from the environment (pydantic-settings)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "dev-only-secret-change-me"
DATABASE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")


class Settings(BaseSettings):
    """Configuration; every field can be set through the environment variable named in its alias."""

    # hide_input_in_errors: a refused configuration must not print the secret it was given.
    model_config = SettingsConfigDict(env_prefix="BLINDMATCH_", extra="ignore", hide_input_in_errors=True)

    environment: Literal["development", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "BLINDMATCH_DATABASE_URL")
    )
    redis_url: str | None = Field(default=None, validation_alias=AliasChoices("REDIS_URL", "BLINDMATCH_REDIS_URL"))
    secret_key: str = DEFAULT_SECRET
    queue: str = "blindmatch"
    # Interactive tasks (shortlists) go to `queue`, background ones (opportunities, retention) to
    # `<queue>.background`, and workers take from the first while it holds anything. false: one queue.
    interactive_first: bool = True
    shortlist_max_size: int = 100
    # Scoring shards: profiles split by id over this many indexes, each held by the workers consuming
    # `<queue>.shard-k`; a shortlist is scored by all of them at once and merged exactly (matching/ranking/shards.py).
    # Above 1 it needs REDIS_URL (the shards' answers meet in Redis); 1: every worker holds every profile.
    scoring_shards: int = Field(default=1, ge=1, le=64)
    # Shortlist tasks past this many seconds are stopped; kept below the broker's visibility timeout.
    task_time_limit: int = 600
    # Redis hands an unacknowledged task to another worker after this long (default: twice the time limit).
    broker_visibility_timeout: int | None = None
    # The reconciler re-sends a shortlist queued this long without a worker starting it ...
    queued_timeout: int = 600
    # ... or running this long (default: the time limit plus a minute, so live work is never taken over).
    running_timeout: int | None = None
    # After this many worker attempts or re-sends, a shortlist is failed with a reason the liaison can read.
    max_attempts: int = 3
    # Seconds between two rounds of the outbox relay and the reconciler (0: off) in `serve` and workers.
    maintenance_interval: float = 5.0
    # Seconds between two looks at the outbox for messages to send (0: off), in every worker and `serve`:
    # the API only records messages, these relays send them, so this bounds how long a shortlist waits unsent.
    relay_interval: float = Field(default=0.25, ge=0)
    # Seconds between two heartbeats of a worker (its row in worker_heartbeat); the readiness probe counts a
    # worker ready while it was seen within three of them.
    heartbeat_interval: float = Field(default=5.0, gt=0)
    # Seconds between two rounds of each worker's card keeper (0: off), which measures the employer cards
    # against their vacancy's crowd as profiles change: how long a publish or erasure takes to reach cards.
    cards_interval: float = Field(default=1.0, ge=0)
    # Where workers keep snapshots of their profile index (default <data_dir>/index-snapshots): a worker starts
    # from the newest one and catches up from the change log instead of building from rows. Shared by the
    # workers of one machine (a volume in compose.yaml).
    index_snapshots: Path | None = None
    # Seconds between two looks of each worker at the snapshot (0: never written): it is rewritten from rows
    # when the change log moved past it, so an erased profile's facts leave the disk within this (plus a build).
    index_snapshot_interval: float = Field(default=300.0, ge=0)
    # Test-only: seconds a worker waits before scoring, so tests can kill it mid-task. Never set in production.
    test_scoring_delay: float = 0.0
    # Requests per token (the `limits` notation), counted in Redis across API processes.
    rate_limit: str = "300/minute"
    # Candidate-card list views per employer organisation, counted in Redis across API processes.
    card_view_quota: str = "1000/day"
    # Idempotency-Key records are kept this long (Stripe's rule: 24 h).
    idempotency_ttl: int = 24 * 3600
    log_format: Literal["json", "text"] = "json"
    log_level: str = "INFO"
    # Profiles with no activity (edit, phase change, employer-side event) for this many months are closed
    # and erased by a periodic task; 0 keeps them until a counsellor erases them.
    retention_months: int = Field(default=12, ge=0)
    # Seconds between two runs of the retention task (Celery beat, and the worker embedded in `serve`).
    retention_interval: int = Field(default=6 * 3600, ge=60)
    # Bearer tokens expire this many days after they are issued; 0: they never expire.
    token_ttl_days: int = Field(default=365, ge=0)
    # Days a published profile stays matched without its counsellor reconfirming it (or editing it).
    reconfirm_days: int = Field(default=90, ge=1, le=3650)
    # Fair exposure (matching/ranking/fair_order.py): candidates scoring within this much of each other are ordered
    # by a seeded draw favouring those shown least over the last `exposure_window_days`; 0: exact ties only.
    fair_band: float = Field(default=0.02, ge=0.0, le=0.2)
    exposure_window_days: int = Field(default=90, ge=1, le=3650)
    # Browser origins allowed to call the API (comma-separated); empty: CORS closed, no browser page may call.
    cors_origins: str = ""
    # Request bodies above this many bytes are refused (413) before they are parsed or authenticated. The
    # largest request the schemas accept (a profile at every bound, concept ids included) is 28 kB in ASCII,
    # 45 kB with accented letters in UTF-8 and 113 kB with every letter \u-escaped (Python's json.dumps
    # default): 256 KiB leaves room for that and for indentation, and refuses a 10 MB body unread.
    max_body_bytes: int = Field(default=256 * 1024, ge=1024)
    # The request line and headers together may not pass this many bytes: the HTTP server refuses them
    # (400) while they arrive, before the app sees them, as the body limit does for bodies (it checks after
    # each read from the socket, so a head is refused at most one read, 256 KiB, past this). A bearer token,
    # an Idempotency-Key and what proxies add fit in well under 16 KiB (h11's own default).
    max_header_bytes: int = Field(default=16 * 1024, ge=4096)
    # Webhooks (matching/webhooks/): URLs resolving to loopback, private, link-local or reserved addresses are
    # refused unless the operator allows them (a receiver on the same host or network, tests).
    webhooks_allow_private: bool = False
    # Seconds to wait for a receiver's answer; a slower one counts as a failed attempt.
    webhook_timeout: float = Field(default=10.0, gt=0, le=60)
    # Seconds before each retry after a failed attempt (Standard Webhooks' schedule, about a day in all);
    # after the last one the delivery is failed.
    webhook_retry_delays: str = "5,300,1800,7200,18000,36000,36000"
    # Events stay in the change feed (and their deliveries in the log) this many days.
    events_keep_days: int = Field(default=30, ge=1, le=3650)
    # A one-time sign-in link an admin hands to a person works this many hours (and once).
    sign_in_link_hours: int = Field(default=72, ge=1, le=24 * 30)
    # A browser stays signed in this many hours after signing in.
    session_hours: int = Field(default=12, ge=1, le=24 * 30)

    @field_validator("database_url")
    @classmethod
    def _known_database_scheme(cls, url: str | None) -> str | None:
        """`postgres://` (Heroku's and many hosts' form) reads as `postgresql://`; other schemes are refused.

        The message never repeats the URL: it may hold a password.
        """
        if url is None or not url.strip():
            return None
        url = url.strip()
        scheme, separator, rest = url.partition("://")
        if scheme == "postgres":
            url = f"postgresql://{rest}"
        expected = ("expected postgresql://user:password@host:5432/name (postgres:// works too) or "
                    "sqlite:///path/to/file.db")
        if not separator or scheme not in (*DATABASE_SCHEMES, "postgres"):
            raise ValueError(f"DATABASE_URL is not a database URL this service reads: {expected}")
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            make_url(url).port  # noqa: B018 - parsed here so a bad port is named, not a traceback later
        except (ArgumentError, ValueError):
            raise ValueError(f"DATABASE_URL cannot be read (a port must be a number): {expected}") from None
        return url

    @model_validator(mode="after")
    def _no_default_secret_in_production(self) -> Settings:
        # The secret keys the candidate pseudonyms: with a known key anyone can link a ref to a profile id.
        if self.environment == "production" and (self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32):
            raise ValueError(
                "BLINDMATCH_ENVIRONMENT=production needs BLINDMATCH_SECRET_KEY set to a random value of at "
                "least 32 characters (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)"
            )
        return self

    @field_validator("webhook_retry_delays")
    @classmethod
    def _retry_delays(cls, value: str) -> str:
        try:
            delays = [float(part) for part in value.split(",") if part.strip()]
        except ValueError:
            raise ValueError(
                "BLINDMATCH_WEBHOOK_RETRY_DELAYS is a comma-separated list of seconds, e.g. 5,300,1800"
            ) from None
        if not delays or any(delay <= 0 for delay in delays):
            raise ValueError("BLINDMATCH_WEBHOOK_RETRY_DELAYS needs at least one delay, each above 0 seconds")
        return value

    @property
    def webhook_retry_schedule(self) -> list[float]:
        """Seconds before retry 1, 2, ...: attempts in all are one more than this list is long."""
        return [float(part) for part in self.webhook_retry_delays.split(",") if part.strip()]

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "blindmatch.db"

    @property
    def effective_database_url(self) -> str:
        """DATABASE_URL, or the embedded SQLite file under the data directory."""
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def visibility_timeout(self) -> int:
        return self.broker_visibility_timeout or self.task_time_limit * 2

    @property
    def stale_running_after(self) -> int:
        return self.running_timeout or self.task_time_limit + 60

    @property
    def background_queue(self) -> str:
        """Where background tasks wait: every worker consumes it after the interactive queue."""
        return f"{self.queue}.background" if self.interactive_first else self.queue

    @property
    def worker_queues(self) -> list[str]:
        """The queues a worker consumes, interactive first."""
        return list(dict.fromkeys([self.queue, self.background_queue]))

    @property
    def index_snapshot_folder(self) -> Path:
        return self.index_snapshots or self.data_dir / "index-snapshots"

    @property
    def broker_folder(self) -> Path:
        """Where the embedded (serverless) broker keeps its messages."""
        return self.data_dir / "broker"


@lru_cache
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()
