"""Detect personal data in free text (pitch, notes, skill labels) without ever exposing it.

The text is normalised first (`normalise.views_of`: format characters, digits of other scripts,
look-alike letters, numbers in words, spaced-out e-mails), then every finder reads the view it needs.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from matching.privacy import numbers, origin, patterns, plates, words
from matching.privacy.normalise import numeric_form, views_of

Span = tuple[int, int]

# The order in which kinds are reported, so that an error message and a test see the same list.
PERSONAL_DATA_KINDS: tuple[str, ...] = (
    "email",
    "phone",
    "national_number",
    "iban",
    "url",
    "social_handle",
    "street_address",
    "birth_date",
    "self_introduction",
    "age",
    "origin",
    "licence_plate",
)

# The order in which finders run. What one finder claims is masked before the next runs: a profile URL
# ("tiktok.com/@jan") is not also an e-mail, an e-mail's domain is not also a URL, an IBAN's or a national
# number's digits are not also a phone number, a phone number with a country code is not also a national
# number, and a birth date is not also a phone number.
_FINDERS: tuple[tuple[str, Callable[[str], list[Span]]], ...] = (
    ("url", patterns.find_urls_with_path),
    ("email", patterns.find_emails),
    # A handle after a platform's name ("insta: jan.gl") is a handle even where it reads like a domain.
    ("social_handle", patterns.find_social_handles),
    ("url", patterns.find_bare_domains),
    # From here on every finder needs a digit, and most texts (skill labels) have none.
    ("iban", numbers.find_ibans),
    ("phone", numbers.find_international_phones),
    ("national_number", numbers.find_national_numbers),
    ("birth_date", patterns.find_birth_dates),
    ("phone", numbers.find_phones),
    ("street_address", patterns.find_street_addresses),
)
_SCRIPT_FINDERS: tuple[tuple[str, Callable[[str], list[Span]]], ...] = (
    ("street_address", patterns.find_street_addresses),
    ("birth_date", patterns.find_birth_dates),
)

# Masked spans become a character that is neither a digit, a letter nor a space, so they can join nothing.
_MASK = "\x00"


def _mask(text: str, spans: list[Span]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = _MASK * (end - start)
    return "".join(chars)


_FIRST_NUMBER_FINDER = 4
_DIGIT = re.compile(r"[0-9]")


def _run_finders(text: str, found: set[str], claims: list[tuple[str, Span]] | None = None) -> str:
    """Run the finders in order on `text`, adding the kinds found (and each span to `claims`); the text
    with every claimed span masked."""
    remaining = text
    finders = _FINDERS if _DIGIT.search(text) else _FINDERS[:_FIRST_NUMBER_FINDER]
    for kind, finder in finders:
        spans = finder(remaining)
        if spans:
            found.add(kind)
            remaining = _mask(remaining, spans)
            if claims is not None:
                claims.extend((kind, span) for span in spans)
    return remaining


# Numbers the plain text already showed as what they are stay claimed in the numeric reading: the "07o9" of
# the IBAN "ro18 xnwy 07o9 4617..." read as "0709" must not start a phone number. Claims of the text finders
# (handles, addresses on the web) are not carried over: "WhatsApp O451_11_11_11" is a phone number once read.
_CARRIED_CLAIMS = frozenset({"iban", "national_number", "phone", "birth_date"})


def _mask_claimed(numeric: str, latin: str, claims: list[tuple[str, Span]]) -> str:
    """`numeric` with the numeric reading of every number the finders claimed in `latin` masked."""
    for kind, (start, end) in claims:
        if kind not in _CARRIED_CLAIMS:
            continue
        claimed = latin[start:end]
        for form in {claimed, numeric_form(claimed)}:
            if form.strip():
                numeric = numeric.replace(form, _MASK * len(form))
    return numeric


def find_personal_data(text: str) -> list[str]:
    """Kinds of personal data found in `text`, each once, in PERSONAL_DATA_KINDS order.

    Only kinds are returned, never the matched value, so a caller cannot echo it in an error or a log.
    """
    if not text:
        return []
    views = views_of(text)
    found: set[str] = set()
    # Plates are looked for only outside what the finders claimed: an IBAN's or a phone number's groups
    # can read like a plate ("BE68 5390 0754 7034"), and one piece of data is reported as one kind.
    claims: list[tuple[str, Span]] = []
    unclaimed = [_run_finders(views.latin, found, claims)]
    if views.numeric != views.latin:
        numeric = _mask_claimed(views.numeric, views.latin, claims)
        unclaimed.append(_run_finders(numeric, found))
    if views.spaced != views.numeric:
        _find_rebuilt_contacts(views.spaced, "@" in views.latin, found)
    has_digit = _DIGIT.search(views.numeric) is not None
    if views.script != views.latin and has_digit:
        # Street words, birth words and names of places in another alphabet ("ул. Витоша 15").
        for kind, finder in _SCRIPT_FINDERS:
            if finder(views.script):
                found.add(kind)
    folded_views = (views.folded,) if views.script_folded == views.folded else (views.folded, views.script_folded)
    for folded in folded_views:
        if words.find_self_introductions(folded):
            found.add("self_introduction")
        if (has_digit and words.find_ages(folded)) or words.find_decades_of_life(folded):
            found.add("age")
        if origin.find_origin(folded, views.numeric):
            found.add("origin")
    if words.find_bare_names(views.latin) or (views.script != views.latin and words.find_bare_names(views.script)):
        found.add("self_introduction")
    if words.find_moi_c_est(views.numeric):
        found.add("self_introduction")
    if origin.find_romanian_person_words(views.script.casefold()):
        found.add("origin")
    if has_digit and any(plates.find_licence_plates(text) for text in unclaimed):
        found.add("licence_plate")
    return [kind for kind in PERSONAL_DATA_KINDS if kind in found]


def _find_rebuilt_contacts(spaced: str, had_at_sign: bool, found: set[str]) -> None:
    """E-mails and addresses put back together from spaced-out letters and "at"/"dot" words."""
    remaining = spaced
    for kind, finder in (("url", patterns.find_urls_with_path), ("email", patterns.find_rebuilt_emails),
                         ("url", patterns.find_bare_domains)):
        spans = finder(remaining)
        if spans:
            found.add(kind)
            remaining = _mask(remaining, spans)
    # "@" may have been made from a word ("(a) nettoyage"), so a handle counts only if one was typed.
    if had_at_sign and patterns.find_social_handles(remaining):
        found.add("social_handle")
