"""Finders for what a person says about themself in words: their name, their age.

They read the folded views of `normalise` (lower case, no accents, numbers in words already digits), so
"Je m’appelle", "MĂ NUMESC" and "j'ai trente-quatre ans" need no variant of their own. Cyrillic phrases
are matched in the folded Cyrillic view, where "й" has lost its breve ("мой" reads "мои").
"""

from __future__ import annotations

import re

Span = tuple[int, int]

# --- self-introduction ----------------------------------------------------------------------------

# The phrase alone is enough: a pitch has no reason to say "my name is", and the name that follows can
# be anything, so it cannot be recognised itself.
_SELF_INTRODUCTION = re.compile(
    r"\b(?:je\s+m'?\s?ap+el+e|je\s+me\s+nomme|(?:mon\s+(?:pre)?nom\s+(?:de\s+famille\s+)?(?:est|c'est)"
    r"|mijn\s+(?:voor|achter|familie)?naam\s+is|my\s+(?:first\s+|last\s+|full\s+|family\s+|given\s+)?name"
    r"(?:\s+is|'s))(?!\s+(?:sur|dans|deja|inscrit|repris|on|in|not|already|op|bij|al|niet|bekend)\b)"
    # the phrase the other way round
    r"|(?:is\s+my|est\s+mon|c'est\s+mon|is\s+mijn|este\s+numele\s+meu)\s+(?:first\s+|last\s+|voor|achter)?"
    r"(?:name|nom|prenom|naam)"
    # "ik heet je welkom" is "I welcome you"; "I'm called to the site" is being sent somewhere.
    r"|ik\s+heet(?!\s+(?:je|u|jullie|iedereen|hem|haar|hen|ze|de|alle|het)\b)"
    r"|(?:i'?m|i\s+am)\s+called(?!\s+(?:to|for|in|out|back|up|on|by|at|when|if|whenever)\b)"
    r"|ma\s+numesc|numele\s+meu\s+(?:este|e)\b|prenumele\s+meu|ma\s+cheama"
    r"|казвам\s+се|(?:моето\s+)?име(?:то)?\s+ми\s+е|моето\s+име)(?!\w)"
)


# "Moi, c'est Florin": only with a capitalised word after it, so the cased view is read.
_MOI_C_EST = re.compile(
    r"\b[Mm]oi,?\s+c['’]est\s+(?!(?:La|Le|Les|Un|Une|Du|Des|Ce|Cette|Mon|Ma|Mes)\b)[A-ZÀ-Ý][a-zà-ÿ]+\b"
    r"(?!\s+(?:que|qui)\b)"
)


# A name given as a field: "Nom : Popescu", "Voornaam: Ana", "Name: Florin".
_NAME_FIELD = re.compile(
    r"(?<!\w)(?:nom|prenom|nom\s+de\s+famille|naam|voornaam|achternaam|familienaam|name|first\s+name|last\s+name"
    r"|surname|full\s+name|nume|prenume|име|фамилия)\s*:\s*[^\W\d_]"
)


def find_self_introductions(folded: str) -> list[Span]:
    return [m.span() for pattern in (_SELF_INTRODUCTION, _NAME_FIELD) for m in pattern.finditer(folded)]


def find_moi_c_est(cased: str) -> list[Span]:
    return [m.span() for m in _MOI_C_EST.finditer(cased)]


# --- age ------------------------------------------------------------------------------------------

_N = r"(?P<n>[0-9]{1,2})"
# What may follow "j'ai 34 ans", "ik ben 34", "I am 34" when they give an age: the end of the clause or
# a word that starts another one. "j'ai 5 ans d'expérience" and "ik ben 38 uur beschikbaar" go on.
_CLAUSE_END = r"(?=\s*(?:$|[,.;:!?()]|et\b|mais\b|je\b|j'|and\b|but\b|maar\b|i\b|ik\b|si\b|dar\b))"
# Adults only: "une fille de 15 ans", "a boy of 12" are the children a carer looks after.
_PERSON_NOUN = (
    r"femme|homme|dame|mere|pere|maman|papa|personne|candidate?|vrouw|man|moeder|vader"
    r"|woman|mother|father|lady|person|candidate|femeie|barbat|mama|tata"
)
_AGE_PATTERNS = (
    # French
    rf"\bj'?\s?ai\s+{_N}\s*ans?{_CLAUSE_END}",
    rf"\bj'?\s?ai\s+{_N}\s*ans?\s+(?:et\s+(?:je|j')|depuis|aujourd'hui|cette\s+annee)",
    rf"\bagee?s?\s+(?:de\s+)?{_N}\s*(?:ans?\b|{_CLAUSE_END})",
    rf"\b(?:age|leeftijd|varsta|age\s+/\s+leeftijd)\s*[:=]\s*{_N}\b",
    rf"\bage\s+{_N}\s+ans\b",
    rf"\b(?:age|leeftijd|varsta)\s+{_N}(?:\s+(?:ans|jaar|years|ani))?{_CLAUSE_END}",
    # Dutch
    rf"\b{_N}\s*(?:jaar|jr\.?)\s+oud\b",
    rf"\bik\s+ben\s+{_N}(?:\s*(?:jaar|jr\.?))?{_CLAUSE_END}",
    rf"\bik\s+ben\s+{_N}(?:\s*(?:jaar|jr\.?))?\s+(?:oud|geworden|en\s+(?:heb|ik|woon|ben|mama|moeder|vader))\b",
    # English
    rf"\b{_N}[\s-]*(?:years?|yrs?)[\s-]*old\b",
    rf"\baged\s+{_N}\b",
    rf"\bi'?m\s+{_N}(?:\s+years?)?{_CLAUSE_END}",
    rf"\bi\s+am\s+{_N}(?:\s+years?)?{_CLAUSE_END}",
    rf"\b{_N}\s*(?:yo|y/o|y\.o\.)\b",
    # a person of so many years, in any of the languages
    rf"\b(?:{_PERSON_NOUN})\s+(?:de|van|of|d'environ|de\s+plus\s+de)\s+{_N}\s*(?:ans|jaar|years|ani)\b",
    # a CV header: "Femme, 34 ans, mariée", "34 jaar, gehuwd"
    rf"\b(?:{_PERSON_NOUN}|mariee?|celibataire|gehuwd|getrouwd|alleenstaand|married|single)\s*,\s*{_N}\s+"
    r"(?:ans|jaar|years(?:\s+old)?)\b",
    rf"(?:^|[.;,(]\s*){_N}\s+(?:ans|jaar|years(?:\s+old)?)\s*,\s*(?:{_PERSON_NOUN}|mariee?|celibataire|divorcee?"
    r"|gehuwd|getrouwd|alleenstaand|gescheiden|married|single|divorced|mere|moeder|mother)\b",
    # Romanian and Bulgarian
    rf"\bam\s+{_N}\s+(?:de\s+)?ani{_CLAUSE_END}",
    rf"\bin\s+varsta\s+de\s+{_N}",
    rf"\b(?:възраст|возраст)\s*[:=]?\s*{_N}\b",
    rf"\bна\s+{_N}\s+(?:години|год\.|г\.)",
    rf"\b{_N}\s*-?\s*годишн",
)
_AGE = re.compile("|".join(f"(?:{p})" for p in _AGE_PATTERNS).replace("(?P<n>", "(?:"))
_AGE_NUMBER = re.compile(r"[0-9]{1,2}")
# "people over 65 years old", "enfants de 3 à 6 ans", "kinderen van 6 tot 12 jaar": a range or a bound
# says who the work is with, not how old the person is.
_BOUND_BEFORE = re.compile(
    r"\b(?:over|under|than|from|to|between|and|plus\s+de|moins\s+de|entre|et|tot|boven|onder|dan|tussen|en)\s+$"
)
_YOUNGEST, _OLDEST = 14, 99  # "I am 5" or "j'ai 3 ans" is not a job seeker's age


def find_ages(folded: str) -> list[Span]:
    spans: list[Span] = []
    for match in _AGE.finditer(folded):
        number = _AGE_NUMBER.search(match.group())
        if number and _YOUNGEST <= int(number.group()) <= _OLDEST:
            if _BOUND_BEFORE.search(folded, max(0, match.start() - 16), match.start()):
                continue
            spans.append(match.span())
    return spans
