"""Walk the request bodies of the app's OpenAPI: every operation, every field, nested in lists and objects.

The tests built on it read the schema the app publishes, so a request field or an endpoint added later
is covered without editing them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Values that satisfy the formats of the schemas (ids, concept ids, codes, postcodes, licences): the first
# one a pattern accepts fills a field that is not under test, so the only error is the one under test.
PATTERN_SAMPLES = ("c:clean", "org_abc", "fr", "1000", "B", "x", "https://hooks.example.org/in")
# A harmless free text for the fields that are not under test.
PLAIN_TEXT = "nettoyage"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    schema: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass(frozen=True)
class StringField:
    """A string somewhere in a body: its JSON path (skills[0].label), its position, its schema."""

    path: str
    position: tuple[str | int, ...]
    schema: dict[str, Any]

    @property
    def is_free_text(self) -> bool:
        """Free text: no format that already keeps text out (pattern, enum, date)."""
        return not any(key in self.schema for key in ("pattern", "enum", "const", "format"))


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def alternatives(spec: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-null alternatives of a schema (`X | None` is anyOf [X, null])."""
    schema = resolve(spec, schema)
    options = schema.get("anyOf") or schema.get("oneOf") or [schema]
    return [resolve(spec, option) for option in options if option.get("type") != "null"]


def operations(spec: dict[str, Any]) -> Iterator[Operation]:
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if content:
                yield Operation(method, path, content["schema"])


def walk(spec: dict[str, Any], schema: dict[str, Any], position: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """Every schema node with its position in the body (keys and list indexes 0)."""
    for option in alternatives(spec, schema):
        yield position, option
        if option.get("type") == "object":
            for name, child in option.get("properties", {}).items():
                yield from walk(spec, child, (*position, name))
        elif option.get("type") == "array":
            yield from walk(spec, option.get("items", {}), (*position, 0))


def json_path(position: tuple) -> str:
    path = ""
    for part in position:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path


def string_fields(spec: dict[str, Any], schema: dict[str, Any]) -> list[StringField]:
    return [
        StringField(json_path(position), position, node)
        for position, node in walk(spec, schema)
        if node.get("type") == "string"
    ]


def sample(spec: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A value the schema accepts, with every optional property filled (so model rules such as 'a label
    or a concept_id' hold)."""
    option = alternatives(spec, schema)[0]
    if "enum" in option:
        return option["enum"][0]
    if "const" in option:
        return option["const"]
    kind = option.get("type")
    if kind == "object":
        return {name: sample(spec, child) for name, child in option.get("properties", {}).items()}
    if kind == "array":
        return [sample(spec, option.get("items", {}))] * max(1, option.get("minItems", 1))
    if kind == "integer" or kind == "number":
        low = option.get("minimum", option.get("exclusiveMinimum", 0) + 1)
        high = option.get("maximum", low)
        return min(max(low, 1), high)
    if kind == "boolean":
        return False
    if kind == "string":
        if option.get("format") == "date":
            return "2027-01-04"
        if option.get("format") == "date-time":
            return "2027-01-04T09:00:00+01:00"
        if "pattern" in option:
            return next(value for value in PATTERN_SAMPLES if re.search(option["pattern"], value))
        return PLAIN_TEXT
    return None


def with_value(body: Any, position: tuple, value: Any) -> Any:
    """A copy of `body` with `value` at `position`."""
    if not position:
        return value
    head, rest = position[0], position[1:]
    if isinstance(head, int):
        items = list(body)
        items[head] = with_value(items[head], rest, value)
        return items
    changed = dict(body)
    changed[head] = with_value(body[head], rest, value)
    return changed


def concrete_path(path: str) -> str:
    """/v1/profiles/{profile_id}/phase -> /v1/profiles/x/phase (validation answers before any lookup)."""
    return re.sub(r"\{[^}]+\}", "x", path)
