"""Hypothesis strategies for red-team variants of personal data, written apart from screen_variants.py.

The first generators (screen_variants.py) cover one trick per string. These mix two tricks in one value
(other-script digits and a bidi mark, spelled groups and "O" for zero, spaced letters and "arobase"),
put the value at the start, in the middle or at the end of a realistic pitch in French, Dutch or English,
and cover the phrasings the first set left out: a bare name after "je suis"/"ik ben"/"I'm", ordinal dates,
"double four" dictation, Cyrillic phrases typed with Latin look-alikes, Bulgarian typed in Latin letters,
an age ending a text, origin through family or journey, religion, Romani self-names.

Each strategy draws `(text, kind)`: the screen must report `kind` in `text`.
"""

from __future__ import annotations

import string

from hypothesis import strategies as st

from tests.matching.number_spelling import spell_en, spell_fr, spell_nl

# --- pitches to hide a value in ---------------------------------------------------------------------

_PITCH = {
    "fr": [
        "Je cherche un emploi dans le nettoyage de bureaux, horaires de jour.",
        "Trois ans d'expérience en cuisine collective, permis B.",
        "Disponible tout de suite pour des missions en intérim à Anderlecht.",
        "Sérieuse et ponctuelle, j'aime le travail en équipe.",
    ],
    "nl": [
        "Ik zoek werk in de schoonmaak, liefst in de voormiddag.",
        "Vijf jaar ervaring in de bouw, VCA behaald.",
        "Beschikbaar vanaf maandag voor ploegwerk in Vilvoorde.",
        "Ik werk graag in team en ben altijd op tijd.",
    ],
    "en": [
        "Looking for work in warehouse logistics, day shifts preferred.",
        "Two years of experience as a kitchen porter, driving licence B.",
        "Available immediately for temporary work around Brussels.",
        "Reliable and punctual, I like working in a team.",
    ],
}


@st.composite
def in_pitch(draw: st.DrawFn, value: str, language: str | None = None) -> str:
    """`value` at the start, in the middle or at the end of one or two pitch sentences."""
    language = language or draw(st.sampled_from(sorted(_PITCH)))
    first, second = draw(st.lists(st.sampled_from(_PITCH[language]), min_size=2, max_size=2))
    where = draw(st.integers(0, 3))
    if where == 0:
        return f"{value} {first}"
    if where == 1:
        return f"{first} {value} {second}"
    if where == 2:
        return f"{first} {value}"
    return f"{first}\n{value}"


# --- numbers: two tricks at once --------------------------------------------------------------------

_SCRIPT_ZEROS = [0x0660, 0x06F0, 0x0966, 0x09E6, 0x0BE6, 0x0E50, 0xFF10, 0x1D7CE, 0x104A0, 0x1810]
_INVISIBLE = ["\u200b", "\u200e", "\u200f", "\u202a", "\u202c", "\u2066", "\u2069", "\u2060", "\ufeff", "\u00ad",
              "\u180e", "\u061c"]  # fmt: skip
_ODD_SEPARATORS = ["_", "·", "•", "‧", "∙", "|", "~", ",", "・", " _ ", " · ", "–", "—", "\u00a0", "\u2009", "\\", "'",
                   ":", ";"]
_SPELLERS = {"fr": spell_fr, "nl": spell_nl, "en": spell_en}
_ZERO_WORD = {"fr": "zéro", "nl": "nul", "en": "zero"}


@st.composite
def belgian_mobile_digits(draw: st.DrawFn) -> str:
    return "04" + draw(st.sampled_from("5789")) + draw(st.sampled_from("0123456789")) + "".join(
        draw(st.sampled_from(string.digits)) for _ in range(6)
    )


def _groups(digits: str) -> list[str]:
    return [digits[:4], digits[4:6], digits[6:8], digits[8:]]


@st.composite
def mixed_number_trick_variants(draw: st.DrawFn) -> tuple[str, str]:
    """A mobile number with two tricks combined: other-script digits, invisible marks, odd separators,
    the letter O for zero, groups spelled out."""
    digits = draw(belgian_mobile_digits())
    groups = _groups(digits)
    tricks = draw(st.lists(st.sampled_from(["script", "invisible", "separator", "o_zero", "spelled"]),
                           min_size=2, max_size=2, unique=True))  # fmt: skip
    language = draw(st.sampled_from(sorted(_SPELLERS)))
    if "spelled" in tricks:
        # one or two groups in words (pairs as numbers, "zéro" before a group that starts with 0)
        spelled_index = draw(st.sampled_from([1, 2, 3]))
        group = groups[spelled_index]
        words = (_ZERO_WORD[language] + " " if group[0] == "0" else "") + _SPELLERS[language](int(group))
        groups[spelled_index] = words
    if "o_zero" in tricks:
        groups = [g.replace("0", draw(st.sampled_from(["O", "o"]))) if g.isdigit() else g for g in groups]
    if "script" in tricks:
        zero = draw(st.sampled_from(_SCRIPT_ZEROS))
        groups = ["".join(chr(zero + int(c)) if c.isdigit() else c for c in g) for g in groups]
    plain_separators = [" ", ".", "/"]
    separator = draw(st.sampled_from(_ODD_SEPARATORS if "separator" in tricks else plain_separators))
    if "spelled" in tricks and separator.strip() in (",", "_", "|", "~", "·", "•", "‧", "∙", "・", "\\", "'", ":", ";"):
        separator = " "  # words joined by symbols are not how anyone dictates
    number = separator.join(groups)
    if "invisible" in tricks:
        mark = draw(st.sampled_from(_INVISIBLE))
        position = draw(st.integers(1, 3))
        number = number[:position] + mark + number[position:] + mark
    label = draw(st.sampled_from(["", "gsm ", "Tél. ", "bel ", "call ", "WhatsApp: ", "📞 "]))
    return draw(in_pitch(label + number)), "phone"


@st.composite
def dictated_repeat_variants(draw: st.DrawFn) -> tuple[str, str]:
    """Dictation with "double"/"triple" for repeated digits, the rest in words or figures."""
    language = draw(st.sampled_from(["en", "fr", "nl"]))
    words = {
        "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"],
        "fr": ["zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"],
        "nl": ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"],
    }[language]
    double, triple = {"en": ("double", "triple"), "fr": ("double", "triple"), "nl": ("dubbel", "driedubbel")}[language]
    digits = draw(belgian_mobile_digits())
    # make one digit repeat so that a "double" fits somewhere after the prefix
    at = draw(st.integers(4, 8))
    digits = digits[: at + 1] + digits[at] + digits[at + 2 :]
    parts: list[str] = []
    i = 0
    while i < len(digits):
        run = 1
        while i + run < len(digits) and digits[i + run] == digits[i] and run < 3:
            run += 1
        word = words[int(digits[i])] if draw(st.integers(0, 3)) else digits[i]
        parts.append({1: word, 2: f"{double} {word}", 3: f"{triple} {word}"}[run])
        i += run
    return draw(in_pitch(" ".join(parts), language)), "phone"


# --- e-mails, domains, handles ----------------------------------------------------------------------

_LOCAL = st.from_regex(r"[a-z]{3,7}(?:[._][a-z]{2,7})?[0-9]{0,2}", fullmatch=True)
_PROVIDERS = ["gmail", "hotmail", "outlook", "yahoo", "skynet", "telenet", "abv", "icloud"]
_AT = ["@", " @ ", "＠", " (at) ", "[at]", " arobase ", " apenstaartje ", " at ", "__at__", "/at/", " -at- ", "{at}"]
_DOT = [".", " . ", " point ", " punt ", " dot ", "(dot)", "[.]", "．"]


def _letter_spaced(text: str) -> str:
    return " ".join(text)


@st.composite
def obfuscated_email_variants(draw: st.DrawFn) -> tuple[str, str]:
    """An address with an "at" word and a "dot" word, sometimes letter-spaced, sometimes with look-alikes."""
    local, provider = draw(_LOCAL), draw(st.sampled_from(_PROVIDERS))
    tld = draw(st.sampled_from(["com", "be", "fr", "ro", "bg", "nl"]))
    at, dot = draw(st.sampled_from(_AT)), draw(st.sampled_from(_DOT))
    if draw(st.integers(0, 3)) == 0:
        address = f"{_letter_spaced(local)} {at.strip() or '@'} {_letter_spaced(provider)} . {_letter_spaced(tld)}"
    else:
        address = f"{local}{at}{provider}{dot}{tld}"
    if draw(st.booleans()):
        address = address.upper() if draw(st.booleans()) else address.replace("o", "о")  # Cyrillic "о"
    label = draw(st.sampled_from(["", "mail: ", "écrivez-moi: ", "mijn mail is ", "email me at ", "contact → "]))
    return draw(in_pitch(label + address)), "email"


@st.composite
def domain_and_handle_variants(draw: st.DrawFn) -> tuple[str, str]:
    """A personal site written bare or spaced, or a handle after a platform name."""
    name = draw(st.from_regex(r"[a-z]{3,8}(?:[-_.][a-z]{2,8})?[0-9]{0,2}", fullmatch=True))
    if draw(st.booleans()):
        tld = draw(st.sampled_from(["be", "com", "eu", "ro", "bg", "net"]))
        site = name.replace("_", "-").replace(".", "-")
        written = draw(st.sampled_from([f"{site}.{tld}", f"www.{site}.{tld}", f"{site} . {tld}", f"{site} [.] {tld}",
                                        f"https://{site}.{tld}/cv", f"{site}．{tld}"]))  # fmt: skip
        label = draw(st.sampled_from(["mon site: ", "zie ", "portfolio ", "", "CV op "]))
        return draw(in_pitch(label + written)), "url"
    platform = draw(st.sampled_from(["insta", "Instagram", "IG", "TikTok", "snap", "Telegram", "FB", "facebook"]))
    separator = draw(st.sampled_from([": ", " : ", " = ", " → ", " -> ", " - ", ": @", " @"]))
    return draw(in_pitch(f"{platform}{separator}{name}")), "social_handle"


# --- addresses ----------------------------------------------------------------------------------

_STREET_WORDS = ["r.", "Rue", "av.", "Av.", "Avenue", "bd", "Bd.", "Boulevard", "chée", "Chaussée", "ch.", "pl.",
                 "Place", "sq.", "Square", "str.", "Strada", "bd.", "ul.", "bul."]  # fmt: skip
_STREET_NAMES = ["de la Loi", "Louise", "Haute", "de Ninove", "du Midi", "Wayez", "de Mons", "Rogier", "Lipscani",
                 "Vitosha", "Rakovski", "Victoriei"]  # fmt: skip
_CYRILLIC_FOR = str.maketrans("aeopcxyAEOPCXYBHKMT", "аеорсхуАЕОРСХУВНКМТ")


@st.composite
def combined_address_variants(draw: st.DrawFn) -> tuple[str, str]:
    """A street word (abbreviated or not), a name with look-alike letters, a number in another script or
    glued with "n°"/"nr", a postcode and town after it."""
    word, name = draw(st.sampled_from(_STREET_WORDS)), draw(st.sampled_from(_STREET_NAMES))
    number = str(draw(st.integers(1, 299)))
    if draw(st.booleans()):
        zero = draw(st.sampled_from(_SCRIPT_ZEROS))
        number = "".join(chr(zero + int(c)) for c in number)
    prefixed = draw(st.sampled_from(["", "n° ", "nr ", "nr. ", "№ "])) + number
    dutch_name = name.split()[-1]  # "de Ninove" -> "Ninovestraat"
    address = draw(st.sampled_from([f"{word} {name} {prefixed}", f"au {number} de la rue {name}",
                                    f"{dutch_name}straat nummer {number}"]))  # fmt: skip
    if draw(st.booleans()):
        address = "".join(c.translate(_CYRILLIC_FOR) if draw(st.integers(0, 2)) == 0 else c for c in address)
    tail = draw(st.sampled_from(["", ", 1070 Anderlecht", " bte 3", ", 1000 Bruxelles", " - 1080 Molenbeek"]))
    lead = draw(st.sampled_from(["", "J'habite ", "adresse ", "woonachtig ", "I live at ", "domicile: "]))
    return draw(in_pitch(lead + address + tail)), "street_address"


# --- birth dates --------------------------------------------------------------------------------

_EN_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                "eighteenth", "nineteenth", "twentieth", "twenty-first", "twenty-second", "twenty-third",
                "twenty-fourth", "twenty-fifth", "twenty-sixth", "twenty-seventh", "twenty-eighth"]  # fmt: skip
_NL_ORDINALS = ["eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste", "negende", "tiende",
                "elfde", "twaalfde", "dertiende", "veertiende", "vijftiende", "zestiende", "zeventiende",
                "achttiende", "negentiende", "twintigste", "eenentwintigste", "tweeëntwintigste",
                "drieëntwintigste", "vierentwintigste", "vijfentwintigste", "zesentwintigste",
                "zevenentwintigste", "achtentwintigste"]  # fmt: skip
_EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]  # fmt: skip
_NL_MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
              "november", "december"]  # fmt: skip
_FR_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre"]  # fmt: skip


@st.composite
def ordinal_and_short_birth_date_variants(draw: st.DrawFn) -> tuple[str, str]:
    """"born on the twelfth of March 1990", "geboren op de twaalfde maart 1990", "né le 12 mars 90",
    "born in '92", "роден на 12.03.1990"."""
    day, month, year = draw(st.integers(1, 28)), draw(st.integers(0, 11)), draw(st.integers(1955, 2006))
    if year >= 2000:
        in_words = "two thousand" + (f" and {spell_en(year % 100)}" if year % 100 else "")
    else:
        in_words = f"nineteen {spell_en(year % 100)}" if year % 100 >= 10 else f"nineteen oh {spell_en(year % 10)}"
    spelled_year = draw(st.sampled_from([str(year), in_words]))
    shape = draw(st.integers(0, 5))
    if shape == 0:
        text = draw(st.sampled_from(["born on the {d} of {m} {y}", "Born the {d} of {m}, {y}",
                                     "I was born on the {d} of {m} {y}",
                                     "date of birth: the {d} of {m} {y}"]))  # fmt: skip
        text = text.format(d=_EN_ORDINALS[day - 1], m=_EN_MONTHS[month], y=spelled_year)
    elif shape == 1:
        text = f"born {_EN_MONTHS[month]} {_EN_ORDINALS[day - 1]}, {spelled_year}"
    elif shape == 2:
        text = draw(st.sampled_from(["geboren op de {d} {m} {y}", "Geboren {d} {m} {y}"]))
        text = text.format(d=_NL_ORDINALS[day - 1], m=_NL_MONTHS[month], y=year)
    elif shape == 3:
        text = draw(st.sampled_from(["né le {d} {m} {yy}", "née le {d} {m} {yy}", "born {d} {me} {yy}",
                                     "geboren op {d} {mn} {yy}"]))  # fmt: skip
        short_year = f"{year % 100:02d}"
        text = text.format(d=day, m=_FR_MONTHS[month], me=_EN_MONTHS[month], mn=_NL_MONTHS[month], yy=short_year)
    elif shape == 4:
        text = draw(st.sampled_from(["née en {yy}", "né en {yy}", "born in '{yy}", "born in {yy}", "geboren in '{yy}"]))
        text = text.format(yy=f"{year % 100:02d}")
    else:
        text = draw(st.sampled_from(["роден на {d:02d}.{m:02d}.{y}", "родена {y} г.", "DN: {d:02d}/{m:02d}/{y}",
                                     "născută pe {d} {mr} {y}", "née à Bucarest en {y}", "geboren te Sofia in {y}",
                                     "ik ben in {y} geboren", "born in Sliven in {y}"]))  # fmt: skip
        months_ro = ["ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie",
                     "octombrie", "noiembrie", "decembrie"]  # fmt: skip
        text = text.format(d=day, m=month + 1, y=year, mr=months_ro[month])
    return draw(in_pitch(text)), "birth_date"


# --- self-introductions -------------------------------------------------------------------------

_FIRST_NAMES = ["Florin", "Ana", "Dragan", "Elena", "Mehmet", "Ionela", "Petya", "Sabina", "Gheorghe", "Esma",
                "Nicu", "Roxana", "Stefka", "Zoran", "Mirela", "Ilie", "Ramona", "Kiril", "Denisa",
                "Marian-Ionuț"]  # fmt: skip
_BARE_INTRODUCTIONS = ["Je suis {}", "je suis {}", "Bonjour, je suis {}", "Ik ben {}", "Hallo, ik ben {}",
                       "I'm {}", "Hi, I’m {}", "I am {}", "Eu sunt {}", "Sunt {}", "On m'appelle {}",
                       "They call me {}", "Ze noemen me {}", "Name's {}", "Аз съм {}", "Az sam {}", "Kazvam se {}",
                       "Imeto mi e {}", "Call me {}", "Cordialement, {}", "Met vriendelijke groeten, {}",
                       "Kind regards, {}", "Mvg, {}", "jem'appelle {}"]  # fmt: skip
_FOLLOW_UPS = [".", ",", " et je cherche du travail.", " en ik zoek werk.", " and I look for work.", "!", ""]
_CYRILLIC_NAMES = ["Петя", "Иван", "Стефка", "Кирил", "Мария"]


@st.composite
def bare_name_variants(draw: st.DrawFn) -> tuple[str, str]:
    """A name alone after "je suis", "ik ben", "I'm", "sunt", "аз съм", typed phrases in Latin look-alikes."""
    if draw(st.integers(0, 4)) == 0:
        phrase = draw(st.sampled_from(["Казвам се {}", "Аз съм {}", "Името ми е {}"]))
        # a few letters of the phrase typed with their Latin look-alikes
        phrase = phrase.replace("се", draw(st.sampled_from(["се", "ce", "cе"])))
        phrase = phrase.replace("а", draw(st.sampled_from(["а", "a"])))
        text = phrase.format(draw(st.sampled_from(_CYRILLIC_NAMES))) + draw(st.sampled_from([".", ",", ""]))
    else:
        name = draw(st.sampled_from(_FIRST_NAMES))
        text = draw(st.sampled_from(_BARE_INTRODUCTIONS)).format(name) + draw(st.sampled_from(_FOLLOW_UPS))
    where = draw(st.integers(0, 1))
    pitch = draw(st.sampled_from([p for ps in _PITCH.values() for p in ps]))
    return (f"{text} {pitch}" if where == 0 else f"{pitch} {text}"), "self_introduction"


# --- ages ---------------------------------------------------------------------------------------


@st.composite
def stated_age_variants(draw: st.DrawFn) -> tuple[str, str]:
    """An age ending a text, heading a CV, reached ("j'ai eu 40 ans"), or as "34-jarige"."""
    age = draw(st.integers(18, 66))
    language = draw(st.sampled_from(["fr", "nl", "en", "ro", "bg"]))
    spelled = draw(st.sampled_from([str(age), _SPELLERS.get(language, str)(age)]))
    templates = {
        "fr": ["{p} {a} ans.", "{a} ans. {p}", "Cuisinière, {a} ans.", "Femme de ménage, {a} ans, {p}",
               "{p} J'ai eu {a} ans en mars.", "Je viens d'avoir {a} ans. {p}", "{p} Âge : {a}"],
        "nl": ["{p} {a} jaar.", "Schoonmaakster, {a} jaar. {p}", "Ik ben een {a}-jarige vrouw. {p}",
               "{p} Ik ben net {a} geworden.", "{a} jaar jong! {p}"],
        "en": ["{p} {a} years.", "Cleaner, {a} years, {p}", "{p} I turned {a} last year.", "{a} years of age. {p}",
               "{p} I'm {a}."],
        "ro": ["{p} Am {a} de ani.", "Am {a} ani. {p}"],
        "bg": ["{p} На {a} години съм.", "Имам {a} години. {p}"],
    }[language]
    template = draw(st.sampled_from(templates))
    if language in ("ro", "bg") or "-jarige" in template:
        spelled = str(age)
    pitch_language = language if language in _PITCH else "en"
    return template.format(a=spelled, p=draw(st.sampled_from(_PITCH[pitch_language]))), "age"


@st.composite
def decade_of_life_variants(draw: st.DrawFn) -> tuple[str, str]:
    word = draw(st.sampled_from(["trentenaire", "quadragénaire", "Quinquagénaire", "een veertiger", "als vijftiger",
                                 "in my forties", "in my early thirties", "dans la quarantaine",
                                 "fifty-something"]))  # fmt: skip
    return draw(in_pitch(word)), "age"


# --- origin -------------------------------------------------------------------------------------

_COUNTRIES = {"fr": ["Roumanie", "Bulgarie", "Serbie", "Macédoine", "Kosovo", "Turquie"],
              "nl": ["Roemenië", "Bulgarije", "Servië", "Macedonië", "Kosovo", "Turkije"],
              "en": ["Romania", "Bulgaria", "Serbia", "Macedonia", "Kosovo", "Turkey"]}  # fmt: skip


@st.composite
def origin_red_team_variants(draw: st.DrawFn) -> tuple[str, str]:
    """Origin through family or journey, Romani and Bulgarian-in-Latin self-names, a CV header with a
    nationality, religion said of the person."""
    shape = draw(st.integers(0, 4))
    if shape == 0:
        language = draw(st.sampled_from(["fr", "nl", "en"]))
        country = draw(st.sampled_from(_COUNTRIES[language]))
        year = draw(st.integers(1995, 2024))
        text = draw(st.sampled_from({
            "fr": ["Mes parents viennent de {c}.", "Ma famille vient de {c}.", "Je suis arrivée de {c} en {y}.",
                   "Nous sommes venus de {c} en {y}."],
            "nl": ["Mijn ouders komen uit {c}.", "Ik ben in {y} uit {c} gekomen.", "Mijn familie komt uit {c}."],
            "en": ["My parents are from {c}.", "I came from {c} in {y}.", "We moved from {c} in {y}.",
                   "My family is from {c}."],
        }[language])).format(c=country, y=year)  # fmt: skip
        return draw(in_pitch(text, language)), "origin"
    if shape == 1:
        word = draw(st.sampled_from(["gitana", "Gitano", "Romanichal", "romnja", "Rromni", "Romka", "ciganka",
                                     "tsigani", "manouche", "Sinti", "Ţigancă", "romi", "Roma-afkomst"]))  # fmt: skip
        text = draw(st.sampled_from(["{}", "je suis {}", "ik ben {}", "I am {}", "sunt {}", "az sam {}"])).format(word)
        return draw(in_pitch(text)), "origin"
    if shape == 2:
        text = draw(st.sampled_from(["az sam balgarka", "Az sum bulgarka", "az sam ot Balgariya", "rumanka",
                                     "po proizhod sam romka", "аз съм от България", "Аз съм ромка"]))  # fmt: skip
        return draw(in_pitch(text)), "origin"
    if shape == 3:
        nationality = draw(st.sampled_from(["Roumaine", "Bulgare", "Roemeense", "Bulgaarse", "Romanian", "Serbian"]))
        detail = draw(st.sampled_from(["34 ans", "41 jaar", "29 years", "mariée", "gehuwd", "single", "3 enfants",
                                       "2 kinderen", "mother"]))  # fmt: skip
        return f"{nationality}, {detail}. " + draw(st.sampled_from(_PITCH["en"])), "origin"
    text = draw(st.sampled_from(["Je suis musulmane", "je suis catholique pratiquante", "Ik ben moslima",
                                 "ik ben katholiek", "I'm Muslim", "I am a practising Christian", "Sunt ortodoxă",
                                 "Sunt pocăită", "Аз съм мюсюлманка", "Je porte le voile", "Ik draag een hoofddoek",
                                 "I wear a headscarf", "Religion : musulmane", "Religie: orthodox",
                                 "femme musulmane", "Muslim woman", "Romanian-born", "half Bulgarian",
                                 "mes racines roumaines", "my roots are in Romania", "mijn roots liggen in Bulgarije",
                                 "afkomst: Roemeens", "d'ethnie rom"]))  # fmt: skip
    return draw(in_pitch(text)), "origin"


# --- licence plates -----------------------------------------------------------------------------


@st.composite
def disguised_plate_variants(draw: st.DrawFn) -> tuple[str, str]:
    """A current Belgian or a Romanian plate with odd separators, Cyrillic look-alike capitals, or an
    invisible mark inside."""
    letters = "".join(draw(st.sampled_from("ABCEHKMOPTXY")) for _ in range(3))
    digits = "".join(draw(st.sampled_from(string.digits)) for _ in range(3))
    separator = draw(st.sampled_from(["-", "_", "·", " ", ".", "‑", "–"]))
    if draw(st.booleans()):
        plate = f"{draw(st.integers(1, 9))}{separator}{letters}{separator}{digits}"
    else:
        plate = f"{draw(st.sampled_from(['B', 'CJ', 'IS', 'TM']))}{separator}{digits[:2]}{separator}{letters}"
    if draw(st.booleans()):
        plate = "".join(c.translate(_CYRILLIC_FOR) if draw(st.booleans()) else c for c in plate)
    if draw(st.booleans()):
        plate = plate[:2] + draw(st.sampled_from(_INVISIBLE)) + plate[2:]
    lead = draw(st.sampled_from(["", "ma voiture ", "plaque: ", "nummerplaat ", "my car ", "auto "]))
    return draw(in_pitch(lead + plate)), "licence_plate"


RED_TEAM_CLASSES = {
    "red team: two number tricks at once": mixed_number_trick_variants(),
    "red team: double/triple dictation": dictated_repeat_variants(),
    "red team: obfuscated e-mails in pitches": obfuscated_email_variants(),
    "red team: domains and handles in pitches": domain_and_handle_variants(),
    "red team: combined address tricks": combined_address_variants(),
    "red team: ordinal and two-digit birth dates": ordinal_and_short_birth_date_variants(),
    "red team: bare names and typed-Latin phrases": bare_name_variants(),
    "red team: ages alone, reached, -jarige": stated_age_variants(),
    "red team: decades of life": decade_of_life_variants(),
    "red team: origin via family, Romani, religion": origin_red_team_variants(),
    "red team: disguised plates": disguised_plate_variants(),
}
