"""Counsellor pages: own profiles, the profile form (new and edit), the profile page (trajectory, gaps,
opportunities), erasure.

Shared with the other roles: how a typed label is understood (autocomplete) and the postcode check.
"""

from __future__ import annotations

from typing import Annotated, get_args

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError

from api.deps import SessionDep
from api.pages import forms
from api.pages.web import Csrf, PageActor, language, redirect, render
from matching.errors import Conflict, InvalidInput
from matching.ranking.facts import SHIFTS, SKILL_LEVELS, TRANSPORT_MODES
from matching.schemas.resources import Phase, PhaseChange, ProfileCreate, ProfileUpdate, RequirementIn, SkillIn
from matching.services import gaps, opportunities, overviews, profiles
from matching.store.access import require_role, visible_profile

router = APIRouter(include_in_schema=False)
PER_PAGE = 50
PHASES = get_args(Phase)
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
FORM_CHOICES = {"phases": PHASES, "levels": SKILL_LEVELS, "shifts": SHIFTS, "transport": TRANSPORT_MODES,
                "cefr": CEFR_LEVELS, "default_languages": forms.DEFAULT_LANGUAGES}
LISTS = ("shifts", "transport", "driving_licences")


@router.get("/profiles")
def profile_list(request: Request, session: SessionDep, actor: PageActor,
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1, phase: Phase | None = None) -> Response:
    lines, total = overviews.counsellor_profiles(session, actor, limit=PER_PAGE, offset=(page - 1) * PER_PAGE,
                                                 phase=phase)
    pages = max(1, -(-total // PER_PAGE))
    return render(request, "counsellor/profiles.html",
                  {"lines": lines, "total": total, "page": page, "pages": pages, "phase": phase, "phases": PHASES,
                   "notice": request.query_params.get("notice")})


@router.get("/profiles/new")
def new_profile(request: Request, actor: PageActor) -> Response:
    require_role(actor, "counsellor")
    return _form(request, {}, {})


@router.post("/profiles/new", dependencies=[Csrf])
async def create_profile(request: Request, session: SessionDep, actor: PageActor) -> Response:
    form = await request.form()
    payload, origins = forms.profile_payload(form)
    try:
        created = profiles.create_profile(session, actor, payload=forms.validated(ProfileCreate, payload, origins,
                                                                                  language(request)))
    except forms.FormErrors as refused:
        return _form(request, forms.values_again(form, refused.withheld, LISTS), refused.errors, status=422)
    except InvalidInput as refused:
        return _form(request, forms.values_again(form, frozenset(), LISTS),
                     forms.domain_errors(refused, origins, language(request)).errors, status=422)
    return redirect(request, f"/profiles/{created.id}")


def _form(request: Request, values: dict, errors: dict[str, str], *, status: int = 200, profile_id: str = "",
          stale: bool = False) -> Response:
    """The profile form, blank or filled: `profile_id` makes it the edit form of that profile."""
    rows = {"skill_rows": forms.rows_needed(values, "skill_label_", forms.SKILL_ROWS, forms.MAX_SKILL_ROWS),
            "language_rows": forms.rows_needed(values, "lang_code_", forms.LANGUAGE_ROWS, forms.MAX_LANGUAGE_ROWS)}
    context = {"values": values, "errors": errors, "profile_id": profile_id, "stale": stale, **rows, **FORM_CHOICES}
    if profile_id:
        context["code"] = overviews.profile_code(profile_id)
    return render(request, "counsellor/profile_form.html", context, status=status)


@router.get("/profiles/{profile_id}/edit")
def edit_profile(profile_id: str, request: Request, session: SessionDep, actor: PageActor) -> Response:
    profile = profiles.to_public(visible_profile(session, actor, profile_id))
    return _form(request, forms.profile_values(profile), {}, profile_id=profile.id)


@router.post("/profiles/{profile_id}/edit", dependencies=[Csrf])
async def save_profile(profile_id: str, request: Request, session: SessionDep, actor: PageActor) -> Response:
    """The same change as PATCH /v1/profiles/{id}, refused when another edit was saved since the form opened."""
    visible_profile(session, actor, profile_id)  # another organisation's profile: 404 before reading the form
    form = await request.form()
    payload, origins = forms.profile_payload(form)
    del payload["phase"]  # the phase changes on the profile page, with its trajectory event
    # The version the form was opened at; one that is no version at all is refused as stale, never ignored.
    version = str(form.get("version") or "")
    payload["version"] = (int(version) if version.isdigit() and len(version) <= 18 else 0) if version else None
    try:
        update = forms.validated(ProfileUpdate, payload, origins, language(request))
        profiles.update_profile(session, actor, profile_id, payload=update)
    except forms.FormErrors as refused:
        return _form(request, forms.values_again(form, refused.withheld, LISTS), refused.errors, status=422,
                     profile_id=profile_id)
    except InvalidInput as refused:
        return _form(request, forms.values_again(form, frozenset(), LISTS),
                     forms.domain_errors(refused, origins, language(request)).errors, status=422,
                     profile_id=profile_id)
    except Conflict as refused:
        if refused.code != "stale_version":
            raise
        return _form(request, forms.values_again(form, frozenset(), LISTS), {}, status=409, profile_id=profile_id,
                     stale=True)
    return redirect(request, f"/profiles/{profile_id}?notice=saved")


@router.get("/profiles/{profile_id}")
def profile_page(profile_id: str, request: Request, session: SessionDep, actor: PageActor) -> Response:
    profile = profiles.to_public(visible_profile(session, actor, profile_id))
    context = {
        "profile": profile,
        "code": overviews.profile_code(profile.id),
        "trajectory": profiles.trajectory(session, actor, profile_id),
        "fits": opportunities.opportunities(session, actor, profile_id, limit=10),
        "phases": PHASES,
        "notice": request.query_params.get("notice"),
    }
    return render(request, "counsellor/profile.html", context)


@router.get("/profiles/{profile_id}/gaps")
def profile_gaps(profile_id: str, request: Request, session: SessionDep, actor: PageActor) -> Response:
    """The gap view, scored over every open vacancy: loaded by htmx once the profile page shows."""
    report = gaps.profile_gaps(session, actor, profile_id, lang=language(request), limit=5)
    return render(request, "counsellor/gaps.html", {"gaps": report})


@router.post("/profiles/{profile_id}/phase", dependencies=[Csrf])
async def change_phase(profile_id: str, request: Request, session: SessionDep, actor: PageActor) -> Response:
    form = await request.form()
    try:
        payload = PhaseChange.model_validate({"phase": form.get("phase")})
    except ValidationError:
        raise InvalidInput("Choose a phase from the list.", field="phase") from None
    profiles.change_phase(session, actor, profile_id, payload=payload)
    return redirect(request, f"/profiles/{profile_id}")


@router.post("/profiles/{profile_id}/reconfirm", dependencies=[Csrf])
def reconfirm(profile_id: str, request: Request, session: SessionDep, actor: PageActor) -> Response:
    profiles.reconfirm_profile(session, actor, profile_id)
    return redirect(request, f"/profiles/{profile_id}")


@router.get("/profiles/{profile_id}/erase")
def erase_confirmation(profile_id: str, request: Request, session: SessionDep, actor: PageActor) -> Response:
    profile = visible_profile(session, actor, profile_id)
    return render(request, "counsellor/erase.html", {"profile_id": profile.id,
                                                     "code": overviews.profile_code(profile.id)})


@router.post("/profiles/{profile_id}/erase", dependencies=[Csrf])
def erase(profile_id: str, request: Request, session: SessionDep, actor: PageActor) -> Response:
    profiles.erase_profile(session, actor, profile_id)
    return redirect(request, "/profiles?notice=erased")


@router.get("/labels/understand")
def understand_label(request: Request, session: SessionDep, actor: PageActor,
                     kind: Annotated[str, Query(pattern="^(skill|requirement)$")] = "skill",
                     slot: Annotated[str, Query(pattern="^[a-z_]{1,20}[0-9]{1,2}$")] = "skill_label_0") -> Response:
    """As the person types a label (htmx): how it is understood, and concepts to complete it with."""
    label = (request.query_params.get(slot) or "").strip()
    context: dict = {"slot": slot, "label": label}
    if label:
        schema = SkillIn if kind == "skill" else RequirementIn
        try:
            item = schema.model_validate({"label": label})
        except ValidationError as refused:
            context["refused"] = refused.errors()[0]["msg"]
        else:
            context["entry"], context["hits"] = overviews.understand_label(session, item, lang=language(request))
    return render(request, "shared/understood.html", context)


@router.get("/postcodes/check")
def check_postcode(request: Request, session: SessionDep, actor: PageActor,
                   postcode: Annotated[str, Query(max_length=10)] = "") -> Response:
    """The place of the postcode typed (htmx), or that it is unknown."""
    postcode = postcode.strip()
    place = overviews.postcode_place(session, postcode) if postcode.isdigit() and len(postcode) == 4 else None
    return render(request, "shared/postcode.html", {"postcode": postcode, "place": place})
