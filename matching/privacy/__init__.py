"""Privacy rules of the domain: no identity in a profile, no personal data in free text, pseudonyms.

This is blind hiring for people who face discrimination because of who they are, so the rules lean
towards refusing: a counsellor re-reading a flagged pitch costs less than an employer reading a name,
an address in a known neighbourhood or a birth date.
"""

from matching.privacy.identity import IDENTITY_FIELDS, is_identity_field
from matching.privacy.personal_data import PERSONAL_DATA_KINDS, find_personal_data
from matching.privacy.pseudonym import candidate_ref

__all__ = [
    "IDENTITY_FIELDS",
    "PERSONAL_DATA_KINDS",
    "candidate_ref",
    "find_personal_data",
    "is_identity_field",
]
