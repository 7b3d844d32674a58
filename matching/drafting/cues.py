"""Words around a mention that tell whether an employer requires it: section headers and cue words.

French, Dutch and English, matched on folded text (lower case, no accents; matching.language.text). The words
only describe; how much each one counts is fitted on labelled ads (matching.drafting.requiredness).
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from matching.language.text import normalise_label

# A line that opens a section: "Profil :", "Uw profiel", "Requirements", "Vos tâches", "Atouts".
SECTION_WORDS: dict[str, tuple[str, ...]] = {
    "profile": (
        "profil", "profil recherche", "votre profil", "ton profil", "profiel", "jouw profiel", "uw profiel",
        "je profiel", "wat vragen we", "wat vragen wij", "vereisten", "requirements", "what we ask",
        "you need", "your profile", "who are you", "must have", "qualifications", "competences",
        "exigences", "conditions", "wij vragen", "we vragen", "wat verwachten we", "wat verwachten wij",
        "wat we zoeken", "wat zoeken we", "wie zoeken we", "wie zoeken wij", "wie ben je", "wie ben jij",
        "ons verwachtingen", "onze verwachtingen", "vereist", "jouw troeven", "nous demandons",
        "ce que nous demandons", "qui etes vous", "qui es tu", "ce que nous attendons", "what we look for",
        "what we are looking for", "what you bring", "about you", "your skills", "wat breng je mee",
        "wat breng jij mee", "wat moet je kunnen", "wat heb je nodig",
    ),
    "tasks": (
        "taches", "vos taches", "missions", "vos missions", "description", "description de fonction",
        "fonction", "taken", "jouw taken", "je taken", "wat doe je", "functie", "functieomschrijving",
        "duties", "responsibilities", "your job", "your tasks", "tasks", "what you ll do", "what you will do",
        "job", "votre role", "votre mission", "job description", "jouw job", "je job", "jouw functie",
        "je functie", "wat ga je doen", "wat ga jij doen", "takenpakket", "tes missions", "tes taches",
        "ta mission", "vos responsabilites", "your role", "the job", "the role", "wat houdt de job in",
        "wat houdt de functie in", "wat houdt je job in", "en quoi consiste le poste",
    ),
    "plus": (
        "atouts", "atout", "un plus", "pluspunten", "pluspunt", "troeven", "nice to have", "bonus",
        "bonus points", "assets", "a plus",
    ),
    "offer": (
        "nous offrons", "nous proposons", "offre", "wij bieden", "we bieden", "aanbod", "we offer",
        "what we offer", "horaire", "horaires", "contrat", "uurrooster", "contract", "lieu", "adres",
    ),
}

# One word that makes a short head a header of its section, whatever the words around it.
HEADER_KEYWORDS: dict[str, frozenset[str]] = {
    "profile": frozenset("profil profiel profile vereisten requirements exigences qualifications competences "
                         "competenties vaardigheden verwachtingen attentes".split()),
    "tasks": frozenset("taches taken missions duties responsibilities tasks takenpakket functieomschrijving "
                       "verantwoordelijkheden".split()),
    "plus": frozenset("atouts pluspunten troeven assets".split()),
    "offer": frozenset("offrons proposons offre aanbod bieden offer benefits voordelen".split()),
}

# Cue words inside a clause (folded; a space-padded search so "must" does not match "mustard").
MUST_CUES: tuple[str, ...] = (
    "indispensable", "indispensables", "exige", "exigee", "exiges", "exigees", "obligatoire", "obligatoires",
    "requis", "requise", "required", "requirement", "requirements", "vereist", "vereiste", "verplicht",
    "noodzakelijk", "must", "is a must", "een must", "essential", "mandatory", "minimum", "minimaal",
    "minstens", "you need", "you must", "need", "needed", "demande", "nous demandons", "wat vragen we",
    "imperatif", "imperative", "absolutely", "absolument", "necessaire", "necessaires", "essentiel",
    "essentielle", "onmisbaar", "een vereiste", "absoluut", "crucial", "a must",
)
PLUS_CUES: tuple[str, ...] = (
    "atout", "atouts", "un plus", "est un plus", "a plus", "plus", "souhaite", "souhaitee", "souhaites",
    "apprecie", "appreciee", "apprecies", "appreciees", "bienvenu", "bienvenue", "pluspunt", "pluspunten",
    "troef", "troeven", "voordeel", "een voordeel", "meerwaarde", "een meerwaarde", "avantage", "un avantage",
    "mooi meegenomen", "meegenomen", "nice to have", "asset", "assets", "advantage",
    "an advantage", "bonus", "useful", "helps", "is useful", "preferably", "de preference", "bij voorkeur",
    "welcome", "welkom", "ideally", "idealement",
)
NEGATED_MUST: tuple[str, ...] = (
    "pas indispensable", "pas obligatoire", "pas exige", "pas exigee", "pas requis", "not required",
    "not essential", "not necessary", "niet vereist", "niet nodig", "niet verplicht", "geen vereiste",
    "no language level required", "not a must",
)
TASK_CUES: tuple[str, ...] = (
    "vos taches", "vos missions", "vous assurez", "vous realisez", "vous accompagnez", "vous servez",
    "votre role", "missions", "taches", "description", "je staat in", "jouw taken", "je taken", "taken",
    "wat doe je", "je maakt", "je helpt", "je bouwt", "je vult", "je bent verantwoordelijk", "you will",
    "your job", "your tasks", "duties", "responsibilities", "what you ll do", "job", "work at our",
    "tasks", "travail a la chaine",
    # A line under a duties header is about duties whatever its own words ("Functie: je laadt en lost ...").
    *SECTION_WORDS["tasks"],
)
EXPERIENCE_CUES: tuple[str, ...] = (
    "experience", "experiences", "ervaring", "ervaren", "experienced", "proven", "confirmee", "confirme",
    "years", "ans", "jaar", "premiere experience", "first experience",
)
ABILITY_CUES: tuple[str, ...] = (
    "vous savez", "vous maitrisez", "maitrise", "maitrisez", "connaissance", "connaissances", "vous etes",
    "capable", "je kan", "je kunt", "je bent", "kennis", "you can", "you know", "you are", "able",
    "knowledge", "skills", "savoir", "vous connaissez", "je kent", "je werkt", "you work",
)

FEATURES: tuple[str, ...] = (
    "section_profile", "section_tasks", "section_plus", "section_offer", "section_none",
    "own_must", "own_plus", "lead_must", "lead_plus", "trail_must", "trail_plus", "negated_must",
    "task_cue", "experience_cue", "ability_cue", "offer_cue", "is_language",
)
# What a clause about the offer holds: hours, a contract, a schedule ("38h", "CDI", "per week").
_OFFER = re.compile(
    r"\d{1,2}\s*(?:h|u|uur|hours|heures)\b|\b(?:cdi|cdd|contrat|contract|contrato|interim|intérim|uitzend"
    r"|temps plein|temps partiel|voltijds|deeltijds|full-time|part-time|per week|par semaine|/semaine|/week"
    r"|horaire|uurrooster|dagploeg|ploegensysteem|shifts?)\b", re.IGNORECASE)


# How far before and after its sub-clause a cue still speaks of a mention. Ad clauses are far shorter (the
# longest in benchmarks/data/job_ads: 124 characters), so this changes nothing for them; it keeps a pasted
# text of one endless line from costing a normalisation of the whole line per mention (10,000 characters
# of "permis B, permis B, ..." took 15 s of CPU, now a fraction of a second).
CONTEXT_CHARS = 300


@lru_cache(maxsize=512)
def _padded(text: str) -> str:
    """Folded and space-padded; cached, for every mention of a clause without commas reads the same text."""
    return f" {normalise_label(text)} "


def _before(clause: str, left: int) -> str:
    """Up to CONTEXT_CHARS before `left`, from a word's start."""
    start = max(0, left - CONTEXT_CHARS)
    if start > 0:
        space = clause.find(" ", start, left)
        start = left if space < 0 else space
    return clause[start:left]


def _after(clause: str, right: int) -> str:
    """Up to CONTEXT_CHARS from `right`, to a word's end."""
    end = right + CONTEXT_CHARS
    if end < len(clause):
        space = clause.rfind(" ", right, end)
        end = right if space < 0 else space
    return clause[right:end]


@lru_cache(maxsize=1024)  # the same clause text is asked about for each of its mentions
def has_any(folded_padded: str, cues: tuple[str, ...]) -> bool:
    """Whether a space-padded folded text holds one of the cues as whole words."""
    return any(f" {cue} " in folded_padded for cue in cues)


def header_of(line: str) -> str | None:
    """The section a line opens ("profile", "tasks", "plus", "offer"), or None.

    A header is the line itself ("Profil") or what comes before its colon or question mark ("Vos tâches :
    ...", "Wat doe je? ...").
    """
    # A header ends at a colon or a question mark ("Wat vragen we? Ervaring met ...").
    head = re.split(r"[:?]", line, maxsplit=1)[0]
    folded = normalise_label(head)
    if not folded or len(folded.split()) > 5:
        return None
    for section, words in SECTION_WORDS.items():
        if folded in words:
            return section
    # Headers vary around one telling word ("Le profil idéal", "Het profiel", "Jouw taken en
    # verantwoordelijkheden"); a short head before a colon or question mark that holds one opens its section.
    if head != line or len(folded.split()) <= 3:
        words_of_head = set(folded.split())
        for section, keys in HEADER_KEYWORDS.items():
            if words_of_head & keys:
                return section
    return None


_SUB_CLAUSE = re.compile(r",|;|\s(?:et|en|and|mais|maar|but)\s", re.IGNORECASE)


@lru_cache(maxsize=64)
def _separators(clause: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Where the clause's separators start and end, found once per clause (not once per mention)."""
    spans = [match.span() for match in _SUB_CLAUSE.finditer(clause)]
    return tuple(s for s, _ in spans), tuple(e for _, e in spans)


def sub_clause_bounds(clause: str, start: int, end: int) -> tuple[int, int]:
    """The comma-delimited part of `clause` holding [start, end): its own cues come first."""
    starts, ends = _separators(clause)
    # left: the end of the last separator ending at or before `start`; right: the start of the first
    # separator after those that starts at or after `end`.
    before = bisect.bisect_right(ends, start)
    left = ends[before - 1] if before else 0
    after = bisect.bisect_left(starts, end, lo=before)
    right = starts[after] if after < len(starts) else len(clause)
    return left, right


_CONJUNCTION = re.compile(r"\s(?:et|en|and)\s", re.IGNORECASE)


def _coordinated_cues(clause: str, right: int) -> tuple[bool, bool]:
    """The must and plus cues of the next part when "and"/"or" joins it to the mention's own part.

    "Een fytolicentie en rijbewijs B zijn troeven", "Nederlands of Frans is vereist": the cue at the end of
    a coordination speaks of every item in it. Only the very next part, and only across a conjunction (a
    comma may start a new thought: "Français requis, anglais un plus").
    """
    joined = _CONJUNCTION.match(clause, right)
    if joined is None:
        return False, False
    after, end = sub_clause_bounds(clause, joined.end(), joined.end())
    if after != joined.end():
        return False, False
    nxt = _padded(clause[after:end])
    return has_any(nxt, MUST_CUES), has_any(nxt, PLUS_CUES)


def clause_features(clause: str, start: int, end: int, section: str | None) -> dict[str, bool]:
    """Cue features for a mention at [start, end) of a clause (offsets within the clause)."""
    left, right = sub_clause_bounds(clause, start, end)
    own = _padded(clause[left:right])
    lead = _padded(_before(clause, left))
    trail = _padded(_after(clause, right))
    whole = _padded(clause)
    negated = has_any(whole, NEGATED_MUST)
    own_must, own_plus = has_any(own, MUST_CUES), has_any(own, PLUS_CUES)
    if not own_must and not own_plus:
        own_must, own_plus = _coordinated_cues(clause, right)
    return {
        f"section_{section or 'none'}": True,
        "own_must": own_must and not negated,
        "own_plus": own_plus,
        "lead_must": has_any(lead, MUST_CUES) and not negated,
        "lead_plus": has_any(lead, PLUS_CUES),
        "trail_must": has_any(trail, MUST_CUES) and not negated,
        "trail_plus": has_any(trail, PLUS_CUES),
        "negated_must": negated,
        # A clause under a duties header is a duty even when the header ended its own clause ("Wat doe je?").
        "task_cue": section == "tasks" or has_any(whole, TASK_CUES),
        "experience_cue": has_any(whole, EXPERIENCE_CUES),
        "ability_cue": has_any(whole, ABILITY_CUES),
        "offer_cue": bool(_OFFER.search(clause)),
    }
