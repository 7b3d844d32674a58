"""The programme report as CSV or as an XLSX workbook (openpyxl), from the JSON report's very figures.

Suppressed counts are written as SUPPRESSED ("[c]", confidential, as national statistics offices mark
them), never as a number. The CSV has two forms: `summary`, every aggregate table in long form (table, row,
column, value), and `profiles`, the per-profile sheet. The workbook holds both, one sheet per table.
The per-profile sheet names profiles by their code only: the counsellor joins it to their own records.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from matching.schemas.reports import ProgrammeReport

SUPPRESSED = "[c]"
# A text cell starting with one of these is read as a formula by spreadsheets (CSV injection): labels come
# from an imported taxonomy file, which the service does not vouch for. Such a cell is written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PROFILE_COLUMNS = ("profile_code", "phase_at_end", "days_in_programme", "shortlisted", "presented", "interviews",
                   "hired", "days_to_first_interview", "outcome_leaving", "outcome_six_months")


def _shown(value: Any) -> Any:
    return SUPPRESSED if value is None else value


def as_text(value: Any) -> Any:
    """For a CSV cell: text a spreadsheet would run as a formula gets a leading apostrophe (read as text)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def summary_rows(report: ProgrammeReport) -> Iterator[tuple[str, str, str, Any]]:
    """(table, row, column, value) for every published aggregate."""
    yield "period", "from", "", report.period_from.isoformat()
    yield "period", "to", "", report.period_to.isoformat()
    for table_name, table in (("participants_by_phase", report.participants_by_phase),
                              ("outcomes", report.outcomes)):
        for row, cells in zip(table.rows, table.cells, strict=True):
            for column, value in zip(table.columns, cells, strict=True):
                yield table_name, row, column, _shown(value)
    for phase in report.phases:
        yield "phases", phase.phase, "participants", _shown(phase.participants)
        yield "phases", phase.phase, "median_days", "" if phase.median_days is None else phase.median_days
    for key, value in report.funnel.items():
        yield "funnel", key, "participants", _shown(value)
    median = report.median_days_to_first_interview
    yield "funnel", "median_days_to_first_interview", "", "" if median is None else median
    for gap in report.gaps:
        yield "gaps", gap.label, "participants", _shown(gap.participants)
    for figure in report.accuracy.figures:
        precision = "" if figure.precision is None else figure.precision
        yield "accuracy", figure.group, f"{figure.against}@{figure.k}", precision
        yield "accuracy", figure.group, f"{figure.against}@{figure.k}:shortlists", figure.shortlists


def profile_rows(report: ProgrammeReport) -> Iterator[tuple[Any, ...]]:
    for row in report.profiles:
        data = row.model_dump()
        yield tuple("" if data[c] is None else data[c] for c in PROFILE_COLUMNS)


def to_csv(report: ProgrammeReport, *, sheet: str = "summary") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if sheet == "profiles":
        writer.writerow(PROFILE_COLUMNS)
        writer.writerows(tuple(map(as_text, row)) for row in profile_rows(report))
    else:
        writer.writerow(("table", "row", "column", "value"))
        writer.writerows(tuple(map(as_text, row)) for row in summary_rows(report))
    return out.getvalue()


def to_xlsx(report: ProgrammeReport) -> bytes:
    """One sheet per table, the per-profile sheet last; a note on the first says what [c] means."""
    book = Workbook()
    about = book.active
    about.title = "About"
    for line in (
        ("Programme report", ""),
        ("Organisation", report.organisation_id or "every counselling organisation"),
        ("From", report.period_from.isoformat()),
        ("To", report.period_to.isoformat()),
        ("Generated at", report.generated_at.isoformat()),
        (SUPPRESSED, f"suppressed: a count from 1 to {report.threshold - 1}, or a cell that would let one be "
                     "worked out from the totals"),
        ("Profiles sheet", "one row per participant, named by its code only: for the organisation's own records"),
    ):
        about.append(line)
    about["A1"].font = Font(bold=True)

    def table(title: str, header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        sheet = book.create_sheet(title)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):  # openpyxl makes "=..." a formula: keep every text a text
                    cell.data_type = "s"

    for title, counts in (("Participants by phase", report.participants_by_phase), ("Outcomes", report.outcomes)):
        table(title, ("", *counts.columns), [(row, *map(_shown, cells))
                                             for row, cells in zip(counts.rows, counts.cells, strict=True)])
    table("Phases", ("phase", "participants", "median days"),
          [(p.phase, _shown(p.participants), p.median_days) for p in report.phases])
    table("Funnel", ("step", "participants"),
          [*((k, _shown(v)) for k, v in report.funnel.items()),
           ("median days to first interview", report.median_days_to_first_interview)])
    table("Gaps", ("requirement", "concept", "participants"),
          [(g.label, g.concept_id, _shown(g.participants)) for g in report.gaps])
    table("Accuracy", ("group", "against", "k", "shortlists", "precision"),
          [(f.group, f.against, f.k, f.shortlists, f.precision) for f in report.accuracy.figures])
    table("Profiles", PROFILE_COLUMNS, list(profile_rows(report)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
