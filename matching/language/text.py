"""Label normalisation shared by every code path that compares skill or occupation labels.

Counsellors and employers type labels in French, Dutch or English with typos, accents, case and
gender markers; ESCO writes gendered labels as "masculine/feminine". Everything that compares
labels goes through these two functions so a label and a taxonomy entry are always spelled alike.
"""

from __future__ import annotations

import re
import unicodedata

# Job-ad gender markers: "(h/f/x)", "(H/F:X)", "(m/v/x)", "(m/w/d)", "h/f", "M/F". Only letters that
# stand for a gender, two to four of them, so "TCP/IP" or "B/C" survive.
_GENDER_MARKER = re.compile(
    r"\(\s*[hfmvxwd](?:\s*[/:|,\-]\s*[hfmvxwd]){1,3}\s*\)"
    r"|(?<![\w/])[hfmvxwd](?:\s*[/:|]\s*[hfmvxwd]){1,3}(?![\w/])",
    re.IGNORECASE,
)
# Feminine endings glued to a word: "employé(e)", "vendeur(euse)", "étudiant·e·s". The masculine
# form stays, and the taxonomy has both forms, so nothing is lost.
_GLUED_ENDING = re.compile(r"(?<=\w)\(\w{1,5}\)|(?<=\w)·\w{1,5}(?:·s)?")
# Feminine endings written after a slash, hyphen or dot: "vendeur/euse", "caissier/-ière", "vendeur-euse",
# "ouvrier.ère polyvalent.e", "animateur/trice". Only these endings, so "aide-soignant" or "TCP/IP" stay.
_SEPARATED_ENDING = re.compile(
    r"(?<=\w\w)\s?[/.\-]\s?-?(?:e|ne|se|euse|rice|trice|[eè]re|i[eè]re|ve|ive|le|esse|fe)s?(?![\w/])",
    re.IGNORECASE,
)
# "Boulanger - Boulangère", "Verkoper – verkoopster": a gender pair written with a spaced dash (a word and
# its feminine on either side).
_SPACED_DASH = re.compile(r"\s+[-–—]\s+")
# Letters that NFKD does not decompose but people write either way.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ı": "i"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def _strip_markers(text: str, *, gender_forms: bool = True) -> str:
    """Remove gender markers and glued (and, with gender_forms, separated) feminine endings."""
    stripped = _GLUED_ENDING.sub("", _GENDER_MARKER.sub(" ", text))
    return _SEPARATED_ENDING.sub("", stripped) if gender_forms else stripped


def _fold(text: str) -> str:
    """Casefold, strip accents, turn punctuation into spaces and collapse spaces."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_LIGATURES))
    bare = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", bare).strip()


def normalise_label(text: str) -> str:
    """Lower-case, accent-free, marker-free label with single spaces between words."""
    return _fold(_strip_markers(text))


def _looks_like_gender_pair(left: str, right: str) -> bool:
    """True for "directeur"/"directrice", "boucher"/"bouchère": a shared stem of 3+ letters."""
    a, b = _fold(left), _fold(right)
    return len(a) >= 3 and len(b) >= 3 and a[:3] == b[:3]


def _dash_pair_as_slash(text: str) -> str:
    """ "Boulanger - Boulangère" -> "Boulanger/Boulangère"; "Conseiller emploi - job coach" stays."""
    parts = _SPACED_DASH.split(text)
    if len(parts) == 2 and all(p.strip() for p in parts):
        left, right = _fold(parts[0].split()[-1]), _fold(parts[1].split()[0])
        # Stricter than a slash: a spaced dash also joins two halves of a title ("papetière - papiers").
        if left in masculine_forms(right) or right in masculine_forms(left):
            return "/".join(parts)
    return text


def label_variants(label: str, *, gender_forms: bool = True) -> list[str]:
    """Normalised forms a label stands for: both sides of "masc/fem" labels, else the label itself.

    gender_forms=False skips the separated endings ("vendeur/euse") and dash pairs ("Boulanger -
    Boulangère"): the reading before they were handled, kept for the linking benchmark's same-run peer.
    """
    text = _strip_markers(label, gender_forms=gender_forms)
    if "/" not in text and gender_forms:
        text = _dash_pair_as_slash(text)
    if "/" not in text:
        plain = _fold(text)
        return [plain] if plain else []
    parts = [p.strip() for p in text.split("/")]
    counts = [len(p.split()) for p in parts]
    if all(parts) and (len(set(counts)) == 1 or min(counts) > 1):
        # "directeur technique/directrice technique": each side is a whole label.
        variants = [_fold(p) for p in parts]
        paired = all(_looks_like_gender_pair(parts[0], p) for p in parts[1:])
    else:
        # "nettoyeur/nettoyeuse de bureaux": alternatives inside words, the rest is shared.
        tokens = [tok.split("/") for tok in text.split()]
        width = max(len(tok) for tok in tokens)
        variants = [
            _fold(" ".join(tok[min(i, len(tok) - 1)] for tok in tokens)) for i in range(width)
        ]
        paired = all(
            _looks_like_gender_pair(tok[0], alt) for tok in tokens if len(tok) > 1 for alt in tok[1:]
        )
    if not paired:
        # "TCP/IP", "garçon/fille": not a gender pair, so the label as written is a form too.
        variants.append(_fold(text))
    unique: list[str] = []
    for variant in variants:
        if variant and variant not in unique:
            unique.append(variant)
    return unique


# French elisions ("d'études", "l'accueil") split off as one-letter words that mean nothing.
_ELISIONS = frozenset({"d", "l"})


def label_tokens(text: str) -> list[str]:
    """Words of a normalised label, without elided articles."""
    return [token for token in text.split() if token not in _ELISIONS]


def word_terms(text: str) -> list[str]:
    """Word terms of a normalised label with plurals folded and long words cut to a stem."""
    terms = []
    for token in label_tokens(text):
        if len(token) > 4 and token.endswith("eaux"):
            token = token[:-1]  # bureaux -> bureau
        elif len(token) > 4 and token.endswith("aux"):
            token = token[:-3] + "al"  # animaux -> animal
        elif len(token) > 3 and token[-1] in "sx" and not token.endswith("ss"):
            token = token[:-1]
        # A short prefix joins derivations across languages: nettoyage/nettoyeur, kantoor/kantoren.
        terms.append(token[:6])
    return terms


# Feminine word endings and the masculine ones they stand for, most specific first (folded, accent-free):
# French "plongeuse", "animatrice", "caissiere", "boulangere", "technicienne", "maitresse", "avocate";
# Dutch "verkoopster", "kapster", "boerin", "studente".
_FEMININE_ENDINGS: tuple[tuple[str, str], ...] = (
    ("euse", "eur"), ("trice", "teur"), ("iere", "ier"), ("ere", "er"), ("ienne", "ien"),
    ("enne", "en"), ("onne", "on"), ("ive", "if"), ("esse", "e"), ("ster", "er"), ("in", ""), ("e", ""),
)
_LONG_VOWELS = ("aa", "ee", "oo", "uu")


def masculine_forms(word: str) -> list[str]:
    """Masculine spellings a feminine (or plural feminine) word may stand for, most likely first.

    Candidates only: the linker keeps one when the taxonomy uses it and does not use the word typed,
    so a feminine form the taxonomy lacks still finds its masculine label ("plongeuse" -> "plongeur").
    """
    stems = [word[:-1], word] if len(word) > 4 and word.endswith("s") else [word]
    forms: list[str] = []
    for stem in stems:
        for ending, masculine in _FEMININE_ENDINGS:
            root = stem[: -len(ending)]
            if not stem.endswith(ending) or len(root) < 3:
                continue
            forms.append(root + masculine)
            if ending == "ster":
                # Dutch spelling: "verkoop-ster" -> "verkoper", "kap-ster" -> "kapper".
                if root[-3:-1] in _LONG_VOWELS:
                    forms.append(root[:-2] + root[-1] + "er")
                forms.append(root + root[-1] + "er")
    return [form for form in dict.fromkeys(forms) if form != word]
