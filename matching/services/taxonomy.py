"""The taxonomy as the service uses it: seed loading, the cached linker, search and concept pages."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from matching.errors import InvalidInput, NotFound
from matching.language.linking import ConceptLinker, LabelRow, Link, SearchHit
from matching.ranking.relations import RelatedSkills, skill_specificity
from matching.store import taxonomy_version as versions
from matching.store.esco_import import ISCO_GROUP_URI, isco_group_id
from matching.store.models import Concept, ConceptLabel, ConceptRelation

log = logging.getLogger("blindmatch.taxonomy")
SEED_PATH = Path(__file__).resolve().parent.parent / "data" / "seed_taxonomy.json"


def load_seed(session: Session, path: Path = SEED_PATH) -> int:
    """Insert the project's seed taxonomy where missing; returns concepts added."""
    data = json.loads(path.read_text(encoding="utf-8"))
    existing = set(session.exec(select(Concept.id).where(Concept.source == "seed")))
    added = [c for c in data["concepts"] if c["id"] not in existing]
    if not added:
        return 0
    for concept in added:
        session.add(Concept(id=concept["id"], kind=concept["kind"], source="seed", sector=concept.get("sector")))
    session.flush()
    for concept in added:
        for lang, labels in concept["labels"].items():
            for position, label in enumerate(dict.fromkeys(labels)):
                session.add(ConceptLabel(concept_id=concept["id"], lang=lang, label=label, preferred=position == 0))
        relations = [("broader", t) for t in concept.get("broader", [])]
        relations += [("essential", t) for t in concept.get("essential_skills", [])]
        relations += [("optional", t) for t in concept.get("optional_skills", [])]
        for relation, target in dict.fromkeys(relations):
            session.add(ConceptRelation(concept_id=concept["id"], relation=relation, target_id=target))
    session.flush()
    versions.bump(session)
    return len(added)


@dataclass
class _Snapshot:
    version: str
    linker: ConceptLinker
    neighbours: RelatedSkills  # partial credit between skills (hierarchy, links, shared occupations)
    specificity: dict[str, float]  # IDF-style weight of a skill among a vacancy's requirements
    preferred: dict[tuple[str, str], str]
    sectors: dict[str, str | None]


class _Cache:
    """One linker per process, rebuilt when the taxonomy version stamp changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshot: _Snapshot | None = None
        self.loads = 0  # how many times this process built it (a warm worker: once, before its first task)

    def get(self, session: Session) -> _Snapshot:
        version = versions.current(session)
        snapshot = self._snapshot
        if snapshot is not None and snapshot.version == version:
            return snapshot
        with self._lock:
            if self._snapshot is None or self._snapshot.version != version:
                started = time.perf_counter()
                self._snapshot = _build(session, version)
                self.loads += 1
                log.info("taxonomy loaded: %d concepts in %.2f s", len(self._snapshot.sectors),
                         time.perf_counter() - started, extra={"taxonomy_loads": self.loads})
            return self._snapshot


_cache = _Cache()


def _build(session: Session, version: str) -> _Snapshot:
    rows = session.exec(
        select(
            ConceptLabel.concept_id, Concept.kind, ConceptLabel.lang, ConceptLabel.label, ConceptLabel.preferred
        ).join(Concept, Concept.id == ConceptLabel.concept_id)
    ).all()
    linker = ConceptLinker().fit(
        (LabelRow(concept_id=c, kind=k, lang=lang, label=label, preferred=p) for c, k, lang, label, p in rows),
        groups=_isco_groups(session),
    )
    preferred = {(c, lang): label for c, _k, lang, label, p in rows if p}
    triples = session.exec(
        select(ConceptRelation.concept_id, ConceptRelation.relation, ConceptRelation.target_id)
    ).all()
    sectors = dict(session.exec(select(Concept.id, Concept.sector)).all())
    return _Snapshot(version, linker, RelatedSkills(triples), skill_specificity(triples), preferred, sectors)


def _isco_groups(session: Session) -> dict[str, str]:
    """Occupation -> the concept naming its ISCO group, where that group was imported as a concept.

    The linker lets a query matching a group's name ("Nettoyeurs et aides...") count for every member
    occupation, as benchmarks/occupation_linking.py measures it.
    """
    # Every id in one read (a few tens of thousands): no IN list that could pass SQLite's variable limit.
    coded = dict(session.exec(select(Concept.id, Concept.isco_group)).all())
    groups = {concept_id: isco_group_id(code) for concept_id, code in coded.items() if code and code.strip()}
    # A group belongs to the group one digit up, so a broad category's name ranks below what it covers:
    # people name a job, not a category.
    for concept_id in coded:
        code = concept_id.removeprefix(ISCO_GROUP_URI)
        if code != concept_id and len(code) > 1:
            groups[concept_id] = f"{ISCO_GROUP_URI}{code[:-1]}"
    return {concept_id: group for concept_id, group in groups.items() if group in coded}


def snapshot(session: Session) -> _Snapshot:
    return _cache.get(session)


def scoring_options(session: Session) -> dict[str, Any]:
    """What scoring needs from the taxonomy, as keyword arguments of `matching.ranking.scoring.rank`."""
    current = snapshot(session)
    return {"related": current.neighbours, "specificity": current.specificity}


def preferred_label(session: Session, concept_id: str, lang: str | None = None) -> str | None:
    """The concept's preferred label in `lang`, else in English, French or Dutch."""
    labels = snapshot(session).preferred
    for candidate in (lang, "en", "fr", "nl"):
        if candidate and (concept_id, candidate) in labels:
            return labels[(concept_id, candidate)]
    return None


def search(session: Session, *, q: str, lang: str | None, kind: str | None, limit: int) -> list[SearchHit]:
    if not q.strip():
        raise InvalidInput("Type a few letters to search.", code="empty_query", field="q")
    return snapshot(session).linker.search(q, lang=lang, kind=kind, limit=limit)


def get_concept(session: Session, concept_id: str) -> dict:
    concept = session.get(Concept, concept_id)
    if concept is None:
        raise NotFound("No concept with this id.", field="concept_id")
    labels: dict[str, list[str]] = defaultdict(list)
    for row in session.exec(
        select(ConceptLabel)
        .where(ConceptLabel.concept_id == concept_id)
        .order_by(ConceptLabel.lang, ConceptLabel.preferred.desc(), ConceptLabel.label)
    ):
        labels[row.lang].append(row.label)
    relation = ConceptRelation
    broader = session.exec(
        select(relation.target_id).where(relation.concept_id == concept_id, relation.relation == "broader")
    ).all()
    narrower = session.exec(
        select(relation.concept_id).where(relation.target_id == concept_id, relation.relation == "broader")
    ).all()
    return {
        "concept_id": concept.id,
        "kind": concept.kind,
        "sector": concept.sector,
        "labels": dict(labels),
        "broader": sorted(broader),
        "narrower": sorted(narrower),
    }


def link_labels(session: Session, labels: list[str], *, kind: str = "skill") -> list[Link]:
    """How each free label was understood (one code path for profiles, vacancies and search)."""
    return snapshot(session).linker.link_many(labels, kind=kind)


def known_concepts(session: Session, concept_ids: list[str]) -> set[str]:
    if not concept_ids:
        return set()
    return set(session.exec(select(Concept.id).where(Concept.id.in_(concept_ids))))


def concept_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Concept)).one()
