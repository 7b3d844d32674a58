"""Validation errors said in the reader's language: what is wrong and what is expected, never what was sent.

pydantic's messages speak to developers ("String should match pattern '^[a-z]{2,3}$'", "invalid character
in year"). Here each error type becomes a sentence in fr, nl or en built only from the field's path and
the rule this service declares (a pattern's meaning, a bound, the allowed values): a value the client sent
never enters the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# What a declared pattern means, per language (the patterns of matching/schemas/resources.py).
PATTERNS: Mapping[str, Mapping[str, str]] = {
    r"^[a-z]{2,3}$": {
        "en": "a language code of 2 or 3 lowercase letters (ISO 639: fr, nl, en, rom)",
        "fr": "un code de langue de 2 ou 3 lettres minuscules (ISO 639 : fr, nl, en, rom)",
        "nl": "een taalcode van 2 of 3 kleine letters (ISO 639: fr, nl, en, rom)",
    },
    r"^[0-9]{4}$": {
        "en": "a Belgian postcode of 4 digits (e.g. 1070)",
        "fr": "un code postal belge de 4 chiffres (par ex. 1070)",
        "nl": "een Belgische postcode van 4 cijfers (bv. 1070)",
    },
    r"^(AM|A1|A2|A|B|BE|C1|C1E|C|CE|D1|D1E|D|DE|G)$": {
        "en": "a driving licence category: AM, A1, A2, A, B, BE, C1, C1E, C, CE, D1, D1E, D, DE or G",
        "fr": "une catégorie de permis de conduire : AM, A1, A2, A, B, BE, C1, C1E, C, CE, D1, D1E, D, DE ou G",
        "nl": "een rijbewijscategorie: AM, A1, A2, A, B, BE, C1, C1E, C, CE, D1, D1E, D, DE of G",
    },
    r"^[A-Za-z0-9_-]{1,64}$": {
        "en": "an id this service gave (letters, digits, _ and -, e.g. prf_3BhG1vAS)",
        "fr": "un identifiant donné par ce service (lettres, chiffres, _ et -, par ex. prf_3BhG1vAS)",
        "nl": "een id die deze dienst gaf (letters, cijfers, _ en -, bv. prf_3BhG1vAS)",
    },
    r"^[A-Za-z][A-Za-z0-9+.-]{0,19}:[A-Za-z0-9:/._~#-]{1,279}$": {
        "en": "a concept id from the taxonomy (GET /v1/taxonomy/search), e.g. bm:skill:office-cleaning",
        "fr": "un identifiant de concept de la taxonomie (GET /v1/taxonomy/search), par ex. bm:skill:office-cleaning",
        "nl": "een concept-id uit de taxonomie (GET /v1/taxonomy/search), bv. bm:skill:office-cleaning",
    },
}

# A format field's name -> its pattern: its length is checked first, and "at most 3 characters" alone
# would not tell a reader that "Dutch" should be "nl".
FORMAT_FIELDS = {"code": r"^[a-z]{2,3}$", "postcode": r"^[0-9]{4}$",
                 "driving_licence": r"^(AM|A1|A2|A|B|BE|C1|C1E|C|CE|D1|D1E|D|DE|G)$",
                 "driving_licences": r"^(AM|A1|A2|A|B|BE|C1|C1E|C|CE|D1|D1E|D|DE|G)$",
                 "concept_id": r"^[A-Za-z][A-Za-z0-9+.-]{0,19}:[A-Za-z0-9:/._~#-]{1,279}$"}

# Error type -> what is expected, per language; {n} and {choices} come from the declared rule only.
EXPECTED: Mapping[str, Mapping[str, str]] = {
    "en": {
        "date": "a date as YYYY-MM-DD, e.g. 2026-12-01",
        "datetime": "a date and time with its offset, e.g. 2027-03-01T14:30:00+01:00",
        "timezone_required": "a time with its time zone offset, e.g. 2027-03-01T14:30:00+01:00 (Brussels in winter) "
                             "or 2027-03-01T13:30:00Z",
        "datetime_out_of_range": "a time between 1900-01-01 and 9000-01-01",
        "int": "a whole number", "float": "a number", "bool": "true or false", "string": "text between quotes",
        "list": "a list [...]", "object": "an object {{...}}", "choice": "one of {choices}",
        "ge": "a number of at least {n}", "gt": "a number above {n}", "le": "a number of at most {n}",
        "lt": "a number below {n}", "str_short": "at least {n} characters", "str_long": "at most {n} characters",
        "list_short": "at least {n} items", "list_long": "at most {n} items", "pattern": "the documented format",
        "other": "a value of the documented form (see /docs)",
    },
    "fr": {
        "date": "une date AAAA-MM-JJ, par ex. 2026-12-01",
        "datetime": "une date et une heure avec leur décalage horaire, par ex. 2027-03-01T14:30:00+01:00",
        "timezone_required": "une heure avec son décalage horaire, par ex. 2027-03-01T14:30:00+01:00 (Bruxelles en "
                             "hiver) ou 2027-03-01T13:30:00Z",
        "datetime_out_of_range": "une heure entre le 1900-01-01 et le 9000-01-01",
        "int": "un nombre entier", "float": "un nombre", "bool": "true ou false", "string": "un texte entre guillemets",
        "list": "une liste [...]", "object": "un objet {{...}}", "choice": "l'une de ces valeurs : {choices}",
        "ge": "un nombre d'au moins {n}", "gt": "un nombre supérieur à {n}", "le": "un nombre d'au plus {n}",
        "lt": "un nombre inférieur à {n}", "str_short": "au moins {n} caractères", "str_long": "au plus {n} caractères",
        "list_short": "au moins {n} éléments", "list_long": "au plus {n} éléments", "pattern": "le format documenté",
        "other": "une valeur de la forme documentée (voir /docs)",
    },
    "nl": {
        "date": "een datum als JJJJ-MM-DD, bv. 2026-12-01",
        "datetime": "een datum en tijd met tijdverschil, bv. 2027-03-01T14:30:00+01:00",
        "timezone_required": "een tijd met tijdverschil, bv. 2027-03-01T14:30:00+01:00 (Brussel in de winter) of "
                             "2027-03-01T13:30:00Z",
        "datetime_out_of_range": "een tijd tussen 1900-01-01 en 9000-01-01",
        "int": "een geheel getal", "float": "een getal", "bool": "true of false",
        "string": "tekst tussen aanhalingstekens",
        "list": "een lijst [...]", "object": "een object {{...}}", "choice": "een van deze waarden: {choices}",
        "ge": "een getal van minstens {n}", "gt": "een getal groter dan {n}", "le": "een getal van hoogstens {n}",
        "lt": "een getal kleiner dan {n}", "str_short": "minstens {n} tekens", "str_long": "hoogstens {n} tekens",
        "list_short": "minstens {n} elementen", "list_long": "hoogstens {n} elementen",
        "pattern": "het gedocumenteerde formaat",
        "other": "een waarde in de gedocumenteerde vorm (zie /docs)",
    },
}
SENTENCES: Mapping[str, Mapping[str, str]] = {
    "en": {"invalid": "{field} is not valid: expected {expected}.", "required": "{field} is required.",
           "rule": "{field} is not valid: {rule}."},
    "fr": {"invalid": "{field} n'est pas valide : attendu {expected}.", "required": "{field} est obligatoire.",
           "rule": "{field} n'est pas valide : {rule}."},
    "nl": {"invalid": "{field} is niet geldig: verwacht {expected}.", "required": "{field} is verplicht.",
           "rule": "{field} is niet geldig: {rule}."},
}
BODY = {"en": "the request body", "fr": "le corps de la requête", "nl": "de body van het verzoek"}
OR = {"en": "or", "fr": "ou", "nl": "of"}

_KINDS = {
    "date_parsing": "date", "date_from_datetime_parsing": "date", "date_from_datetime_inexact": "date",
    "date_type": "date", "datetime_parsing": "datetime", "datetime_from_date_parsing": "datetime",
    "datetime_type": "datetime", "timezone_required": "timezone_required",
    "datetime_out_of_range": "datetime_out_of_range", "int_parsing": "int", "int_type": "int",
    "int_from_float": "int", "float_parsing": "float", "float_type": "float", "bool_parsing": "bool",
    "bool_type": "bool", "string_type": "string", "list_type": "list", "dict_type": "object",
    "model_type": "object", "model_attributes_type": "object", "literal_error": "choice", "enum": "choice",
    "greater_than_equal": "ge", "greater_than": "gt", "less_than_equal": "le", "less_than": "lt",
    "string_too_short": "str_short", "string_too_long": "str_long", "too_short": "list_short",
    "too_long": "list_long", "string_pattern_mismatch": "pattern",
}
# The bound each kind reads from pydantic's ctx: a rule this service declared, never client input.
_BOUND = {"ge": "ge", "gt": "gt", "le": "le", "lt": "lt", "str_short": "min_length", "str_long": "max_length",
          "list_short": "min_length", "list_long": "max_length"}


def _choices(expected: str, lang: str) -> str:
    """pydantic's "'a', 'b' or 'c'" (the declared values) with the reader's word for 'or'."""
    return expected.replace(" or ", f" {OR[lang]} ")


def message(error: Mapping[str, Any], field: str | None, lang: str) -> str:
    """One sentence: the field, what is wrong, what is expected; in en, fr or nl."""
    lang = lang if lang in SENTENCES else "en"
    where = field or BODY[lang]
    if error.get("type") == "missing":
        return SENTENCES[lang]["required"].format(field=where)
    ctx = error.get("ctx") or {}
    kind = _KINDS.get(str(error.get("type")))
    if kind is None:
        # A rule of this service's own validators (e.g. "give a label or a concept_id"): its text names the
        # rule, never the value; pydantic's "Value error, " prefix is dropped.
        rule = str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        return SENTENCES[lang]["rule"].format(field=where, rule=rule) if rule else \
            SENTENCES[lang]["invalid"].format(field=where, expected=EXPECTED[lang]["other"])
    leaf = re.sub(r"\[\d+\]$", "", where).rsplit(".", 1)[-1]
    if kind in ("str_short", "str_long") and leaf in FORMAT_FIELDS:
        kind, ctx = "pattern", {"pattern": FORMAT_FIELDS[leaf]}
    if kind == "pattern":
        expected = PATTERNS.get(str(ctx.get("pattern")), {}).get(lang, EXPECTED[lang]["pattern"])
    else:
        expected = EXPECTED[lang][kind].format(
            n=ctx.get(_BOUND.get(kind, ""), ""), choices=_choices(str(ctx.get("expected", "")), lang)
        )
    return SENTENCES[lang]["invalid"].format(field=where, expected=expected)
