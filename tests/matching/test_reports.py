"""The programme figures and the ranking's precision, on plain histories and lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from matching.reports.accuracy import MIN_SHORTLISTS, RankedList, precision_at_k, precision_table
from matching.reports.programme import History, Period, figures, phase_at, phase_spans

START = datetime(2026, 1, 1, tzinfo=UTC)
PERIOD = Period(START, START + timedelta(days=100))
PHASES = ("intake", "training", "job_search", "closed")


def day(n: float) -> datetime:
    return START + timedelta(days=n)


def test_phases_last_until_the_next_change_clipped_to_the_period():
    history = History("p", day(-10), [(day(-10), "intake"), (day(20), "training"), (day(50), "closed")])
    assert phase_spans(history, PERIOD) == [("intake", 20.0), ("training", 30.0), ("closed", 50.0)]
    assert phase_at(history, day(30)) == "training" and phase_at(history, day(-20)) is None
    gone = History("q", day(-50), [(day(-50), "intake"), (day(-5), "closed")])
    assert figures([gone], PERIOD, phases=PHASES, outcomes=("employed",)).profiles == []  # not a participant


def test_medians_need_five_people_and_small_counts_are_hidden():
    many = [History(f"p{i}", day(0), [(day(0), "intake"), (day(10 + i), "job_search")],
                    events=[("interview", day(20 + i), None)]) for i in range(6)]
    few = [History(f"t{i}", day(0), [(day(0), "training")]) for i in range(2)]
    result = figures(many + few, PERIOD, phases=PHASES, outcomes=("employed",))
    phases = {phase: (count, median) for phase, count, median in result.phases}
    assert phases["intake"] == (6, 12.5)  # 10..15 days
    assert phases["training"] == (None, None)  # two people
    assert result.funnel["interview"] == 6 and result.median_days_to_first_interview == 22.5
    # Two in training at the end: hidden, and so is the six in job search, or the total would give them away.
    assert result.participants_by_phase == [[0], [None], [None], [0], [8]]
    assert phases["job_search"][0] is None  # its six would bound the hidden six at the end


def test_precision_at_k_counts_the_chosen_among_the_first_k():
    assert precision_at_k(["a", "b", "c", None, "e"], {"a", "e"}, 5) == 0.4
    assert precision_at_k(["a", "b"], {"a", "b"}, 10) == 1.0  # a short list is judged on its length
    lists = [RankedList(["a", "b", "c"], frozenset({"a"}), frozenset(), "cleaning", ["fr", "nl"])
             for _ in range(MIN_SHORTLISTS)]
    lists.append(RankedList(["x"], frozenset(), frozenset({"x"}), "care", ["fr"]))
    table = {(p.group, p.against, p.k): p for p in precision_table(lists, ks=(1, 5))}
    assert table[("all", "presented", 1)].precision == 1.0
    assert round(table[("language:nl", "presented", 5)].precision, 4) == round(1 / 3, 4)
    assert table[("sector:care", "interview_or_hired", 1)].shortlists == 1
    assert table[("sector:care", "interview_or_hired", 1)].precision is None  # too few lists to say
    assert table[("all", "interview_or_hired", 1)].shortlists == 1  # nobody chosen yet: not judged
