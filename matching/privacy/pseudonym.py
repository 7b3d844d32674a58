"""Per-vacancy pseudonyms for candidates shown to employers."""

from __future__ import annotations

import base64
import hashlib
import hmac

_PREFIX = "cand_"
_LENGTH = 16  # 80 bits: no collision among the candidates of one vacancy, and short enough to read out


def candidate_ref(secret: str, vacancy_id: str, profile_id: str) -> str:
    """The name an employer sees for a profile on one vacancy.

    Keyed on the vacancy so that two employers (or one employer across vacancies) cannot link what
    they saw about the same person; keyed on a server secret so nobody can compute it from profile ids.
    """
    if not secret:
        # An empty key would make every ref computable by anyone who knows or guesses a profile id.
        raise ValueError("candidate_ref needs a non-empty secret")
    # The NUL separator keeps ("ab", "c") and ("a", "bc") apart; ids never contain it.
    message = f"{vacancy_id}\0{profile_id}".encode()
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return _PREFIX + base64.b32encode(digest).decode("ascii").lower()[:_LENGTH]
