"""Understanding what people typed: skill labels to concepts.

Free text is screened for personal data where a request is read (matching/privacy/screen.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from matching.errors import InvalidInput
from matching.services import taxonomy


def understand(
    session: Session, items: Sequence[Any], *, field: str, kind: str = "skill", with_evidence: bool = True
) -> list[dict[str, Any]]:
    """Each item ({label|concept_id, level, evidence}) as understood: concept, matched label, confidence."""
    given_ids = [item.concept_id for item in items if item.concept_id]
    known = taxonomy.known_concepts(session, given_ids)
    for index, item in enumerate(items):
        if item.concept_id and item.concept_id not in known:
            raise InvalidInput(
                "Unknown concept_id: search the taxonomy (GET /v1/taxonomy/search) for a valid one.",
                code="unknown_concept",
                field=f"{field}[{index}].concept_id",
            )
    to_link = [item.label for item in items if not item.concept_id]
    links = iter(taxonomy.link_labels(session, to_link, kind=kind)) if to_link else iter(())
    understood = []
    for item in items:
        if item.concept_id:
            matched = taxonomy.preferred_label(session, item.concept_id)
            entry = {
                "label": item.label or matched or item.concept_id,
                "concept_id": item.concept_id,
                "matched_label": matched,
                "match": "exact",
                "confidence": 1.0,
            }
        else:
            link = next(links)
            entry = {
                "label": item.label,
                "concept_id": link.concept_id,
                "matched_label": link.matched_label,
                "match": link.match,
                "confidence": round(float(link.confidence), 3),
            }
        if entry["match"] == "unknown":
            entry.update(unknown_label_help(session, item.label, kind=kind))
        entry["level"] = getattr(item, "level", None)
        if with_evidence:
            entry["evidence"] = getattr(item, "evidence", None)
        understood.append(entry)
    return understood


SUGGESTIONS = 3
UNKNOWN_WARNING = {
    "skill": ("This label matches no skill of the taxonomy, so it counts for no vacancy. Send the concept_id "
              "of one of the suggestions (the closest skills), or reword the label."),
    "occupation": ("This label matches no occupation of the taxonomy. Send the concept_id of one of the "
                   "suggestions (the closest occupations), or reword the label."),
}


def unknown_label_help(session: Session, label: str, *, kind: str = "skill") -> dict[str, Any]:
    """A warning and the closest concepts for a label the linker could not tie to one.

    Accepted silently, an unknown skill simply earned nothing in every shortlist: the person lost points
    for a word the counsellor could have fixed in a second. The warning never repeats the label.
    """
    hits = taxonomy.snapshot(session).linker.search(label, kind=kind, limit=SUGGESTIONS)
    return {
        "warning": UNKNOWN_WARNING.get(kind, UNKNOWN_WARNING["skill"]),
        "suggestions": [{"concept_id": hit.concept_id, "label": hit.label} for hit in hits if hit.score > 0],
    }
