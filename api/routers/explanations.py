"""The explanation a counsellor hands to a job seeker about one vacancy (role counsellor, own profiles only)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Query
from fastapi.responses import HTMLResponse

from api.deps import CurrentActor, ReaderLanguage, SessionDep
from matching.reports.person_page import render_html
from matching.schemas.explanations import PersonExplanation
from matching.services import person_explanations

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])

# The page loads nothing and runs nothing: its own style only, and it may not be framed. default-src does not
# cover where a form posts or what a <base> points to, so those are closed by name; the page is read as HTML
# only when served as HTML, and a link followed from it (a printed page's reader may click one a browser
# makes of an address) tells nothing of where it came from.
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def wants_html(format: str | None, accept: str | None) -> bool:
    """?format=html, or an Accept header whose first choice is text/html (a browser's)."""
    if format is not None:
        return format == "html"
    first = (accept or "").split(",")[0].split(";")[0].strip().lower()
    return first == "text/html"


@router.get(
    "/{profile_id}/explanations/{vacancy_id}",
    response_model=PersonExplanation,
    responses={200: {"content": {"text/html": {}}, "description": "JSON, or a printable page (text/html)."}},
)
def person_explanation(
    profile_id: str,
    vacancy_id: str,
    session: SessionDep,
    actor: CurrentActor,
    lang: ReaderLanguage,
    format: Annotated[Literal["json", "html"] | None, Query()] = None,
    accept: Annotated[str | None, Header()] = None,
):
    """A plain-language explanation for the person: what counted for and against, what cannot be known, who decided."""
    page = person_explanations.person_explanation(session, actor, profile_id, vacancy_id, lang=lang)
    if wants_html(format, accept):
        return HTMLResponse(render_html(page), headers={**PAGE_HEADERS, "Content-Language": lang})
    return page
