"""HTML forms to the API's request schemas and back: a form's rows become the same payload a JSON client
sends (validated by the same schema), and an error's field path points back to the row at fault."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from api.errors import json_path
from api.validation_messages import message
from matching.errors import DomainError

SKILL_ROWS, REQUIREMENT_ROWS, LANGUAGE_ROWS = 8, 5, 4
DEFAULT_LANGUAGES = ("fr", "nl", "en")
ROWS = re.compile(r"^(skills|must_have|nice_to_have|languages)\[(\d+)\]")


class FormErrors(Exception):
    """Errors by field path (as the form names its rows), shown next to each field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("form errors")
        self.errors = errors


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
    for row in range(LANGUAGE_ROWS):
        code, spoken, written = (_text(form, f"lang_{part}_{row}") for part in ("code", "spoken", "written"))
        if code and (spoken or written):
            items.append({"code": code, **({"spoken": spoken} if spoken else {}),
                          **({"written": written} if written else {})})
            origin.append(row)
    return items, origin


def profile_payload(form: FormData) -> tuple[dict[str, Any], dict[str, list[int]]]:
    skills, skill_rows = _rows(form, "skill", SKILL_ROWS, ("label", "concept_id", "level"), "label")
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


def validated(schema: type[BaseModel], payload: dict[str, Any], origins: dict[str, list[int]], lang: str) -> Any:
    """The payload through the API's schema (screen included); FormErrors in the reader's language."""
    try:
        return schema.model_validate(payload)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            field = json_path(tuple(error["loc"]))
            text = error["msg"] if error["type"] == "personal_data" else message(error, field, lang)
            errors.setdefault(_to_rows(field, origins), text)
        raise FormErrors(errors) from None


def domain_errors(exc: DomainError, origins: dict[str, list[int]]) -> FormErrors:
    return FormErrors({_to_rows(exc.field, origins): exc.message})
