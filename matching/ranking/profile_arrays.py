"""Profiles as compact arrays, the index `matching.ranking.scoring` scores a vacancy against.

No Python object per profile: ids are fixed-width UTF-8 bytes, skills one CSC structure of one-byte
grade codes and label ids, the rest typed per-profile arrays. Every attribute is a NumPy array of a
plain dtype, a SciPy sparse matrix, a dict/list of str or int, so an index can be saved and mapped
back generically.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from matching.ranking.facts import (
    HELD_LICENCE_LABEL,
    LICENCE_CONCEPTS,
    SHIFTS,
    TRANSPORT_MODES,
    ProfileFacts,
    SkillFact,
)
from matching.ranking.geo import mode_mask

# How much a declared skill is worth; unspecified sits with the middle value rather than the lowest
# so that counsellors are not pushed to fill in levels they cannot judge.
LEVEL_WEIGHT: Mapping[str | None, float] = MappingProxyType(
    {"basic": 0.8, "intermediate": 0.9, "advanced": 1.0, None: 0.9}
)
EVIDENCE_WEIGHT: Mapping[str | None, float] = MappingProxyType(
    {"self_declared": 0.9, "observed": 0.95, "certified": 1.0, None: 0.9}
)
LEVEL_RANK: Mapping[str, int] = MappingProxyType({"basic": 1, "intermediate": 2, "advanced": 3})
UNSPECIFIED_LEVEL_RANK = 2  # compared like "intermediate", matching its weight above
# The columns of ProfileIndex.numbers_, each also an attribute (hours_min_ ...).
NUMBERS = ("hours_min", "hours_max", "start", "lat", "lon", "max_commute")
DEFAULT_MAX_COMMUTE_MINUTES = 45.0  # assumed when a counsellor leaves the limit empty
# EU licence rules: these categories are only issued to holders of B, so they imply it.
LICENCE_IMPLIES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {c: ("B",) for c in ("BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE")}
)
# A licence is an official document: counted like a certified skill at the highest level.
HELD_LICENCE_WEIGHT = LEVEL_WEIGHT["advanced"] * EVIDENCE_WEIGHT["certified"]
HELD_LICENCE_LEVEL = LEVEL_RANK["advanced"]




class ProfileIndex:
    """Profiles as arrays: a sparse profile x concept skill-weight matrix, language level arrays, hours,
    shift masks, start ordinals, coordinates, commute limits, transport masks, licences."""

    def __init__(self) -> None:
        """Store nothing: all state is built by fit (scikit-learn manners)."""

    def fit(self, profiles: Sequence[ProfileFacts]) -> ProfileIndex:
        """Build the arrays for these profiles and return self."""
        profiles = list(profiles)  # read several times below; a generator would be empty the second time
        ids = [p.profile_id for p in profiles]
        if len(set(ids)) != len(ids):
            raise ValueError("profile ids must be unique")
        if any(i.endswith("\0") for i in ids):
            raise ValueError("profile ids must not end with NUL (fixed-width bytes would drop it)")
        n = len(ids)
        # Fixed-width UTF-8 bytes, not Python strings: 36 bytes a UUID instead of ~90 with the object and
        # its pointer; UTF-8 sorts like the strings, so a sorted index can look ids up by bisection.
        encoded = [i.encode() for i in ids]
        self.profile_ids_ = np.array(encoded, dtype=f"S{max(map(len, encoded), default=1) or 1}")
        # Ties are broken by profile id; rank the ids once so sorting never compares strings again.
        self.id_rank_ = np.empty(n, dtype=np.int32)
        self.id_rank_[np.argsort(self.profile_ids_, kind="stable")] = np.arange(n, dtype=np.int32)

        self.concept_index_: dict[str, int] = {}
        # The label each profile typed for each concept, as ids into one vocabulary: a million
        # profiles' labels in a sparse matrix cost megabytes, where a dict per profile cost gigabytes.
        label_vocabulary: dict[str, int] = {}
        # A held skill's (weight, level) pair as a one-byte code: there are only a few dozen pairs.
        grades: dict[tuple[float, int], int] = {}
        # Typed arrays, not lists: a million profiles make millions of entries, 4-8 bytes each this way.
        label_ids, rows, cols, codes = array("i"), array("i"), array("i"), array("B")
        for i, profile in enumerate(profiles):
            best: dict[str, tuple[float, int, str]] = {}
            for skill in profile.skills:
                if skill.concept_id is None:
                    continue  # an unrecognised label cannot meet a concept requirement
                weight = skill_weight(skill)
                if skill.concept_id not in best or weight > best[skill.concept_id][0]:
                    best[skill.concept_id] = (weight, _level_rank(skill.level), skill.label)
            # A licence held in mobility meets a requirement naming that licence's concept, fully.
            for concept in _licence_concepts(profile.driving_licences):
                if concept not in best or HELD_LICENCE_WEIGHT >= best[concept][0]:
                    label = HELD_LICENCE_LABEL.format(licence=LICENCE_CONCEPTS[concept])
                    best[concept] = (HELD_LICENCE_WEIGHT, HELD_LICENCE_LEVEL, label)
            for concept, (weight, level, label) in best.items():
                rows.append(i)
                cols.append(self.concept_index_.setdefault(concept, len(self.concept_index_)))
                codes.append(grades.setdefault((weight, level), len(grades) + 1))  # 0 would read as "not held"
                label_ids.append(label_vocabulary.setdefault(label, len(label_vocabulary)) + 1)
        self.label_vocabulary_ = list(label_vocabulary)
        # Entry 0 is never used: a stored code is >= 1.
        self.grade_weights_ = np.array([0.0, *(w for w, _ in grades)], dtype=float)
        self.grade_levels_ = np.array([0, *(level for _, level in grades)], dtype=np.int8)
        self._store_skills(np.frombuffer(rows, dtype=np.int32), np.frombuffer(cols, dtype=np.int32),
                           np.frombuffer(codes, dtype=np.uint8), np.frombuffer(label_ids, dtype=np.int32), n)

        self.language_index_ = _vocabulary(lang.code for p in profiles for lang in p.languages)
        self.spoken_ = np.zeros((n, len(self.language_index_)), dtype=np.int8)
        self.written_ = np.zeros_like(self.spoken_)
        self.shift_index_ = _vocabulary([*SHIFTS, *(s for p in profiles for s in sorted(p.shifts))])
        self.shifts_ = np.zeros((n, len(self.shift_index_)), dtype=bool)
        held = [_with_implied(p.driving_licences) for p in profiles]
        self.licence_index_ = _vocabulary(lic for licences in held for lic in sorted(licences))
        self.licences_ = np.zeros((n, len(self.licence_index_)), dtype=bool)
        self.transport_ = np.zeros((n, len(TRANSPORT_MODES)), dtype=bool)
        for i, profile in enumerate(profiles):
            for lang in profile.languages:
                col = self.language_index_[lang.code]
                self.spoken_[i, col] = max(self.spoken_[i, col], lang.spoken)
                self.written_[i, col] = max(self.written_[i, col], lang.written)
            self.shifts_[i, [self.shift_index_[s] for s in profile.shifts]] = True
            self.licences_[i, [self.licence_index_[lic] for lic in held[i]]] = True
            self.transport_[i] = mode_mask(profile.transport)

        limits = _floats(p.max_commute_minutes for p in profiles)
        # At least a minute: a limit of 0 would divide by zero and nobody's commute is instant.
        limits = np.maximum(np.where(np.isnan(limits), DEFAULT_MAX_COMMUTE_MINUTES, limits), 1.0)
        # One row of numbers per profile (NUMBERS): scoring a few thousand rows of a million reads one
        # cache line per row instead of one per array; the named attributes are views of its columns.
        self.numbers_ = np.column_stack([
            _floats(p.hours_min for p in profiles),
            _floats(p.hours_max for p in profiles),
            _floats(p.start.toordinal() if p.start else None for p in profiles),
            _floats(p.lat for p in profiles),
            _floats(p.lon for p in profiles),
            limits,
        ]) if n else np.empty((0, len(NUMBERS)))
        for column, name in enumerate(NUMBERS):
            setattr(self, f"{name}_", self.numbers_[:, column])
        return self


    def _store_skills(self, rows: NDArray, cols: NDArray, codes: NDArray, label_ids: NDArray, n: int) -> None:
        """One profile x concept CSC structure, shared by the grade codes and the labels.

        Requirements read columns, so columns it is; nothing reads a row but an explanation's label,
        found by bisection in the column. No CSR copy, no float data: 5 bytes a held skill plus its label.
        """
        order = np.lexsort((rows, cols))  # by concept, then by row: each column's rows come sorted
        indices = np.ascontiguousarray(rows[order], dtype=np.int32)
        indptr = np.searchsorted(cols[order], np.arange(len(self.concept_index_) + 1)).astype(np.int32)
        shape = (n, len(self.concept_index_))
        self.skill_grades_ = sparse.csc_matrix((codes[order], indices, indptr), shape=shape, copy=False)
        self.skill_label_ids_ = sparse.csc_matrix((label_ids[order], indices, indptr), shape=shape, copy=False)

    def take(self, rows: NDArray) -> ProfileIndex:
        """A fitted index of these rows only (in this order), sharing the vocabularies."""
        sub = ProfileIndex()
        for name, value in vars(self).items():
            if name in ("grade_weights_", "grade_levels_"):
                setattr(sub, name, value)  # a table of codes, not one entry per profile
            elif isinstance(value, np.ndarray):
                setattr(sub, name, value[rows])
            elif not sparse.issparse(value):
                setattr(sub, name, value)  # the vocabularies: concepts, labels, languages, shifts, licences
        rows = np.asarray(rows, dtype=np.int64)
        picked = self.skill_grades_.tocoo()
        new_row = np.full(len(self.profile_ids_), -1, dtype=np.int64)
        new_row[rows] = np.arange(len(rows))  # a row taken twice would be ambiguous: take() never gets one
        kept = new_row[picked.row] >= 0
        sub._store_skills(new_row[picked.row[kept]], picked.col[kept].astype(np.int32), picked.data[kept],
                          self.skill_label_ids_.tocoo().data[kept], len(rows))
        return sub

    def profile_id(self, row: int) -> str:
        """The id of the profile in `row`."""
        return bytes(self.profile_ids_[row]).decode()

    def holders(self, concept_id: str, rows: NDArray | None = None) -> tuple[NDArray, NDArray]:
        """Where the profiles holding a concept sit (rows, or positions in the sorted `rows`), and their codes."""
        col = self.concept_index_.get(concept_id)
        if col is None:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint8)
        csc = self.skill_grades_
        start, end = csc.indptr[col], csc.indptr[col + 1]
        held, codes = csc.indices[start:end], csc.data[start:end]
        if rows is None:
            return held, codes
        at = np.searchsorted(rows, held)
        found = rows[np.minimum(at, len(rows) - 1)] == held if len(rows) else np.zeros(len(held), dtype=bool)
        return at[found], codes[found]

    def skill_label(self, row: int, concept_id: str) -> str | None:
        """The label the profile in `row` typed for this concept (None if it does not hold it)."""
        col = self.concept_index_.get(concept_id)
        if col is None:
            return None
        labels = self.skill_label_ids_
        start, end = labels.indptr[col], labels.indptr[col + 1]
        at = start + int(np.searchsorted(labels.indices[start:end], row))
        if at == end or labels.indices[at] != row:
            return None
        return self.label_vocabulary_[int(labels.data[at]) - 1]


def skill_weight(skill: SkillFact) -> float:
    """What holding this skill is worth, from its level and evidence (unknown values count as unspecified)."""
    level = LEVEL_WEIGHT.get(skill.level, LEVEL_WEIGHT[None])
    return level * EVIDENCE_WEIGHT.get(skill.evidence, EVIDENCE_WEIGHT[None])


def _level_rank(level: str | None) -> int:
    """Skill level to 1..3, unspecified or unknown compared as intermediate."""
    return LEVEL_RANK.get(level or "", UNSPECIFIED_LEVEL_RANK)


def _with_implied(licences: frozenset[str]) -> frozenset[str]:
    """Licences plus those they imply (a C holder holds B)."""
    return licences.union(*(LICENCE_IMPLIES.get(lic, ()) for lic in licences))


def _licence_concepts(licences: frozenset[str]) -> list[str]:
    """The taxonomy concepts naming a licence held (implied ones included), in a stable order."""
    held = _with_implied(licences)
    return [concept for concept, licence in LICENCE_CONCEPTS.items() if licence in held]


def _vocabulary(names: Any) -> dict[str, int]:
    """Column numbers in first-seen order."""
    index: dict[str, int] = {}
    for name in names:
        index.setdefault(name, len(index))
    return index


def _floats(values: Any) -> NDArray:
    """A float array with NaN for None."""
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
