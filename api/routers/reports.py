"""Funders' figures: the programme report (a counselling organisation's counsellors, or the admin) and the
ranking's accuracy (admin)."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from api.deps import CurrentActor, ReaderLanguage, SessionDep
from matching.reports.export import to_csv, to_xlsx
from matching.schemas.reports import Accuracy, ProgrammeReport
from matching.services import reports

router = APIRouter(prefix="/v1/reports", tags=["reports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAY_LENGTH = 10  # YYYY-MM-DD


def _bounded_day(value: object) -> object:
    # Bounded like every query value; Query(max_length=...) does not apply to a date.
    if isinstance(value, str) and len(value) > DAY_LENGTH:
        raise PydanticCustomError("too_long", "give a day such as 2027-01-31")
    return value


Day = Annotated[date, BeforeValidator(_bounded_day),
                WithJsonSchema({"type": "string", "format": "date", "maxLength": DAY_LENGTH})]


@router.get(
    "/programme",
    response_model=ProgrammeReport,
    responses={200: {"content": {"text/csv": {}, XLSX: {}}, "description": "JSON, CSV or an XLSX workbook."}},
)
def programme_report(
    session: SessionDep,
    actor: CurrentActor,
    lang: ReaderLanguage,
    period_from: Annotated[Day | None, Query(alias="from", description="First day, e.g. 2027-01-01")] = None,
    period_to: Annotated[Day | None, Query(alias="to", description="Last day (included), e.g. 2027-12-31")] = None,
    organisation_id: Annotated[str | None, Query(max_length=64)] = None,
    format: Literal["json", "csv", "xlsx"] = "json",
    sheet: Literal["summary", "profiles"] = "summary",
):
    """Participants, phases, funnel, outcomes, gaps and accuracy for a period; small counts suppressed."""
    report = reports.programme_report(session, actor, organisation_id=organisation_id, period_from=period_from,
                                      period_to=period_to, lang=lang)
    name = f"programme-{report.period_from.isoformat()}-{report.period_to.isoformat()}"
    headers = {"Cache-Control": "no-store"}
    if format == "csv":
        disposition = f'attachment; filename="{name}-{sheet}.csv"'
        return Response(to_csv(report, sheet=sheet), media_type="text/csv; charset=utf-8",
                        headers={**headers, "Content-Disposition": disposition})
    if format == "xlsx":
        disposition = f'attachment; filename="{name}.xlsx"'
        return Response(to_xlsx(report), media_type=XLSX, headers={**headers, "Content-Disposition": disposition})
    return report


@router.get("/accuracy", response_model=Accuracy)
def accuracy_report(
    session: SessionDep,
    actor: CurrentActor,
    period_from: Annotated[Day | None, Query(alias="from", description="First day, e.g. 2027-01-01")] = None,
    period_to: Annotated[Day | None, Query(alias="to", description="Last day (included), e.g. 2027-12-31")] = None,
):
    """Precision at k of the ranking against the liaison's presentations and the employers' interviews and hires."""
    return reports.accuracy(session, actor, period_from=period_from, period_to=period_to)
