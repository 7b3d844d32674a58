"""Skill mentions in a job ad: word spans linked to taxonomy concepts by the product's one linker.

Every span of one to six words inside a clause whose words some label uses together (typos, derived
forms and compound parts allowed: wordforms.WordForms.may_name_a_label) is linked
(matching.language.linking.ConceptLinker: exact after normalisation, else typo-tolerant fuzzy); a span that does
not link may still name a label by its word forms ("ploegenwerk" for "ploegwerk"). Spans that link
confidently are kept longest-and-surest first, never two overlapping, so "nettoyage de bureaux" wins over
"nettoyage" inside it.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from matching.drafting.segments import Clause, Token, tokens
from matching.drafting.wordforms import PARTICLES, WordForms
from matching.language.linking import ConceptLinker
from matching.language.text import normalise_label

MAX_SPAN_WORDS = 6
# Linker confidence from which a span counts as naming the concept (1.0 is an exact label).
DEFAULT_MIN_CONFIDENCE = 0.85

# A span starting or ending with one of these words is the same mention as the one without it.
EDGE_WORDS = frozenset("""
a au aux avec ce d de des du en et l la le les leur leurs ou par pour sur un une vos votre vous
aan als bij de den der die een en het in je jouw met of om op te van voor wij we u uw
an and as at for from in of on or our the to with you your is are be
""".split())
# Words that are never a skill by themselves in an ad (they are the cues around skills).
NOT_SKILLS = frozenset("""
experience ervaring profil profiel taches taken missions atout atouts plus must required vereist
indispensable exige obligatoire souhaite pluspunt troef asset bonus job contrat contract horaire
francais neerlandais anglais nederlands frans engels french dutch english arabe arabic allemand duits german
""".split())


@dataclass(frozen=True)
class Mention:
    concept_id: str
    start: int  # offsets in the ad
    end: int
    text: str
    confidence: float
    clause: Clause


def _spans(clause: Clause) -> list[tuple[Token, Token]]:
    words = tokens(clause)
    out = []
    for i, first in enumerate(words):
        if normalise_label(first.text) in EDGE_WORDS:
            continue
        for j in range(i, min(i + MAX_SPAN_WORDS, len(words))):
            last = words[j]
            folded = normalise_label(last.text)
            # A Dutch separable verb's particle may close a span of three words or more ("vult de rekken aan").
            if folded in EDGE_WORDS and not (folded in PARTICLES and j - i >= 2):
                continue
            if i == j and (folded in NOT_SKILLS or len(folded) < 3 or folded.isdigit()):
                continue
            out.append((first, last))
    return out


def _part_of_longer(span: str, label: str) -> bool:
    """A single word matched loosely to a label of several words ("washing" to "car washing"): no mention."""
    return len(normalise_label(span).split()) == 1 and len(normalise_label(label).split()) > 1


# A word that differs from a one-word label only by its ending ("stipt"/"stiptheid", "hygiënisch"/"hygiëne",
# "klantvriendelijk"/"klantvriendelijkheid"): Dutch and French derive adjectives and nouns this way, and the
# linker's whole-word similarity is too low for them. Counted at this confidence.
STEM_CONFIDENCE = 0.8
_MIN_STEM = 5
_MAX_ENDING = 5


def _same_stem(word: str, label: str) -> bool:
    shorter, longer = sorted((word, label), key=len)
    common = 0
    while common < len(shorter) and shorter[common] == longer[common]:
        common += 1
    return common >= _MIN_STEM and common >= len(shorter) - 1 and len(longer) - common <= _MAX_ENDING


def _one_word_labels(linker: ConceptLinker) -> dict[str, list[tuple[str, str]]]:
    """One-word skill labels by their first letters, built once per fitted linker."""
    cached = getattr(linker, "_drafting_stems", None)
    if cached is None:
        cached = {}
        for row in linker.rows_:
            folded = normalise_label(row.label)
            if row.kind == "skill" and " " not in folded and len(folded) >= _MIN_STEM:
                cached.setdefault(folded[:_MIN_STEM], []).append((folded, row.concept_id))
        linker._drafting_stems = cached  # type: ignore[attr-defined]
    return cached


def _stem_mentions(ad: str, candidates: list[tuple[Clause, int, int]], linker: ConceptLinker,
                   found: list[Mention]) -> list[Mention]:
    """Mentions of one-word spans whose word shares its stem with a one-word label, where nothing linked."""
    linked = {(m.start, m.end) for m in found}
    labels = _one_word_labels(linker)
    out = []
    for clause, start, end in candidates:
        word = normalise_label(ad[start:end])
        if " " in word or (start, end) in linked or len(word) < _MIN_STEM or word in NOT_SKILLS:
            continue
        for label, concept in labels.get(word[:_MIN_STEM], ()):
            if _same_stem(word, label):
                out.append(Mention(concept, start, end, ad[start:end], STEM_CONFIDENCE, clause))
                break
    return out


def word_forms(linker: ConceptLinker) -> WordForms:
    """The taxonomy's skill labels by word-form key, built once per fitted linker."""
    cached = getattr(linker, "_drafting_forms", None)
    if cached is None:
        cached = WordForms((r.concept_id, r.lang, r.label) for r in linker.rows_ if r.kind == "skill")
        linker._drafting_forms = cached  # type: ignore[attr-defined]
    return cached


def _form_mentions(ad: str, candidates: list[tuple[Clause, int, int]], forms: WordForms, lang: str | None,
                   found: list[Mention]) -> list[Mention]:
    """Mentions of spans whose word-form key is a label's ("ploegenwerk" for "ploegwerk"), where nothing linked."""
    linked = {(m.start, m.end) for m in found}
    out = []
    for clause, start, end in candidates:
        words = normalise_label(ad[start:end])
        # One short word ("good" to the label "goods") is too weak a clue when only its ending differs.
        if (start, end) in linked or words in NOT_SKILLS or (" " not in words and len(words) < _MIN_STEM):
            continue
        concepts = forms.concepts_for(ad[start:end], lang or "")
        if len(concepts) == 1:  # a key two concepts share says nothing about which one is meant
            out.append(Mention(next(iter(concepts)), start, end, ad[start:end], STEM_CONFIDENCE, clause))
    return out


def spot(
    ad: str, clauses: list[Clause], linker: ConceptLinker, *, lang: str | None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE, link_every_span: bool = False,
) -> list[Mention]:
    """Non-overlapping skill mentions, in the order they appear."""
    forms = word_forms(linker)
    candidates: list[tuple[Clause, int, int]] = []
    for clause in clauses:
        candidates += [(clause, first.start, last.end) for first, last in _spans(clause)]
    if not candidates:
        return []
    # Only spans whose words some label uses together (typos allowed) are sent to the linker: its fuzzy
    # search over a full taxonomy (ESCO: about 100,000 labels) is what a draft spends its time on.
    linkable = [c for c in candidates if link_every_span or forms.may_name_a_label(ad[c[1]:c[2]])]
    # Each distinct wording is linked once: an ad repeating a phrase (or a pasted endless line) would otherwise
    # pay the linker for every repetition.
    texts = [ad[start:end] for _, start, end in linkable]
    distinct = list(dict.fromkeys(texts))
    linked = dict(zip(distinct, linker.link_many(distinct, lang=lang, kind="skill"), strict=True))
    links = [linked[text] for text in texts]
    found = [
        Mention(link.concept_id, start, end, ad[start:end], link.confidence, clause)
        for (clause, start, end), link in zip(linkable, links, strict=True)
        if link.concept_id is not None and link.confidence >= min_confidence
        and (link.match == "exact" or not _part_of_longer(ad[start:end], link.matched_label or ""))
    ]
    found += _stem_mentions(ad, candidates, linker, found)
    found += _form_mentions(ad, candidates, forms, lang, found)
    # Surest first, then longest: an exact long label beats a fuzzy one and the short label inside it.
    found.sort(key=lambda m: (-round(m.confidence, 2), -(m.end - m.start), m.start))
    # Taken mentions never overlap, so kept sorted by start only the neighbours of a new one can overlap it
    # (a scan of every taken one made a long ad cost the square of its mentions).
    starts: list[int] = []
    taken: list[Mention] = []
    for mention in found:
        at = bisect.bisect_left(starts, mention.start)
        if at > 0 and taken[at - 1].end > mention.start:
            continue
        if at < len(taken) and taken[at].start < mention.end:
            continue
        starts.insert(at, mention.start)
        taken.insert(at, mention)
    return taken
