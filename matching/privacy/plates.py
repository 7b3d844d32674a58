"""Finder for vehicle licence plates: Belgian, Romanian, Bulgarian, Dutch and French formats.

A plate points at one car, and through the registration at one person. Plates are written in capitals;
lower-case look-alikes ("abc-123") are left alone because ordinary text is full of short codes. The
finder reads the `latin` view, where a Bulgarian plate typed in Cyrillic ("СА 1234 АВ") already reads
"CA 1234 AB".
"""

from __future__ import annotations

import re

Span = tuple[int, int]

# Hyphens as printed, and the odd separators people type to get round a finder: "1_ABC_234", "1·ABC·234".
_SEP = r"(?:[ .\-_·•/]|\s?[-_·]\s?)?"
# Belgium since 2010: "1-ABC-234", "1ABC234", "1 ABC 234" (the first digit is 1 to 9). Before: "ABC-123"
# and "123-ABC"; written compact or spaced they read like product codes, so the hyphen is required.
_BELGIAN = (
    rf"(?<![\w-])[1-9]{_SEP}[A-Z]{{3}}{_SEP}[0-9]{{3}}(?![\w-])"
    r"|(?<![\w-])(?:[A-Z]{3}-[0-9]{3}|[0-9]{3}-[A-Z]{3})(?![\w-])"
)
# Romania: county code, two digits (three in Bucharest), three letters: "B 123 ABC", "CJ 12 ABC".
_ROMANIAN_COUNTIES = (
    "AB|AG|AR|BC|BH|BN|BR|BT|BV|BZ|CJ|CL|CS|CT|CV|DB|DJ|GJ|GL|GR|HD|HR|IF|IL|IS|MH|MM|MS|NT|OT|PH|SB|SJ|SM|SV|TL|TM"
    "|TR|VL|VN|VS"
)
_ROMANIAN = rf"(?<![\w-])(?:B{_SEP}[0-9]{{2,3}}|(?:{_ROMANIAN_COUNTIES}){_SEP}[0-9]{{2}}){_SEP}[A-Z]{{3}}(?![\w-])"
# Bulgaria: province code in letters shared by the Latin and Cyrillic alphabets, four digits, two letters.
_BULGARIAN_PROVINCES = "A|B|BH|BP|BT|E|EB|EH|H|K|KH|M|OB|P|PA|PB|PK|PP|C|CA|CB|CH|CM|CO|CC|CT|T|TX|X|Y"
_BULGARIAN = rf"(?<![\w-])(?:{_BULGARIAN_PROVINCES}){_SEP}[0-9]{{4}}{_SEP}[ABEHKMOPCTXY]{{2}}(?![\w-])"
# France since 2009: "AB-123-CD". The Netherlands: six characters in three hyphenated groups of letters
# and digits, such as "12-ABC-3", "AB-123-C", "1-ABC-23", "XX-99-99".
_FRENCH = r"(?<![\w-])[A-Z]{2}-[0-9]{3}-[A-Z]{2}(?![\w-])"
_DUTCH = (
    r"(?<![\w-])(?:[0-9]{2}-[A-Z]{3}-[0-9]|[A-Z]{2}-[0-9]{3}-[A-Z]|[0-9]-[A-Z]{3}-[0-9]{2}|[A-Z]-[0-9]{3}-[A-Z]{2}"
    r"|[A-Z]{3}-[0-9]{2}-[A-Z]|[A-Z]{2}-[0-9]{2}-[A-Z]{2}|[0-9]{2}-[A-Z]{2}-[0-9]{2}|[A-Z]{2}-[A-Z]{2}-[0-9]{2}"
    r"|[0-9]{2}-[A-Z]{2}-[A-Z]{2}|[A-Z]{2}-[0-9]{2}-[0-9]{2}|[0-9]{2}-[0-9]{2}-[A-Z]{2})(?![\w-])"
)
# Three-letter prefixes of standards, references and documents, not plates: "ISO-900", "REF-123".
_NOT_PLATES = re.compile(
    r"(?:ISO|VCA|DIN|NBN|CEI|IEC|SAP|ADR|CAP|BTS|CQP|CPC|REF|ART|LOT|NUM|VOL|TEL|FAX|KBO|BCE|TVA|BTW|CMR|EPI|PPE"
    r"|GSM|SMS|USB|PDF|RAM|ROM|CPU|MIG|MAG|TIG|COD|ERP|CRM|SQL|NEN|EAN|UPC|QTY|NON|OUI|YES)-[0-9]{3}"
)
_PLATE = re.compile("|".join(f"(?:{p})" for p in (_BELGIAN, _ROMANIAN, _BULGARIAN, _FRENCH, _DUTCH)))
# Written in lower case the current Belgian format is still unlike any ordinary code: "1-abc-234".
_BELGIAN_LOWER = re.compile(r"(?<![\w-])[1-9]-[a-z]{3}-[0-9]{3}(?![\w-])")


def find_licence_plates(latin: str) -> list[Span]:
    return [
        m.span()
        for pattern in (_PLATE, _BELGIAN_LOWER)
        for m in pattern.finditer(latin)
        if not _NOT_PLATES.fullmatch(m.group())
    ]
