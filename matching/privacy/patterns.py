"""Finders for personal data that has a textual shape: e-mail, URL, social handle, street address, birth date.

Each finder returns spans so the caller can mask what it found before the next one runs. Patterns are
written against ordinary CV and pitch language in French, Dutch and English: a street word alone
("mise en place", "rue") or a date alone ("disponible le 01/12/2026") is not personal data.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_I = re.IGNORECASE

# --- e-mail ---------------------------------------------------------------------------------------

# The local part takes every character RFC 5322 allows unquoted; the domain needs no dot ("jan@gmail").
_LOCAL_CHARS = r"[\w.!#$%&'*+/=?^`{|}~-]"
_EMAIL = re.compile(rf"(?<!{_LOCAL_CHARS}){_LOCAL_CHARS}+@[\w-]+(?:\.[\w-]+)*", _I)
# People hide addresses from scrapers: "jan [at] mail [dot] be", "jan(at)mail.be", "jan at mail dot be".
_BRACKET_AT = r"\s*[\[({<]\s*(?:at|a|@|arobase|apenstaart(?:je)?)\s*[\])}>]\s*"
_BRACKET_DOT = r"\s*[\[({<]\s*(?:dot|point|punt)\s*[\])}>]\s*"
_OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]+(?:{_BRACKET_AT}|\s+(?:at|arobase)\s+)[\w-]+"
    rf"(?:(?:{_BRACKET_DOT}|\s+(?:dot|point|punt)\s+|\.)[\w-]+)+",
    _I,
)
# Only the bare-word form needs a top-level domain at the end: "at" and "point" are ordinary words.
_BARE_WORD_EMAIL_TAIL = re.compile(r"(?:dot|point|punt)\s+[a-z]{2,6}$", _I)


def find_emails(text: str) -> list[Span]:
    spans = [m.span() for m in _EMAIL.finditer(text)]
    for match in _OBFUSCATED_EMAIL.finditer(text):
        found = match.group()
        if re.search(_BRACKET_AT, found, _I) or _BARE_WORD_EMAIL_TAIL.search(found):
            spans.append(match.span())
    return spans


# --- URL and social handle ------------------------------------------------------------------------

# Top-level domains that are not also the tail of an ordinary sentence missing its space
# ("nettoyage.De plus" must pass); the others count only when a path follows ("wa.me/32470...").
_STRONG_TLDS = "com|net|org|be|eu|nl|fr|lu|ro|bg|uk|io|info|biz|ly|tv|xyz|gg|ch|pl|cz|sk|hu|gr|rs|mk|tr|ru|ua|md"
# These are also words, so a capitalised one is a sentence that lost its space ("bureaux.Site propre").
_WORD_TLDS = "(?-i:app|dev|online|site|link|page|shop|store|club|live|blog|tech|email|gl)"
_WEAK_TLDS = "me|de|es|it|at|to|am|co|us|ca|pt|al|in|ma|dz|tn|ee|cc|bio|so|fm|id|ai|ws|la"
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_PATH = r"/[^\s<>\"']*"
# Addresses with a scheme or a path run before e-mails, so "tiktok.com/@jan" is a URL, not an e-mail.
_URL_WITH_PATH = re.compile(
    r"\b(?:https?://|ftp://|www\.)[^\s<>\"']+"
    rf"|(?<![\w@.-])(?:{_LABEL}\.)+(?:{_STRONG_TLDS}|{_WORD_TLDS}|{_WEAK_TLDS}){_PATH}",
    _I,
)
# Bare domains run after e-mails, so the domain of "jan@mail.be" is not also a URL.
_BARE_DOMAIN = re.compile(rf"(?<![\w@.-])(?:{_LABEL}\.)+(?:{_STRONG_TLDS}|{_WORD_TLDS})\b(?![.-]?\w)", _I)

_HANDLE = re.compile(r"(?<![\w@.])@[a-z_][\w.]{1,29}", _I)
# "insta: jan.p", "snap - janp", "fb : Jan Peeters": a platform name, a separator, a handle. The
# separator is required so that "gestion de page Facebook" stays a skill.
_PLATFORM_HANDLE = re.compile(
    r"\b(?:insta(?:gram)?|ig|fb|facebook|tik\s?tok|snap(?:chat)?|linkedin|twitter|telegram|discord"
    r"|youtube|skype)(?:\s*(?::|=|->|→)\s*|\s+-\s+)@?[\w.]{2,}",
    _I,
)


# A platform name and a handle without a separator: "insta jan.p99", "snap janp_be", "mon insta c'est janp".
# Without a separator the handle must look like one (a digit, an underscore or a dot inside), so that
# "Facebook page" and "TikTok videos" stay skills; after "is", "c'est", "=" anything goes.
_PLATFORM_WORD = (
    r"insta(?:gram)?|ig|fb|facebook|tik\s?tok|snap(?:chat)?|linkedin|twitter|telegram|discord|youtube|skype"
    r"|whatsapp|signal|viber|threads|bluesky"
)
_PLATFORM_HANDLE_LOOSE = re.compile(
    rf"\b(?:{_PLATFORM_WORD})\s*/\s*@?(?!(?:{_PLATFORM_WORD}|x)\b)[\w.]{{2,30}}"
    rf"|\b(?:{_PLATFORM_WORD})\s+@?(?=[\w.]*[^\W\d_])(?=[\w.]*[\d_.][\w.]*[^\W_.])[\w.]{{3,30}}"
    rf"|\b(?:mon|ma|mijn|my|meu|contul\s+meu\s+de)\s+(?:{_PLATFORM_WORD})\s*(?:c'est|est|is|=|e|este|:)?\s+@?[\w.]{{2,}}",
    _I,
)


def find_urls_with_path(text: str) -> list[Span]:
    return [m.span() for m in _URL_WITH_PATH.finditer(text)]


# Microsoft's framework names products the way a domain is written ("ASP.NET", "VB.net", "Paint.NET"): a
# skill label, not an address. A ".NET" in capitals, or ".net" after a one-word name in capitals, is read as
# the framework; a personal domain is written in lower case.
_DOT_NET_PRODUCT = re.compile(r"(?:[A-Za-z][\w+#-]*\.NET|[A-Z][A-Z0-9+#]*\.net)")


def find_bare_domains(text: str) -> list[Span]:
    return [m.span() for m in _BARE_DOMAIN.finditer(text) if not _DOT_NET_PRODUCT.fullmatch(m.group())]


def find_social_handles(text: str) -> list[Span]:
    return [m.span() for pattern in (_HANDLE, _PLATFORM_HANDLE, _PLATFORM_HANDLE_LOOSE) for m in pattern.finditer(text)]


# An e-mail put back together from "at"/"arobase"/"chez" and "dot"/"punt" words or spaced-out letters: the
# words are ordinary ("stage chez Colruyt"), so the address must end in a known top-level domain or a
# mail provider's name.
_MAIL_PROVIDERS = r"gmail|hotmail|yahoo|outlook|live|msn|icloud|skynet|telenet|proximus|abv|yandex|mail|gmx|protonmail"
_REBUILT_EMAIL = re.compile(
    rf"(?<![\w.+-])[\w.+-]+@(?:(?:{_LABEL}\.)+(?:{_STRONG_TLDS}|{_WEAK_TLDS}|{_WORD_TLDS})(?![\w-])"
    rf"|(?:{_MAIL_PROVIDERS})(?![\w-]))",
    _I,
)


def find_rebuilt_emails(text: str) -> list[Span]:
    return [m.span() for m in _REBUILT_EMAIL.finditer(text)]


# --- street address -------------------------------------------------------------------------------

# Street words that are nothing else in a CV. Ambiguous ones ("place" as in "mise en place", "route",
# "weg") count only when a capitalised street name sits between them and the number.
# Abbreviations and the street words of Romanian and Bulgarian addresses are here too ("r. de la Loi 16",
# "str. Lipscani 5", "ul. Vitosha 3", "ул. Витоша 15", "бул. България 1", "ж.к. Младост 1").
_STREET_STRICT = (
    r"rue|r\.|avenue|av\.?|ave\.?|boulevard|bd\.?|bld\.?|blvd\.?|chauss[ée]e|ch[ée]e\.?|chss\.?|impasse|all[ée]e"
    r"|dr[èe]ve|rond-point|parvis|straat|str\.?|steenweg|stwg\.?|dreef|kaai|strada|bulevardul|b-?dul\.?|bdul\.?"
    r"|[șşs]os\.|[șşs]oseaua|aleea|ul\.|ulica|ulitsa|bul\.|ул\.?|улица|бул\.?|булевард|ж\.\s?к\.|жк"
)
_STREET_LOOSE = (
    r"place|pl\.|sq\.|chemin|quai|square|clos|sentier|galerie|passage|cour|route|lei|plein|weg|laan|lane"
    r"|street|road|rd\.|ch\.|calea|pia[țţt]a|пл\.|площад"
)
_NAME_WORD = r"[^\W\d_][\w'’-]*\.?"
_NAME_WORDS = rf"(?:{_NAME_WORD}\s+){{0,5}}{_NAME_WORD}"
# The number group ends at the last digit so that a quantity check sees "10u" and "5m" as units.
_HOUSE_NUMBER = (
    r"(?:n[°o]\.?\s*|nr\.?\s*|num[ée]ro\s+|nummer\s+|number\s+|num[aă]rul\s+)?"
    r"(?P<num>[0-9]{1,4})(?:[a-z](?!\w))?(?![\w,.:]?[0-9])"
)
# A number followed by one of these is a quantity ("dans la rue 3 ans"), or an ordinal ("2e étage").
_NOT_HOUSE = re.compile(
    r"(?:e|er|ère|re|ème|de|ste|st|nd|rd|th)\b|\s*(?:%|€|eur|euros?|h|u|uur|uren|heures?|hours?|ans?|années?"
    r"|jaar|jaren|years?|mois|maanden|months?|semaines?|weken|weeks?|jours?|dagen|dag|days?|min|minutes?"
    r"|minuten|km|m|x|fois|keer|times|personnes|personen|people|kg|t|postes?|étages?|verdiepingen?)\b",
    _I,
)
_STREET_FIRST = re.compile(
    rf"(?<![\w-])(?P<word>{_STREET_STRICT}|{_STREET_LOOSE})\s+(?P<name>{_NAME_WORDS}),?\s+{_HOUSE_NUMBER}",
    _I,
)
_NUMBER_FIRST = re.compile(
    rf"(?<![\w,.])(?P<num>[0-9]{{1,4}}[a-z]?),?\s+(?:(?:de\s+la|de\s+l'|du|de)\s+)?"
    rf"(?P<word>{_STREET_STRICT}|{_STREET_LOOSE})\s+(?P<name>{_NAME_WORDS})",
    _I,
)
# Dutch glues the street word to the name: "Kerkstraat 5", "Leuvensesteenweg 12 bus 3", "Meir 5" aside.
_DUTCH_COMPOUND = re.compile(
    rf"(?<![\w'’-])[^\W\d_](?:[^\W\d_]|[-'’](?=[^\W\d_]))+?(?:straat|steenweg|laan|lei|plein|weg|dreef|kaai|dijk"
    rf"|baan|singel|vest|gracht|markt|hof|pad|veld|berg|park|plaats|werf|dam|hoek|kouter|dal|gaarde|wal|str\.?|stwg\.?)"
    rf"\s+{_HOUSE_NUMBER}",
    _I,
)
# Or puts a capitalised name before it: "Grote Markt 7", "Oude Baan 12".
_DUTCH_SEPARATE = re.compile(
    rf"(?<![\w'’-])(?-i:[A-Z])[\w'’-]+\s+(?:markt|plein|straat|laan|steenweg|dreef|kaai|lei|weg|baan|dijk"
    rf"|vest|singel)\s+{_HOUSE_NUMBER}",
    _I,
)
# English order: "12 Baker Street".
_ENGLISH = re.compile(
    r"(?<![\w,.])[0-9]{1,4}[a-z]?\s+(?:[A-Z][\w'-]+\s+){1,3}(?:Street|St\.?|Road|Rd\.?|Lane|Avenue|Ave\.?|Close|Drive"
    r"|Dr\.)(?!\w)"
)
_LOOSE_WORD = re.compile(rf"(?:{_STREET_LOOSE})$", _I)
_YEAR = re.compile(r"19[5-9][0-9]|20[0-3][0-9]")
_PARTICLES = {"de", "du", "des", "la", "le", "les", "l", "d", "van", "der", "den", "het", "of", "the", "sur", "aux"}


def _is_house_number(text: str, end: int) -> bool:
    return _NOT_HOUSE.match(text, end) is None


def _has_street_name(word: str, name: str) -> bool:
    if not _LOOSE_WORD.fullmatch(word):
        return True
    # The first word after the particles must be capitalised: "place Flagey", "Place de la Monnaie",
    # but not "mise en place de trois postes" nor Romanian "500 lei pe lună".
    words = [w for w in name.split() if w.lower().strip(".'’") not in _PARTICLES]
    return bool(words) and words[0][:1].isupper()


# Bulgarian and Romanian addresses put the street name in quotes: "ул. „Витоша“ № 15".
_QUOTES = re.compile("[„“”«»\"‚‘’]")


def find_street_addresses(text: str) -> list[Span]:
    text = _QUOTES.sub(" ", text)  # one character for one, so the spans still fit the text
    spans: list[Span] = []
    for match in _STREET_FIRST.finditer(text):
        if _has_street_name(match["word"], match["name"]) and _is_house_number(text, match.end("num")):
            spans.append(match.span())
    for match in _NUMBER_FIRST.finditer(text):
        if _has_street_name(match["word"], match["name"]) and _is_house_number(text, match.end("num")):
            # "12 rue de la Loi": the number comes first, so it must not be a quantity ("3 rue" is odd
            # enough) and the name carries the weight; the strict word list keeps this rare.
            spans.append(match.span())
    for pattern in (_DUTCH_COMPOUND, _DUTCH_SEPARATE):
        for match in pattern.finditer(text):
            # These suffixes also end ordinary words ("arbeidsmarkt 2019"), so a year is not a number.
            if _is_house_number(text, match.end("num")) and not _YEAR.fullmatch(match["num"]):
                spans.append(match.span())
    spans.extend(m.span() for m in _ENGLISH.finditer(text))
    return spans


# --- birth date -----------------------------------------------------------------------------------

_MONTHS = (
    r"janv(?:ier)?|f[ée]v(?:rier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|sept?(?:embre)?|oct(?:obre)?"
    r"|nov(?:embre)?|d[ée]c(?:embre)?|januari|februari|maart|april|mei|juni|juli|augustus|september"
    r"|oktober|november|december|jan|feb|mrt|apr|jun|jul|aug|okt|dec|january|february|march|may|june"
    r"|july|august|october|ianuarie|februarie|martie|aprilie|iunie|iulie|septembrie|octombrie|noiembrie"
    r"|decembrie"
)
_DATE = (
    r"(?<![0-9])(?:[0-9]{1,2}\s?[/.\-]\s?[0-9]{1,2}\s?[/.\-]\s?(?:[0-9]{4}|[0-9]{2})"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-3][0-9][01][0-9](?:19|20)[0-9]{2}"
    rf"|[0-9]{{1,2}}(?:er|e|st|nd|rd|th)?\.?\s+(?:{_MONTHS})\.?,?\s+[0-9]{{4}}"
    rf"|(?:{_MONTHS})\.?\s+[0-9]{{1,2}}(?:st|nd|rd|th)?,?\s+[0-9]{{4}})(?![0-9])"
)
# Unaccented "ne" is the French negation unless "le" follows ("ne le 12/03/1990").
_BORN = r"née?s?|nee?(?=\s+(?:le|en)\b)|geboren|geb\.?|born|n[ăa]scut[ăa]?|родена?|nacid[oa]"
_BIRTH_NOUN = (
    r"naissance|naiss\.?|ddn|d\.?n\.?(?=\s*:)|geboortedatum|geboortejaar|birth\w*|d\.?o\.?b\.?"
    r"|data\s+na[șşs]terii|дата\s+на\s+раждане|do[ğg]um\w*"
)
# "né le 12/03/1990", "geboren op 12 maart 1990 te Gent", "DOB: 1990-03-12", "date de naissance : ...".
_BIRTH_BEFORE = re.compile(rf"\b(?:{_BORN}|{_BIRTH_NOUN})(?!\w)[^.;\n]{{0,30}}?{_DATE}", _I)
# "12/03/1990 (date de naissance)".
_BIRTH_AFTER = re.compile(rf"{_DATE}\s*[(,:\-–]?\s*(?:date\s+(?:de|of)\s+)?(?:{_BIRTH_NOUN})\b", _I)
# The Belgian degree sign for "born": "°12/03/1990", "° 1990"; and a year of birth, which gives away the
# age as surely as a full date: "né en 1990", "born in 1990", "geboren in 1990".
_BIRTH_SIGN = re.compile(rf"°\s?(?:{_DATE}|(?:19|20)[0-9]{{2}}(?![0-9]))", _I)
_BIRTH_YEAR = re.compile(
    r"(?<!\w)(?:née?|ne(?=\s+en\b)|born|geboren|n[ăa]scut[ăa]?|роден[аи]?)\s+(?:en|in|în|op|on|le|la|в|през)?\s*"
    r"(?:19|20)[0-9]{2}(?![0-9])",
    _I,
)
# A year of birth cut to two digits, or a date with such a year: "né en 90", "born in '92", "né le 12 mars 90",
# "geboren op 3 mei 88". Only after a word for birth: alone, "90" is anything.
_BIRTH_SHORT_YEAR = re.compile(
    rf"\b(?:née?|ne(?=\s+(?:en|le)\b)|born|geboren|n[ăa]scut[ăa]?|(?:{_BIRTH_NOUN})\s*:?)\s+(?:(?:en|in|în|op|on|le|la|pe)\s+)?"
    rf"(?:(?:the\s+)?[0-9]{{1,2}}(?:er|e|st|nd|rd|th)?\.?\s+(?:of\s+)?(?:{_MONTHS})\.?,?\s+"
    rf"|(?:{_MONTHS})\.?\s+(?:the\s+)?[0-9]{{1,2}}(?:st|nd|rd|th)?,?\s+)?['’]?[0-9]{{2}}"
    r"(?![0-9]|\s*(?:%|h\b|u\b|ans|jaar|years|km|x\b))",
    _I,
)


# "né(e) en 1990", "année de naissance : 1990", "geboortejaar 1990", "year of birth 1990".
_BIRTH_YEAR_NOUN = re.compile(
    r"\b(?:n[ée]\(e\)|ann[ée]e\s+de\s+naissance|geboortejaar|year\s+of\s+birth|birth\s*year|anul\s+na[șşs]terii"
    r"|година\s+на\s+раждане|(?:date\s+de\s+)?naissance|geboren|born|n[ăa]scut[ăa]?)\s*[:\-]?\s*(?:en|in|în|le|op)?\s*"
    r"(?:19|20)[0-9]{2}(?![0-9])",
    _I,
)


# A place between the word and the year: "né à Bucarest en 1990", "geboren te Sofia in 1990"; or the Dutch
# order "ik ben in 1990 geboren", "1990 geboren".
_BIRTH_PLACE_YEAR = re.compile(
    r"\b(?:née?|born|geboren|n[ăa]scut[ăa]?|роден[аи]?)\s+(?:à|a|au|in|te|la|în|в)\s+[^\W\d_][\w'-]*"
    r"(?:\s+[^\W\d_][\w'-]*)?,?\s+(?:en|in|op|on|le|în|в|през)?\s*(?:19|20)[0-9]{2}(?![0-9])"
    r"|(?<![0-9])(?:19|20)[0-9]{2}\s+geboren\b",
    _I,
)


def find_birth_dates(text: str) -> list[Span]:
    spans: list[Span] = []
    for pattern in (_BIRTH_BEFORE, _BIRTH_AFTER, _BIRTH_SIGN, _BIRTH_YEAR, _BIRTH_YEAR_NOUN, _BIRTH_SHORT_YEAR,
                    _BIRTH_PLACE_YEAR):
        spans.extend(m.span() for m in pattern.finditer(text))
    return spans
