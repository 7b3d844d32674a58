"""Skills taxonomy: autocomplete and concept pages (any role)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import CurrentActor, SessionDep
from matching.schemas.resources import ConceptPublic, TaxonomyHit
from matching.services import taxonomy

router = APIRouter(prefix="/v1/taxonomy", tags=["taxonomy"])


@router.get("/search", response_model=list[TaxonomyHit])
def search(
    session: SessionDep,
    actor: CurrentActor,
    q: Annotated[str, Query(min_length=1, max_length=200)],
    lang: Annotated[str | None, Query(pattern=r"^[a-z]{2,3}$")] = None,
    kind: Literal["skill", "occupation"] | None = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
):
    """Concepts whose labels (any language) match what was typed, tolerant of typos and accents."""
    return taxonomy.search(session, q=q, lang=lang, kind=kind, limit=limit)


@router.get("/concepts/{concept_id:path}", response_model=ConceptPublic)
def get_concept(concept_id: str, session: SessionDep, actor: CurrentActor):
    """A concept's labels per language, broader and narrower concepts."""
    return taxonomy.get_concept(session, concept_id)
