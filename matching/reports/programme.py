"""The programme report's figures for one counselling organisation and period, from plain histories.

A participant is a profile that was in the programme (in a phase other than closed) at some time in the
period. Phases come from the trajectory's phase changes: a phase lasts until the next change (or until the
end of the period). Events (shortlisted, presented, interview, hired) count when they happened in the
period; follow-up outcomes count when the day they hold falls in it. Every count of people goes through
matching.reports.suppression before it leaves this module; medians over fewer than THRESHOLD people are not given.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from matching.reports.suppression import THRESHOLD, suppress, suppress_list

FUNNEL = ("shortlisted", "presented", "interview", "hired")
DAY = 86400.0


@dataclass
class History:
    """What the trajectory holds for one profile: codes and instants, nothing about the person."""

    profile_id: str
    created_at: datetime
    phases: list[tuple[datetime, str]]  # phase changes, oldest first (publishing is the first)
    events: list[tuple[str, datetime, datetime | None]] = field(default_factory=list)  # kind, at, interview_at
    outcomes: dict[str, tuple[datetime, str]] = field(default_factory=dict)  # leaving|six_months -> (at, code)
    missed: set[str] = field(default_factory=set)  # concepts missing on the shortlists of the period


@dataclass
class Period:
    start: datetime
    end: datetime  # exclusive


def phase_spans(history: History, period: Period) -> list[tuple[str, float]]:
    """(phase, days) of each phase the profile spent within the period, clipped to it."""
    changes = history.phases or [(history.created_at, "intake")]
    spans = []
    for (begin, phase), nxt in zip(changes, [*changes[1:], None], strict=True):
        finish = nxt[0] if nxt is not None else period.end
        low, high = max(begin, period.start), min(finish, period.end)
        if high > low:
            spans.append((phase, max((high - low).total_seconds(), 0.0) / DAY))
    return spans


def phase_at(history: History, moment: datetime) -> str | None:
    """The phase the profile was in at `moment`, None before it was published."""
    current = None
    for begin, phase in history.phases or [(history.created_at, "intake")]:
        if begin <= moment:
            current = phase
    return current


def is_participant(history: History, period: Period) -> bool:
    return any(phase != "closed" for phase, _ in phase_spans(history, period))


def median(values: Sequence[float]) -> float | None:
    """The median, given only over THRESHOLD values or more."""
    return round(statistics.median(values), 1) if len(values) >= THRESHOLD else None


@dataclass
class ProfileFigures:
    profile_id: str
    phase_at_end: str
    days_in_programme: int
    counts: dict[str, int]
    days_to_first_interview: int | None
    outcomes: dict[str, str | None]


def profile_figures(history: History, period: Period) -> ProfileFigures:
    counts = Counter(kind for kind, at, _ in history.events if period.start <= at < period.end)
    interviews = sorted(at for kind, at, _ in history.events if kind == "interview")  # the invitation, not the day
    first = interviews[0] if interviews and period.start <= interviews[0] < period.end else None
    closed = [begin for begin, phase in history.phases if phase == "closed"]
    end = min([period.end, *closed])
    return ProfileFigures(
        profile_id=history.profile_id,
        phase_at_end=phase_at(history, period.end) or "intake",
        days_in_programme=max(int((end - history.created_at).total_seconds() // DAY), 0),
        counts={kind: counts.get(kind, 0) for kind in FUNNEL},
        days_to_first_interview=max(int((first - history.created_at).total_seconds() // DAY), 0) if first else None,
        outcomes={kind: (history.outcomes[kind][1] if kind in history.outcomes
                         and period.start <= history.outcomes[kind][0] < period.end else None)
                  for kind in ("leaving", "six_months")},
    )


@dataclass
class Figures:
    participants_by_phase: list[list[int | None]]  # rows: phases, then the total
    phases: list[tuple[str, int | None, float | None]]
    funnel: dict[str, int | None]
    median_days_to_first_interview: float | None
    outcomes: list[list[int | None]]  # rows: outcomes then total; columns: leaving, six_months, total
    gaps: list[tuple[str, int | None]]
    profiles: list[ProfileFigures]


def figures(histories: Sequence[History], period: Period, *, phases: Sequence[str], outcomes: Sequence[str],
            gap_limit: int = 10) -> Figures:
    """Every aggregate of the report, suppressed, and the per-profile rows."""
    participants = [h for h in histories if is_participant(h, period)]
    rows = [profile_figures(h, period) for h in participants]
    at_end = Counter(row.phase_at_end for row in rows)
    by_phase = suppress([[at_end.get(phase, 0)] for phase in phases]).published()
    days_in: Mapping[str, list[float]] = defaultdict(list)
    for history in participants:
        per_phase: dict[str, float] = defaultdict(float)
        for phase, days in phase_spans(history, period):
            per_phase[phase] += days
        for phase, days in per_phase.items():
            days_in[phase].append(days)  # type: ignore[attr-defined]
    phase_counts = suppress_list([len(days_in.get(phase, [])) for phase in phases])
    # Whoever is in a phase at the end spent time in it: a shown "spent time" count would bound a hidden
    # "at the end" one (and the total would do the rest), so a phase hidden there is hidden here too.
    phase_counts = [None if at_end_cell[0] is None else count
                    for count, at_end_cell in zip(phase_counts, by_phase, strict=False)]
    phase_rows = [(phase, count, median(days_in.get(phase, [])))
                  for phase, count in zip(phases, phase_counts, strict=True)]
    funnel = dict(zip(FUNNEL, suppress_list([sum(1 for r in rows if r.counts[k]) for k in FUNNEL]), strict=True))
    to_interview = [r.days_to_first_interview for r in rows if r.days_to_first_interview is not None]
    table = [[sum(1 for r in rows if r.outcomes[kind] == code) for kind in ("leaving", "six_months")]
             for code in outcomes]
    missed = Counter(concept for h in participants for concept in h.missed)
    top = sorted(missed.items(), key=lambda kv: (-kv[1], kv[0]))[:gap_limit]
    gap_counts = suppress_list([count for _, count in top])
    return Figures(
        participants_by_phase=by_phase,
        phases=phase_rows,
        funnel=funnel,
        median_days_to_first_interview=median([float(d) for d in to_interview]),
        outcomes=suppress(table).published(),
        gaps=[(concept, count) for (concept, _), count in zip(top, gap_counts, strict=True)],
        profiles=rows,
    )
