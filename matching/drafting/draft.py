"""Assemble a proposed vacancy from a job ad: spotting, cue features, requiredness, plain facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from matching.drafting import facts
from matching.drafting.cues import clause_features
from matching.drafting.requiredness import MUST_FROM, Requiredness, load
from matching.drafting.segments import Clause, clauses
from matching.drafting.spotting import DEFAULT_MIN_CONFIDENCE, spot
from matching.language.linking import ConceptLinker
from matching.language.text import normalise_label

LANGUAGES = ("fr", "nl", "en")
# Words frequent in one language of the three and rare in the others: enough to tell an ad's language.
_LANGUAGE_HINTS = {
    "fr": {"de", "des", "et", "le", "la", "les", "vous", "pour", "du", "une", "est", "avec", "votre"},
    "nl": {"de", "het", "een", "en", "van", "je", "voor", "met", "jouw", "wij", "is", "op", "ervaring"},
    "en": {"the", "and", "you", "for", "with", "your", "is", "of", "to", "we", "are", "experience"},
}
MIN_OCCUPATION_CONFIDENCE = 0.7


@dataclass(frozen=True)
class Source:
    """The words an item came from: offsets into the ad (Python string indices) and the text itself."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DraftItem:
    value: Any
    source: Source
    probability: float | None = None  # that the employer requires it (None for facts that are not asked)
    concept_id: str | None = None
    confidence: float | None = None  # how surely the words name the concept (the linker's score)
    level: str | None = None  # a language's spoken level


@dataclass
class Draft:
    lang: str
    title: DraftItem | None = None
    occupation: DraftItem | None = None
    must_have: list[DraftItem] = field(default_factory=list)
    nice_to_have: list[DraftItem] = field(default_factory=list)
    languages: list[DraftItem] = field(default_factory=list)
    hours_per_week: DraftItem | None = None
    shifts: list[DraftItem] = field(default_factory=list)
    contract_type: DraftItem | None = None
    postcode: DraftItem | None = None
    driving_licence: DraftItem | None = None


def detect_language(text: str) -> str:
    """fr, nl or en: the one whose frequent words the ad uses most (fr on a tie)."""
    words = normalise_label(text).split()
    counts = {lang: sum(word in hints for word in words) for lang, hints in _LANGUAGE_HINTS.items()}
    return max(LANGUAGES, key=lambda lang: counts[lang])


def _features(clause: Clause, start: int, end: int, **extra: bool) -> dict[str, bool]:
    """Cue features of a mention at ad offsets [start, end) inside `clause`."""
    return {**clause_features(clause.text, start - clause.start, end - clause.start, clause.section), **extra}


def mention_rows(
    ad: str, linker: ConceptLinker, *, lang: str, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    link_every_span: bool = False,
) -> tuple[list[Clause], list[tuple[str, Source, float, dict[str, bool]]]]:
    """The ad's clauses, and each skill mention and language as (key, source, confidence, features).

    A skill's key is its concept id, a language's "lang:<code>". The benchmark fits on these rows.
    """
    parts = clauses(ad)
    body = [c for c in parts if c.line_no > 0]  # the first line is the title: the occupation, not a skill
    rows = []
    for mention in spot(ad, body, linker, lang=lang, min_confidence=min_confidence, link_every_span=link_every_span):
        rows.append((mention.concept_id, Source(mention.start, mention.end, mention.text), mention.confidence,
                     _features(mention.clause, mention.start, mention.end)))
    for code, _level, found, clause in facts.languages(parts):
        rows.append((f"lang:{code}", Source(found.start, found.end, found.text), 1.0,
                     _features(clause, found.start, found.end, is_language=True)))
    return parts, rows


def draft_vacancy(
    text: str, *, linker: ConceptLinker, lang: str | None = None, model: Requiredness | None = None,
    min_confidence: float | None = None, link_every_span: bool = False,
) -> Draft:
    """A proposed vacancy for the ad: nothing is kept, every item says where it came from.

    `link_every_span` sends every span to the linker, not only those whose words some label uses
    together: slower on a full taxonomy, kept to measure what the filter saves.
    """
    model = model or load()
    lang = lang or detect_language(text)
    spotting = model.min_confidence if min_confidence is None else min_confidence
    parts, rows = mention_rows(text, linker, lang=lang, min_confidence=spotting, link_every_span=link_every_span)
    draft = Draft(lang=lang)

    best: dict[str, DraftItem] = {}  # one item per concept: its most required-sounding mention
    levels = {code: level for code, level, _, _ in facts.languages(parts)}
    for key, source, confidence, features in rows:
        probability = round(model.probability(features), 3)
        if key.startswith("lang:"):
            code = key.removeprefix("lang:")
            draft.languages.append(DraftItem(code, source, probability, level=levels[code]))
            continue
        item = DraftItem(key, source, probability, concept_id=key, confidence=round(confidence, 3))
        if key not in best or probability > (best[key].probability or 0.0):
            best[key] = item
    for item in sorted(best.values(), key=lambda i: i.source.start):
        (draft.must_have if (item.probability or 0.0) >= MUST_FROM else draft.nice_to_have).append(item)

    found_title = facts.title(parts)
    if found_title is not None:
        source = Source(found_title.start, found_title.end, found_title.text)
        draft.title = DraftItem(found_title.value, source)
        link = linker.link(facts.occupation_query(str(found_title.value)), lang=lang, kind="occupation")
        if link.concept_id is not None and link.confidence >= MIN_OCCUPATION_CONFIDENCE:
            draft.occupation = DraftItem(link.concept_id, source, concept_id=link.concept_id,
                                         confidence=round(link.confidence, 3))
    for name, found in (("hours_per_week", facts.hours(text)), ("contract_type", facts.contract(text)),
                        ("postcode", facts.postcode(text))):
        if found is not None:
            setattr(draft, name, DraftItem(found.value, Source(found.start, found.end, found.text)))
    draft.shifts = [DraftItem(f.value, Source(f.start, f.end, f.text)) for f in facts.shifts(parts)]
    licences = [
        DraftItem(f.value, Source(f.start, f.end, f.text), round(model.probability(_features(c, f.start, f.end)), 3))
        for f, c in facts.licence(parts)
    ]
    if licences:
        draft.driving_licence = max(licences, key=lambda i: i.probability or 0.0)
    return draft
