"""A job ad turned into a proposed vacancy for a liaison or an employer to confirm: nothing is written."""

from __future__ import annotations

from sqlmodel import Session

from matching.drafting import Draft, DraftItem, draft_vacancy
from matching.schemas.drafting import (
    DraftContract,
    DraftHours,
    DraftLanguage,
    DraftLicence,
    DraftOccupation,
    DraftOut,
    DraftRequest,
    DraftShift,
    DraftSkill,
    DraftText,
    Words,
)
from matching.services import taxonomy
from matching.store.access import Actor, require_role

DRAFTERS = ("liaison", "employer")


def draft(session: Session, actor: Actor, *, payload: DraftRequest) -> DraftOut:
    """The proposal for the ad (already screened by the request schema); reads the taxonomy, writes nothing."""
    require_role(actor, *DRAFTERS)
    proposal = draft_vacancy(payload.text, linker=taxonomy.snapshot(session).linker, lang=payload.lang)
    return to_out(session, proposal)


def _words(item: DraftItem) -> Words:
    return Words(start=item.source.start, end=item.source.end, text=item.source.text)


def to_out(session: Session, proposal: Draft) -> DraftOut:
    lang = proposal.lang

    def skill(item: DraftItem) -> DraftSkill:
        return DraftSkill(concept_id=item.concept_id, label=taxonomy.preferred_label(session, item.concept_id, lang),
                          source=_words(item), probability=item.probability, confidence=item.confidence)

    occupation = proposal.occupation
    return DraftOut(
        lang=lang,
        title=DraftText(value=proposal.title.value, source=_words(proposal.title)) if proposal.title else None,
        occupation=DraftOccupation(
            concept_id=occupation.concept_id, label=taxonomy.preferred_label(session, occupation.concept_id, lang),
            source=_words(occupation), confidence=occupation.confidence,
        ) if occupation else None,
        must_have=[skill(i) for i in proposal.must_have],
        nice_to_have=[skill(i) for i in proposal.nice_to_have],
        languages=[DraftLanguage(code=i.value, spoken=i.level, source=_words(i), probability=i.probability)
                   for i in proposal.languages],
        hours_per_week=DraftHours(value=proposal.hours_per_week.value, source=_words(proposal.hours_per_week))
        if proposal.hours_per_week else None,
        shifts=[DraftShift(value=i.value, source=_words(i)) for i in proposal.shifts],
        contract_type=DraftContract(value=proposal.contract_type.value, source=_words(proposal.contract_type))
        if proposal.contract_type else None,
        postcode=DraftText(value=proposal.postcode.value, source=_words(proposal.postcode))
        if proposal.postcode else None,
        driving_licence=DraftLicence(value=proposal.driving_licence.value, source=_words(proposal.driving_licence),
                                     probability=proposal.driving_licence.probability)
        if proposal.driving_licence else None,
    )
