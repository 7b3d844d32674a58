"""Finders for numbers that identify a person: Belgian national and BIS numbers, bank accounts, phones.

Each finder takes text and returns the spans it found, so the caller can mask them before the next
finder runs: an IBAN or a national number is also a long digit run that a phone matcher would claim.
Checksums are validated with python-stdnum so that ordinary figures (postcodes, hours, years) pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher
from stdnum import iban as stdnum_iban
from stdnum.be import bis as stdnum_bis
from stdnum.be import nn as stdnum_nn

Span = tuple[int, int]

# A run of digit groups joined by the separators people type in numbers: "85.07.30-033.61",
# "850730 033 61", "BE 539-0075470-34". Two separator characters at most, so ". " and " - " count.
_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]+(?:[ .\-/]{1,2}[0-9]+)*")
_GROUP = re.compile(r"[0-9]+")


def _digit_windows(text: str, length: int) -> Iterator[tuple[str, Span, frozenset[int]]]:
    """Every run of whole digit groups holding exactly `length` digits, with its span and the digit
    counts at which its groups are cut."""
    for run in _DIGIT_RUN.finditer(text):
        groups = list(_GROUP.finditer(text, run.start(), run.end()))
        if _is_international_phone(text, run.start(), groups[0].group()):
            # "+32 470 12 34 56" and "0049 150 90833002" hold eleven-digit stretches, and one in a
            # hundred passes the checksum; a country code says phone.
            continue
        # "00 49 153 12816145": after a lone "00" the rest is a dialled number; only a window that starts
        # with that "00" can be a national number (someone born in 2000: "00 01 01 002 04").
        starts = 1 if groups[0].group() == "00" else len(groups)
        for first in range(starts):
            digits = ""
            cuts: set[int] = set()
            for last in range(first, len(groups)):
                if digits:
                    cuts.add(len(digits))
                digits += groups[last].group()
                if len(digits) == length:
                    yield digits, (groups[first].start(), groups[last].end()), frozenset(cuts)
                if len(digits) >= length:
                    break


_PLUS_BEFORE = re.compile(r"\+[ (]?$")


def _is_international_phone(text: str, start: int, first_group: str) -> bool:
    if _PLUS_BEFORE.search(text, max(0, start - 3), start):
        return True
    # "0049 150 ...": "00" glued to a country code. A national number of someone born in 2000 starts
    # with "00" too, but as a group of two ("00.01.01-001.97") or of six and more ("000101 001 97").
    return first_group.startswith("00") and 3 <= len(first_group) <= 5


# People split a national number where its parts end (YY MM DD, counter, check), in any combination:
# "85.07.30-033.28", "850730 033 28", "850730033-28". Groups cut elsewhere ("14/03/2027 353", a date and
# a count) are other figures that happen to add up to eleven digits.
_NATIONAL_NUMBER_CUTS = frozenset({2, 4, 6, 9})


def find_national_numbers(text: str) -> list[Span]:
    """Belgian national register (NISS/RRN/INSZ) and BIS numbers, however they are grouped."""
    # stdnum applies the mod-97 check twice, once with a "2" prefixed for people born from 2000.
    return [
        span
        for digits, span, cuts in _digit_windows(text, 11)
        if cuts <= _NATIONAL_NUMBER_CUTS and (stdnum_nn.is_valid(digits) or stdnum_bis.is_valid(digits))
    ]


_IBAN_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}")
_IBAN_BODY = re.compile(r"[A-Za-z0-9]+(?:[ \-][A-Za-z0-9]+)*")
_IBAN_CHUNK = re.compile(r"[A-Za-z0-9]+")
_IBAN_MAX = 34
_IBAN_WINDOW = 50  # 34 characters and a separator every four: no need to read further than this

# The Belgian account number that preceded the IBAN and still appears on old papers: 3-7-2 digits,
# the last two being the first ten modulo 97.
_BE_ACCOUNT = re.compile(r"(?<![0-9])([0-9]{3})-([0-9]{7})-([0-9]{2})(?![0-9])")


def _is_iban(candidate: str) -> bool:
    # The country-specific check inside the BBAN is skipped: an account with a typo in its national
    # check digits still points at a person, and the IBAN mod-97 already keeps random text out.
    try:
        stdnum_iban.validate(candidate, check_country=False)
    except Exception:  # stdnum raises its own ValidationError family, and KeyError on odd input
        return False
    return True


def find_ibans(text: str) -> list[Span]:
    """IBANs of any country, compact or grouped, upper or lower case, plus old Belgian account numbers."""
    spans: list[Span] = []
    for start in _IBAN_START.finditer(text):
        body = _IBAN_BODY.match(text, start.start(), start.start() + _IBAN_WINDOW)
        if body is None:
            continue
        chunks = list(_IBAN_CHUNK.finditer(text, body.start(), body.end()))
        # The last chunk may be a word that follows the IBAN ("BE68 5390 0754 7034 svp"), so shorter
        # prefixes are tried too, longest first.
        for last in range(len(chunks) - 1, -1, -1):
            compact = "".join(c.group() for c in chunks[: last + 1]).upper()
            if len(compact) > _IBAN_MAX:
                continue
            if len(compact) < 15:
                break
            if _is_iban(compact):
                spans.append((start.start(), chunks[last].end()))
                break
    for match in _BE_ACCOUNT.finditer(text):
        head = int(match.group(1) + match.group(2))
        if (head % 97 or 97) == int(match.group(3)):
            spans.append(match.span())
    return spans


_HOURS_ONLY = re.compile(r"[0-9]{1,2}(?:\s*[-/]\s*[0-9]{1,2})+")


def _looks_like_schedule(raw: str) -> bool:
    # "06-14/14-22" is a shift pattern, and also a valid Belgian number in the metadata.
    return bool(_HOURS_ONLY.fullmatch(raw)) and all(int(g) <= 24 for g in _GROUP.findall(raw))


def _written_international(raw: str) -> bool:
    """A country code in front: "+49 ...", "(+49) ...", "0049 ...", "00 49 ..."."""
    return raw.lstrip("( ").startswith("+") or "".join(_GROUP.findall(raw)).startswith("00")


def _overlaps(spans: list[Span], span: Span) -> bool:
    return any(start < span[1] and span[0] < end for start, end in spans)


_YEAR_RANGE = re.compile(r"(?:19|20)[0-9]{2}\s*[-–/]\s*(?:19|20)[0-9]{2}")


def _is_phone(text: str, start: int, raw: str, number: phonenumbers.PhoneNumber) -> bool:
    if _looks_like_schedule(raw) or _YEAR_RANGE.search(raw):
        return False
    if _written_international(raw):
        # Written with a country code: nobody types a postcode or a year that way.
        return phonenumbers.is_possible_number(number)
    if start > 0 and text[start - 1].isalnum():
        # Glued to a word: the "03" of "06h03" is a time, not the start of a number.
        return False
    # Counted without an extension: "878 1x8" is "878 1" with extension 8 to the matcher.
    significant = len(phonenumbers.national_significant_number(number))
    body = raw.lstrip("( ")  # "(02) 512 34 56"
    first_group = _GROUP.match(body)
    if first_group is None or len(first_group.group()) < 2:
        # Nobody starts a phone number with a lone digit ("0-17 2-2 46 655", "4 653 193 10").
        return False
    if body.startswith("0"):
        # A trunk "0" and at least nine digits is how Belgians, and the French, Romanians and
        # Bulgarians at home, write a number. The numbering plan is not checked: unallocated-looking
        # ranges ("02 123 45 67") are still somebody's phone in a pitch.
        return significant >= 8 and len("".join(_GROUP.findall(raw))) >= 9
    # No prefix at all ("470 12 34 56"): only a full-length number valid in the plan counts, which
    # keeps counts, years, hours and postcodes out.
    return significant >= 9 and phonenumbers.is_valid_number(number)


def find_international_phones(text: str) -> list[Span]:
    """Phone numbers written with a country code; they run before national numbers.

    "+49 (0)154 99262586" or "00 49 153 12816145" hold eleven-digit stretches that pass the national
    number checksum about once in a hundred: the country code is the stronger sign. An "00" number that
    overlaps a valid national number is left to that finder: someone born in 2000 has a national number
    starting with "00", and the phone matcher may take only part of it ("000627-339" of "000627-339.86").
    """
    spans: list[Span] = []
    national = find_national_numbers(text)
    for match in PhoneNumberMatcher(text, "BE", leniency=Leniency.POSSIBLE):
        raw = match.raw_string
        if not _written_international(raw) or _looks_like_schedule(raw):
            continue
        if not raw.lstrip("( ").startswith("+") and _overlaps(national, (match.start, match.end)):
            continue
        if phonenumbers.is_possible_number(match.number):
            spans.append((match.start, match.end))
    return spans


def find_phones(text: str) -> list[Span]:
    """Phone numbers in Belgian and international formats."""
    # POSSIBLE rather than VALID: VALID drops numbers in ranges the metadata calls unallocated, and
    # missing a candidate's phone number costs more than a second look at a text; _is_phone filters.
    return [
        (match.start, match.end)
        for match in PhoneNumberMatcher(text, "BE", leniency=Leniency.POSSIBLE)
        if _is_phone(text, match.start, match.raw_string, match.number)
    ]
