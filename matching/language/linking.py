"""Link free skill and occupation labels to taxonomy concepts: the one path for search and echo.

Candidates come from character n-gram and word TF-IDF (sparse dot products over every label
variant); the best few are re-ranked with rapidfuzz whole-label similarity and a rare-word-weighted
word overlap that forgives typos; label scores are then pooled per concept, so a concept with ten
near-identical labels counts once. When the taxonomy says which group a concept belongs to and a
group has a name of its own (an ISCO unit group), a query matching the name lends evidence to every
member. Gender forms are read as the job: "vendeur/euse", "ouvrier.ère", "Boulanger - Boulangère", and a
feminine word the taxonomy never uses stands for its masculine when the taxonomy has that ("plongeuse",
Dutch "kapster"). Taxonomy search, profile skills and vacancy occupations all call `ConceptLinker`, so a label
links the same way wherever it is typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.language.text import label_tokens, label_variants, masculine_forms, word_terms

KINDS: tuple[str, ...] = ("skill", "occupation")
# Queries are scored in blocks: one sparse product per block, without a dense N-wide matrix.
_BLOCK = 64
# Terms in more than max_df of the labels are dropped only above this many labels: pruning is for
# speed on the full taxonomy, and a small taxonomy needs every term it has.
_MIN_PRUNED_DF = 500
# Word similarity (rapidfuzz ratio in [0, 1]) from which two words count as the same word.
_SAME_WORD = 0.75
# A concept that names a group ranks at this share of its score: below the members it lends evidence to.
_GROUP_NAME_FACTOR = 0.25


@dataclass(frozen=True, slots=True)
class LabelRow:
    """One taxonomy label: a preferred or alternative name of a concept in one language."""

    concept_id: str
    kind: str
    lang: str
    label: str
    preferred: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """How a typed label was understood; concept_id is None when nothing matched well enough."""

    concept_id: str | None
    matched_label: str | None
    match: str
    confidence: float


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One concept found by search, shown by its best label in the asked language."""

    concept_id: str
    label: str
    lang: str
    kind: str
    score: float


@dataclass(frozen=True, slots=True)
class _Ranked:
    """A concept's pooled score for one query and the label variant that scored best."""

    concept: int
    score: float  # for ordering: the concept's own score plus its group's evidence
    entry: int
    own: float  # the concept's own labels' score: what confidence and the link threshold read


def _soft_overlap(
    query: list[str], query_idf: np.ndarray, labels: list[tuple[int, ...]],
    vocabulary: list[str], idf: np.ndarray,
) -> np.ndarray:
    """Rare-word-weighted share of words found on both sides, words matching despite typos (F1)."""
    used = sorted({token for tokens in labels for token in tokens})
    column = {token: i for i, token in enumerate(used)}
    similar = process.cdist(query, [vocabulary[t] for t in used], scorer=fuzz.ratio,
                            processor=None, score_cutoff=0, dtype=np.float32) / 100.0
    # Typos and inflections ("bureau"/"bureaux", "kantoor"/"kantoren") count; other words do not.
    similar = np.where(similar >= _SAME_WORD, similar, 0.0)
    similar = np.hstack([similar, np.zeros((len(query), 1), dtype=np.float32)])  # padding column
    width = max(1, max(len(tokens) for tokens in labels))
    cols = np.full((len(labels), width), len(used))
    for i, tokens in enumerate(labels):
        cols[i, : len(tokens)] = [column[t] for t in tokens]
    weights = np.append(idf[used], 0.0)[cols]
    pairs = similar[:, cols]  # query word x label x label word
    found_of_query = query_idf @ pairs.max(axis=2) / query_idf.sum()
    found_of_label = (weights * pairs.max(axis=0)).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    return 2 * found_of_query * found_of_label / np.maximum(found_of_query + found_of_label, 1e-9)


class ConceptLinker:
    """Typo-tolerant multilingual label-to-concept linker with scikit-learn estimator manners."""

    def __init__(
        self,
        *,
        threshold: float = 0.7,
        ngram_range: tuple[int, int] = (2, 4),
        max_df: float = 0.05,
        candidates: int = 60,
        char_weight: float = 0.35,
        word_weight: float = 0.15,
        fuzz_weight: float = 0.5,
        other_lang_factor: float = 0.97,
        preferred_bonus: float = 0.01,
        support_bonus: float = 0.02,
        group_weight: float = 0.3,
        gender_forms: bool = True,
    ) -> None:
        self.threshold = threshold
        self.ngram_range = ngram_range
        self.max_df = max_df
        self.candidates = candidates
        self.char_weight = char_weight
        self.word_weight = word_weight
        self.fuzz_weight = fuzz_weight
        self.other_lang_factor = other_lang_factor
        self.preferred_bonus = preferred_bonus
        self.support_bonus = support_bonus
        self.group_weight = group_weight
        self.gender_forms = gender_forms

    # ------------------------------------------------------------------ fitting
    def fit(self, rows: Iterable[LabelRow], *, groups: Mapping[str, str] | None = None) -> ConceptLinker:
        """Index every label variant of the taxonomy; returns self.

        `groups` maps a concept to the group it belongs to (an occupation to its ISCO unit group). A
        group key that is itself a concept makes that concept the group's name ("Conducteurs de
        chariots élévateurs" for the forklift drivers' group): a query matching it is evidence for
        every member, and the group ranks below its members, since people name a job, not a category.
        """
        self.rows_: list[LabelRow] = list(rows)
        concept_index: dict[str, int] = {}
        lang_index: dict[str, int] = {}
        texts: list[str] = []
        entry_row: list[int] = []
        for row_no, row in enumerate(self.rows_):
            if row.kind not in KINDS:
                raise ValueError(f"unknown concept kind {row.kind!r}")
            concept_index.setdefault(row.concept_id, len(concept_index))
            lang_index.setdefault(row.lang, len(lang_index))
            for variant in label_variants(row.label, gender_forms=self.gender_forms):
                texts.append(variant)
                entry_row.append(row_no)
        if not texts:
            raise ValueError("cannot fit a linker on a taxonomy without labels")
        self.concept_ids_ = list(concept_index)
        self.langs_ = lang_index
        self.entry_text_ = texts
        self.entry_row_ = np.asarray(entry_row, dtype=np.int64)
        rows_ = self.rows_
        self.entry_concept_ = np.asarray(
            [concept_index[rows_[r].concept_id] for r in entry_row], dtype=np.int64
        )
        self.entry_lang_ = np.asarray([lang_index[rows_[r].lang] for r in entry_row], np.int64)
        self.entry_kind_ = np.asarray([KINDS.index(rows_[r].kind) for r in entry_row], np.int64)
        self.entry_preferred_ = np.asarray([rows_[r].preferred for r in entry_row], dtype=bool)
        self.concept_entries_: list[list[int]] = [[] for _ in self.concept_ids_]
        for entry, concept in enumerate(self.entry_concept_.tolist()):
            self.concept_entries_[concept].append(entry)
        self.exact_: dict[str, list[int]] = {}
        for entry, text in enumerate(texts):
            self.exact_.setdefault(text, []).append(entry)
        self.vocabulary_: dict[str, int] = {}
        self.entry_tokens_ = [
            tuple(self.vocabulary_.setdefault(t, len(self.vocabulary_)) for t in label_tokens(text))
            for text in texts
        ]
        df = np.bincount([t for tokens in self.entry_tokens_ for t in set(tokens)],
                         minlength=len(self.vocabulary_))
        self.token_idf_ = (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float32)
        self.tokens_ = list(self.vocabulary_)
        # Per concept and language, the label to show when the match came from another language.
        self.display_: dict[tuple[int, str], int] = {}
        for row_no, row in enumerate(rows_):
            key = (concept_index[row.concept_id], row.lang)
            if key not in self.display_ or row.preferred and not rows_[self.display_[key]].preferred:
                self.display_[key] = row_no
        # Frequent n-grams ("de", "er ") would make every query touch most labels for little signal.
        max_df = max(int(self.max_df * len(texts)), _MIN_PRUNED_DF)
        self.char_vectorizer_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=self.ngram_range, lowercase=False,
            sublinear_tf=True, max_df=max_df, dtype=np.float32,
        )
        # Stored transposed (term x entry) so a query's product walks only its terms' postings.
        self.char_index_ = self.char_vectorizer_.fit_transform(texts).T.tocsr()
        self.word_vectorizer_ = TfidfVectorizer(
            analyzer=word_terms, sublinear_tf=True, max_df=max_df, dtype=np.float32
        )
        self.word_index_ = self.word_vectorizer_.fit_transform(texts).T.tocsr()
        self._fit_groups(groups or {}, concept_index)
        return self

    def _fit_groups(self, groups: Mapping[str, str], concept_index: dict[str, int]) -> None:
        """Group number per concept (-1 none), the group a concept names (-1 none), members per group."""
        group_index: dict[str, int] = {}
        self.concept_group_ = np.full(len(self.concept_ids_), -1, dtype=np.int64)
        for concept, group in groups.items():
            if concept in concept_index and group != concept:
                self.concept_group_[concept_index[concept]] = group_index.setdefault(group, len(group_index))
        self.names_group_ = np.full(len(self.concept_ids_), -1, dtype=np.int64)
        for group, number in group_index.items():
            if group in concept_index:
                self.names_group_[concept_index[group]] = number
        self.members_: list[list[int]] = [[] for _ in group_index]
        for concept in np.flatnonzero(self.concept_group_ >= 0).tolist():
            self.members_[self.concept_group_[concept]].append(concept)

    # ------------------------------------------------------------------ public API
    def search(
        self,
        query: str,
        *,
        lang: str | None = None,
        kind: str | None = None,
        limit: int = 10,
        min_score: float = 0.0,
    ) -> list[SearchHit]:
        """Concepts whose labels best match the query, one hit per concept, best first."""
        self._check_ready(kind)
        variants = label_variants(query, gender_forms=self.gender_forms)
        if not variants or limit <= 0:
            return []
        pool = max(self.candidates, 8 * limit)
        ranked = self._rank([self._with_known_forms(variants)], lang=lang, kind=kind, pool=pool)[0]
        hits = []
        for item in ranked[:limit]:
            if item.score < min_score:
                break
            row = self.rows_[self._display_row(item, lang)]
            hits.append(SearchHit(row.concept_id, row.label, row.lang, row.kind,
                                  round(min(item.score, 1.0), 4)))
        return hits

    def link(self, label: str, *, lang: str | None = None, kind: str | None = "skill") -> Link:
        """Link one typed label: exact, fuzzy above the threshold, or unknown."""
        return self.link_many([label], lang=lang, kind=kind)[0]

    def link_many(
        self, labels: Sequence[str], *, lang: str | None = None, kind: str | None = "skill"
    ) -> list[Link]:
        """Link many labels at once; same answers as `link`, scored in sparse blocks."""
        self._check_ready(kind)
        variants = [label_variants(label, gender_forms=self.gender_forms) for label in labels]
        links: list[Link | None] = [self._exact(v, lang, kind) for v in variants]
        todo = [i for i, found in enumerate(links) if found is None and variants[i]]
        ranked = self._rank([self._with_known_forms(variants[i]) for i in todo], lang=lang, kind=kind,
                            pool=self.candidates)
        for i, items in zip(todo, ranked, strict=True):
            # The best-ranked concept whose own labels match well enough: a member found only through its
            # group's name has no label of its own to show as understood.
            best = next((item for item in items if item.own >= self.threshold), None)
            if best is not None:
                row = self.rows_[self.entry_row_[best.entry]]
                # 1.0 is kept for exact matches so callers can tell the two apart.
                links[i] = Link(row.concept_id, row.label, "fuzzy", round(min(best.own, 0.99), 4))
        unknown = Link(None, None, "unknown", 0.0)
        return [found or unknown for found in links]

    # ------------------------------------------------------------------ internals
    def _check_ready(self, kind: str | None) -> None:
        if not hasattr(self, "char_index_"):
            raise NotFittedError("ConceptLinker is not fitted yet: call fit(rows) first")
        if kind is not None and kind not in KINDS:
            raise ValueError(f"unknown concept kind {kind!r}")

    def _with_known_forms(self, variants: list[str]) -> list[str]:
        """Add a variant where each feminine word the taxonomy never uses takes the masculine it uses.

        ESCO names most jobs in both forms, but not all ("plongeur" only), and Dutch "-ster" forms are
        missing for many: "plongeuse en restauration" is also read as "plongeur en restauration".
        """
        if not self.gender_forms:
            return variants
        known = self.vocabulary_
        extra = []
        for variant in variants:
            words = variant.split()
            swapped = [
                word if word in known else next((m for m in masculine_forms(word) if m in known), word)
                for word in words
            ]
            if swapped != words:
                extra.append(" ".join(swapped))
        return variants + [v for v in dict.fromkeys(extra) if v not in variants]

    def _allowed(self, entries: np.ndarray, kind: str | None) -> np.ndarray:
        if kind is None:
            return np.ones(len(entries), dtype=bool)
        return self.entry_kind_[entries] == KINDS.index(kind)

    def _lang_factor(self, entries: np.ndarray, lang: str | None) -> np.ndarray:
        code = self.langs_.get(lang, -1) if lang else -1
        if code < 0:
            return np.ones(len(entries), dtype=np.float32)
        return np.where(self.entry_lang_[entries] == code, 1.0, self.other_lang_factor)

    def _exact(self, variants: list[str], lang: str | None, kind: str | None) -> Link | None:
        """Link to a label spelled exactly like the query once both are normalised."""
        entries = [e for v in variants for e in self.exact_.get(v, ())]
        if not entries:
            return None
        found = np.asarray(entries)
        found = found[self._allowed(found, kind)]
        if not len(found):
            return None
        code = self.langs_.get(lang, -1) if lang else -1
        # Prefer a label in the asked language, then a preferred label, then a stable order.
        best = min(found.tolist(), key=lambda e: (
            self.entry_lang_[e] != code, not self.entry_preferred_[e],
            self.concept_ids_[self.entry_concept_[e]],
        ))
        row = self.rows_[self.entry_row_[best]]
        return Link(row.concept_id, row.label, "exact", 1.0)

    def _display_row(self, item: _Ranked, lang: str | None) -> int:
        """The matched label when it is in the asked language, else the concept's name in it."""
        row = int(self.entry_row_[item.entry])
        if lang and self.rows_[row].lang != lang and (item.concept, lang) in self.display_:
            return self.display_[(item.concept, lang)]
        return row

    def _rank(
        self, queries: list[list[str]], *, lang: str | None, kind: str | None, pool: int
    ) -> list[list[_Ranked]]:
        """Pooled concept scores for each query (given as its normalised variants)."""
        flat = [v for variants in queries for v in variants]
        owner = np.repeat(np.arange(len(queries)), [len(v) for v in queries])
        per_query: list[dict[int, float]] = [{} for _ in queries]
        for start in range(0, len(flat), _BLOCK):
            block = flat[start:start + _BLOCK]
            chars = self.char_vectorizer_.transform(block) @ self.char_index_
            words = self.word_vectorizer_.transform(block) @ self.word_index_
            for offset, text in enumerate(block):
                scores = self._score_entries(text, chars, words, offset, lang, kind, pool)
                best = per_query[owner[start + offset]]
                for entry, score in scores.items():
                    if score > best.get(entry, -1.0):
                        best[entry] = score
        return [self._pool_concepts(scores) for scores in per_query]

    def _score_entries(
        self, text: str, chars: sparse.csr_matrix, words: sparse.csr_matrix, row: int,
        lang: str | None, kind: str | None, pool: int,
    ) -> dict[int, float]:
        """Blend TF-IDF and rapidfuzz scores for the best `pool` entries of one query variant."""
        c_idx = chars.indices[chars.indptr[row]:chars.indptr[row + 1]]
        c_val = chars.data[chars.indptr[row]:chars.indptr[row + 1]]
        w_idx = words.indices[words.indptr[row]:words.indptr[row + 1]]
        w_val = words.data[words.indptr[row]:words.indptr[row + 1]]
        if not len(c_idx) and not len(w_idx):
            return {}
        entries = np.concatenate([c_idx, w_idx])
        char_score = np.zeros(len(entries), dtype=np.float32)
        word_score = np.zeros(len(entries), dtype=np.float32)
        # Align the two sparse rows on one entry list; duplicates collapse in np.unique below.
        char_score[: len(c_idx)] = c_val
        word_score[len(c_idx):] = w_val
        entries, inverse = np.unique(entries, return_inverse=True)
        char_score = np.bincount(inverse, char_score, len(entries))
        word_score = np.bincount(inverse, word_score, len(entries))
        blend = self.char_weight * char_score + self.word_weight * word_score
        blend *= self._allowed(entries, kind)
        if len(entries) > pool:
            top = np.argpartition(-blend, pool)[:pool]
            entries, char_score, word_score, blend = (
                entries[top], char_score[top], word_score[top], blend[top])
        keep = blend > 0
        entries, char_score, word_score = entries[keep], char_score[keep], word_score[keep]
        if not len(entries):
            return {}
        whole = np.asarray([self._whole(text, self.entry_text_[e]) for e in entries.tolist()])
        typed = label_tokens(text) or text.split()
        # A word the taxonomy never uses (often a typo) is as telling as its rarest word.
        typed_idf = np.asarray([self.token_idf_[self.vocabulary_[w]] if w in self.vocabulary_
                                else self.token_idf_.max() for w in typed], dtype=np.float32)
        soft = _soft_overlap(typed, typed_idf, [self.entry_tokens_[e] for e in entries],
                             self.tokens_, self.token_idf_)
        fuzzy = (whole + soft) / 2
        total = (self.char_weight * char_score + self.word_weight * word_score
                 + self.fuzz_weight * fuzzy) * self._lang_factor(entries, lang)
        return dict(zip(entries.tolist(), total.tolist(), strict=True))

    @staticmethod
    def _whole(query: str, label: str) -> float:
        """Whole-label edit similarity in [0, 1], in the typed word order or sorted."""
        # Strings are already normalised, hence processor=None; score_cutoff=0 keeps every score.
        return max(fuzz.ratio(query, label, processor=None, score_cutoff=0),
                   fuzz.token_sort_ratio(query, label, processor=None, score_cutoff=0)) / 100.0

    def _pool_concepts(self, scores: dict[int, float]) -> list[_Ranked]:
        """Max over a concept's labels, plus small bonuses for a preferred label and support."""
        groups: dict[int, list[tuple[float, int]]] = {}
        for entry, score in scores.items():
            groups.setdefault(int(self.entry_concept_[entry]), []).append((score, entry))
        ranked = []
        for concept, items in groups.items():
            items.sort(reverse=True)
            best_score, best_entry = items[0]
            rows = {int(self.entry_row_[best_entry])}
            runner_up = next((s for s, e in items[1:] if int(self.entry_row_[e]) not in rows), 0.0)
            score = (best_score + self.support_bonus * runner_up
                     + self.preferred_bonus * float(self.entry_preferred_[best_entry]))
            ranked.append(_Ranked(concept, score, best_entry, score))
        ranked = self._with_groups(ranked)
        ranked.sort(key=self._order)
        return ranked

    def _order(self, item: _Ranked) -> tuple[float, int, str]:
        """Best score first; two concepts sharing the matched label tie, and the one with more names
        (the more common job: "accompagnateur de train" has ten, its namesake six) goes first."""
        return -item.score, -len(self.concept_entries_[item.concept]), self.concept_ids_[item.concept]

    def _with_groups(self, ranked: list[_Ranked]) -> list[_Ranked]:
        """Lend a group name's score to the group's members; the group name itself goes below them."""
        named = {int(self.names_group_[r.concept]): r.score for r in ranked if self.names_group_[r.concept] >= 0}
        if not named:
            return ranked
        own = {r.concept for r in ranked}
        out = []
        for r in ranked:
            if self.names_group_[r.concept] >= 0:
                # Below the members it lends evidence to, still above concepts not found at all.
                out.append(_Ranked(r.concept, r.score * _GROUP_NAME_FACTOR, r.entry, r.own))
                continue
            boost = self.group_weight * named.get(int(self.concept_group_[r.concept]), 0.0)
            out.append(_Ranked(r.concept, r.score + boost, r.entry, r.own))
        # Members of a group whose name matched, with no label of their own among the candidates.
        for group, score in named.items():
            for member in self.members_[group]:
                if member not in own:
                    entry = self._display_entry(member)
                    out.append(_Ranked(member, self.group_weight * score, entry, 0.0))
        return out

    def _display_entry(self, concept: int) -> int:
        """A label variant to show for a concept found only through its group: its preferred label."""
        entries = self.concept_entries_[concept]
        preferred = [e for e in entries if self.entry_preferred_[e]]
        return (preferred or entries)[0]
