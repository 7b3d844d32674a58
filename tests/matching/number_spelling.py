"""Numbers from 0 to 99, and years, written in French, Dutch and English words, to generate test variants."""

from __future__ import annotations

FR_UNITS = ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
            "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"]
_FR_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}
NL_UNITS = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf",
            "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien"]
_NL_TENS = {2: "twintig", 3: "dertig", 4: "veertig", 5: "vijftig", 6: "zestig", 7: "zeventig", 8: "tachtig",
            9: "negentig"}
EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
            "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_EN_TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty", 6: "sixty", 7: "seventy", 8: "eighty", 9: "ninety"}


def spell_fr(n: int, belgian: bool = True) -> str:
    """0 to 99 in French, with Belgian "septante"/"nonante" or French "soixante-dix"/"quatre-vingt-dix"."""
    if n < 20:
        return FR_UNITS[n]
    tens, unit = divmod(n, 10)
    if tens in (7, 9) and belgian:
        word = "septante" if tens == 7 else "nonante"
    elif tens == 7:
        return "soixante-" + ("et-onze" if unit == 1 else FR_UNITS[10 + unit])
    elif tens == 9:
        return "quatre-vingt-" + FR_UNITS[10 + unit]
    elif tens == 8:
        return "quatre-vingts" if unit == 0 else "quatre-vingt-" + FR_UNITS[unit]
    else:
        word = _FR_TENS[tens]
    if unit == 0:
        return word
    return f"{word}-et-un" if unit == 1 else f"{word}-{FR_UNITS[unit]}"


def spell_nl(n: int) -> str:
    if n < 20:
        return NL_UNITS[n]
    tens, unit = divmod(n, 10)
    if unit == 0:
        return _NL_TENS[tens]
    joiner = "ën" if NL_UNITS[unit].endswith("e") else "en"
    return f"{NL_UNITS[unit]}{joiner}{_NL_TENS[tens]}"


def spell_en(n: int) -> str:
    if n < 20:
        return EN_UNITS[n]
    tens, unit = divmod(n, 10)
    return _EN_TENS[tens] if unit == 0 else f"{_EN_TENS[tens]}-{EN_UNITS[unit]}"


def spell_year(year: int, language: str) -> list[str]:
    """Ways of writing a year from 1950 to 2009 in words."""
    century, rest = divmod(year, 100)
    if language == "fr":
        tail = "" if rest == 0 else " " + spell_fr(rest, belgian=rest % 3 == 0)
        if century == 19:
            return [f"mille neuf cent{tail}", f"dix-neuf cent{tail}"]
        return [f"deux mille{tail}"]
    if language == "nl":
        tail = spell_nl(rest) if rest else ""
        if century == 19:
            return [f"negentienhonderd {tail}".strip(), f"negentienhonderd{tail}",
                    f"duizend negenhonderd {tail}".strip()]
        return [f"tweeduizend {tail}".strip(), f"tweeduizend{tail}"]
    tail = spell_en(rest) if rest else ""
    if century == 19:
        return [f"nineteen {tail}".strip(), f"nineteen hundred and {tail}" if tail else "nineteen hundred"]
    return [f"two thousand and {tail}" if tail else "two thousand"]
