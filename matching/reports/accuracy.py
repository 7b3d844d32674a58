"""Precision at k of the ranking against what people chose: the liaison's presentations and the employers'
interviews and hires (the accuracy the AI Act asks a high-risk system to declare, Art. 15).

For one shortlist, precision at k is the share of the model's first k candidates that people chose; a list
shorter than k is judged on its length (a list of 3 with 3 chosen is fully precise). A shortlist counts
against the presentations once the liaison presented someone from it, and against the outcomes once an
employer invited or hired someone for the vacancy: before that nobody has chosen yet. Figures are means over
shortlists, overall, per language the vacancy asks and per sector; a group of fewer than MIN_SHORTLISTS
shortlists shows its count and no figure (a mean over two lists tells nothing, and can point at a person).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MIN_SHORTLISTS = 5
KS: tuple[int, ...] = (5, 10)


@dataclass(frozen=True)
class RankedList:
    """One shortlist as the model ranked it, and whom people chose for its vacancy."""

    ranked: Sequence[str | None]  # profile ids by the model's rank; None for an erased profile
    presented: frozenset[str]
    interview_or_hired: frozenset[str]
    sector: str | None
    languages: Sequence[str]


@dataclass(frozen=True)
class Precision:
    group: str
    against: str  # presented | interview_or_hired
    k: int
    shortlists: int
    precision: float | None


def precision_at_k(ranked: Sequence[str | None], chosen: Iterable[str], k: int) -> float:
    """Share of the first k (or all, when fewer) ranked candidates that were chosen."""
    top = list(ranked[:k])
    if not top:
        return 0.0
    chosen = set(chosen)
    return sum(1 for pid in top if pid is not None and pid in chosen) / len(top)


def precision_table(lists: Sequence[RankedList], ks: Sequence[int] = KS) -> list[Precision]:
    """Mean precision at each k against each kind of choice, for all lists, per language and per sector."""
    groups: dict[str, list[RankedList]] = defaultdict(list)
    for item in lists:
        groups["all"].append(item)
        for code in item.languages or ("none",):
            groups[f"language:{code}"].append(item)
        groups[f"sector:{item.sector or 'none'}"].append(item)
    out = []
    for group in sorted(groups, key=lambda g: (g != "all", g)):
        for against in ("presented", "interview_or_hired"):
            judged = [item for item in groups[group] if getattr(item, against)]
            for k in ks:
                values = [precision_at_k(item.ranked, getattr(item, against), k) for item in judged]
                mean = round(sum(values) / len(values), 4) if len(values) >= MIN_SHORTLISTS else None
                out.append(Precision(group, against, k, len(values), mean))
    return out
