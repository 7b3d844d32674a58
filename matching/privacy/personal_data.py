"""Detect personal data in free text (pitch, notes, skill labels) without ever exposing it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from matching.privacy import numbers, patterns

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
)

# The order in which finders run. What one finder claims is masked before the next runs: a profile URL
# ("tiktok.com/@jan") is not also an e-mail, an e-mail's domain is not also a URL, an IBAN's or a national
# number's digits are not also a phone number, a phone number with a country code is not also a national
# number, and a birth date is not also a phone number.
_FINDERS: tuple[tuple[str, Callable[[str], list[Span]]], ...] = (
    ("url", patterns.find_urls_with_path),
    ("email", patterns.find_emails),
    ("url", patterns.find_bare_domains),
    ("social_handle", patterns.find_social_handles),
    ("iban", numbers.find_ibans),
    ("phone", numbers.find_international_phones),
    ("national_number", numbers.find_national_numbers),
    ("birth_date", patterns.find_birth_dates),
    ("phone", numbers.find_phones),
    ("street_address", patterns.find_street_addresses),
)

# Characters that show nothing but split a token, whether pasted from a word processor or put there to
# slip an e-mail past a filter.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u2060-\u2064\ufeff]")
# Masked spans become a character that is neither a digit, a letter nor a space, so they can join nothing.
_MASK = "\x00"


def _prepare(text: str) -> str:
    # NFKC folds full-width digits and "＠", and turns no-break spaces (French typing puts them inside
    # phone numbers) into plain ones.
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def _mask(text: str, spans: list[Span]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = _MASK * (end - start)
    return "".join(chars)


def find_personal_data(text: str) -> list[str]:
    """Kinds of personal data found in `text`, each once, in PERSONAL_DATA_KINDS order.

    Only kinds are returned, never the matched value, so a caller cannot echo it in an error or a log.
    """
    if not text:
        return []
    remaining = _prepare(text)
    found: set[str] = set()
    for kind, finder in _FINDERS:
        spans = finder(remaining)
        if spans:
            found.add(kind)
            remaining = _mask(remaining, spans)
    return [kind for kind in PERSONAL_DATA_KINDS if kind in found]
