"""Generated variants of each class of writing trick that got personal data past the screen.

Each strategy draws `(text, kind)`: a sentence hiding one piece of personal data, and the kind the screen
must report for it. The property tests in test_screen_tricks.py and benchmarks/screen.py both use them.
"""

from __future__ import annotations

import string
import sys
import unicodedata

from hypothesis import strategies as st

from tests.matching.number_spelling import EN_UNITS, FR_UNITS, NL_UNITS, spell_en, spell_fr, spell_nl, spell_year

# --- alphabets ------------------------------------------------------------------------------------

# Every Unicode format character (category Cf) and the zero of every decimal digit set (category Nd).
FORMAT_CHARACTERS = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
DIGIT_ZEROS = [
    chr(c)
    for c in range(sys.maxunicode + 1)
    if unicodedata.category(chr(c)) == "Nd" and unicodedata.decimal(chr(c)) == 0
]
# Cyrillic and Greek letters that look like Latin ones.
LOOK_ALIKES = {"a": "аα", "e": "еε", "o": "оο", "p": "рρ", "c": "с", "y": "у", "x": "хχ", "i": "іι", "j": "ј", "s": "ѕ",
               "A": "АΑ", "B": "ВΒ", "C": "С", "E": "ЕΕ", "H": "НΗ", "K": "КΚ", "M": "МΜ", "O": "ОΟ", "P": "РΡ",
               "T": "ТΤ", "X": "ХΧ", "Y": "Υ"}  # fmt: skip

# --- phones, the carrier of the digit tricks ------------------------------------------------------

@st.composite
def belgian_mobiles(draw: st.DrawFn) -> str:
    """A Belgian mobile number as its ten digits: 04xx xx xx xx."""
    return "04" + draw(st.sampled_from("5789")) + draw(st.text(string.digits, min_size=7, max_size=7))


def _grouped(digits: str, layout: int) -> str:
    groups = [digits[:4], digits[4:6], digits[6:8], digits[8:]]
    return [" ".join(groups), digits, f"{groups[0]}/{''.join(groups[1:])}", ".".join(groups)][layout]


PHONE_SENTENCES = ["{}", "Appelez-moi au {}", "gsm: {}", "bel me op {}", "call me on {}", "Tel {} na 17u",
                   "WhatsApp {} svp", "mon numéro est le {}"]


@st.composite
def unicode_control_variants(draw: st.DrawFn) -> tuple[str, str]:
    """Format and bidirectional controls (any of Unicode's Cf characters) inside a phone number."""
    phone = _grouped(draw(belgian_mobiles()), draw(st.integers(0, 3)))
    chars = list(phone)
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(1, len(chars) - 1))
        chars.insert(position, draw(st.sampled_from(FORMAT_CHARACTERS)))
    return draw(st.sampled_from(PHONE_SENTENCES)).format("".join(chars)), "phone"


@st.composite
def other_script_digit_variants(draw: st.DrawFn) -> tuple[str, str]:
    """Digits of any script (Arabic-Indic, Devanagari, full-width, mathematical...), one script or mixed."""
    phone = _grouped(draw(belgian_mobiles()), draw(st.integers(0, 3)))
    scripts = draw(st.lists(st.sampled_from(DIGIT_ZEROS), min_size=1, max_size=3))
    written = "".join(
        chr(ord(draw(st.sampled_from(scripts))) + int(c)) if c.isdigit() and draw(st.integers(0, 4)) else c
        for c in phone
    )
    return draw(st.sampled_from(PHONE_SENTENCES)).format(written), "phone"


@st.composite
def separator_variants(draw: st.DrawFn) -> tuple[str, str]:
    """Underscores, commas, middle dots, bullets, slashes between the digit groups; O or o for zero."""
    digits = draw(belgian_mobiles())
    groups = [digits[:4], digits[4:6], digits[6:8], digits[8:]]
    separator = draw(st.sampled_from(["_", ",", "·", "•", "/", "‧", "∙", " · ", " • ", "__", "|", "–", "—", " – ",
                                      "‐"]))
    written = separator.join(groups)
    if draw(st.booleans()):
        letter = draw(st.sampled_from("Oo"))
        written = "".join(letter if c == "0" and draw(st.booleans()) else c for c in written)
    return draw(st.sampled_from(PHONE_SENTENCES)).format(written), "phone"


@st.composite
def spelled_digit_variants(draw: st.DrawFn) -> tuple[str, str]:
    """A phone number spelled in French, Dutch or English, digit by digit or in pairs, or mixed with digits."""
    digits = draw(belgian_mobiles())
    language = draw(st.sampled_from(["fr", "fr-FR", "nl", "en"]))

    def spell(n: int) -> str:
        if language == "nl":
            return spell_nl(n)
        if language == "en":
            return spell_en(n)
        return spell_fr(n, belgian=language == "fr")

    if draw(st.booleans()):
        parts = [spell(int(d)) for d in digits]
    else:  # "zéro quatre septante-deux douze trente-quatre cinquante-six"
        parts = [spell(0), spell(int(digits[1]))] + [
            spell(int(digits[i : i + 2])) if digits[i] != "0" else f"{spell(0)} {spell(int(digits[i + 1]))}"
            for i in range(2, 10, 2)
        ]
        # French reads "soixante dix" as 70 and "quatre vingt" as 80; someone dictating pairs puts a comma.
        parts = [p + "," if p in ("soixante", "quatre-vingts", "quatre") else p for p in parts]
    if draw(st.booleans()):  # mixed: some parts left as digits
        keep = draw(st.integers(1, len(parts) - 1))
        parts = [str(_digit_value(p)) if i == keep and _digit_value(p) is not None else p for i, p in enumerate(parts)]
    return draw(st.sampled_from(PHONE_SENTENCES)).format(" ".join(parts)), "phone"


def _digit_value(word: str) -> int | None:
    for table in (FR_UNITS, NL_UNITS, EN_UNITS):
        if word in table[1:10]:
            return table.index(word)
    return None


# --- e-mails, domains and handles -----------------------------------------------------------------

_LOCALS = st.from_regex(r"[a-z]{2,8}(?:[._][a-z]{1,8})?[0-9]{0,2}", fullmatch=True)
_PROVIDERS = ["gmail", "hotmail", "yahoo", "outlook", "telenet", "skynet", "proximus", "abv"]
_TLDS = ["com", "be", "fr", "ro", "bg", "nl"]


def _space_out(text: str) -> str:
    return " ".join(text)


@st.composite
def spaced_email_variants(draw: st.DrawFn) -> tuple[str, str]:
    """Spaced-out e-mails, "at"/"arobase"/"apenstaartje"/"chez" and "dot"/"punt"/"point" words, bare domains
    spelled out, handles with and without "@" and platform words."""
    local, provider, tld = draw(_LOCALS), draw(st.sampled_from(_PROVIDERS)), draw(st.sampled_from(_TLDS))
    at = draw(st.sampled_from(["at", "AT", "arobase", "apenstaartje", "chez", "[at]", "(at)", "{at}", "<at>", "(a)",
                               "[ at ]", "(arobase)", "[apenstaartje]", "@"]))
    dot = draw(st.sampled_from(["dot", "punt", "point", "[dot]", "(dot)", "(punt)", "[point]", "."]))
    shape = draw(st.integers(0, 5))
    if shape == 0:
        text, kind = _space_out(f"{local}@{provider}.{tld}"), "email"
    elif shape == 1:
        text, kind = f"{local} {at} {provider} {dot} {tld}", "email"
    elif shape == 2:
        text, kind = f"{_space_out(local)} {at} {_space_out(provider)} {dot} {tld}", "email"
    elif shape == 3:
        domain = draw(st.from_regex(r"[a-z]{3,10}(?:-[a-z]{2,8})?", fullmatch=True))
        text = draw(st.sampled_from([f"{domain}.{tld}", _space_out(f"{domain}.{tld}"), f"{domain} {dot} {tld}",
                                     f"www {dot} {domain} {dot} {tld}"]))
        kind = "url"
    else:
        handle = draw(st.from_regex(r"[a-z]{2,8}[._][a-z]{1,8}[0-9]{0,2}|[a-z]{3,8}[0-9]{2}", fullmatch=True))
        platform = draw(st.sampled_from(["insta", "Instagram", "snap", "Snapchat", "TikTok", "fb", "telegram"]))
        text = draw(st.sampled_from([f"@{handle}", f"{platform}: {handle}", f"{platform} {handle}",
                                     f"{platform} @{handle}", f"mon {platform} c'est {handle}",
                                     f"mijn {platform} is {handle}", f"my {platform} is {handle}"]))
        kind = "social_handle"
    sentence = draw(st.sampled_from(["{}", "écrivez-moi: {}", "mail {} svp", "contact: {}", "stuur naar {}",
                                     "write to {}", "suivez-moi {}"]))
    return sentence.format(text), kind


# --- addresses ------------------------------------------------------------------------------------

_FR_STREETS = ["de la Loi", "Louise", "de Gand", "Haute", "de Ninove", "Wayez", "du Midi", "Neuve", "Royale"]
_ABBREVIATIONS = ["r.", "R.", "av.", "Av.", "bd", "Bd.", "chée", "Chée", "ch.", "str.", "ul.", "bul."]
_RO_STREETS = ["Lipscani", "Victoriei", "Mihai Viteazu", "Unirii", "Dorobanților"]
_BG_LATIN = ["Vitosha", "Rakovski", "Shipka", "Vasil Levski", "Graf Ignatiev"]
_BG_CYRILLIC = ["Витоша", "Раковски", "Шипка", "Васил Левски", "Граф Игнатиев", "България", "Цар Борис III"]


def _look_alike(draw: st.DrawFn, text: str) -> str:
    """Swap at least one letter for a Cyrillic or Greek one that looks the same."""
    positions = [i for i, c in enumerate(text) if c in LOOK_ALIKES]
    chosen = set(draw(st.lists(st.sampled_from(positions), min_size=1, max_size=4))) if positions else set()
    return "".join(draw(st.sampled_from(LOOK_ALIKES[c])) if i in chosen else c for i, c in enumerate(text))


@st.composite
def address_variants(draw: st.DrawFn) -> tuple[str, str]:
    """Abbreviated street words, Romanian and Bulgarian addresses in Latin or Cyrillic, look-alike letters."""
    number = draw(st.integers(1, 250))
    shape = draw(st.integers(0, 3))
    if shape == 0:
        address = f"{draw(st.sampled_from(_ABBREVIATIONS))} {draw(st.sampled_from(_FR_STREETS))} {number}"
    elif shape == 1:
        word = draw(st.sampled_from(["str.", "Str.", "strada", "Strada", "bd.", "Bulevardul", "Calea", "ul.", "bul."]))
        address = f"{word} {draw(st.sampled_from(_RO_STREETS + _BG_LATIN))} {number}"
    elif shape == 2:
        word = draw(st.sampled_from(["ул.", "Ул.", "улица", "бул.", "булевард", "ж.к.", "бyл.", "yл."]))
        name = draw(st.sampled_from(_BG_CYRILLIC))
        address = draw(st.sampled_from([f"{word} {name} {number}", f"{word} „{name}“ № {number}"]))
    else:
        word = draw(st.sampled_from(["Rue", "rue", "Avenue", "Chaussée", "Boulevard", "Straat"]))
        address = _look_alike(draw, f"{word} {draw(st.sampled_from(_FR_STREETS))} {number}")
    sentence = draw(st.sampled_from(["{}", "J'habite {}", "adresse: {}", "woont {}", "I live at {}", "живея на {}"]))
    return sentence.format(address), "street_address"


# --- birth dates in words -------------------------------------------------------------------------

_MONTHS = {"fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                  "novembre", "décembre"],
           "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
                  "november", "december"],
           "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                  "November", "December"]}  # fmt: skip


@st.composite
def birth_word_variants(draw: st.DrawFn) -> tuple[str, str]:
    """Birth years and dates written in words: "né en mille neuf cent quatre-vingt-dix", "born in nineteen
    ninety", "geboren in negentienhonderd negentig", "né le douze mars 1990"."""
    language = draw(st.sampled_from(["fr", "nl", "en"]))
    year = draw(st.integers(1950, 2008))
    day = draw(st.integers(1, 28))
    month = _MONTHS[language][draw(st.integers(0, 11))]
    spelled_year = draw(st.sampled_from(spell_year(year, language)))
    year_text = draw(st.sampled_from([spelled_year, str(year)]))
    spelled_day = {"fr": spell_fr, "nl": spell_nl, "en": spell_en}[language](day) if day > 1 else str(day)
    if year_text == str(year):
        day_text = spelled_day  # at least one part in words
    else:
        day_text = draw(st.sampled_from([spelled_day, str(day)]))
    templates = {
        "fr": ["né en {y}", "née en {y}", "Née en {y}", "né(e) en {y}", "année de naissance : {y}", "né le {d} {m} {y}",
               "née le {d} {m} {y}"],
        "nl": ["geboren in {y}", "Geboren in {y}", "geboortejaar {y}", "geboren op {d} {m} {y}"],
        "en": ["born in {y}", "Born in {y}", "year of birth: {y}", "born on {d} {m} {y}"],
    }[language]
    template = draw(st.sampled_from(templates))
    if "{d}" not in template:
        year_text = spelled_year
    return template.format(y=year_text, d=day_text, m=month), "birth_date"


# --- self-introductions, ages, origin -------------------------------------------------------------

_NAMES = ["Ana", "Maria", "Florin", "Ionela", "Ivan", "Petya", "Dragan", "Elena", "Sabina", "Jan", "Fatima", "Mehmet"]
_INTRODUCTIONS = ["je m'appelle {}", "Je m’appelle {}", "JE M'APPELLE {}", "mon nom est {}", "Mon prénom est {}",
                  "mijn naam is {}", "Mijn naam is {}", "ik heet {}", "Ik heet {}", "my name is {}", "My name's {}",
                  "I'm called {}", "I am called {}", "mă numesc {}", "ma numesc {}", "numele meu este {}",
                  "Numele meu e {}", "казвам се {}", "Казвам се {}", "името ми е {}", "Името ми е {}", "Nom : {}",
                  "Prénom: {}", "Voornaam: {}", "Name: {}", "{} is my name", "je m'apelle {}", "Moi, c'est {}"]


@st.composite
def self_introduction_variants(draw: st.DrawFn) -> tuple[str, str]:
    phrase = draw(st.sampled_from(_INTRODUCTIONS)).format(draw(st.sampled_from(_NAMES)))
    sentence = draw(st.sampled_from(["{}", "Bonjour, {}.", "{} en ik zoek werk.", "Hello, {} and I clean offices."]))
    return sentence.format(phrase), "self_introduction"


# A counsellor's or a liaison's note speaks of the person: the same phrases in the third person.
_THIRD_PERSON = ["il s'appelle {}", "Elle s’appelle {}", "ELLE S'APPELLE {}", "il se nomme {}", "son prénom est {}",
                 "Son nom de famille est {}", "hij heet {}", "Zij heet {}", "zijn naam is {}", "Haar voornaam is {}",
                 "his name is {}", "Her first name is {}", "their name's {}", "he is called {}", "She's called {}",
                 "o cheamă {}", "îl cheamă {}", "numele ei este {}", "тя се казва {}", "Той се казва {}",
                 "kazva se {}"]


@st.composite
def third_person_naming_variants(draw: st.DrawFn) -> tuple[str, str]:
    phrase = draw(st.sampled_from(_THIRD_PERSON)).format(draw(st.sampled_from(_NAMES)))
    sentence = draw(st.sampled_from(["{}", "Candidate sérieuse, {}.", "{} en zoekt werk.", "Known: {}, reliable."]))
    return sentence.format(phrase), "self_introduction"


@st.composite
def age_variants(draw: st.DrawFn) -> tuple[str, str]:
    age = draw(st.integers(18, 64))
    language = draw(st.sampled_from(["fr", "nl", "en"]))
    spelled = {"fr": spell_fr, "nl": spell_nl, "en": spell_en}[language](age)
    n = draw(st.sampled_from([str(age), spelled]))
    template = draw(st.sampled_from({
        "fr": ["j'ai {} ans", "J'ai {} ans", "j’ai {} ans", "âgée de {} ans", "âgé de {} ans", "Âge : {}",
               "Femme, {} ans, mariée",
               "une femme de {} ans", "j'ai {} ans et je cherche un emploi"],
        "nl": ["{} jaar oud", "ik ben {}", "Ik ben {} jaar", "ik ben {} jaar oud", "leeftijd: {}",
               "een vrouw van {} jaar"],
        "en": ["aged {}", "{}-year-old", "a {} year old woman", "I am {} years old", "I'm {}", "age: {}", "Age: {}"],
    }[language]))
    sentence = draw(st.sampled_from(["{}", "{}.", "Bonjour, {}.", "{}, looking for work", "{}; motivée"]))
    if draw(st.integers(0, 5)) == 0:
        return sentence.format(f"j'ai {age}ans"), "age"  # typed without the space
    return sentence.format(template.format(n)), "age"


_PEOPLE = {"fr": ["roumaine", "roumain", "bulgare", "turque", "marocaine", "albanaise", "serbe", "slovaque"],
           "nl": ["Roemeens", "Roemeense", "Bulgaars", "Bulgaarse", "Turks", "Marokkaans", "Slowaakse"],
           "en": ["Romanian", "Bulgarian", "Turkish", "Moroccan", "Albanian", "Serbian", "Slovak"]}
_COUNTRIES = {"fr": ["Roumanie", "Bulgarie", "Turquie", "Maroc", "Serbie", "Slovaquie", "Kosovo"],
              "nl": ["Roemenië", "Bulgarije", "Turkije", "Marokko", "Servië", "Slowakije", "Kosovo"],
              "en": ["Romania", "Bulgaria", "Turkey", "Morocco", "Serbia", "Slovakia", "Kosovo"]}
_ETHNICITY_WORDS = ["rom", "Rom", "rrom", "Roms", "roma", "Roma", "tsigane", "Tsigane", "tzigane", "gitane", "gitan",
                    "manouche", "Sinti", "zigeuner", "Zigeunerin", "gypsy", "Gypsy", "țigancă", "țigan", "tigani",
                    "цигани", "циганка", "ром", "ромка", "роми", "Romani people", "famille romani",
                    "communauté rom", "Roma-gemeenschap"]


@st.composite
def origin_variants(draw: st.DrawFn) -> tuple[str, str]:
    """Ethnicity words anywhere; nationality and country said of the person, in fr/nl/en/ro/bg."""
    if draw(st.integers(0, 2)) == 0:
        word = draw(st.sampled_from(_ETHNICITY_WORDS))
        text = draw(st.sampled_from(["{}", "je suis {}", "ik ben {}", "I am {}", "famille {}, 3 enfants",
                                     "issue de la communauté {}", "sunt {}", "аз съм {}"])).format(word)
        return text, "origin"
    language = draw(st.sampled_from(["fr", "nl", "en", "ro", "bg"]))
    if language in ("ro", "bg"):
        text = draw(st.sampled_from(
            ["sunt român", "sunt româncă", "Sunt de origine bulgară", "român", "româncă", "cetățean român",
             "vin din România", "născută în Bulgaria", "българка", "българин", "румънка", "Аз съм българка",
             "от България съм", "ромка по произход"] if language == "ro" or draw(st.booleans())
            else ["българка", "румънец", "по произход съм румънка"]))
        return text, "origin"
    people, country = draw(st.sampled_from(_PEOPLE[language])), draw(st.sampled_from(_COUNTRIES[language]))
    text = draw(st.sampled_from({
        "fr": [f"je suis {people}", f"Je suis {people}", f"d'origine {people}", f"de nationalité {people}",
               f"{people} d'origine", f"je suis de {country}",
               f"nationalité : {people}", f"originaire de {country}", f"je viens de {country}",
               f"née en {country}", f"femme {people}, 3 enfants"],
        "nl": [f"{people} nationaliteit", f"ik ben {people}", f"afkomstig uit {country}", f"ik kom uit {country}",
               f"geboren in {country}", f"nationaliteit: {people}", f"van {people} afkomst"],
        "en": [f"originally from {country}", f"{people} citizen", f"I am {people}", f"I'm from {country}",
               f"born in {country}", f"nationality: {people}", f"of {people} origin", f"{people} national"],
    }[language]))
    return text, "origin"


# --- licence plates -------------------------------------------------------------------------------

_CAPITALS = string.ascii_uppercase
_BG_LETTERS = "ABEKMHOPCTYX"
_TO_CYRILLIC = str.maketrans("ABEKMHOPCTYX", "АВЕКМНОРСТУХ")


@st.composite
def licence_plate_variants(draw: st.DrawFn) -> tuple[str, str]:
    """Belgian (current and old), Romanian, Bulgarian (Latin or Cyrillic letters), French and Dutch plates."""
    def letters(k: int, alphabet: str = _CAPITALS) -> str:
        return "".join(draw(st.sampled_from(alphabet)) for _ in range(k))

    def digits(k: int) -> str:
        return "".join(draw(st.sampled_from(string.digits)) for _ in range(k))

    sep = draw(st.sampled_from(["-", " ", ""]))
    shape = draw(st.integers(0, 5))
    if shape == 0:
        plate = f"{draw(st.integers(1, 9))}{sep}{letters(3)}{sep}{digits(3)}"
    elif shape == 1:
        plate = draw(st.sampled_from([f"{letters(3)}-{digits(3)}", f"{digits(3)}-{letters(3)}"]))
    elif shape == 2:
        county = draw(st.sampled_from(["B", "CJ", "IS", "TM", "BV", "CT", "AG", "DJ"]))
        plate = f"{county}{sep}{digits(3 if county == 'B' and draw(st.booleans()) else 2)}{sep}{letters(3)}"
    elif shape == 3:
        province = draw(st.sampled_from(["CA", "C", "CB", "PB", "A", "B", "BT", "E", "H", "K", "M", "PA", "X"]))
        plate = f"{province}{draw(st.sampled_from([' ', '']))}{digits(4)}{draw(st.sampled_from([' ', '']))}"
        plate += letters(2, _BG_LETTERS)
        if draw(st.booleans()):
            plate = plate.translate(_TO_CYRILLIC)
    elif shape == 4:
        plate = f"{letters(2)}-{digits(3)}-{letters(2)}"
    else:
        plate = draw(st.sampled_from([f"{digits(2)}-{letters(3)}-{digits(1)}", f"{letters(2)}-{digits(3)}-{letters(1)}",
                                      f"{digits(1)}-{letters(3)}-{digits(2)}"]))
    sentence = draw(st.sampled_from(["{}", "ma voiture: {}", "mijn auto {}", "plaque {}", "car {}", "номер {}"]))
    return sentence.format(plate), "licence_plate"


CLASSES = {
    "unicode controls in numbers": unicode_control_variants(),
    "digits of other scripts": other_script_digit_variants(),
    "separators and O for zero": separator_variants(),
    "digits spelled out (fr/nl/en)": spelled_digit_variants(),
    "spaced e-mails, domains, handles": spaced_email_variants(),
    "abbreviated/Cyrillic/look-alike addresses": address_variants(),
    "birth years and dates in words": birth_word_variants(),
    "self-introductions": self_introduction_variants(),
    "ages": age_variants(),
    "nationality and ethnicity": origin_variants(),
    "licence plates": licence_plate_variants(),
}


def assert_found(variant: tuple[str, str]) -> None:
    """The kind a generated variant carries is among the kinds the screen reports, and nothing unknown is."""
    from matching.privacy import PERSONAL_DATA_KINDS, find_personal_data

    text, kind = variant
    found = find_personal_data(text)
    assert kind in found, f"{kind} not found in {text!r} (found {found})"
    assert set(found) <= set(PERSONAL_DATA_KINDS)
