"""Numbers written in French, Dutch or English words, turned into digits so the number finders see them.

"zéro quatre septante-deux douze trente-quatre" -> "04721234", "mille neuf cent quatre-vingt-dix" ->
"1990", "negentienhonderd negentig" -> "1990", "nineteen ninety" -> "1990", "vierendertig" -> "34".
Words in a row are read as one number while the grammar allows it (French "quatre-vingt-dix", English
"nineteen hundred and ninety"), and numbers that follow each other are written one after the other,
which is how people dictate a phone number or a year ("nineteen ninety", "zero four seven").

Some number words are also ordinary words: French "un", "une", "neuf" (new), "cent" (as in per cent),
"sept." (September); Dutch "een" (a), "onze" (our), "ten" (at), "nul"; English "one", "ten". Alone they
are left as they are; next to another number word they count.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_UNITS = {
    # French
    "zero": 0, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
    "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "septante": 70, "huitante": 80, "octante": 80, "nonante": 90, "cent": 100, "cents": 100, "mille": 1000,
    # English
    "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    # Dutch (compounds such as "vierendertig" are read by _dutch_value)
    "nul": 0, "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20, "dertig": 30,
    "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70, "tachtig": 80, "negentig": 90,
    "honderd": 100, "duizend": 1000,
}  # fmt: skip
_FRENCH_TEENS_AFTER = {"soixante", "vingt", "vingts"}  # "soixante-dix", "quatre-vingt-onze": French only
# Words that are number words only next to another number word (see the module docstring).
_AMBIGUOUS = {"un", "une", "neuf", "cent", "cents", "sept", "mille", "een", "onze", "ten", "nul", "oh", "one", "elf",
              "seize", "acht"}
_JOINERS = {"et", "and", "en"}  # "vingt et un", "a hundred and five", "honderd en vijf"

_DUTCH_UNIT = "een|twee|drie|vier|vijf|zes|zeven|acht|negen"
_DUTCH_TENS = "twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig"
_DUTCH_UNIT_AND_TENS = re.compile(rf"({_DUTCH_UNIT})e?n({_DUTCH_TENS})")


def _dutch_value(word: str) -> int | None:
    """Dutch writes numbers as one word: "vierendertig", "negentienhonderdnegentig", "tweeduizendvijf"."""
    if word in _UNITS:
        return _UNITS[word]
    for multiplier_word, multiplier in (("duizend", 1000), ("honderd", 100)):
        head, found, tail = word.partition(multiplier_word)
        if found:
            left = _dutch_value(head) if head else 1
            right = _dutch_value(tail.removeprefix("en")) if tail else 0
            if left is None or right is None or left >= multiplier or right >= multiplier:
                return None
            return left * multiplier + right
    match = _DUTCH_UNIT_AND_TENS.fullmatch(word)
    if match:
        return _UNITS[match[1]] + _UNITS[match[2]]
    return None


@lru_cache(maxsize=16384)
def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=16384)  # the same few thousand words come back in every text
def _word_value(word: str) -> int | None:
    folded = _fold_word(word)
    return _UNITS.get(folded) if folded in _UNITS else _dutch_value(folded)


class _Reader:
    """Reads a sequence of values as numbers, following how fr/nl/en build them from words."""

    def __init__(self) -> None:
        self.numbers: list[str] = []
        self.total = 0  # thousands read so far
        self.group = 0  # the part under a thousand
        self.open = False
        self.teens_may_follow = False  # the last word was French "soixante" or "(quatre-)vingt"
        self.after_quatre = False  # the last word was French "quatre": "quatre vingt" is 80, "four twenty" is not

    def close(self) -> None:
        if self.open:
            self.numbers.append(str(self.total + self.group))
        self.total, self.group, self.open = 0, 0, False

    def _extends(self, value: int) -> bool:
        if not self.open or value == 0 or self.group + self.total == 0:
            return False
        low = self.group % 100
        if value == 1000:
            return self.total == 0
        if value == 100:
            return 0 < self.group < 100
        if low == 0:
            return True  # "cent vingt", "mille neuf", "honderd vijf"
        if low % 10 == 0 and low >= 20 and value < 10:
            return True  # "vingt-trois", "twenty one", "soixante-dix-sept" (70 + 7)
        if low in (60, 80) and 10 <= value <= 19 and self.teens_may_follow:
            return True  # "soixante-dix", "quatre-vingt-onze"; Dutch "tachtig elf" is two numbers
        if low == 10 and 7 <= value <= 9:
            return True  # "dix-sept", "dix-huit", "dix-neuf"
        return low == 4 and value == 20 and self.after_quatre  # "quatre-vingt"

    def add(self, value: int, word: str = "") -> None:
        extends = self._extends(value)
        self.teens_may_follow = _fold_word(word) in _FRENCH_TEENS_AFTER
        self.after_quatre = _fold_word(word) == "quatre"
        if extends:
            low = self.group % 100
            if value == 1000:
                self.total, self.group = max(self.group, 1) * 1000, 0
            elif value == 100:
                self.group *= 100
            elif low == 4 and value == 20:
                self.group += 76  # quatre-vingt: 4 becomes 80
            else:
                self.group += value
            return
        self.close()
        self.open = True
        if value == 1000:
            self.total = 1000
        else:
            self.group = value

    def add_digits(self, digits: str) -> None:
        # A short figure can finish a spelled number ("mille neuf cent 90"); a longer one stands alone.
        if len(digits) <= 2 and not digits.startswith("0"):
            self.add(int(digits))
            return
        self.close()
        self.numbers.append(digits)

    def text(self) -> str:
        self.close()
        return "".join(self.numbers)


_TOKEN = re.compile(r"[^\W\d_]+|[0-9]+")
# "0470/12/trente-quatre/56" and "0470.12.34.fifty-six" are dictated too; ". " ends a sentence.
_GAP = re.compile(r"[\s,\-/]*|\.")
_MONTH_AFTER = re.compile(
    r"\s+(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre|januari"
    r"|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|january|february|march"
    r"|may|june|july|august|october)\b",
    re.IGNORECASE,
)


_NUMBER_SIGN = re.compile(r"(?:n°|nr\.?|num[ée]ro|nummer|number|no\.)\s*$", re.IGNORECASE)


class _Unit:
    """A figure, a number written as hyphen-joined words ("quatre-vingt-dix", "thirty-two"), or a word."""

    __slots__ = ("start", "end", "text", "words", "ambiguous")

    def __init__(self, start: int, end: int, text: str, words: list[str] | None, ambiguous: bool) -> None:
        self.start, self.end, self.text, self.words, self.ambiguous = start, end, text, words, ambiguous

    @property
    def is_number(self) -> bool:
        return self.words is not None or self.text.isdigit()


def _units(text: str) -> list[_Unit]:
    tokens = list(_TOKEN.finditer(text))
    units: list[_Unit] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.group().isdigit() or _word_value(token.group()) is None:
            units.append(_Unit(token.start(), token.end(), token.group(), None, False))
            i += 1
            continue
        # Number words glued by hyphens are one number: "dix-neuf", "vingt-et-un", "thirty-two".
        parts, last = [token.group()], i
        while last + 1 < len(tokens) and text[tokens[last].end() : tokens[last + 1].start()] == "-":
            following = tokens[last + 1].group()
            if _word_value(following) is None and _fold_word(following) not in _JOINERS:
                break
            parts.append(following)
            last += 1
        while _fold_word(parts[-1]) in _JOINERS:
            parts.pop()
            last -= 1
        ambiguous = len(parts) == 1 and _fold_word(parts[0]) in _AMBIGUOUS
        end = tokens[last].end()
        units.append(_Unit(token.start(), end, text[token.start() : end], parts, ambiguous))
        i = last + 1
    return units


def _chain_value(words: list[str]) -> str:
    reader = _Reader()
    for word in words:
        value = _word_value(word)
        if value is not None:
            reader.add(value, word)
    return reader.text()


# Dictation repeats a digit with a word: "double four" is "44", "triple zéro" is "000", "dubbel vijf" is "55".
_REPEATED = {"double": 2, "dubbel": 2, "dubbele": 2, "twee keer": 2, "triple": 3, "trippel": 3, "driedubbel": 3,
             "three times": 3, "trois fois": 3, "deux fois": 2}  # fmt: skip
_REPEATED_DIGIT = re.compile(
    r"\b(" + "|".join(_REPEATED) + r")[\s-]+([0-9]\b|[^\W\d_]+)", re.IGNORECASE
)


def _spell_repeats(match: re.Match[str]) -> str:
    digit = match[2]
    value = int(digit) if digit.isdigit() else _word_value(digit)
    if value is None or value > 9:
        return match.group()  # "double vitrage", "triple A"
    return " ".join([digit] * _REPEATED[match[1].lower()])


def numbers_to_digits(text: str) -> str:
    """`text` with every run of number words (and figures among them) written as digits."""
    if not any(c.isalpha() for c in text):
        return text
    text = _REPEATED_DIGIT.sub(_spell_repeats, text)
    units = _units(text)
    out: list[str] = []
    position = 0
    i = 0
    while i < len(units):
        end = _run_end(text, units, i)
        if end is None:
            i += 1
            continue
        out.append(text[position : units[i].start])
        if i > 0 and units[i - 1].is_number and _GAP.fullmatch(text[units[i - 1].end : units[i].start]):
            # A number right before, yet not part of this run (_starts_new_number): keep the two apart so
            # that "0470 12 34 56 Trois ans" does not become one eleven-digit number.
            out.append("\n")
        reader = _Reader()
        for index in range(i, end):
            unit = units[index]
            if index > i and "," in text[units[index - 1].end : unit.start]:
                reader.close()  # "soixante, dix" is dictated digits, "soixante-dix" is seventy
            if unit.text.isdigit():
                reader.add_digits(unit.text)
            elif unit.words is not None:
                chained = _chain_value(unit.words)
                if len(unit.words) > 1 and chained.isdigit() and int(chained) < 1000:
                    reader.add(int(chained), unit.words[-1])
                else:
                    for word in unit.words:
                        value = _word_value(word)
                        if value is not None:
                            reader.add(value, word)
        out.append(reader.text())
        position = units[end - 1].end
        i = end
    out.append(text[position:])
    return "".join(out)


# Nouns of quantity: a number word before one of them counts something ("Trois ans d'expérience").
_QUANTITY_AFTER = re.compile(
    r"\s+(?:ans?|ann[ée]es?|mois|jours?|heures?|semaines?|fois|personnes|enfants|jaar|jaren|maanden|dagen|uur|uren"
    r"|weken|keer|personen|kinderen|years?|months?|days?|hours?|weeks?|times|people|children)\b",
    re.IGNORECASE,
)


def _starts_new_number(text: str, previous: _Unit, unit: _Unit) -> bool:
    """Whether `unit` begins another number than the one `previous` ends, though only spaces part them.

    A phone number or a year followed by a sentence that opens with a number word ("0470 12 34 56
    Trois ans d'expérience", "1964\nVijf jaar ervaring") must not be read as one longer number.
    """
    if unit.words is None or not previous.is_number:
        return False  # a figure, or a number word after a joiner ("vingt et un")
    if "\n" in text[previous.end : unit.start]:
        return True
    if unit.text[:1].isupper() and not previous.text[:1].isupper():
        return True  # "twenty three Two years": a capital after a lower-case word or a figure starts a sentence
    if _QUANTITY_AFTER.match(text, unit.end) is None:
        return False
    # "56 deux ans", "fifty-six two years": a count after a number it cannot extend ("trente quatre ans"
    # is one number: thirty, then four).
    before = previous.text if previous.words is None else _chain_value(previous.words)
    return not before.isdigit() or int(before) % 10 != 0 or int(before) < 20


def _run_end(text: str, units: list[_Unit], start: int) -> int | None:
    """The end of the run of number units starting at `start`, if it holds a number word that counts."""
    end = start
    words = 0
    ambiguous_only = True
    while end < len(units):
        unit = units[end]
        if end > start and (
            not _GAP.fullmatch(text[units[end - 1].end : unit.start]) or _starts_new_number(text, units[end - 1], unit)
        ):
            break
        if not unit.is_number:
            # "vingt et un", "a hundred and five": a joiner counts only between two number words.
            following = units[end + 1] if end + 1 < len(units) else None
            if (
                words
                and _fold_word(unit.text) in _JOINERS
                and following is not None
                and following.words is not None
                and _GAP.fullmatch(text[unit.end : following.start])
            ):
                end += 1
                continue
            break
        if unit.words is not None:
            if _fold_word(unit.text) == "sept" and text[unit.end : unit.end + 1] == ".":
                break  # "12 sept. 1990" is September
            words += 1
            ambiguous_only = ambiguous_only and unit.ambiguous
        end += 1
    while end > start and not units[end - 1].is_number:
        end -= 1  # a trailing joiner belongs to what follows
    if words == 0:
        return None
    if words == 1 and ambiguous_only:
        # "un", "onze", "ten" alone are words; "sept octobre" is a date and "n° seize" a house number,
        # and "one" after six dictated digits ("0 4 5 0 0 0 0 0 one") is the last digit.
        if sum(len(u.text) for u in units[start:end] if u.words is None) >= 6:
            return end
        first = units[start].start
        dated = _MONTH_AFTER.match(text, units[end - 1].end)
        if not dated and not _NUMBER_SIGN.search(text, max(0, first - 12), first):
            return None
    return end
