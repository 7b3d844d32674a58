"""The plain facts of a job ad read with patterns: languages and levels, hours, shifts, contract,
postcode, driving licence and title. Each answer keeps the words it came from."""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.drafting.segments import Clause
from matching.language.text import normalise_label


@dataclass(frozen=True)
class Found:
    value: object
    start: int
    end: int
    text: str


# Language names in French, Dutch and English (folded), and the ISO code they stand for.
LANGUAGE_NAMES: dict[str, str] = {
    "francais": "fr", "frans": "fr", "french": "fr", "fr": "fr",
    "neerlandais": "nl", "nederlands": "nl", "dutch": "nl", "flemish": "nl", "nl": "nl", "vlaams": "nl",
    "anglais": "en", "engels": "en", "english": "en", "en": "en",
    "allemand": "de", "duits": "de", "german": "de", "de": "de",
    "espagnol": "es", "spaans": "es", "spanish": "es",
    "italien": "it", "italiaans": "it", "italian": "it",
    "arabe": "ar", "arabisch": "ar", "arabic": "ar",
    "turc": "tr", "turks": "tr", "turkish": "tr",
    "portugais": "pt", "portugees": "pt", "portuguese": "pt",
    "polonais": "pl", "pools": "pl", "polish": "pl",
    "roumain": "ro", "roemeens": "ro", "romanian": "ro",
}
# Two-letter codes are languages only next to a bilingual word or in "FR/NL".
_CODES = {"fr", "nl", "en", "de"}
_LANGUAGE_WORD = re.compile(r"\b(" + "|".join(sorted({
    "français", "francais", "frans", "french", "néerlandais", "neerlandais", "nederlands", "dutch", "flemish",
    "vlaams", "anglais", "engels", "english", "allemand", "duits", "german", "espagnol", "spaans", "spanish",
    "italien", "italiaans", "italian", "arabe", "arabisch", "arabic", "turc", "turks", "turkish", "portugais",
    "portugees", "portuguese", "polonais", "pools", "polish", "roumain", "roemeens", "romanian",
}, key=len, reverse=True)) + r")\b|\b(FR|NL|EN|DE)\b(?=\s*[/\-–]\s*(?:FR|NL|EN|DE)\b)|(?<=[/\-–])\s*(FR|NL|EN|DE)\b",
    re.IGNORECASE)
_CEFR = re.compile(r"\b([ABC][12])\b")
# Level words, folded; the first that appears in the words around a language decides.
LEVEL_WORDS: tuple[tuple[str, str], ...] = (
    ("moedertaal", "C1"), ("native", "C1"), ("parfait", "C1"), ("parfaite", "C1"), ("uitstekend", "C1"),
    ("excellent", "C1"), ("courant", "B2"), ("courante", "B2"), ("vlot", "B2"), ("vlotte", "B2"),
    ("fluent", "B2"), ("fluently", "B2"), ("bilingue", "B2"), ("tweetalig", "B2"), ("bilingual", "B2"),
    ("maitrise", "B2"), ("notions", "A2"), ("notion", "A2"), ("basis", "A2"), ("basic", "A2"), ("base", "A2"),
    ("basiskennis", "A2"), ("elementaire", "A2"), ("begrijpt", "A2"), ("understand", "A2"),
    ("bonne", "B1"), ("goede", "B1"), ("good", "B1"), ("goed", "B1"),
)
DEFAULT_LEVEL = "B1"


def languages(clauses: list[Clause]) -> list[tuple[str, str, Found, Clause]]:
    """(code, spoken level, the words, the clause) for every language an ad names, first mention each."""
    out: dict[str, tuple[str, str, Found, Clause]] = {}
    for clause in clauses:
        matches = list(_LANGUAGE_WORD.finditer(clause.text))
        if not matches:
            continue
        folded_clause = f" {normalise_label(clause.text)} "
        bilingual = any(f" {w} " in folded_clause for w in ("bilingue", "tweetalig", "bilingual"))
        for index, match in enumerate(matches):
            word = match.group().strip()
            code = LANGUAGE_NAMES.get(normalise_label(word))
            if code is None or (normalise_label(word) in _CODES and not (bilingual or "/" in clause.text)):
                continue
            if code in out:
                continue
            # The words that speak of this language: between the previous and the next language name, cut at
            # the commas and conjunctions around it ("Français courant, néerlandais de base").
            left = matches[index - 1].end() if index else 0
            right = matches[index + 1].start() if index + 1 < len(matches) else len(clause.text)
            before = _JOIN.split(clause.text[left:match.start()])[-1]
            after = _JOIN.split(clause.text[match.end():right])[0]
            level = _level(before + " " + after, bilingual) or _level_word(clause.text) or (
                "B2" if bilingual else DEFAULT_LEVEL)
            start = clause.start + match.start() + (len(match.group()) - len(match.group().lstrip()))
            out[code] = (code, level, Found(code, start, start + len(word), word), clause)
    return list(out.values())


_JOIN = re.compile(r",|;|\s(?:et|en|and|mais|maar|but|hebt|heeft)\s", re.IGNORECASE)


def _level(around: str, bilingual: bool) -> str | None:
    """A CEFR level written next to the language, else a level word there."""
    cefr = _CEFR.findall(around)
    return cefr[0] if cefr else _level_word(around)


def _level_word(text: str) -> str | None:
    folded = f" {normalise_label(text)} "
    for word, level in LEVEL_WORDS:
        if f" {word} " in folded:
            return level
    return None


_PER_WEEK = re.compile(r"(?<![\d/])(\d{1,2})\s*(?:h|u|uur|heures|hours|hrs)?\s*(?:/|par|per|a|à|an|p\.?)\s*"
                       r"(?:semaine|sem|week|wk)\b", re.IGNORECASE)
_FIGURE = re.compile(r"(?<![\d/:])(\d{1,2})\s*(?:h|u|uur|heures|hours)\b(?!\s*[-–àa]\s*\d|\d)", re.IGNORECASE)
_TIME_BEFORE = re.compile(r"(?:[-–à]|\bto|\btot|\ba)\s*$", re.IGNORECASE)
_RANGE = re.compile(r"\b(\d{1,2})\s*(?:h|u|uur)?\s*(?:à|a|to|tot|-|–)\s*(\d{1,2})\s*(?:h|u|uur|hours|heures)\b"
                    r"(?P<week>[^.\n\d]{0,15}(?:semaine|week)\b(?![-\s]end))?", re.IGNORECASE)
_SHARE = (
    (re.compile(r"\b4\s*/\s*5(?:de|e|th)?\b|\b4/5\b", re.IGNORECASE), 30),
    (re.compile(r"mi-temps|halftijds|half-time|part-time 19", re.IGNORECASE), 19),
    (re.compile(r"temps plein|full[- ]time|voltijds|fulltime|voltijdse", re.IGNORECASE), 38),
)


def hours(ad: str) -> Found | None:
    """Hours per week: a figure with a week around it, else a bare figure of hours that is no clock time,
    else full time (38), four fifths (30) or half time (19); None when the ad gives a range."""
    for match in _RANGE.finditer(ad):
        low, high = int(match.group(1)), int(match.group(2))
        if match.group("week") or (low >= 10 and 36 <= high <= 40):
            return None
    per_week = _PER_WEEK.search(ad)
    if per_week and 4 <= int(per_week.group(1)) <= 45:
        return Found(int(per_week.group(1)), per_week.start(), per_week.end(), per_week.group())
    for match in _FIGURE.finditer(ad):
        value = int(match.group(1))
        if 4 <= value <= 45 and not _TIME_BEFORE.search(ad[max(0, match.start() - 5):match.start()]):
            if not re.match(r"\s*(?:[-–à]|to\b|tot\b)", ad[match.end():match.end() + 4]):
                return Found(value, match.start(), match.end(), match.group())
    for pattern, value in _SHARE:
        found = pattern.search(ad)
        if found:
            return Found(value, found.start(), found.end(), found.group())
    return None


_SHIFT_WORDS: dict[str, tuple[str, ...]] = {
    "night": ("nuit", "nacht", "nachtwerk", "nachtdienst", "nachtploeg", "night", "nights"),
    "evening": ("soir", "soirs", "soiree", "soirees", "avond", "avonds", "avondploeg", "avondwerk", "evening",
                "evenings", "late", "laat"),
    "weekend": ("week end", "weekend", "weekends", "samedi", "samedis", "dimanche", "zaterdag", "zondag",
                "saturday", "saturdays", "sunday", "sundays"),
    "early_morning": ("tot le matin", "matinal", "matinale", "vroege", "vroeg", "early", "vroegdienst"),
    "day": ("de jour", "jour", "dagploeg", "dagdienst", "dagwerk", "day", "day shift", "day work",
            "en semaine", "monday to friday", "lundi au vendredi", "maandag tot vrijdag"),
}
_TIME = re.compile(r"\b(\d{1,2})\s*(?:h|u|am|pm|:)\s*(\d{2})?", re.IGNORECASE)


def shifts(clauses: list[Clause]) -> list[Found]:
    """Shifts named by words or read from clock times (before 7 early morning, after 18 evening)."""
    out: dict[str, Found] = {}
    for clause in clauses:
        folded = f" {normalise_label(clause.text)} "
        for shift, words in _SHIFT_WORDS.items():
            for word in words:
                if f" {word} " in folded and shift not in out:
                    out[shift] = Found(shift, clause.start, clause.start + len(clause.text), clause.text)
        times = [(int(m.group(1)), m) for m in _TIME.finditer(clause.text) if int(m.group(1)) <= 24]
        if len(times) >= 2 and any(ch in clause.text for ch in "-–àaAt"):
            first, last = times[0][0], times[-1][0]
            if "pm" in clause.text.lower() and last < 12:
                last += 12
            found = Found(None, clause.start, clause.start + len(clause.text), clause.text)
            if first < 7:
                out.setdefault("early_morning", Found("early_morning", found.start, found.end, found.text))
            if first < 18 and last > 8:
                out.setdefault("day", Found("day", found.start, found.end, found.text))
            if last > 18 or last < first:
                out.setdefault("evening", Found("evening", found.start, found.end, found.text))
    order = ("early_morning", "day", "evening", "night", "weekend")
    return [out[s] for s in order if s in out]


_CONTRACT = re.compile(
    r"(?P<art60>art(?:icle|ikel)?\.?\s*60)|(?P<internship>\bstage\b|internship|\bstagiair)"
    r"|(?P<permanent>\bCDI\b|dur[ée]e ind[ée]termin[ée]e|onbepaalde duur|vast(?:e)? (?:contract|job|betrekking)"
    r"|permanent|\bvast\b)"
    r"|(?P<temporary>\bCDD\b|dur[ée]e d[ée]termin[ée]e|bepaalde duur|int[ée]rim|uitzend|temporary|fixed[- ]term"
    r"|remplacement|vervanging|student)",
    re.IGNORECASE)


def contract(ad: str) -> Found | None:
    """The contract named first; an article 60 contract wins wherever it is named."""
    matches = list(_CONTRACT.finditer(ad))
    for match in matches:
        if match.lastgroup == "art60":
            return Found("art60", match.start(), match.end(), match.group())
    if matches:
        match = matches[0]
        return Found(match.lastgroup, match.start(), match.end(), match.group())
    return None


_POSTCODE = re.compile(r"(?<![\d,.:/])\b([1-9]\d{3})\b(?![\d,.:/]|\s*(?:h|u|uur|kg|km|m|€|eur|hours)\b)",
                       re.IGNORECASE)


def postcode(ad: str) -> Found | None:
    """The first Belgian-looking postcode (1000-9999) that is not a year, an amount or a time."""
    for match in _POSTCODE.finditer(ad):
        value = int(match.group(1))
        if 1900 <= value <= 2100 and not (1900 <= value <= 1999 and _brussels_context(ad, match)):
            continue  # a year ("depuis 2019"); the 19xx postcodes around Brussels need a place name
        return Found(match.group(1), match.start(), match.end(), match.group())
    return None


def _brussels_context(ad: str, match: re.Match) -> bool:
    after = ad[match.end(): match.end() + 20]
    return bool(re.match(r"\s+[A-Z]", after))


_LICENCE = re.compile(r"\b(?:permis(?:\s+de\s+conduire)?|rijbewijs|driving\s+licen[cs]e|licen[cs]e)\s+"
                      r"(AM|BE|B|C1E|C1|CE|C|D1E|D1|DE|D|G)\b", re.IGNORECASE)


def licence(clauses: list[Clause]) -> list[tuple[Found, Clause]]:
    """Driving licence categories the ad names, with their clause."""
    out = []
    for clause in clauses:
        for match in _LICENCE.finditer(clause.text):
            start = clause.start + match.start()
            out.append((Found(match.group(1).upper(), start, start + len(match.group()), match.group()), clause))
    return out


_TITLE_TAIL = re.compile(r"\s+[-–|]\s+.*$")
_FEMININE_TAIL = re.compile(r"(\w{3,})\s*/\s*-?(?:euse|rice|trice|ère|ere|e|se|ne|ice|esse|ster|maakster|-\w+)\b",
                            re.IGNORECASE)


def title(clauses: list[Clause]) -> Found | None:
    """The ad's first line without its place ("- Bruxelles 1000") or its gender markers."""
    first = next((c for c in clauses if c.line_no == 0), None)
    if first is None:
        return None
    text = _TITLE_TAIL.sub("", first.text).strip()
    return Found(text, first.start, first.start + len(text), text)


def occupation_query(title_text: str) -> str:
    """The title as a label to link: feminine endings glued with a slash dropped ("nettoyeur/euse")."""
    return _FEMININE_TAIL.sub(r"\1", title_text)
