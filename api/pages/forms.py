"""HTML forms to the API's request schemas and back: a form's rows become the same payload a JSON client
sends (validated by the same schema), and an error's field path points back to the row at fault."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from api.errors import json_path
from api.pages import catalogs
from api.pages.words import DOMAIN_ERRORS, PERSONAL_DATA, PERSONAL_DATA_REFUSED
from api.validation_messages import message
from matching.errors import DomainError
from matching.schemas.resources import ProfilePublic

SKILL_ROWS, REQUIREMENT_ROWS, LANGUAGE_ROWS = 8, 5, 4
# The most rows a form may send: the schemas' own limits (a profile edited may hold more than the blank rows).
MAX_SKILL_ROWS, MAX_LANGUAGE_ROWS = 60, 15
DEFAULT_LANGUAGES = ("fr", "nl", "en")
ROWS = re.compile(r"^(skills|must_have|nice_to_have|languages)\[(\d+)\]")
# A payload path back to the form input a person typed it in ("skills[3].label" -> "skill_label_3").
INPUTS = {"skills": "skill", "must_have": "must", "nice_to_have": "nice"}


class FormErrors(Exception):
    """Errors by field path (as the form names its rows), shown next to each field; `withheld` names the
    form inputs refused for personal data, which the form shown again leaves empty (never echoed)."""

    def __init__(self, errors: dict[str, str], withheld: frozenset[str] = frozenset()) -> None:
        super().__init__("form errors")
        self.errors = errors
        self.withheld = withheld


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _int(form: FormData, name: str) -> int | str | None:
    value = _text(form, name)
    return (int(value) if value.isdigit() else value) if value else None  # a non-number fails in the schema


def _rows(form: FormData, prefix: str, count: int, fields: tuple[str, ...], key: str) -> tuple[list[dict], list[int]]:
    """Non-empty rows (`key` filled) as dicts, and which form row each came from."""
    items, origin = [], []
    for row in range(count):
        if not _text(form, f"{prefix}_{key}_{row}"):
            continue
        item = {field: _text(form, f"{prefix}_{field}_{row}") for field in fields}
        items.append({k: v for k, v in item.items() if v})
        origin.append(row)
    return items, origin


def _languages(form: FormData) -> tuple[list[dict], list[int]]:
    items, origin = [], []
    for row in range(MAX_LANGUAGE_ROWS):
        code, spoken, written = (_text(form, f"lang_{part}_{row}") for part in ("code", "spoken", "written"))
        if code and (spoken or written):
            items.append({"code": code, **({"spoken": spoken} if spoken else {}),
                          **({"written": written} if written else {})})
            origin.append(row)
    return items, origin


def _kept(form: FormData, skills: list[dict], rows: list[int]) -> list[dict]:
    """What the edit form carries unseen for a row whose label is unchanged: the concept it was understood
    as (a suggestion picked once stays picked) and its evidence (set through the API)."""
    for item, row in zip(skills, rows, strict=True):
        if item.get("label") != _text(form, f"skill_kept_label_{row}"):
            continue
        concept, evidence = _text(form, f"skill_kept_concept_id_{row}"), _text(form, f"skill_kept_evidence_{row}")
        if concept and "concept_id" not in item:
            item["concept_id"] = concept
        if evidence:
            item["evidence"] = evidence
    return skills


def profile_payload(form: FormData) -> tuple[dict[str, Any], dict[str, list[int]]]:
    skills, skill_rows = _rows(form, "skill", MAX_SKILL_ROWS, ("label", "concept_id", "level"), "label")
    skills = _kept(form, skills, skill_rows)
    languages, language_rows = _languages(form)
    payload: dict[str, Any] = {
        "skills": skills,
        "languages": languages,
        "availability": {
            "hours_min": _int(form, "hours_min"), "hours_max": _int(form, "hours_max"),
            "shifts": form.getlist("shifts"), "start": _text(form, "start") or None,
        },
        "mobility": {
            "postcode": _text(form, "postcode") or None,
            "max_commute_minutes": _int(form, "max_commute_minutes"),
            "transport": form.getlist("transport"),
            "driving_licences": form.getlist("driving_licences"),  # kept unseen by the edit form
        },
        "phase": _text(form, "phase") or "intake",
    }
    return payload, {"skills": skill_rows, "languages": language_rows}


def vacancy_payload(form: FormData, *, employer_id: str | None) -> tuple[dict[str, Any], dict[str, list[int]]]:
    must, must_rows = _rows(form, "must", REQUIREMENT_ROWS, ("label", "concept_id", "level"), "label")
    nice, nice_rows = _rows(form, "nice", REQUIREMENT_ROWS, ("label", "concept_id", "level"), "label")
    languages, language_rows = _languages(form)
    payload: dict[str, Any] = {
        "title": _text(form, "title"),
        "must_have": must,
        "nice_to_have": nice,
        "languages": languages,
        "location": {"postcode": _text(form, "postcode")},
        "hours_per_week": _int(form, "hours_per_week"),
        "shifts": form.getlist("shifts"),
        "contract_type": _text(form, "contract_type") or None,
        "start": _text(form, "start") or None,
        "positions": _int(form, "positions") or 1,
    }
    if employer_id is not None:
        payload["employer_id"] = employer_id
    return payload, {"must_have": must_rows, "nice_to_have": nice_rows, "languages": language_rows}


def _to_rows(path: str | None, origins: dict[str, list[int]]) -> str:
    """"skills[1].label" of the payload -> "skills[3].label" of the form (the 2nd filled row was row 3)."""
    if not path:
        return "form"
    found = ROWS.match(path)
    if found and found.group(1) in origins and int(found.group(2)) < len(origins[found.group(1)]):
        row = origins[found.group(1)][int(found.group(2))]
        return f"{found.group(1)}[{row}]" + path[found.end():]
    return path


def _input_of(path: str) -> str:
    """"skills[3].label" -> "skill_label_3"; "title" -> "title" (the form input a field came from)."""
    found = re.match(r"^(skills|must_have|nice_to_have)\[(\d+)\]\.(\w+)$", path)
    return f"{INPUTS[found.group(1)]}_{found.group(3)}_{found.group(2)}" if found else path


def _personal_data(kinds: list[str], lang: str) -> str:
    words = catalogs.translations(lang)
    named = ", ".join(words.gettext(PERSONAL_DATA.get(kind, kind.replace("_", " "))) for kind in kinds)
    return words.gettext(PERSONAL_DATA_REFUSED) % {"kinds": named}


def validated(schema: type[BaseModel], payload: dict[str, Any], origins: dict[str, list[int]], lang: str) -> Any:
    """The payload through the API's schema (screen included); FormErrors in the reader's language."""
    try:
        return schema.model_validate(payload)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        withheld: set[str] = set()
        for error in exc.errors():
            field = _to_rows(json_path(tuple(error["loc"])), origins)
            if error["type"] == "personal_data":
                errors.setdefault(field, _personal_data(error.get("ctx", {}).get("kinds", []), lang))
                withheld.add(_input_of(field))
            else:
                errors.setdefault(field, message(error, json_path(tuple(error["loc"])), lang))
        raise FormErrors(errors, frozenset(withheld)) from None


def domain_errors(exc: DomainError, origins: dict[str, list[int]], lang: str = "en") -> FormErrors:
    """A refusal of the service, by the field at fault, in the reader's language when the pages know its code."""
    text = DOMAIN_ERRORS.get(exc.code)
    return FormErrors({_to_rows(exc.field, origins): catalogs.translations(lang).gettext(text) if text
                       else exc.message})


def profile_values(profile: ProfilePublic) -> dict[str, Any]:
    """A stored profile as the form's inputs, so the edit form opens filled with what it holds now."""
    values: dict[str, Any] = {"version": profile.version, "phase": profile.phase}
    for row, skill in enumerate(profile.skills):
        values |= {f"skill_label_{row}": skill.label, f"skill_level_{row}": skill.level,
                   f"skill_kept_label_{row}": skill.label, f"skill_kept_evidence_{row}": skill.evidence,
                   # A concept reached exactly (a pick, or the label itself) is kept while the label stays.
                   f"skill_kept_concept_id_{row}": skill.concept_id if skill.match == "exact" else None}
    for row, language in enumerate(profile.languages):
        values |= {f"lang_code_{row}": language.get("code"), f"lang_spoken_{row}": language.get("spoken"),
                   f"lang_written_{row}": language.get("written")}
    for row in range(len(profile.languages), MAX_LANGUAGE_ROWS):
        values[f"lang_code_{row}"] = ""  # no default language codes on rows the profile left empty
    availability, mobility = profile.availability, profile.mobility
    values |= {key: availability.get(key) for key in ("hours_min", "hours_max", "start", "shifts")}
    values |= {key: mobility.get(key) for key in ("postcode", "max_commute_minutes", "transport", "driving_licences")}
    return values


def rows_needed(values: dict[str, Any], prefix: str, blank: int, most: int) -> int:
    """How many rows the form shows: the blank form's count, or every filled row and one empty more."""
    filled = [int(key.rsplit("_", 1)[1]) for key, value in values.items()
              if key.startswith(prefix) and key.rsplit("_", 1)[1].isdigit() and value]
    return min(most, max(blank, max(filled, default=-1) + 2))


def values_again(form: FormData, withheld: frozenset[str], lists: tuple[str, ...]) -> dict[str, Any]:
    """What the person typed, to show the form again: inputs refused for personal data stay empty."""
    return {key: form.getlist(key) if key in lists else ("" if key in withheld else form.get(key)) for key in form}
