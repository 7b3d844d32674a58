"""Admin page "Oversight": the ranking's accuracy, the fair-exposure figures and each liaison organisation's
pause switch (AI Act Art. 14 and 15), over the same services as GET /v1/reports/accuracy, GET /v1/fairness
and PUT /v1/organisations/{liaison_id}/ranking."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import SessionDep
from api.pages.web import Csrf, PageActor, redirect, render
from matching.schemas.reports import Accuracy
from matching.services import accounts, fairness, ranking_pause, reports
from matching.store.access import require_role

router = APIRouter(include_in_schema=False)


def accuracy_rows(accuracy: Accuracy) -> list[dict]:
    """One row per group and yardstick, with its precision at each k side by side (None: too few lists)."""
    rows: dict[tuple[str, str], dict] = {}
    for figure in accuracy.figures:
        row = rows.setdefault((figure.group, figure.against), {
            "kind": figure.group.partition(":")[0], "name": figure.group.partition(":")[2],
            "against": figure.against, "shortlists": figure.shortlists, "precision": {}})
        row["precision"][figure.k] = figure.precision
    return list(rows.values())


@router.get("/admin/oversight")
def oversight(request: Request, session: SessionDep, actor: PageActor) -> Response:
    require_role(actor, "admin")
    accuracy = reports.accuracy(session, actor, period_from=None, period_to=None)
    organisations = accounts.list_organisations(session)
    switches = [(o, ranking_pause.state(session, actor, o.id)) for o in organisations if o.kind == "liaison"]
    return render(request, "admin/oversight.html", {
        "accuracy": accuracy, "accuracy_rows": accuracy_rows(accuracy),
        "fairness": fairness.figures(session, actor), "switches": switches,
        "names": {o.id: o.name for o in organisations}})


@router.post("/admin/oversight/ranking", dependencies=[Csrf])
async def switch_ranking(request: Request, session: SessionDep, actor: PageActor) -> Response:
    """Pause or resume automatic ranking for one liaison organisation (audited by the service)."""
    require_role(actor, "admin")
    form = await request.form()
    ranking_pause.switch(session, actor, str(form.get("liaison_id", "")), paused=form.get("paused") == "yes")
    return redirect(request, "/admin/oversight")
