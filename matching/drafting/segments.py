"""A job ad cut into lines and clauses with their offsets, each clause knowing its section."""

from __future__ import annotations

import re
from dataclasses import dataclass

from matching.drafting.cues import header_of

# Clauses end at a full stop followed by a space, at ; ! ? or a line break. Not at a comma: "Vereist:
# ervaring in stellingbouw, VCA-attest" is one clause, its cue ruling both mentions.
# A full stop after a digit ends a clause only before a capital ("Français B1. Le néerlandais..."), not in "4.5".
_CLAUSE_END = re.compile(r"\.(?=\s+[A-ZÀ-Ý])|(?<!\d)\.(?=\s|$)|[;!?]|\n")
_WORD = re.compile(r"\w+(?:[’'·\-/]\w+)*", re.UNICODE)


@dataclass(frozen=True)
class Clause:
    start: int  # offset of the clause in the ad
    text: str
    section: str | None  # the section the clause's line belongs to
    line_no: int  # 0 is the ad's first non-empty line (its title)


@dataclass(frozen=True)
class Token:
    start: int  # offset in the ad
    end: int
    text: str


def clauses(ad: str) -> list[Clause]:
    """Every non-empty clause of the ad, in order."""
    out: list[Clause] = []
    section: str | None = None
    line_no = -1
    offset = 0
    for line in ad.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            line_no += 1
            found = header_of(stripped)
            if found is not None:
                section = found
            cursor = 0
            for match in [*_CLAUSE_END.finditer(line), None]:
                end = match.start() if match is not None else len(line)
                piece = line[cursor:end]
                if piece.strip():
                    lead = len(piece) - len(piece.lstrip())
                    out.append(Clause(offset + cursor + lead, piece.strip(), section, line_no))
                if match is None:
                    break
                cursor = match.end()
        offset += len(line)
    return out


def tokens(clause: Clause) -> list[Token]:
    """The clause's words with their offsets in the ad."""
    return [Token(clause.start + m.start(), clause.start + m.end(), m.group()) for m in _WORD.finditer(clause.text)]
