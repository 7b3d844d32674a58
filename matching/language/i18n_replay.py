"""What a replay found changed (POST /v1/shortlists/{id}/replay, `changes[].text`), in the reader's language.

The replay service records each change as a code with its figures; the words are chosen here from the
Accept-Language header, one template per code and language, as for override reasons (matching/language/i18n.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from matching.language.i18n import DEFAULT_LANGUAGE, LANGUAGES

# {then}/{now}: the recorded and the current value; {count} of {total} considered; {newer}: other profiles
# published or edited since; {settings}: the names of the settings that differ.
REPLAY_TEXTS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "vacancy_edited": "The vacancy was edited since: version {then} then, {now} now.",
        "profiles_changed": "{count} of the {total} candidates the run considered were edited.",
        "profiles_withdrawn": "{count} of the {total} candidates the run considered are no longer published (or "
        "await reconfirmation).",
        "profiles_erased": "{count} of the {total} candidates the run considered were erased.",
        "other_profiles_changed": "The published profiles changed since: {then} then, {now} now; {newer} others "
        "were published or edited since.",
        "taxonomy_changed": "The skills taxonomy was updated since (another import).",
        "scorer_changed": "The scoring code changed: {then} then, {now} now.",
        "settings_changed": "Settings differ now ({settings}); the replay used the recorded ones.",
    },
    "fr": {
        "vacancy_edited": "L'offre a été modifiée depuis : version {then} alors, {now} maintenant.",
        "profiles_changed": "{count} des {total} candidats examinés par le calcul ont été modifiés.",
        "profiles_withdrawn": "{count} des {total} candidats examinés par le calcul ne sont plus publiés (ou "
        "attendent une reconfirmation).",
        "profiles_erased": "{count} des {total} candidats examinés par le calcul ont été effacés.",
        "other_profiles_changed": "Les profils publiés ont changé depuis : {then} alors, {now} maintenant ; {newer} "
        "autres ont été publiés ou modifiés depuis.",
        "taxonomy_changed": "La taxonomie des compétences a été mise à jour depuis (un autre import).",
        "scorer_changed": "Le code de calcul des scores a changé : {then} alors, {now} maintenant.",
        "settings_changed": "Les réglages diffèrent maintenant ({settings}) ; le nouveau calcul a utilisé ceux "
        "enregistrés.",
    },
    "nl": {
        "vacancy_edited": "De vacature werd intussen gewijzigd: versie {then} toen, {now} nu.",
        "profiles_changed": "{count} van de {total} kandidaten die de berekening bekeek, werden gewijzigd.",
        "profiles_withdrawn": "{count} van de {total} kandidaten die de berekening bekeek, zijn niet meer "
        "gepubliceerd (of wachten op herbevestiging).",
        "profiles_erased": "{count} van de {total} kandidaten die de berekening bekeek, werden gewist.",
        "other_profiles_changed": "De gepubliceerde profielen zijn intussen veranderd: {then} toen, {now} nu; "
        "{newer} andere werden intussen gepubliceerd of gewijzigd.",
        "taxonomy_changed": "De vaardighedentaxonomie werd intussen bijgewerkt (een nieuwe import).",
        "scorer_changed": "De code die de scores berekent, is veranderd: {then} toen, {now} nu.",
        "settings_changed": "De instellingen verschillen nu ({settings}); de herberekening gebruikte de "
        "opgeslagen instellingen.",
    },
}


def replay_change_text(code: str, lang: str = DEFAULT_LANGUAGE, **figures: object) -> str:
    """The sentence for one replay change code, its figures filled in, in `lang` (en, fr or nl)."""
    if lang not in LANGUAGES:
        raise ValueError(f"replay changes are written in {LANGUAGES}, not {lang!r}")
    return REPLAY_TEXTS[lang][code].format(**figures)
