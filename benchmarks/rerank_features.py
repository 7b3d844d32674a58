"""Features of a query's top occupations that the product can compute from what it stores.

Used by `linking_reranker.py` to find out whether a learned re-ranker would lift success@1 before one
is built into the product: each feature reads only the product's linker (labels in every language,
ISCO groups) and its imported ESCO relations (the occupation hierarchy), never the benchmark's
annotations.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from sqlmodel import Session, select

from matching.language.linking import ConceptLinker, SearchHit
from matching.language.text import label_tokens, label_variants, masculine_forms, normalise_label
from matching.services import taxonomy
from matching.store.models import ConceptRelation

FEATURE_NAMES: tuple[str, ...] = (
    "score", "gap to first", "log rank", "exact label", "same head noun", "query words in its labels",
    "label words in query", "label/query length", "ISCO group share", "log names", "log narrower",
    "depth", "names a group",
)
# Words that carry no job: "Agent de ...", "Responsable des ...".
_FUNCTION_WORDS = frozenset({"de", "du", "des", "la", "le", "les", "en", "et", "a", "au", "aux", "dans",
                             "pour", "sur", "d", "l", "un", "une"})
# The first word of a title, hyphenated compounds whole: "aide-soignant", "agent" of "agent d'entretien".
_FIRST_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# Brackets hold markers ("(h/f/x)") or glosses, never the head noun.
_BRACKETS = re.compile(r"\([^)]*\)")


def head_noun(title: str) -> str:
    """The first word of a French job title, folded: "Agent d'entretien" -> "agent", "Aide-soignante" ->
    "aide soignante"."""
    found = _FIRST_WORD.search(_BRACKETS.sub(" ", title))
    return normalise_label(found.group(0)) if found else ""


def same_word(a: str, b: str) -> bool:
    """One word in either gender: "bouchere" and "boucher", "vendeuse" and "vendeur"."""
    return a == b or a in masculine_forms(b) or b in masculine_forms(a)


def content_words(title: str) -> set[str]:
    """Words of every normalised reading of a title, without function words."""
    return {w for v in label_variants(title) for w in label_tokens(v) if w not in _FUNCTION_WORDS}


def _share_found(words: set[str], among: set[str]) -> float:
    """Share of `words` found in `among`, a feminine counting as its masculine."""
    if not words:
        return 0.0
    return sum(any(same_word(w, o) for o in among) if w not in among else True for w in words) / len(words)


@dataclass
class TaxonomyFacts:
    """What the product knows about each concept beyond a query's scores."""

    linker: ConceptLinker
    groups: dict[str, str]  # occupation -> the concept naming its ISCO group
    broader: dict[str, list[str]]  # occupation -> broader occupations
    narrower: Counter[str]
    lang: str = "fr"
    _rows: dict[str, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for number, row in enumerate(self.linker.rows_):
            self._rows.setdefault(row.concept_id, []).append(number)
        self.group_names = frozenset(self.groups.values())
        self.words = cache(self._words)
        self.depth = cache(self._depth)

    @classmethod
    def from_session(cls, session: Session, *, lang: str = "fr") -> TaxonomyFacts:
        """The facts of the taxonomy the service links with."""
        pairs = session.exec(select(ConceptRelation.concept_id, ConceptRelation.target_id)
                             .where(ConceptRelation.relation == "broader")).all()
        groups = taxonomy._isco_groups(session)
        # The occupation hierarchy only: an ISCO group above an occupation is its group, not a broader job.
        occupational = [(c, t) for c, t in pairs if t not in set(groups.values())]
        broader: dict[str, list[str]] = {}
        for concept, target in occupational:
            broader.setdefault(concept, []).append(target)
        return cls(taxonomy.snapshot(session).linker, groups, broader,
                   Counter(t for _, t in occupational), lang)

    def names(self, concept: str) -> int:
        """How many labels the concept has in every language: common jobs have many."""
        return len(self._rows.get(concept, ()))

    def _words(self, concept: str) -> frozenset[str]:
        rows = self.linker.rows_
        return frozenset(w for n in self._rows.get(concept, ()) if rows[n].lang == self.lang
                         for w in content_words(rows[n].label))

    def _depth(self, concept: str) -> int:
        above = self.broader.get(concept, [])
        return 1 + max(self.depth(b) for b in above) if above else 0


def candidate_features(query: str, hits: Sequence[SearchHit], facts: TaxonomyFacts) -> np.ndarray:
    """One row of FEATURE_NAMES per hit, in the hits' order (best first)."""
    if not hits:
        return np.zeros((0, len(FEATURE_NAMES)))
    top = hits[0].score
    head = head_noun(query)
    asked = content_words(query)
    group_of = [facts.groups.get(hit.concept_id) for hit in hits]
    total = sum(hit.score for hit in hits) or 1.0
    rows = []
    for rank, (hit, group) in enumerate(zip(hits, group_of, strict=True)):
        label_words = content_words(hit.label)
        share = sum(h.score for h, g in zip(hits, group_of, strict=True) if group and g == group) / total
        rows.append([
            hit.score,
            top - hit.score,
            math.log1p(rank),
            float(hit.score >= 0.999),
            float(bool(head) and same_word(head, head_noun(hit.label))),
            _share_found(asked, set(facts.words(hit.concept_id))),
            _share_found(label_words, asked),
            len(label_words) / max(len(asked), 1),
            share,
            math.log1p(facts.names(hit.concept_id)),
            math.log1p(facts.narrower[hit.concept_id]),
            float(facts.depth(hit.concept_id)),
            float(hit.concept_id in facts.group_names),
        ])
    return np.asarray(rows, dtype=np.float64)
