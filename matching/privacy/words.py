"""Finders for what a person says about themself in words: their name, their age.

A name is found by the phrase that introduces it ("je m'appelle", "mijn naam is", "казвам се", typed in
Latin letters too), by a capitalised name right after "je suis"/"ik ben"/"I'm"/"sunt"/"аз съм" or a
letter's sign-off, or as a field ("Nom : ..."). An age is found in the phrases that state one, stated
alone as a clause ("Cuisinière, 34 ans."), reached ("j'ai eu 40 ans"), or as a decade of life.

They read the folded views of `normalise` (lower case, no accents, numbers in words already digits), so
"Je m’appelle", "MĂ NUMESC" and "j'ai trente-quatre ans" need no variant of their own. Cyrillic phrases
are matched in the folded Cyrillic view, where "й" has lost its breve ("мой" reads "мои").
"""

from __future__ import annotations

import re

from matching.privacy import origin
from matching.privacy.normalise import fold, plain_apostrophes

Span = tuple[int, int]

# --- self-introduction ----------------------------------------------------------------------------

# The phrase alone is enough: a pitch has no reason to say "my name is", and the name that follows can
# be anything, so it cannot be recognised itself.
_SELF_INTRODUCTION = re.compile(
    r"\b(?:je\s*m'?\s?ap+el+e|je\s+me\s+nomme|(?:mon\s+(?:pre)?nom\s+(?:de\s+famille\s+)?(?:est|c'est)"
    r"|mijn\s+(?:voor|achter|familie)?naam\s+is|my\s+(?:first\s+|last\s+|full\s+|family\s+|given\s+)?name"
    r"(?:\s+is|'s)"
    # Said of the person by a counsellor or a liaison (a staff note, a phase note): the same phrases in the
    # third person.
    r"|(?:il|elle|iel)\s*s'?\s?ap+el+e|(?:il|elle)\s+se\s+nomme|(?:son|sa)\s+(?:pre)?nom\s+(?:de\s+famille\s+)?"
    r"(?:est|c'est)|(?:zijn|haar|hun)\s+(?:voor|achter|familie)?naam\s+is"
    r"|(?:his|her|their)\s+(?:first\s+|last\s+|full\s+|family\s+|given\s+)?name(?:\s+is|'s))"
    r"(?!\s+(?:sur|dans|deja|inscrit|repris|on|in|not|already|op|bij|al|niet|bekend)\b)"
    # the phrase the other way round
    r"|(?:is\s+my|est\s+mon|c'est\s+mon|is\s+mijn|este\s+numele\s+meu)\s+(?:first\s+|last\s+|voor|achter)?"
    r"(?:name|nom|prenom|naam)"
    # "ik heet je welkom" is "I welcome you"; "I'm called to the site" is being sent somewhere.
    r"|(?:ik|hij|zij|ze)\s+heet(?!\s+(?:je|u|jullie|iedereen|hem|haar|hen|ze|de|alle|het|welkom)\b)"
    r"|(?:i'?m|i\s+am|he'?s|he\s+is|she'?s|she\s+is)\s+called"
    r"(?!\s+(?:to|for|in|out|back|up|on|by|at|when|if|whenever)\b)"
    r"|ma\s+numesc|numele\s+meu\s+(?:este|e)\b|prenumele\s+meu|ma\s+cheama|(?:o|il|ii)\s+cheama"
    r"|numele\s+(?:ei|lui)\s+(?:este|e)\b"
    r"|казвам\s+се|(?:моето\s+)?име(?:то)?\s+ми\s+е|моето\s+име|т(?:ои|я)\s+се\s+казва|казва\s+се"
    # Bulgarian typed in Latin letters, as people without a Cyrillic keyboard write it
    r"|kazvam\s+se|(?:moeto\s+)?imeto\s+mi\s+e|moeto\s+ime|kazva\s+se"
    # neighbouring languages people switch to
    r"|ich\s+heisse|mein\s+name\s+ist|me\s+llamo|mi\s+chiamo|benim\s+adim)(?!\w)"
)


# "Moi, c'est Florin": only with a capitalised word after it, so the cased view is read.
_MOI_C_EST = re.compile(
    r"\b[Mm]oi,?\s+c['’]est\s+(?!(?:La|Le|Les|Un|Une|Du|Des|Ce|Cette|Mon|Ma|Mes)\b)[A-ZÀ-Ý][a-zà-ÿ]+\b"
    r"(?!\s+(?:que|qui)\b)"
)


# A name given as a field: "Nom : Popescu", "Voornaam: Ana", "Name: Florin".
_NAME_FIELD = re.compile(
    r"(?<!\w)(?:nom|prenom|nom\s+de\s+famille|naam|voornaam|achternaam|familienaam|name|first\s+name|last\s+name"
    r"|surname|full\s+name|nume|prenume|numele(?:\s+meu)?|име|фамилия)\s*:\s*[^\W\d_]"
)


# A bare name after "je suis", "ik ben", "I'm", "sunt", "аз съм", or after a phrase that only a name can
# follow ("on m'appelle", "they call me", "ze noemen me"). The name cannot be recognised itself, so what
# tells it apart is the capital in the middle of a sentence and a clause that ends right after it:
# "Je suis Florin, ..." is a name, "je suis disponible" and "I'm Dutch-speaking" are not.
_INTRO_VERB = (
    r"[Jj]e\s+suis|[Ii]k\s+ben|[Ii]'m|I\s+am|(?:[Ee]u\s+)?[Ss]unt|[Аа]з\s+съм|[Aa]z\s+s[au]m|[Oo]n\s+m'\s?appelle"
    r"|(?:[Tt]hey|[Pp]eople|[Ff]riends)\s+call\s+me|[Zz]e\s+noemen\s+me|[Mm]en\s+noemt\s+me|[Nn]ame's|[Mm]on\s+nom\s+c'est"
    r"|[Ss]pune-?mi|[Мм]оже\s+да\s+ме\s+наричате|[Cc]all\s+me"
    # a letter's sign-off, which a pitch pasted from an e-mail keeps: "Cordialement, Ana Popescu"
    r"|[Cc]ordialement|[Bb]ien\s+[àa]\s+vous|[Mm]et\s+vriendelijke\s+groet(?:en)?|[Vv]riendelijke\s+groet(?:en)?|[Mm]vg"
    r"|[Gg]roetjes|[Kk]ind\s+regards|[Bb]est\s+regards|[Rr]egards|[Bb]est\s+wishes|[Ss]incerely|[Cc]u\s+stima|[Пп]оздрави"
    r"|[Ss]ign[ée]e?\s*:|[Gg]etekend\s*:|[Ss]igned\s*:"
)
_CAPITALISED = r"(?:[A-ZÀ-ÝĂÂÎȘȚ][a-zà-ÿăâîșț]+|[А-Я][а-я]+)"
_BARE_NAME = re.compile(
    rf"(?<!\w)(?:{_INTRO_VERB})\s*,?\s+(?P<name>{_CAPITALISED}(?:[- ]{_CAPITALISED})?)"
    r"(?=\s*(?:$|[,.;:!?)]|\s(?:et|en|and|si|și|и|je|ik|i|eu|аз)\b"
    # "Je suis Florin de Bucarest" names a place after the name; "Je suis Auxiliaire de vie" does not
    r"|\s(?:from|de|van|uit|din|от|ot)\s+[A-ZÀ-ÝА-Я])"
    # or a new sentence whose full stop was forgotten: "I am Zoran Vijf jaar ervaring"
    r"|\s+[A-ZÀ-ÝА-Я][\w'’]*\s+[a-zà-ÿа-я])"
)
# Capitalised words that follow "je suis"/"I'm" without being names: people write a pitch in title case.
_NOT_NAMES = frozenset(
    "disponible disponibles motive motivee flexible flexibles available motivated reliable experienced qualified"
    " beschikbaar gemotiveerd flexibel ready pret prete klaar belge belg belgian bruxellois bruxelloise brusselaar"
    " francophone neerlandophone nederlandstalig franstalig fluent ponctuel ponctuelle punctual stipt"
    " here ici hier back terug bilingue bilingual tweetalig calme calm rustig serieux serieuse serious"
    " lundi mardi mercredi jeudi vendredi samedi dimanche maandag dinsdag woensdag donderdag vrijdag zaterdag"
    " zondag monday tuesday wednesday thursday friday saturday sunday the le la les de het een a an".split()
)


def find_bare_names(cased: str) -> list[Span]:
    """A name given alone after "je suis", "ik ben", "I'm"..., in a view that keeps capitals."""
    spans: list[Span] = []
    for match in _BARE_NAME.finditer(plain_apostrophes(cased)):
        first = fold(re.split(r"[- ]", match["name"])[0])
        if first in _NOT_NAMES or origin.names_people(first):
            continue  # a nationality after "je suis" is reported as origin, not as a name
        spans.append(match.span())
    return spans


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
    rf"\bимам\s+{_N}\s+години",
    # an age reached or about to be: "j'ai eu 40 ans", "je viens d'avoir 40 ans", "I turned 40"
    rf"\b(?:j'?\s?ai\s+eu|(?:viens|vais)\s+d'?\s?avoir|vais\s+avoir|fete\s+mes)\s+{_N}\s*ans?\b",
    rf"\bi\s+(?:just\s+|have\s+just\s+|recently\s+)?(?:turned|turn|will\s+turn|am\s+turning)\s+{_N}\b",
    rf"\bik\s+(?:ben|werd|word)\s+(?:net\s+|onlangs\s+|binnenkort\s+)?{_N}\s*(?:jaar\s+)?geworden\b",
    rf"\b(?:een\s+)?{_N}\s*-?\s*jarige\b",
    rf"\b{_N}\s+years\s+of\s+age\b",
    rf"\b{_N}\s+(?:jaar|jr\.?)\s+jong\b",
)
_AGE = re.compile("|".join(f"(?:{p})" for p in _AGE_PATTERNS).replace("(?P<n>", "(?:"))
_AGE_NUMBER = re.compile(r"[0-9]{1,2}")
# "people over 65 years old", "enfants de 3 à 6 ans", "kinderen van 6 tot 12 jaar": a range or a bound
# says who the work is with, not how old the person is.
_BOUND_BEFORE = re.compile(
    r"\b(?:over|under|than|from|to|between|and|plus\s+de|moins\s+de|entre|et|tot|boven|onder|dan|tussen|en)\s+$"
)
_YOUNGEST, _OLDEST = 14, 99  # "I am 5" or "j'ai 3 ans" is not a job seeker's age
# "aged 14 to 18", "de 16 à 25 ans": a range after the number is who the work is with.
_RANGE_AFTER = re.compile(r"\s*(?:to|a|tot|-|–|and|et|en|ou|or|of)\s*[0-9]")
# "aide à domicile chez une dame de 85 ans", "zorg voor een meneer van 90 jaar": the person cared for.
_CARED_FOR_BEFORE = re.compile(
    r"\b(?:chez|pour|avec|aupres\s+d[e']|bij|voor|met|for|with|of|aide\s+a|s'occuper\s+d[e'])\s*"
    r"(?:(?:une?|een|a|an|la|le|de|des|mijn|ma|mon|my|d')\s*)?$"
)


# An age stated alone as a clause: "Cuisinière, 34 ans.", "Bonjour, 34 ans, ...", "... bureaux. 34 ans" at the
# end of a text. A duration stated the same way follows a word about work ("Expérience : 15 ans.",
# "pendant 12 ans", "nettoyage, 15 ans"), which the look-back below lets pass.
_AGE_ALONE = re.compile(
    rf"(?:^|[.;!?(]\s*|,\s*){_N}\s*(?:ans|jaar|jr\.?|years|yrs|ani|години|г\.)\s*(?:$|[.,;!)])"
)
_DURATION_CUE = re.compile(
    r"\b(?:experience|ervaring|werkervaring|travaille|gewerkt|worked|working|depuis|sinds|since|pendant|durant"
    r"|during|gedurende|for|voor|contrat|contract|cdd|cdi|anciennete|secteur|sector|metier|job|emploi|werk|work"
    r"|travail|arbeid|warehouse|entrepot|magazijn|carriere|career|loopbaan"
    r"|poste|functie|service|dienst|nettoyage|schoonmaak|cleaning|cuisine|keuken|kitchen|construction|bouw"
    r"|chantier|logistique|magasin|stage|formation|opleiding|training|experienta|опит)\b"
)
# Decades of life in words: "trentenaire", "quadragénaire", "een veertiger", "in my forties".
_DECADE_OF_LIFE = re.compile(
    r"\b(?:trentenaire|quadragenaire|quinquagenaire|sexagenaire|quadra|quinqua"
    r"|(?:een|als)\s+(?:dertiger|veertiger|vijftiger|zestiger)"
    r"|(?:in\s+my|dans\s+la)\s+(?:(?:early|mid|late)[\s-]+)?(?:thirties|forties|fifties|sixties|trentaine|quarantaine"
    r"|cinquantaine|soixantaine)|(?:thirty|forty|fifty|sixty|[2-6]0)[\s-]?something"
    r"|in\s+(?:my|her|his)\s+(?:(?:early|mid|late)[\s-]+)?[2-6]0'?s)\b"
)


def find_decades_of_life(folded: str) -> list[Span]:
    return [m.span() for m in _DECADE_OF_LIFE.finditer(folded)]


def find_ages(folded: str) -> list[Span]:
    spans: list[Span] = []
    for match in _AGE.finditer(folded):
        number = _AGE_NUMBER.search(match.group())
        if number and _YOUNGEST <= int(number.group()) <= _OLDEST:
            if _BOUND_BEFORE.search(folded, max(0, match.start() - 16), match.start()):
                continue
            if _RANGE_AFTER.match(folded, match.start() + number.end()) or _CARED_FOR_BEFORE.search(
                folded, max(0, match.start() - 24), match.start()
            ):
                continue
            spans.append(match.span())
    for match in _AGE_ALONE.finditer(folded):
        number = _AGE_NUMBER.search(folded, match.start())
        if number is None:  # the pattern ends in the number it looks for: never taken, here for the checker
            continue
        clause_start = max(folded.rfind(c, 0, number.start()) for c in ".;!?\n")
        before = folded[max(0, clause_start + 1, number.start() - 40) : number.start()]
        if 16 <= int(number.group()) <= 80 and not _DURATION_CUE.search(before):
            spans.append(match.span())
    return spans
