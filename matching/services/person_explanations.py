"""The explanation a counsellor hands to a job seeker about one vacancy (AI Act Art. 86: the person may ask).

It reads the same explanation as the shortlist (matching/ranking/explain.py): the codes the last list proposing the
profile for this vacancy stored, or, when no list did, the profile as it is today scored against the vacancy
by matching/ranking/scoring.py. The employer stays unnamed unless the person was presented to it: before, the
person (and whoever reads the page) learns nothing a blind process keeps from them.
"""

from __future__ import annotations

from typing import Any, get_args

from sqlmodel import Session, col, select

from matching.errors import NotFound
from matching.language import person_texts as words
from matching.language.i18n import note_text
from matching.profile_code import profile_code
from matching.ranking.explain import explain
from matching.ranking.scoring import ProfileIndex, score_all
from matching.schemas.explanations import PersonExplanation
from matching.services import taxonomy
from matching.services.facts import coordinates, profile_facts, vacancy_facts
from matching.store import audit
from matching.store.access import Actor, visible_profile
from matching.store.models import Match, Organisation, Shortlist, ShortlistItem, Vacancy, utcnow

LANGUAGE_CODES = frozenset({"language_gap", "language_missing"})
AVAILABILITY_CODES = frozenset({"hours_mismatch", "shift_mismatch", "start_later"})
STATUSES = frozenset(get_args(PersonExplanation.model_fields["status"].annotation))


def person_explanation(session: Session, actor: Actor, profile_id: str, vacancy_id: str, *, lang: str
                       ) -> PersonExplanation:
    """For one of the counsellor's profiles and any vacancy: what counted, what cannot be known, who decided."""
    profile = visible_profile(session, actor, profile_id)
    vacancy = session.get(Vacancy, vacancy_id)
    if vacancy is None:
        raise NotFound("No vacancy with this id.", field="vacancy_id")
    explanation, eligible, left_out, basis = _explanation(session, profile, vacancy)
    match = session.exec(select(Match).where(Match.vacancy_id == vacancy.id, Match.profile_id == profile.id)).first()
    shortlisted = basis == "shortlist"
    status = match.status if match is not None else "shortlisted" if shortlisted else "none"
    if status not in STATUSES:  # a state a newer version added: the person was presented, at least
        status = "presented"
    # Presented: the employer has seen this person's card, so naming it tells the person nothing hidden.
    employer = session.get(Organisation, vacancy.employer_id).name if match is not None else None
    counted_for, counted_against = _for_and_against(explanation, vacancy, lang)
    # Traceability (AI Act Art. 12, 86): that an explanation was given, on which vacancy; never the profile.
    audit.append(session, action="explanation.produced", actor=actor, subject_type="vacancy",
                 subject_id=vacancy.id, details={"kind": lang})
    return PersonExplanation(
        profile_code=profile_code(profile.id),
        vacancy_id=vacancy.id,
        vacancy_title=vacancy.title,
        sector=vacancy.sector,
        lang=lang,
        basis=basis,
        eligible=eligible,
        status=status,
        employer=employer,
        title=words.HEADINGS[lang]["title"].format(vacancy=vacancy.title),
        summary=" ".join([words.HEADINGS[lang][f"basis_{basis}"],
                          words.LEFT_OUT[lang]["eligible" if eligible else left_out]]),
        counted_for=counted_for,
        counted_against=counted_against,
        cannot_know=list(words.CANNOT_KNOW[lang]),
        decision=words.decision_sentences(status, lang, employer=employer,
                                          reason=match.reason if match is not None else None),
        headings={k: v for k, v in words.HEADINGS[lang].items() if k != "title" and not k.startswith("basis_")},
        generated_at=utcnow(),
    )


def _explanation(session: Session, profile: Any, vacancy: Vacancy) -> tuple[dict[str, Any], bool, str, str]:
    """(explanation codes, eligible, the first strict requirement that left the profile out, basis)."""
    stored = session.exec(
        select(ShortlistItem)
        .join(Shortlist, col(Shortlist.id) == ShortlistItem.shortlist_id)
        .where(Shortlist.vacancy_id == vacancy.id, ShortlistItem.profile_id == profile.id)
        .order_by(col(Shortlist.finished_at).desc(), col(Shortlist.created_at).desc())
    ).first()
    if stored is not None and stored.explanation:
        return stored.explanation, True, "eligible", "shortlist"  # only eligible profiles are listed
    coords = coordinates(session)
    index = ProfileIndex().fit([profile_facts(profile, coords)])
    scores = score_all(index, vacancy_facts(vacancy, coords), **taxonomy.scoring_options(session))
    left_out = next((name for name, mask in scores.excluded.items() if mask[0]), "eligible")
    if left_out not in words.LEFT_OUT["en"]:
        left_out = "other"
    return explain(index, scores.frame, 0), bool(scores.eligible[0]), left_out, "today"


def _for_and_against(explanation: dict[str, Any], vacancy: Vacancy, lang: str) -> tuple[list[str], list[str]]:
    """Skills met, partly met, missing; then languages, availability and the journey, in sentences."""
    pros = [words.skill_sentence("matched", item, lang) for item in explanation.get("matched", [])]
    pros += [words.skill_sentence("partial", item, lang) for item in explanation.get("partial", [])]
    missing = sorted(explanation.get("missing", []), key=lambda item: not item.get("must_have"))
    cons = [words.skill_sentence("missing", item, lang) for item in missing]
    notes = explanation.get("notes", [])
    codes = {note.get("code") for note in notes}
    asked_languages = [lang_req.get("code") for lang_req in vacancy.data.get("languages", [])]
    if asked_languages and not codes & LANGUAGE_CODES:
        pros.append(words.fit_sentence("languages", lang, codes=asked_languages))
    if not codes & AVAILABILITY_CODES:
        pros.append(words.fit_sentence("availability", lang))
    for note in notes:
        if note.get("code") == "commute":
            pros.append(words.fit_sentence("commute", lang, note=note_text(note, lang)))
        else:
            cons.append(words.note_sentence(note, lang))
    return pros, cons
