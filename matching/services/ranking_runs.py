"""One scoring run of a shortlist: the model's ranking, the fair draw in its bands (or, while an
organisation has paused ranking, everyone eligible shuffled), and the record that lets it be replayed.

`run` only reads; `record` writes the run and the exposure counts in the store's transaction.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from matching.ranking.fair_order import Ranked, bands, fair_order, random_order
from matching.ranking.scoring import DEFAULT_WEIGHTS, SCORER_VERSION, ScoredCandidate
from matching.ranking.shards import Shard
from matching.services import taxonomy
from matching.services.facts import coordinates, vacancy_facts
from matching.services.profile_index import current_index
from matching.settings import get_settings
from matching.store import reconfirmation, taxonomy_version
from matching.store.models import Profile, Shortlist, User, Vacancy, utcnow
from matching.store.models_oversight import ExposureCount, RankingPause, ShortlistRun, ShortlistRunCandidate

SEED_LIMIT = 2**31  # fits an INTEGER column on every backend
# The band at the shortlist's cut is drawn whole up to this many candidates past the shortlist's size: each
# one fetched is scored and explained, and a population of near-identical profiles must not make a
# shortlist of 10 explain thousands. Past it, the band's tail keeps the model's order (documented).
BAND_TAIL_LIMIT = 1000
# The model's best `size` candidates scoring >= min_score (size None: every eligible one), in the model's
# order: one index's rank, or the exact merge of the scoring shards' answers (matching/ranking/shards.py).
Ranker = Callable[[int | None, float], list[ScoredCandidate]]


@dataclass
class Considered:
    """A candidate the run looked at: the shortlist, and the rest of the band at its cut."""

    profile_id: str
    position: int  # in the model's order, 1-based
    score: float
    exposure: int
    shown: bool = False


@dataclass
class RunResult:
    """What a run produced: the items in the order the shortlist lists them, and what to record."""

    candidates: list[ScoredCandidate]
    mode: str
    seed: int
    settings: dict[str, Any]
    considered: list[Considered] = field(default_factory=list)
    inputs_digest: str = ""
    profiles_count: int = 0


def new_seed() -> int:
    return secrets.randbelow(SEED_LIMIT)


def run_settings(shortlist: Shortlist) -> dict[str, Any]:
    """Every setting that changes a score or an order, as the run record keeps it."""
    settings = get_settings()
    return {
        "size": shortlist.size,
        "min_score": shortlist.min_score,
        "qualified_only": shortlist.qualified_only,
        "fair_band": settings.fair_band,
        "exposure_window_days": settings.exposure_window_days,
        "weights": dict(DEFAULT_WEIGHTS),
    }


def is_paused(session: Session, organisation_id: str | None) -> bool:
    return organisation_id is not None and session.get(RankingPause, organisation_id) is not None


def requester_organisation(session: Session, shortlist: Shortlist) -> str | None:
    """The liaison organisation a shortlist was asked for (the one whose pause switch applies)."""
    user = session.get(User, shortlist.requested_by)
    return user.organisation_id if user else None


def exposure_counts(
    session: Session, profile_ids: list[str], *, days: int, today: date | None = None
) -> dict[str, int]:
    """Times each profile was shown over the last `days` days (absent: never)."""
    if not profile_ids:
        return {}
    since = (today or utcnow().date()) - timedelta(days=days)
    rows = session.exec(
        select(ExposureCount.profile_id, func.sum(ExposureCount.shown))
        .where(col(ExposureCount.profile_id).in_(profile_ids), col(ExposureCount.day) > since)
        .group_by(ExposureCount.profile_id)
    ).all()
    return {profile_id: int(total) for profile_id, total in rows}


def first_fetch(settings: dict[str, Any], *, paused: bool) -> int | None:
    """How many candidates `run` asks its ranker for first (None: everyone eligible, ranking paused)."""
    return None if paused else settings["size"] * 2 + 10


def index_ranker(session: Session, vacancy: Vacancy, *, qualified_only: bool, shard: Shard | None = None) -> Ranker:
    """This process's index of every published profile (or of one scoring shard's) as a ranker."""
    facts = vacancy_facts(vacancy, coordinates(session))
    index = current_index(session, shard=shard)
    options = taxonomy.scoring_options(session)

    def ranker(size: int | None, min_score: float) -> list[ScoredCandidate]:
        return index.rank(facts, size=len(index) if size is None else size, min_score=min_score,
                          qualified_only=qualified_only, **options)

    return ranker


def run(
    session: Session,
    shortlist: Shortlist,
    *,
    seed: int,
    settings: dict[str, Any],
    paused: bool,
    exposure: dict[str, int] | None = None,
    ranker: Ranker | None = None,
) -> RunResult:
    """Score and order a shortlist's candidates (reads only). `exposure` given: a replay's recorded counts.

    `ranker` given: the merged answers of the scoring shards; the ordering below (bands, exposure, draw)
    reads the whole population's facts from the database, never from an index, so it is the same sharded.
    """
    vacancy = session.get(Vacancy, shortlist.vacancy_id)
    # Read with the scoring, in its read-only transaction: the store's write transaction stays short.
    digest, count = inputs_digest(session)
    if ranker is None:
        ranker = index_ranker(session, vacancy, qualified_only=settings.get("qualified_only", False))
    if paused:
        # Everyone eligible, whatever their score, in a seeded random order; scores are not shown.
        everyone = ranker(None, 0.0)
        by_id = {c.profile_id: c for c in everyone}
        ordered = [by_id[key] for key in random_order(list(by_id), seed=seed)]
        considered = [Considered(c.profile_id, position, c.score, 0, True) for position, c in enumerate(ordered, 1)]
        return RunResult(ordered, "paused", seed, settings, considered, digest, count)
    size, band = settings["size"], settings["fair_band"]
    wanted = first_fetch(settings, paused=False)
    assert wanted is not None
    while True:  # fetch until the band holding the last place is whole
        ranked = ranker(wanted, settings["min_score"])
        cut = [end for start, end in bands([Ranked(c.profile_id, c.score) for c in ranked], band) if start < size]
        end = cut[-1] if cut else 0
        if end < len(ranked) or len(ranked) < wanted or wanted >= size + BAND_TAIL_LIMIT:
            break
        wanted = min(wanted * 2, size + BAND_TAIL_LIMIT)
    ranked = ranked[: max(end, min(size, len(ranked)))]
    known = exposure if exposure is not None else {}
    fresh = exposure_counts(
        session, [c.profile_id for c in ranked if c.profile_id not in known], days=settings["exposure_window_days"]
    )
    counts = {c.profile_id: known.get(c.profile_id, fresh.get(c.profile_id, 0)) for c in ranked}
    by_id = {c.profile_id: c for c in ranked}
    drawn = fair_order([Ranked(c.profile_id, c.score) for c in ranked], band=band, seed=seed, exposure=counts)
    chosen = [by_id[r.key] for r in drawn[:size]]
    shown = {c.profile_id for c in chosen}
    considered = [
        Considered(c.profile_id, position, c.score, counts[c.profile_id], c.profile_id in shown)
        for position, c in enumerate(ranked, start=1)
    ]
    return RunResult(chosen, "ranked", seed, settings, considered, digest, count)


def inputs_digest(session: Session) -> tuple[str, int]:
    """SHA-256 of (id, version) of every matchable profile, and how many there are."""
    digest = hashlib.sha256()
    count = 0
    rows = session.exec(select(Profile.id, Profile.version).where(reconfirmation.matchable()).order_by(Profile.id))
    for profile_id, version in rows:
        digest.update(f"{profile_id}\0{version}\n".encode())
        count += 1
    return digest.hexdigest(), count


def content_digest(data: dict[str, Any]) -> str:
    """SHA-256 of a profile's normalised body as canonical JSON."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def record(session: Session, shortlist: Shortlist, vacancy: Vacancy, result: RunResult, kept: set[str]) -> None:
    """Write the run's record and, for a ranked run, add its shown candidates to the exposure counts."""
    previous = session.get(ShortlistRun, shortlist.id)
    if previous is not None:
        session.delete(previous)
    for old in session.exec(select(ShortlistRunCandidate).where(ShortlistRunCandidate.shortlist_id == shortlist.id)):
        session.delete(old)
    session.flush()
    session.add(
        ShortlistRun(
            shortlist_id=shortlist.id,
            mode=result.mode,
            seed=result.seed,
            scorer_version=SCORER_VERSION,
            taxonomy_version=taxonomy_version.current(session),
            vacancy_version=vacancy.version,
            settings=result.settings,
            inputs_digest=result.inputs_digest,
            profiles_count=result.profiles_count,
        )
    )
    considered = [c for c in result.considered if c.profile_id in kept]
    rows = session.exec(
        select(Profile.id, Profile.version, Profile.data).where(col(Profile.id).in_([c.profile_id for c in considered]))
    ).all()
    versions = {profile_id: version for profile_id, version, _ in rows}
    digests = {profile_id: content_digest(data) for profile_id, _, data in rows}
    for c in considered:
        session.add(
            ShortlistRunCandidate(
                shortlist_id=shortlist.id,
                position=c.position,
                profile_id=c.profile_id,
                profile_version=versions.get(c.profile_id, 0),
                content_digest=digests.get(c.profile_id, ""),
                score=c.score,
                exposure=c.exposure,
                shown=c.shown,
            )
        )
    if result.mode == "ranked":
        add_exposure(session, [c.profile_id for c in result.candidates if c.profile_id in kept])
    session.flush()


def add_exposure(session: Session, profile_ids: list[str], *, day: date | None = None) -> None:
    """Count one showing of each profile today (an upsert, safe with concurrent stores)."""
    if not profile_ids:
        return
    day = day or utcnow().date()
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(ExposureCount).values([{"profile_id": p, "day": day, "shown": 1} for p in profile_ids])
    statement = statement.on_conflict_do_update(
        index_elements=["profile_id", "day"], set_={"shown": ExposureCount.__table__.c.shown + 1}
    )
    session.execute(statement)
