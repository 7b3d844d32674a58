"""Explanation texts in the reader's language (en, fr, nl), rendered from machine codes and parameters.

Shortlist items store what was found as codes with parameters; the words are chosen when someone
reads them, from the Accept-Language header. One template per code and language lives here, so a
text can never say something its parameters do not.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

LANGUAGES: tuple[str, ...] = ("en", "fr", "nl")
# A commute estimated under this many minutes (same or next postcode: centroids a street apart) is said
# as "a few minutes", not "about 0 min".
NEARBY_MINUTES = 5
DEFAULT_LANGUAGE = "en"

# Names of the languages a vacancy may ask for, in each reading language; other codes show as written.
LANGUAGE_NAMES: Mapping[str, Mapping[str, str]] = {
    "en": {"fr": "French", "nl": "Dutch", "en": "English", "de": "German", "ar": "Arabic", "tr": "Turkish",
           "ro": "Romanian", "bg": "Bulgarian", "rom": "Romani", "es": "Spanish", "it": "Italian",
           "pt": "Portuguese", "pl": "Polish", "ru": "Russian", "uk": "Ukrainian", "sq": "Albanian"},
    "fr": {"fr": "français", "nl": "néerlandais", "en": "anglais", "de": "allemand", "ar": "arabe",
           "tr": "turc", "ro": "roumain", "bg": "bulgare", "rom": "romani", "es": "espagnol", "it": "italien",
           "pt": "portugais", "pl": "polonais", "ru": "russe", "uk": "ukrainien", "sq": "albanais"},
    "nl": {"fr": "Frans", "nl": "Nederlands", "en": "Engels", "de": "Duits", "ar": "Arabisch", "tr": "Turks",
           "ro": "Roemeens", "bg": "Bulgaars", "rom": "Romani", "es": "Spaans", "it": "Italiaans",
           "pt": "Portugees", "pl": "Pools", "ru": "Russisch", "uk": "Oekraïens", "sq": "Albanees"},
}
CHANNELS: Mapping[str, Mapping[str, str]] = {
    "en": {"spoken": "spoken", "written": "written"},
    "fr": {"spoken": "oral", "written": "écrit"},
    "nl": {"spoken": "mondeling", "written": "schriftelijk"},
}
SHIFT_NAMES: Mapping[str, Mapping[str, str]] = {
    "en": {"early_morning": "early morning", "day": "day", "evening": "evening", "night": "night",
           "weekend": "weekend"},
    "fr": {"early_morning": "tôt le matin", "day": "journée", "evening": "soirée", "night": "nuit",
           "weekend": "week-end"},
    "nl": {"early_morning": "vroege ochtend", "day": "dag", "evening": "avond", "night": "nacht",
           "weekend": "weekend"},
}
NONE_LEVEL = {"en": "none", "fr": "aucun", "nl": "geen"}
ANY_HOURS = {"en": "any", "fr": "sans limite", "nl": "onbeperkt"}

# Requirement items: (kind, must_have) -> template; {requirement}, {via}, {percent} are filled in.
ITEM_TEMPLATES: Mapping[str, Mapping[tuple[str, bool], str]] = {
    "en": {
        ("matched", True): 'must-have "{requirement}": matched through "{via}"',
        ("matched", False): 'nice-to-have "{requirement}": matched through "{via}"',
        ("partial", True): 'must-have "{requirement}": partly covered ({percent}%) by the related skill "{via}"',
        ("partial", False): 'nice-to-have "{requirement}": partly covered ({percent}%) by the related skill "{via}"',
        ("missing", True): 'must-have "{requirement}": missing',
        ("missing", False): 'nice-to-have "{requirement}": missing',
    },
    "fr": {
        ("matched", True): "exigence « {requirement} » : couverte par « {via} »",
        ("matched", False): "atout « {requirement} » : couvert par « {via} »",
        ("partial", True): "exigence « {requirement} » : couverte en partie ({percent} %) par la compétence "
                           "proche « {via} »",
        ("partial", False): "atout « {requirement} » : couvert en partie ({percent} %) par la compétence "
                            "proche « {via} »",
        ("missing", True): "exigence « {requirement} » : manquante",
        ("missing", False): "atout « {requirement} » : manquant",
    },
    "nl": {
        ("matched", True): 'vereiste "{requirement}": gedekt door "{via}"',
        ("matched", False): 'pluspunt "{requirement}": gedekt door "{via}"',
        ("partial", True): 'vereiste "{requirement}": gedeeltelijk ({percent}%) gedekt door de verwante '
                           'vaardigheid "{via}"',
        ("partial", False): 'pluspunt "{requirement}": gedeeltelijk ({percent}%) gedekt door de verwante '
                            'vaardigheid "{via}"',
        ("missing", True): 'vereiste "{requirement}": ontbreekt',
        ("missing", False): 'pluspunt "{requirement}": ontbreekt',
    },
}

# Card items: an employer's card names the requirement by its taxonomy label and says only whether the
# concept is held, partly covered by some related skill (which one and how much are not told: they depend
# on the level and evidence the card may hide), or missing (matching/privacy/card.py).
CARD_ITEM_TEMPLATES: Mapping[str, Mapping[tuple[str, bool], str]] = {
    "en": {
        ("matched", True): 'must-have "{requirement}": held',
        ("matched", False): 'nice-to-have "{requirement}": held',
        ("partial", True): 'must-have "{requirement}": partly covered by a related skill',
        ("partial", False): 'nice-to-have "{requirement}": partly covered by a related skill',
        ("missing", True): 'must-have "{requirement}": missing',
        ("missing", False): 'nice-to-have "{requirement}": missing',
    },
    "fr": {
        ("matched", True): "exigence « {requirement} » : maîtrisée",
        ("matched", False): "atout « {requirement} » : maîtrisé",
        ("partial", True): "exigence « {requirement} » : couverte en partie par une compétence proche",
        ("partial", False): "atout « {requirement} » : couvert en partie par une compétence proche",
        ("missing", True): "exigence « {requirement} » : manquante",
        ("missing", False): "atout « {requirement} » : manquant",
    },
    "nl": {
        ("matched", True): 'vereiste "{requirement}": aanwezig',
        ("matched", False): 'pluspunt "{requirement}": aanwezig',
        ("partial", True): 'vereiste "{requirement}": gedeeltelijk gedekt door een verwante vaardigheid',
        ("partial", False): 'pluspunt "{requirement}": gedeeltelijk gedekt door een verwante vaardigheid',
        ("missing", True): 'vereiste "{requirement}": ontbreekt',
        ("missing", False): 'pluspunt "{requirement}": ontbreekt',
    },
}

# Notes: code -> template over the note's parameters (after the helpers below turn codes into words).
NOTE_TEMPLATES: Mapping[str, Mapping[str, str]] = {
    "en": {
        "not_qualified": "not qualified: does not hold every must-have (lacking {requirement_list})",
        "requirement_unknown": '"{requirement}" is not in the skills taxonomy, so no profile can match it',
        "language_missing": "{language_name} is not listed, the vacancy asks {asked}",
        "language_gap": "{language_name} {channel_name} {has_label}, the vacancy asks {needs}",
        "licence_missing": "the vacancy asks driving licence {licence}",
        "location_unknown_vacancy": "commute unknown: no location for the vacancy",
        "location_unknown_candidate": "commute unknown: no location for the candidate",
        "commute": "about {minutes} min commute, within the {limit} min limit",
        "commute_nearby": "a few minutes' commute (same area), within the {limit} min limit",
        "commute_too_long": "about {minutes} min commute, above the {limit} min limit",
        "hours_mismatch": "the vacancy offers {vacancy_hours} h/week, the candidate looks for {low}-{high} h",
        "shift_mismatch": "the candidate does not work these shifts: {shift_names}",
        "start_later": "the candidate can start {days} days after the vacancy's start",
        # Card notes: what a card may show once generalised (matching/privacy/disclosure.py).
        "commute_band": "about {minutes} min commute, within the candidate's limit",
        "commute_band_too_long": "about {minutes} min commute, above the candidate's limit",
        "commute_within_limit": "commute within the candidate's limit",
        "commute_above_limit": "commute above the candidate's limit",
        "hours_range_mismatch": "the vacancy offers {vacancy_hours} h/week, the candidate looks for {hours} h",
        "hours_do_not_fit": "the hours offered do not fit",
        "shifts_not_all": "the candidate does not work every shift asked",
        "start_in": "the candidate can start in {start}",
        "start_after": "the candidate can start after the vacancy's start",
        "language_below": "{language_name} {channel_name} below the level asked",
        "language_not_met": "{language_name} below the level asked",
    },
    "fr": {
        "not_qualified": "ne remplit pas les conditions : il manque des exigences ({requirement_list})",
        "requirement_unknown": "« {requirement} » ne figure pas dans la taxonomie des compétences : aucun "
                               "profil ne peut y correspondre",
        "language_missing": "{language_name} non mentionné, l'offre demande {asked}",
        "language_gap": "{language_name} {channel_name} {has_label}, l'offre demande {needs}",
        "licence_missing": "l'offre demande le permis {licence}",
        "location_unknown_vacancy": "trajet inconnu : l'offre n'a pas de lieu",
        "location_unknown_candidate": "trajet inconnu : pas de lieu pour la personne",
        "commute": "environ {minutes} min de trajet, dans la limite de {limit} min",
        "commute_nearby": "quelques minutes de trajet (même quartier), dans la limite de {limit} min",
        "commute_too_long": "environ {minutes} min de trajet, au-delà de la limite de {limit} min",
        "hours_mismatch": "l'offre propose {vacancy_hours} h/semaine, la personne cherche {low} à {high} h",
        "shift_mismatch": "la personne ne travaille pas dans ces horaires : {shift_names}",
        "start_later": "la personne peut commencer {days} jours après le début prévu",
        "commute_band": "environ {minutes} min de trajet, dans la limite de la personne",
        "commute_band_too_long": "environ {minutes} min de trajet, au-delà de la limite de la personne",
        "commute_within_limit": "trajet dans la limite de la personne",
        "commute_above_limit": "trajet au-delà de la limite de la personne",
        "hours_range_mismatch": "l'offre propose {vacancy_hours} h/semaine, la personne cherche {hours} h",
        "hours_do_not_fit": "les heures proposées ne conviennent pas",
        "shifts_not_all": "la personne ne travaille pas dans tous les horaires demandés",
        "start_in": "la personne peut commencer en {start}",
        "start_after": "la personne peut commencer après le début prévu",
        "language_below": "{language_name} {channel_name} sous le niveau demandé",
        "language_not_met": "{language_name} sous le niveau demandé",
    },
    "nl": {
        "not_qualified": "niet gekwalificeerd: voldoet niet aan elke vereiste (ontbreekt: {requirement_list})",
        "requirement_unknown": '"{requirement}" staat niet in de vaardighedentaxonomie, dus geen profiel kan '
                               "erop aansluiten",
        "language_missing": "{language_name} staat niet vermeld, de vacature vraagt {asked}",
        "language_gap": "{language_name} {channel_name} {has_label}, de vacature vraagt {needs}",
        "licence_missing": "de vacature vraagt rijbewijs {licence}",
        "location_unknown_vacancy": "reistijd onbekend: de vacature heeft geen locatie",
        "location_unknown_candidate": "reistijd onbekend: geen locatie voor de kandidaat",
        "commute": "ongeveer {minutes} min reistijd, binnen de grens van {limit} min",
        "commute_nearby": "enkele minuten reistijd (zelfde buurt), binnen de grens van {limit} min",
        "commute_too_long": "ongeveer {minutes} min reistijd, boven de grens van {limit} min",
        "hours_mismatch": "de vacature biedt {vacancy_hours} u/week, de kandidaat zoekt {low}-{high} u",
        "shift_mismatch": "de kandidaat werkt niet in deze diensten: {shift_names}",
        "start_later": "de kandidaat kan {days} dagen na de gevraagde start beginnen",
        "commute_band": "ongeveer {minutes} min reistijd, binnen de grens van de kandidaat",
        "commute_band_too_long": "ongeveer {minutes} min reistijd, boven de grens van de kandidaat",
        "commute_within_limit": "reistijd binnen de grens van de kandidaat",
        "commute_above_limit": "reistijd boven de grens van de kandidaat",
        "hours_range_mismatch": "de vacature biedt {vacancy_hours} u/week, de kandidaat zoekt {hours} u",
        "hours_do_not_fit": "de aangeboden uren passen niet",
        "shifts_not_all": "de kandidaat werkt niet in alle gevraagde diensten",
        "start_in": "de kandidaat kan beginnen in {start}",
        "start_after": "de kandidaat kan na de gevraagde start beginnen",
        "language_below": "{language_name} {channel_name} onder het gevraagde niveau",
        "language_not_met": "{language_name} onder het gevraagde niveau",
    },
}


# Gap view: what acquiring one skill or language level would do. {what} is the skill or the level.
GAP_TEMPLATES: Mapping[str, Mapping[str, str]] = {
    "en": {"opens": "{what} would open {opens} more {vacancies_opened}",
           "improves": "{what} would raise the score on {improves} {vacancies_improved}, by up to {points} points"},
    "fr": {"opens": "{what} ouvrirait {opens} {vacancies_opened} de plus",
           "improves": "{what} relèverait le score pour {improves} {vacancies_improved}, jusqu'à {points} points"},
    "nl": {"opens": "{what} zou {opens} {vacancies_opened} meer openen",
           "improves": "{what} zou de score voor {improves} {vacancies_improved} verhogen, tot {points} punten"},
}
VACANCY_WORDS: Mapping[str, tuple[str, str]] = {
    "en": ("vacancy", "vacancies"), "fr": ("offre", "offres"), "nl": ("vacature", "vacatures"),
}
QUOTES: Mapping[str, str] = {"en": '"{}"', "fr": "« {} »", "nl": '"{}"'}


def negotiate(accept_language: str | None) -> str:
    """The best of LANGUAGES for an Accept-Language header ("nl-BE,nl;q=0.9,fr;q=0.8"), else English."""
    best, best_q = DEFAULT_LANGUAGE, 0.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        # Equal weights keep the header's order: the first listed wins.
        if primary in LANGUAGES and q > best_q and 0.0 < q <= 1.0:
            best, best_q = primary, q
    return best


def language_name(code: str, lang: str) -> str:
    """The language's name in the reading language ("nl" -> "Dutch", "néerlandais", "Nederlands")."""
    return LANGUAGE_NAMES[_checked(lang)].get(code, code)


def item_text(kind: str, item: Mapping[str, Any], lang: str) -> str:
    """One sentence for a matched, partial or missing requirement."""
    template = ITEM_TEMPLATES[_checked(lang)][(kind, bool(item.get("must_have")))]
    percent = round(100 * float(item.get("credit", 0.0)))
    return template.format(requirement=item.get("requirement", ""), via=item.get("via", ""), percent=percent)


def card_item_text(kind: str, item: Mapping[str, Any], lang: str) -> str:
    """One sentence for a requirement on an employer's card: its taxonomy label and its status only."""
    template = CARD_ITEM_TEMPLATES[_checked(lang)][(kind, bool(item.get("must_have")))]
    return template.format(requirement=item.get("requirement", ""))


def note_text(note: Mapping[str, Any], lang: str) -> str:
    """One sentence for a note, from its code and parameters."""
    lang = _checked(lang)
    code = note["code"]
    params: dict[str, Any] = {k: v for k, v in note.items() if k != "text"}
    if code == "location_unknown":
        code = f"location_unknown_{note.get('side', 'candidate')}"
    if code == "commute" and int(note.get("minutes") or 0) < NEARBY_MINUTES:
        code = "commute_nearby"  # "about 0 min" read as a bug: the same postcode is a few minutes away
    if "language" in params:
        params["language_name"] = language_name(params["language"], lang)
    if code == "language_missing":
        channels = CHANNELS[lang]
        params["asked"] = ", ".join(f"{channels[c]} {level}" for c, level in (note.get("needs") or {}).items())
    if code in ("language_gap", "language_below"):
        params["channel_name"] = CHANNELS[lang].get(note.get("channel", ""), note.get("channel", ""))
        params["has_label"] = note.get("has") or NONE_LEVEL[lang]
    if code == "hours_mismatch":
        params["low"] = note.get("hours_min") if note.get("hours_min") is not None else 0
        params["high"] = note.get("hours_max") if note.get("hours_max") is not None else ANY_HOURS[lang]
    if code == "not_qualified":
        params["requirement_list"] = ", ".join(QUOTES[lang].format(r) for r in note.get("requirements", []))
    if code == "shift_mismatch":
        params["shift_names"] = ", ".join(SHIFT_NAMES[lang].get(s, s) for s in note.get("shifts", []))
    template = NOTE_TEMPLATES[lang].get(code)
    if template is None:  # a code stored by a newer version: say what we can rather than fail a read
        return str(note.get("text") or code)
    return template.format(**params)


def gap_text(
    lang: str, *, opens: int, improves: int, max_gain: float, skill: str | None = None,
    language: str | None = None, channel: str | None = None, level: str | None = None,
) -> str:
    """"Dutch spoken B1 would open 7 more vacancies", or the score rise when it opens none."""
    lang = _checked(lang)
    if skill is not None:
        what = QUOTES[lang].format(skill)
    else:
        what = f"{language_name(language or '', lang)} {CHANNELS[lang].get(channel or '', channel)} {level}"
    one, many = VACANCY_WORDS[lang]
    return GAP_TEMPLATES[lang]["opens" if opens else "improves"].format(
        what=what, opens=opens, improves=improves, points=round(100 * max_gain),
        vacancies_opened=one if opens == 1 else many, vacancies_improved=one if improves == 1 else many,
    )


def render(explanation: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """A copy of a stored explanation with a text in `lang` on every requirement item and note."""
    lang = _checked(lang)
    out = copy.deepcopy(dict(explanation))
    for kind in ("matched", "partial", "missing"):
        for item in out.get(kind, []):
            item["text"] = item_text(kind, item, lang)
    for note in out.get("notes", []):
        if "code" in note:
            note["text"] = note_text(note, lang)
    if out:
        out["lang"] = lang
    return out


def _checked(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"explanations are written in {LANGUAGES}, not {lang!r}")
    return lang


# Why a liaison overrode the ranking (POST /v1/shortlists/{id}/overrides): a fixed list of codes, so that
# overrides can be counted and audited; "other" asks for a note.
OVERRIDE_REASONS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "knows_fit": "The liaison knows the candidate fits this job better than the scores show",
        "requirement_misread": "The ranking misread a requirement or a skill",
        "requirement_met_in_practice": "A requirement is met in practice (for instance a level tested since)",
        "candidate_unavailable": "The candidate is not available for this job now",
        "candidate_not_interested": "The candidate does not want this job",
        "employer_context": "What the employer said beyond the vacancy text",
        "already_presented_elsewhere": "The candidate is being presented to another employer",
        "other": "Another reason, given in the note",
    },
    "fr": {
        "knows_fit": "La personne de liaison sait que le candidat convient mieux que ne le disent les scores",
        "requirement_misread": "Le classement a mal compris une exigence ou une compétence",
        "requirement_met_in_practice": "Une exigence est remplie dans les faits (par exemple un niveau testé depuis)",
        "candidate_unavailable": "Le candidat n'est pas disponible pour ce poste actuellement",
        "candidate_not_interested": "Le candidat ne souhaite pas ce poste",
        "employer_context": "Ce que l'employeur a dit au-delà du texte de l'offre",
        "already_presented_elsewhere": "Le candidat est présenté à un autre employeur",
        "other": "Une autre raison, donnée dans la note",
    },
    "nl": {
        "knows_fit": "De bemiddelaar weet dat de kandidaat beter bij deze job past dan de scores tonen",
        "requirement_misread": "De rangschikking heeft een vereiste of een vaardigheid verkeerd begrepen",
        "requirement_met_in_practice": "Aan een vereiste is in de praktijk voldaan (bijvoorbeeld een niveau dat "
                                       "intussen getest is)",
        "candidate_unavailable": "De kandidaat is nu niet beschikbaar voor deze job",
        "candidate_not_interested": "De kandidaat wil deze job niet",
        "employer_context": "Wat de werkgever zei buiten de tekst van de vacature",
        "already_presented_elsewhere": "De kandidaat wordt aan een andere werkgever voorgesteld",
        "other": "Een andere reden, in de notitie",
    },
}
# An added candidate who falls short of a hard requirement: the liaison is told, and decides.
HARD_MISS_TEMPLATES: Mapping[str, str] = {
    "en": "This candidate does not meet the vacancy's hard requirement on {what}; the ranking would have left "
          "them out. You decide.",
    "fr": "Ce candidat ne remplit pas l'exigence stricte de l'offre sur {what} ; le classement l'aurait écarté. "
          "C'est vous qui décidez.",
    "nl": "Deze kandidaat voldoet niet aan de strikte vereiste van de vacature over {what}; de rangschikking had "
          "hem of haar weggelaten. U beslist.",
}
CONSTRAINT_NAMES: Mapping[str, Mapping[str, str]] = {
    "en": {"skills": "the must-have skills", "languages": "languages", "hours": "hours", "commute": "commute",
           "driving_licence": "the driving licence"},
    "fr": {"skills": "les compétences exigées", "languages": "les langues", "hours": "les heures",
           "commute": "le trajet", "driving_licence": "le permis de conduire"},
    "nl": {"skills": "de vereiste vaardigheden", "languages": "de talen", "hours": "de uren",
           "commute": "de verplaatsing", "driving_licence": "het rijbewijs"},
}


def override_reason_text(code: str, lang: str) -> str:
    """The words of an override reason code in the reader's language."""
    return OVERRIDE_REASONS[_checked(lang)].get(code, code)


def hard_miss_text(constraint: str, lang: str) -> str:
    """"This candidate does not meet the vacancy's hard requirement on languages; ... You decide." """
    lang = _checked(lang)
    return HARD_MISS_TEMPLATES[lang].format(what=CONSTRAINT_NAMES[lang].get(constraint, constraint))
