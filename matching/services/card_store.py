"""Employer cards' disclosures, measured by the workers and stored; the API only reads the rows.

A card is generalised until at least k profiles of its vacancy's crowd would show the same values
(matching/privacy/disclosure.py). Measuring that needs every published profile's traits, which only the
workers hold: each worker's keeper loop (workers/cards.py) follows the change log with the incremental
crowds of matching/services/crowds.py and rewrites, for every vacancy with presentations, the rows of
`card_disclosure` whose disclosure changed. A vacancy is measured again when its version or the cards
shown on it change, or when the change log moved (a profile published, changed, gone stale or erased).

An API process reads a vacancy's rows and gives them to the card rule (matching/privacy/card.py): no API
process keeps a crowd, so two processes, or one just restarted, answer the same at once. A card presented
a moment ago, or on a vacancy just edited, has no row yet: it shows nothing of the person until the
workers measured it (within seconds), never more than the crowd allows.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

from sqlalchemy import delete, text
from sqlmodel import Session, col, select

from matching.privacy.disclosure import Disclosure
from matching.services import crowds
from matching.services.facts import Coordinates
from matching.services.profile_index import log_bounds
from matching.store import reconfirmation
from matching.store.models import (
    CardCrowdState,
    CardDisclosure,
    ConceptLabel,
    Match,
    Postcode,
    Profile,
    Vacancy,
    utcnow,
)

# One keeper measures at a time on PostgreSQL (a transaction-scoped advisory lock); the others skip the
# round. On SQLite the write transaction already queues them.
KEEPER_LOCK = 0x626D_6361_7264


# --- the workers' side -------------------------------------------------------------------------------


def refresh(session: Session) -> int:
    """Measure again every vacancy whose cards may have changed and store what changed; how many were."""
    if session.get_bind().dialect.name == "postgresql":
        if not session.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": KEEPER_LOCK}).scalar():
            return 0
    _, latest = log_bounds(session)
    presented: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for vacancy_id, ref, profile_id in session.exec(
        select(Match.vacancy_id, Match.candidate_ref, Match.profile_id).where(col(Match.profile_id).is_not(None))
    ):
        presented[vacancy_id].append((ref, profile_id))
    states = {state.vacancy_id: state for state in session.exec(select(CardCrowdState))}
    vacancies = {v.id: v for v in session.exec(select(Vacancy).where(col(Vacancy.id).in_(list(presented))))}
    measured: dict[str, tuple[str, dict[str, tuple[str, Disclosure]]]] = {}
    for vacancy_id, cards in presented.items():
        vacancy = vacancies[vacancy_id]
        digest = _digest(vacancy.version, cards)
        state = states.get(vacancy_id)
        if state is None or state.digest != digest or state.change_seq < latest:
            measured[vacancy_id] = (digest, _measure(session, vacancy, cards))
    if measured:
        # An erasure committed while the crowds were measured must not see its person's rows written back:
        # the presentations are read again, locked, and only those still held by the same person are stored.
        held = set(session.exec(select(Match.vacancy_id, Match.candidate_ref, Match.profile_id).where(
            col(Match.vacancy_id).in_(list(measured))).with_for_update(read=True)))
        for vacancy_id, (digest, disclosures) in measured.items():
            vacancy = vacancies[vacancy_id]
            kept = {ref: d for ref, (profile_id, d) in disclosures.items() if (vacancy_id, ref, profile_id) in held}
            _store(session, vacancy, kept)
            state = states.get(vacancy_id) or CardCrowdState(vacancy_id=vacancy_id, digest=digest, change_seq=latest)
            state.digest, state.change_seq, state.refreshed_at = digest, latest, utcnow()
            session.add(state)
    for vacancy_id in states.keys() - presented.keys():  # every card of it withdrawn: nothing left to show
        session.execute(delete(CardDisclosure).where(col(CardDisclosure.vacancy_id) == vacancy_id))
        session.delete(states[vacancy_id])
    return len(measured)


def _digest(version: int, cards: list[tuple[str, str]]) -> str:
    shown = "\n".join(f"{ref} {profile_id}" for ref, profile_id in sorted(cards))
    return f"{version}:{hashlib.sha256(shown.encode()).hexdigest()}"


def _measure(
    session: Session, vacancy: Vacancy, cards: list[tuple[str, str]]
) -> dict[str, tuple[str, Disclosure]]:
    """The vacancy's cards measured together against its crowd, as the card rule reads them: per candidate
    ref, the profile it was measured for and its disclosure."""
    profiles = session.exec(select(Profile).where(col(Profile.id).in_([i for _, i in cards]))).all()
    # A stale profile's card shows nothing of the person (matching/privacy/card.py): it is not measured.
    shown = {p.id: p for p in profiles if not reconfirmation.is_stale(p.published, p.reconfirmed_at)}
    _, disclosures = crowds.card_disclosures(session, vacancy, shown)
    ref_of = {profile_id: ref for ref, profile_id in cards}
    return {ref_of[profile_id]: (profile_id, d) for profile_id, d in disclosures.items()}


def _store(session: Session, vacancy: Vacancy, measured: dict[str, Disclosure]) -> None:
    """Write the rows of the vacancy whose disclosure changed; delete those of cards no longer measured."""
    stored = {row.candidate_ref: row for row in session.exec(
        select(CardDisclosure).where(col(CardDisclosure.vacancy_id) == vacancy.id))}
    for ref, row in stored.items():
        if ref not in measured:
            session.delete(row)
    for ref, disclosure in measured.items():
        fields = {"vacancy_version": vacancy.version, "levels": dict(disclosure.levels),
                  "shown": _plain(disclosure.values), "k": disclosure.k, "met": disclosure.met}
        row = stored.get(ref)
        if row is not None and all(getattr(row, name) == value for name, value in fields.items()):
            continue  # unchanged: no write
        row = row or CardDisclosure(vacancy_id=vacancy.id, candidate_ref=ref, **fields)
        for name, value in fields.items():
            setattr(row, name, value)
        row.computed_at = utcnow()
        session.add(row)


def _plain(value: Any) -> Any:
    """The values as JSON stores them: tuples become lists."""
    if isinstance(value, dict):
        return {key: _plain(v) for key, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


# --- the API's side: rows only -------------------------------------------------------------------------


def _frozen(value: Any) -> Any:
    """Back to the values the ladders return: every sequence they build is a tuple."""
    if isinstance(value, dict):
        return {key: _frozen(v) for key, v in value.items()}
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    return value


def stored_disclosures(session: Session, vacancy: Vacancy) -> dict[str, Disclosure]:
    """The disclosure of each card of the vacancy (by candidate ref), as the workers last stored it."""
    rows = session.exec(select(CardDisclosure).where(
        col(CardDisclosure.vacancy_id) == vacancy.id, col(CardDisclosure.vacancy_version) == vacancy.version))
    return {row.candidate_ref: Disclosure(levels=dict(row.levels), values=_frozen(row.shown), k=row.k, met=row.met)
            for row in rows}


def vacancy_place(session: Session, vacancy: Vacancy) -> Coordinates:
    """The coordinates of the vacancy's postcode only (a card needs no other)."""
    postcode = (vacancy.data.get("location") or {}).get("postcode")
    if not postcode:
        return {}
    row = session.exec(select(Postcode.lat, Postcode.lon).where(col(Postcode.postcode) == postcode)).first()
    return {} if row is None else {postcode: (row[0], row[1])}


def preferred_labels(session: Session, concept_ids: list[str]) -> dict[tuple[str, str], str]:
    """The preferred label of these concepts in each language (a card names only its vacancy's requirements)."""
    if not concept_ids:
        return {}
    rows = session.exec(select(ConceptLabel.concept_id, ConceptLabel.lang, ConceptLabel.label).where(
        col(ConceptLabel.concept_id).in_(concept_ids), col(ConceptLabel.preferred)))
    return {(concept_id, lang): label for concept_id, lang, label in rows}
