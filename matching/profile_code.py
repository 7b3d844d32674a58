"""A profile's short code: what a counsellor writes in their own records to join exports offline.

The service stores no identity, so a report's per-profile rows name each profile by this code only; the
counsellor keeps the code beside the person's name in their own files. It is derived from the profile id
(no column, no migration, the same in every export), in an alphabet without look-alike characters.
"""

from __future__ import annotations

import hashlib

# Crockford's base 32 without I, L, O, U: nothing to misread when copied by hand.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8  # 40 bits: among 5,000 profiles, two share a code with a chance of about 1 in 100,000


def profile_code(profile_id: str) -> str:
    """The profile's stable short code, "XXXX-XXXX" (the same for the same id, always)."""
    number = int.from_bytes(hashlib.sha256(f"blindmatch-profile-code:{profile_id}".encode()).digest()[:5], "big")
    letters = []
    for _ in range(LENGTH):
        number, digit = divmod(number, 32)
        letters.append(ALPHABET[digit])
    code = "".join(reversed(letters))
    return f"{code[:4]}-{code[4:]}"
