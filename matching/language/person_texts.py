"""The words of an explanation handed to a job seeker, in fr, nl and en (second person, plain language).

A counsellor prints it for the person: what counted for and against them on one vacancy, what a ranking
cannot know, and that people made the decisions. Sentences are built from the same codes and parameters
as the shortlist's explanation (matching/ranking/explain.py, worded by matching/language/i18n.py), without weights or
scores: the person reads what they have and what was asked, not numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matching.language.i18n import LANGUAGES, QUOTES, language_name, note_text

HEADINGS: Mapping[str, Mapping[str, str]] = {
    "en": {"title": "Why this result: {vacancy}", "for": "What counted in your favour",
           "against": "What counted against you", "cannot_know": "What the ranking cannot know",
           "decision": "Who decided", "profile": "Profile code", "date": "Date", "basis_shortlist":
           "This explains the list on which your profile was proposed for this vacancy.",
           "basis_today": "This explains how your profile, as it is today, compares with this vacancy."},
    "fr": {"title": "Pourquoi ce résultat : {vacancy}", "for": "Ce qui a compté en votre faveur",
           "against": "Ce qui a compté en votre défaveur", "cannot_know": "Ce que le classement ne peut pas savoir",
           "decision": "Qui a décidé", "profile": "Code du profil", "date": "Date", "basis_shortlist":
           "Cette explication porte sur la liste où votre profil a été proposé pour cette offre.",
           "basis_today": "Cette explication compare votre profil, tel qu'il est aujourd'hui, à cette offre."},
    "nl": {"title": "Waarom dit resultaat: {vacancy}", "for": "Wat in uw voordeel telde",
           "against": "Wat in uw nadeel telde", "cannot_know": "Wat de rangschikking niet kan weten",
           "decision": "Wie besliste", "profile": "Profielcode", "date": "Datum", "basis_shortlist":
           "Deze uitleg gaat over de lijst waarop uw profiel voor deze vacature werd voorgesteld.",
           "basis_today": "Deze uitleg vergelijkt uw profiel, zoals het vandaag is, met deze vacature."},
}

# (kind, must_have) -> sentence; {requirement} as the vacancy wrote it, {via} the skill of the profile.
SKILL_SENTENCES: Mapping[str, Mapping[tuple[str, bool], str]] = {
    "en": {("matched", True): "You have {via}, which the vacancy requires ({requirement}).",
           ("matched", False): "You have {via}, which the vacancy welcomes ({requirement}).",
           ("partial", True): "The vacancy requires {requirement}; your skill {via} is close to it and counted "
                              "in part.",
           ("partial", False): "The vacancy welcomes {requirement}; your skill {via} is close to it and counted "
                               "in part.",
           ("missing", True): "The vacancy requires {requirement}, which your profile does not show.",
           ("missing", False): "The vacancy would welcome {requirement}, which your profile does not show."},
    "fr": {("matched", True): "Vous avez {via}, que l'offre exige ({requirement}).",
           ("matched", False): "Vous avez {via}, un atout pour cette offre ({requirement}).",
           ("partial", True): "L'offre exige {requirement} ; votre compétence {via} en est proche et a compté en "
                              "partie.",
           ("partial", False): "L'offre apprécie {requirement} ; votre compétence {via} en est proche et a compté "
                               "en partie.",
           ("missing", True): "L'offre exige {requirement}, qui n'apparaît pas dans votre profil.",
           ("missing", False): "L'offre apprécierait {requirement}, qui n'apparaît pas dans votre profil."},
    "nl": {("matched", True): "U hebt {via}, wat de vacature vereist ({requirement}).",
           ("matched", False): "U hebt {via}, een pluspunt voor deze vacature ({requirement}).",
           ("partial", True): "De vacature vereist {requirement}; uw vaardigheid {via} ligt er dicht bij en telde "
                              "gedeeltelijk mee.",
           ("partial", False): "De vacature waardeert {requirement}; uw vaardigheid {via} ligt er dicht bij en "
                               "telde gedeeltelijk mee.",
           ("missing", True): "De vacature vereist {requirement}, wat niet in uw profiel staat.",
           ("missing", False): "De vacature zou {requirement} waarderen, wat niet in uw profiel staat."},
}

FITS: Mapping[str, Mapping[str, str]] = {
    "en": {"languages": "Your languages ({names}) meet the levels the vacancy asks.",
           "availability": "Your hours, shifts and start date fit what the vacancy offers.",
           "commute": "The journey to work fits: {note}."},
    "fr": {"languages": "Vos langues ({names}) atteignent les niveaux demandés.",
           "availability": "Vos heures, vos horaires et votre date de début conviennent à l'offre.",
           "commute": "Le trajet convient : {note}."},
    "nl": {"languages": "Uw talen ({names}) halen de gevraagde niveaus.",
           "availability": "Uw uren, diensten en startdatum passen bij de vacature.",
           "commute": "De reis naar het werk past: {note}."},
}
AGAINST_NOTE = {"en": "{note}.", "fr": "{note}.", "nl": "{note}."}

LEFT_OUT: Mapping[str, Mapping[str, str]] = {
    "en": {"eligible": "Your profile met every requirement this vacancy treats as strict.",
           "skills": "Your profile holds none of the required skills, nor a close one: it was not proposed.",
           "languages": "A language level this vacancy treats as strict is not reached: it was not proposed.",
           "hours": "The hours this vacancy treats as strict do not fit: it was not proposed.",
           "commute": "The journey is longer than your limit and the vacancy treats this as strict: it was "
                      "not proposed.",
           "driving_licence": "The vacancy requires a driving licence your profile does not show: it was not "
                              "proposed.",
           "other": "A requirement this vacancy treats as strict is not met: it was not proposed."},
    "fr": {"eligible": "Votre profil remplissait toutes les conditions strictes de cette offre.",
           "skills": "Votre profil n'a aucune des compétences exigées, ni une compétence proche : il n'a pas "
                     "été proposé.",
           "languages": "Un niveau de langue strict pour cette offre n'est pas atteint : le profil n'a pas été "
                        "proposé.",
           "hours": "Les heures, strictes pour cette offre, ne conviennent pas : le profil n'a pas été proposé.",
           "commute": "Le trajet dépasse votre limite et l'offre en fait une condition stricte : le profil n'a "
                      "pas été proposé.",
           "driving_licence": "L'offre exige un permis de conduire que votre profil ne mentionne pas : le "
                              "profil n'a pas été proposé.",
           "other": "Une condition stricte de l'offre n'est pas remplie : le profil n'a pas été proposé."},
    "nl": {"eligible": "Uw profiel voldeed aan elke strikte voorwaarde van deze vacature.",
           "skills": "Uw profiel heeft geen van de vereiste vaardigheden, ook geen verwante: het werd niet "
                     "voorgesteld.",
           "languages": "Een taalniveau dat voor deze vacature strikt is, wordt niet gehaald: het profiel werd "
                        "niet voorgesteld.",
           "hours": "De uren, strikt voor deze vacature, passen niet: het profiel werd niet voorgesteld.",
           "commute": "De reistijd is langer dan uw grens en de vacature maakt daar een strikte voorwaarde van: "
                      "het profiel werd niet voorgesteld.",
           "driving_licence": "De vacature vereist een rijbewijs dat niet in uw profiel staat: het profiel werd "
                              "niet voorgesteld.",
           "other": "Een strikte voorwaarde van de vacature is niet vervuld: het profiel werd niet voorgesteld."},
}

CANNOT_KNOW: Mapping[str, tuple[str, ...]] = {
    "en": ("Your motivation, and why this job matters to you.",
           "Experience and skills that are not in your profile, or that the list of skills it uses does not name.",
           "What you learnt outside work: family, volunteering, travel, other countries.",
           "How you would get on with the team, and how an interview or a trial day would go.",
           "Your circumstances, which your counsellor knows and the service never stores."),
    "fr": ("Votre motivation, et pourquoi ce travail compte pour vous.",
           "L'expérience et les compétences absentes de votre profil, ou que la liste de compétences utilisée ne "
           "nomme pas.",
           "Ce que vous avez appris hors du travail : famille, bénévolat, voyages, autres pays.",
           "Comment vous vous entendriez avec l'équipe, et comment se passerait un entretien ou un jour d'essai.",
           "Votre situation, que votre accompagnateur connaît et que le service n'enregistre jamais."),
    "nl": ("Uw motivatie, en waarom dit werk voor u telt.",
           "Ervaring en vaardigheden die niet in uw profiel staan, of die de gebruikte lijst van vaardigheden "
           "niet noemt.",
           "Wat u buiten het werk leerde: gezin, vrijwilligerswerk, reizen, andere landen.",
           "Hoe u met het team zou opschieten, en hoe een gesprek of een proefdag zou verlopen.",
           "Uw situatie, die uw begeleider kent en die de dienst nooit bewaart."),
}

# What people decided: {employer} is "the employer", or its name once the person was presented to it.
DECISIONS: Mapping[str, Mapping[str, str]] = {
    "en": {"ranking": "A computer ranking proposes candidates; it decides nothing. People at the liaison "
                      "service choose whom to present, and the employer decides whom to meet and to hire.",
           "none": "Your profile was not on a list for this vacancy so far.",
           "shortlisted": "Your profile was on the list the ranking proposed. A person at the liaison service "
                          "chose whom to present to the employer; your profile was not presented.",
           "presented": "A person at the liaison service chose to present your profile to {employer}.",
           "interested": "{employer} is interested in your profile.",
           "interview": "{employer} invited you to an interview.",
           "hired": "{employer} decided to hire you.",
           "declined": "{employer} decided not to go further with your profile.",
           "not_hired": "{employer} decided not to hire you after meeting you.",
           "employer": "the employer", "reason": "The reason the employer gave: {reason}."},
    "fr": {"ranking": "Un classement informatique propose des candidats ; il ne décide rien. Des personnes du "
                      "service de liaison choisissent qui présenter, et l'employeur décide qui rencontrer et "
                      "engager.",
           "none": "Votre profil n'a pas figuré sur une liste pour cette offre jusqu'ici.",
           "shortlisted": "Votre profil figurait sur la liste proposée par le classement. Une personne du "
                          "service de liaison a choisi qui présenter à l'employeur ; votre profil n'a pas été "
                          "présenté.",
           "presented": "Une personne du service de liaison a choisi de présenter votre profil à {employer}.",
           "interested": "{employer} s'intéresse à votre profil.",
           "interview": "{employer} vous a invité à un entretien.",
           "hired": "{employer} a décidé de vous engager.",
           "declined": "{employer} a décidé de ne pas aller plus loin avec votre profil.",
           "not_hired": "{employer} a décidé de ne pas vous engager après vous avoir rencontré.",
           "employer": "l'employeur", "reason": "La raison donnée par l'employeur : {reason}."},
    "nl": {"ranking": "Een computerrangschikking stelt kandidaten voor; ze beslist niets. Mensen van de "
                      "bemiddelingsdienst kiezen wie wordt voorgesteld, en de werkgever beslist wie hij ontmoet "
                      "en aanneemt.",
           "none": "Uw profiel stond tot nu toe niet op een lijst voor deze vacature.",
           "shortlisted": "Uw profiel stond op de lijst die de rangschikking voorstelde. Iemand van de "
                          "bemiddelingsdienst koos wie aan de werkgever werd voorgesteld; uw profiel werd niet "
                          "voorgesteld.",
           "presented": "Iemand van de bemiddelingsdienst koos ervoor uw profiel voor te stellen aan {employer}.",
           "interested": "{employer} is geïnteresseerd in uw profiel.",
           "interview": "{employer} nodigde u uit voor een gesprek.",
           "hired": "{employer} besliste u aan te nemen.",
           "declined": "{employer} besliste niet verder te gaan met uw profiel.",
           "not_hired": "{employer} besliste u niet aan te nemen na het gesprek.",
           "employer": "de werkgever", "reason": "De reden die de werkgever gaf: {reason}."},
}
REASONS: Mapping[str, Mapping[str, str]] = {
    "en": {"skills": "skills", "language": "language", "availability": "availability", "mobility": "journey",
           "position_filled": "the position was filled", "other": "another reason"},
    "fr": {"skills": "les compétences", "language": "la langue", "availability": "les disponibilités",
           "mobility": "le trajet", "position_filled": "le poste a été pourvu", "other": "une autre raison"},
    "nl": {"skills": "vaardigheden", "language": "taal", "availability": "beschikbaarheid", "mobility": "reistijd",
           "position_filled": "de functie is ingevuld", "other": "een andere reden"},
}


def _checked(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"explanations are written in {LANGUAGES}, not {lang!r}")
    return lang


def skill_sentence(kind: str, item: Mapping[str, Any], lang: str) -> str:
    quote = QUOTES[_checked(lang)]
    template = SKILL_SENTENCES[lang][(kind, bool(item.get("must_have")))]
    return template.format(requirement=quote.format(item.get("requirement", "")), via=quote.format(item.get("via", "")))


def note_sentence(note: Mapping[str, Any], lang: str) -> str:
    """A shortlist note as a sentence: capitalised, ending with a full stop."""
    text = note_text(note, lang)
    return text[:1].upper() + text[1:] + "."


def fit_sentence(what: str, lang: str, **params: Any) -> str:
    if what == "languages":
        params["names"] = ", ".join(language_name(code, lang) for code in params.pop("codes"))
    return FITS[_checked(lang)][what].format(**params)


def decision_sentences(status: str, lang: str, *, employer: str | None, reason: str | None) -> list[str]:
    words = DECISIONS[_checked(lang)]
    who = employer or words["employer"]
    out = [words["ranking"]]
    if status in ("interested", "interview", "hired", "declined", "not_hired"):
        out.append(words["presented"].format(employer=who))
    if status in words:
        sentence = words[status].format(employer=who)
        out.append(sentence[:1].upper() + sentence[1:])
    if reason and status in ("declined", "not_hired"):
        out.append(words["reason"].format(reason=REASONS[lang].get(reason, REASONS[lang]["other"])))
    return out
