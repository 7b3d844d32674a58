"""Undo the writing tricks that hide personal data from the finders, before any finder runs.

A screen that matches patterns is only as good as the text it reads. People (and anyone trying to get
round the screen) write a phone number with Arabic-Indic digits, put zero-width spaces or bidirectional
marks inside it, type "O" for zero, spell it out in words, space out an e-mail letter by letter or write
"Rue" with a Cyrillic "е". Each finder would have to know every trick; instead, `views_of` turns a text
into a few normalised forms once and the finders read those:

- `latin`: NFKC, every format character (Unicode category Cf) and stray combining mark removed, every
  decimal digit of any script made ASCII, every letter that looks Latin (Cyrillic, Greek...) made Latin;
- `script`: the same but with the letters of other alphabets kept, and Latin look-alikes inside a
  Cyrillic word made Cyrillic, for finders that read Cyrillic words ("ул. Витоша 15", "казвам се");
- `numeric`: `latin` with numbers written in words made digits, "O" for zero inside digit runs made "0"
  and odd separators inside digit runs ("0470_12·34•56") made spaces;
- `spaced`: `numeric` with letter-spaced runs ("j a n @ g m a i l . c o m") closed up and "at", "arobase",
  "apenstaartje", "dot", "punt"... made "@" and ".", for the e-mail and address finders only;
- `folded` and `script_folded`: lower case without accents, apostrophes made plain, for word finders.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from confusable_homoglyphs.confusables import confusables_data

from matching.privacy.number_words import numbers_to_digits

_LATIN_LETTER = re.compile(r"[A-Za-z]")


def _latin_look_alikes() -> dict[str, str]:
    """Every letter of another script that Unicode's confusables data says looks like an ASCII letter."""
    table: dict[str, str] = {}
    for char, homoglyphs in confusables_data.items():
        if len(char) != 1 or char.isascii() or not unicodedata.category(char).startswith("L"):
            continue
        if unicodedata.name(char, "").startswith("LATIN"):
            continue  # accented Latin letters are folded where a finder needs it, not here
        for homoglyph in homoglyphs:
            if len(homoglyph["c"]) == 1 and _LATIN_LETTER.fullmatch(homoglyph["c"]):
                table[char] = homoglyph["c"]
                break
    return table


# Letters whose nearest look-alike in Unicode's data is not ASCII (Greek "ε" is listed as Latin "ɛ"), but
# which are typed for the Latin letter all the same.
_MORE_LOOK_ALIKES = {"ε": "e", "Ε": "E", "ι": "i", "κ": "k", "τ": "t", "υ": "u", "ω": "w", "η": "n", "г": "r", "п": "n",
                     "и": "u", "т": "t", "к": "k", "ч": "u", "ь": "b", "ɛ": "e", "ɑ": "a", "ı": "i", "ȷ": "j"}
_LOOK_ALIKES = _latin_look_alikes() | _MORE_LOOK_ALIKES
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_DROPPED_CATEGORIES = {"Cf", "Mn", "Me"}  # format characters, and marks NFKC could not join to a letter


_PLAIN_PUNCTUATION = {"⁄": "/", "∕": "/", "。": ".", "｡": ".", "﹫": "@", "＠": "@"}


# Letters and symbols that print as nothing although they are not format characters: Hangul fillers and
# the blank Braille pattern are the usual invisible padding.
_BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


@lru_cache(maxsize=4096)
def _plain_char(char: str) -> str:
    """The character with invisible marks dropped, digits of any script made ASCII, and any dash a hyphen."""
    category = unicodedata.category(char)
    if category in _DROPPED_CATEGORIES or char in _BLANK_LETTERS:
        return ""
    if category == "Nd":
        return str(unicodedata.decimal(char))
    if category == "No" and unicodedata.digit(char, None) is not None:
        return str(unicodedata.digit(char))  # dingbat and circled digits NFKC leaves alone: "➊", "❷"
    if category == "Pd":
        return "-"  # en and em dashes, the Unicode hyphen: "0470–12–34–56"
    return _PLAIN_PUNCTUATION.get(char, char)


# In a word that has Cyrillic letters, Latin look-alikes typed among them are Cyrillic: "бyл." is "бул.".
_CYRILLIC_WORD = re.compile(r"\w*[\u0400-\u04ff]\w*")
_TO_CYRILLIC = str.maketrans("aceopxyABCEHKMOPTXYkmht", "асеорхуАВСЕНКМОРТХУкмнт")


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda m: _plain_char(m.group()), text)


# A word typed wholly in Latin look-alikes next to a Cyrillic word is Cyrillic too: "Казвам ce Иван" has a
# Latin "ce" ("се", "myself"), which no Cyrillic phrase would match.
_LOOK_ALIKE_WORD_BESIDE_CYRILLIC = re.compile(
    r"(?<=[\u0400-\u04ff][\s,])[aceopxyABCEHKMOPTXYkmht]+(?![\w])"
    r"|(?<![\w])[aceopxyABCEHKMOPTXYkmht]+(?=[\s,]+\w*[\u0400-\u04ff])"
)


def _cyrillic(text: str) -> str:
    if text.isascii():
        return text
    text = _CYRILLIC_WORD.sub(lambda m: m.group().translate(_TO_CYRILLIC), text)
    return _LOOK_ALIKE_WORD_BESIDE_CYRILLIC.sub(lambda m: m.group().translate(_TO_CYRILLIC), text)


def _latin(text: str) -> str:
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda m: _LOOK_ALIKES.get(m.group(), m.group()), text)


# "O47O 12 34 56", "o451·oo·50": groups of digits and the letter O, joined by separators, that hold a digit
# and touch no other letter.
_O_FOR_ZERO = re.compile(
    r"(?<![^\W\d_])(?=[0-9Oo \t._·•‧∙⋅・|~*#=,/\\':;-]*[0-9])[0-9Oo]+(?:[ \t._·•‧∙⋅・|~*#=,/\\':;-]{1,3}[0-9Oo]+)*"
    r"(?![^\W\d_])"
)
# Separators nobody puts inside an ordinary figure, whatever spaces surround them: "0470_12·34•56".
_ODD_SEPARATOR = re.compile(r"(?<=[0-9])\s*[_·•‧∙⋅・|~*#=]+\s*(?=[0-9])")
# A comma glued between digits ("0470,12,34,56"); "1.850,00" becomes "1.850 00", still no phone.
_GLUED_COMMA = re.compile(r"(?<=[0-9]),(?=[0-9])")


# Four and more groups joined by slashes are not a date: "0470/12/34/56".
# Ten digits typed one by one with spaces, dots or dashes between them: "0 4 7 0 1 2 3 4 5 6".
_SINGLE_DIGITS = re.compile(r"(?<![0-9])[0-9](?:(?:[ .\-]| ?/ ?)[0-9]){5,}(?![0-9])")
# In a run that is already a long number, "l" and "I" stand for one: "0470 l2 34 56".
_ONE_AS_LETTER = re.compile(
    r"(?<![^\W\d_])(?=(?:[^0-9]*[0-9]){6})[0-9lI]+(?:[ .\-/][0-9lI]+)*(?![^\W\d_])"
)
_SLASHED_GROUPS = re.compile(r"(?<![0-9/\-])[0-9]+(?:/[0-9]+){3,}(?![0-9/\-])")
# The same with backslashes, apostrophes, colons or semicolons: "0470\12\34\56", "0470:12:34:56". A time
# has three groups at most ("12:30:00"), so four and more are a number written in groups.
_OTHER_GROUPED = re.compile(r"(?<![0-9])[0-9]+(?P<sep>[\\':;])[0-9]+(?:(?P=sep)[0-9]+){2,}(?![0-9])")


# "plus trente-deux ..." is "+32 ...", "le premier mars" is "le 1 mars".
_PLUS_WORD = re.compile(r"\bplus\s+(?=[0-9])", re.IGNORECASE)
_FIRST_OF_MONTH = re.compile(
    r"\b(?:premier|premi[èe]re|eerste|first)(?=\s+(?:of\s+)?(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t"
    r"|septembre|octobre|novembre|d[ée]cembre|januari|februari|maart|april|mei|juni|juli|augustus|september|oktober"
    r"|november|december|january|february|march|may|june|july|august|october)\b)",
    re.IGNORECASE,
)


# Ordinal days in words, read before a month ("the twelfth of March", "twaalfde maart") or after one
# ("March twelfth"): English and Dutch write dates with them.
_EN_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
                "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
                "nineteenth": 19, "twentieth": 20, "thirtieth": 30}  # fmt: skip
_NL_ORDINALS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "vijfde": 5, "zesde": 6, "zevende": 7,
                "achtste": 8, "negende": 9, "tiende": 10, "elfde": 11, "twaalfde": 12, "dertiende": 13,
                "veertiende": 14, "vijftiende": 15, "zestiende": 16, "zeventiende": 17, "achttiende": 18,
                "negentiende": 19, "twintigste": 20, "dertigste": 30}  # fmt: skip
_NL_UNIT_WORDS = {"een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9}
_ORDINAL_VALUES = dict(_EN_ORDINALS)
_ORDINAL_VALUES.update(_NL_ORDINALS)
for _tens_word, _tens in (("twenty", 20), ("thirty", 30)):
    for _unit_word, _unit in list(_EN_ORDINALS.items())[:9]:
        _ORDINAL_VALUES[f"{_tens_word}-{_unit_word}"] = _ORDINAL_VALUES[f"{_tens_word} {_unit_word}"] = _tens + _unit
for _unit_word, _unit in _NL_UNIT_WORDS.items():
    for _tens_word, _tens in (("twintigste", 20), ("dertigste", 30)):
        _ORDINAL_VALUES[f"{_unit_word}en{_tens_word}"] = _ORDINAL_VALUES[f"{_unit_word}ën{_tens_word}"] = _tens + _unit
_MONTH_NAMES = (
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|januari"
    r"|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|january|february|march"
    r"|may|june|july|august|october"
)
_ORDINAL_WORD = "|".join(sorted(map(re.escape, _ORDINAL_VALUES), key=len, reverse=True))
_ORDINAL_DAY = re.compile(
    rf"\b(?P<before>{_ORDINAL_WORD})(?=\s+(?:of\s+)?(?:{_MONTH_NAMES})\b)"
    rf"|\b(?P<month>{_MONTH_NAMES})(?P<sep>\s+(?:the\s+)?)(?P<tens>[23]0[- ])?(?P<after>{_ORDINAL_WORD})\b",
    re.IGNORECASE,
)
# "nineteen ninety", "douze", "12" are already digits here; "of" and "the" around an ordinal day are words.
_DAY_OF_MONTH = re.compile(rf"\b([0-9]{{1,2}})(?:st|nd|rd|th)?\s+of\s+(?=(?:{_MONTH_NAMES})\b)", re.IGNORECASE)


# "twenty-first" reaches the ordinals as "20-first", its tens already made digits: "20-1" is 21.
_TENS_AND_ORDINAL_UNIT = re.compile(rf"\b([23]0)[- ]([1-9])(?=\s+(?:of\s+)?(?:{_MONTH_NAMES})\b)", re.IGNORECASE)


def _ordinal_digits(match: re.Match[str]) -> str:
    if match["before"]:
        return f"{_ORDINAL_VALUES[match['before'].lower()]}"
    tens = int(match["tens"][:2]) if match["tens"] else 0  # "twenty-second" is "20-second" by now
    return f"{match['month']}{match['sep']}{tens + _ORDINAL_VALUES[match['after'].lower()]}"


def _numeric(text: str) -> str:
    # "O" for zero first, so that the number-word reader sees figures: "O45O OO OO OO Two years" must
    # keep the count apart from the phone number.
    text = _O_FOR_ZERO.sub(lambda m: m.group().replace("O", "0").replace("o", "0"), text)
    text = numbers_to_digits(text)
    text = _ORDINAL_DAY.sub(_ordinal_digits, text)
    text = _TENS_AND_ORDINAL_UNIT.sub(lambda m: str(int(m[1]) + int(m[2])), text)
    text = _DAY_OF_MONTH.sub(r"\1 ", text)
    text = _PLUS_WORD.sub("+", text)
    text = _FIRST_OF_MONTH.sub("1", text)
    text = _O_FOR_ZERO.sub(lambda m: m.group().replace("O", "0").replace("o", "0"), text)  # "zero four 7O"
    text = _SLASHED_GROUPS.sub(lambda m: m.group().replace("/", " "), text)
    text = _OTHER_GROUPED.sub(lambda m: m.group().replace(m["sep"], " "), text)
    text = _SINGLE_DIGITS.sub(lambda m: "".join(c for c in m.group() if c.isdigit()), text)
    text = _ONE_AS_LETTER.sub(lambda m: m.group().replace("l", "1").replace("I", "1"), text)
    text = _ODD_SEPARATOR.sub(" ", text)
    return _GLUED_COMMA.sub(" ", text)


# Three or more single characters each followed by one space: "j a n . p @ g m a i l . c o m".
_LETTER_SPACED = re.compile(r"(?<!\S)(?:\S[ \t]){2,}\S(?!\S)")
# Wrappers may be doubled or slashes: "jan__at__gmail", "jan/at/gmail/dot/com".
_OPEN, _CLOSE = r"[\[({<\"'*_/-]{1,3}", r"[\])}>\"'*_/-]{1,3}"
_AT_WORD = re.compile(
    rf"\s*{_OPEN}\s*(?:at|a|@|arobase|arrobase|apenstaartje|apenstaart|chez|bij)\s*{_CLOSE}\s*"
    r"|\s+(?:at|@|arobase|arrobase|apenstaartje|apenstaart|chez|bij)\s+",
    re.IGNORECASE,
)
_DOT_WORD = re.compile(
    rf"\s*{_OPEN}\s*(?:dot|punt|point|pt|\.)\s*{_CLOSE}\s*|\s+(?:dot|punt|point)\s+|\s+\.\s+", re.IGNORECASE
)


# The same with dashes or underscores: "j-a-n @ g-m-a-i-l".
_LETTER_DASHED = re.compile(r"(?<![\w-])(?:\w[-_]){2,}\w(?![\w-])")


# "jan @gmail.com", "jan@gmail .com": spaces on one side of "@", or before the dot of a top-level domain.
_SPACE_AT = re.compile(r"(?<=\w)\s+@(?=\w)|(?<=\w)@\s+(?=\w)")
# Only after an "@": "Visual Studio .NET" is a product.
_SPACE_DOT_TLD = re.compile(
    r"(@[\w-]+(?:\.[\w-]+)*)\s*\.\s*(com|be|fr|nl|eu|net|org|ro|bg|uk|de|lu|info)\b", re.IGNORECASE
)


def _spaced(text: str) -> str:
    text = re.sub(r"@{2,}", "@", text)  # "jan@@gmail.com"
    text = _LETTER_SPACED.sub(lambda m: m.group().replace(" ", "").replace("\t", ""), text)
    text = _LETTER_DASHED.sub(lambda m: m.group()[::2], text)
    text = _SPACE_AT.sub("@", text)
    text = _SPACE_DOT_TLD.sub(r"\1.\2", text)
    text = _AT_WORD.sub("@", text)
    return _DOT_WORD.sub(".", text)


_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "´": "'", "ʻ": "'"})


def plain_apostrophes(text: str) -> str:
    """Every apostrophe-like character made "'", case and accents kept: "I’m" -> "I'm"."""
    return text.translate(_APOSTROPHES)


def fold(text: str) -> str:
    """Lower case, no accents, plain apostrophes: "Âgée de" -> "agee de", "mă numesc" -> "ma numesc"."""
    text = text.casefold().translate(_APOSTROPHES)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


@dataclass(frozen=True, slots=True)
class Views:
    latin: str
    script: str
    numeric: str
    spaced: str
    folded: str
    script_folded: str


def numeric_form(latin: str) -> str:
    """How the `numeric` view reads a piece of the `latin` view."""
    return _numeric(latin)


def views_of(text: str) -> Views:
    plain = _plain(text)
    latin = _latin(plain)
    script = _cyrillic(plain)
    numeric = _numeric(latin)
    folded = fold(numeric)
    return Views(
        latin=latin,
        script=script,
        numeric=numeric,
        spaced=_spaced(numeric),
        folded=folded,
        script_folded=folded if script == latin else fold(numbers_to_digits(script)),
    )
