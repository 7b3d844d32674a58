"""The one screen for free text in requests: which kinds of personal data each kind of field refuses.

Every free-text field of every request schema is one of the annotated types below (`SeekerText`,
`StaffText`); their validator calls `refused_kinds`, so a field cannot be added without choosing one,
and the choice of what is refused where is written here and nowhere else.

- Text about a job seeker (the pitch, skill labels, preferred occupations, phase notes): every kind the
  detector knows, now and later. It may reach an employer or sit next to a person's trajectory, and a
  name, an age, an origin or a phone number there is exactly what blind hiring must keep out.
- Text about staff, organisations and positions (user display names, organisation names, vacancy
  titles, occupations and requirement labels): contact and official data only (e-mail, phone, national
  number, IBAN, street address, web address, social handle). These texts name a real organisation or a
  real job, and origin or language words are part of legitimate ones: an association "Roma Brussels", a
  vacancy "Roma mediator" or "Romani-speaking social worker" must pass; a display name is a member of
  staff's own name by design. What none of them needs is a way to reach a person outside the service,
  and a vacancy title reaches counsellors, so contact data is refused there too. Dates, ages and plates
  stay allowed: "start 01/03", "18+" or a company van's plate in a title identify no job seeker.
"""

from __future__ import annotations

import unicodedata
from enum import Enum
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from matching.privacy.personal_data import find_personal_data


class About(Enum):
    """Whom a free-text field speaks about, which decides what it may not contain."""

    SEEKER = "seeker"
    STAFF = "staff"


CONTACT_KINDS: frozenset[str] = frozenset(
    {"email", "phone", "national_number", "iban", "url", "social_handle", "street_address"}
)

KIND_NAMES = {
    "email": "an e-mail address",
    "phone": "a phone number",
    "national_number": "a national register or BIS number",
    "iban": "a bank account number (IBAN)",
    "url": "a web address",
    "social_handle": "a social media handle",
    "street_address": "a street address",
    "birth_date": "a date of birth",
    "self_introduction": "a person introducing themselves by name",
    "age": "an age",
    "origin": "a nationality, an origin or a religion",
    "licence_plate": "a licence plate",
}

REFUSAL = {
    About.SEEKER: "Profiles never hold identity or contact data: remove it and send again.",
    About.STAFF: "Contact and official data have no place in this field: remove it and send again.",
}


def refused_kinds(text: str | None, about: About) -> list[str]:
    """The kinds of personal data in `text` that a field about `about` refuses, in PERSONAL_DATA_KINDS order.

    Kinds only, never the matched value: a caller cannot echo what it refuses.
    """
    if not text:
        return []
    found = find_personal_data(text)
    if about is About.SEEKER:
        return found  # every kind, including kinds the detector learns later
    return [kind for kind in found if kind in CONTACT_KINDS]


def describe(kinds: list[str]) -> str:
    """'an e-mail address, a phone number' for a message a person reads."""
    return ", ".join(KIND_NAMES.get(kind, kind.replace("_", " ")) for kind in kinds)


def refusal_message(kinds: list[str], about: About) -> str:
    return f"This field seems to contain {describe(kinds)}. {REFUSAL[about]}"


# The OpenAPI names each screened field's rule, so clients know and matching/schemas/resources.py can check that no
# free-text field of a request goes without one.
SCREEN_MARK = "x-personal-data-screen"


def _screen(about: About) -> tuple[AfterValidator, Any]:
    def validate(text: str) -> str:
        kinds = refused_kinds(text, about)
        if kinds:
            # The error type `personal_data` is mapped by the API to its error code; the context names
            # the kinds found, and pydantic's message is built from the template only, never the input.
            raise PydanticCustomError("personal_data", refusal_message(kinds, about), {"kinds": kinds})
        return text

    return AfterValidator(validate), Field(json_schema_extra={SCREEN_MARK: about.value})


def has_control_character(text: str) -> bool:
    """A C0 or C1 control character other than tab and line breaks (NUL, escape, ...): nothing a person types.

    PostgreSQL cannot store a text holding NUL at all (the request would fail with a 500), and the others
    only hide what a text says from the people who read it.
    """
    return any(unicodedata.category(char) == "Cc" and char not in "\t\n\r" for char in text)


def _no_control_characters(text: str) -> str:
    if has_control_character(text):
        raise PydanticCustomError(
            "control_character", "remove the control characters (such as NUL or escape); send plain text"
        )
    return text


_PLAIN = AfterValidator(_no_control_characters)

# Lengths: a label is a few words; a pitch or a note a short paragraph. They bound memory and the screen's
# work per field, alongside the body limit (BLINDMATCH_MAX_BODY_BYTES).
LABEL_MAX = 200
PARAGRAPH_MAX = 1000
NOTE_MAX = 500
AD_MAX = 5_000  # a job ad pasted whole (a long one runs to 3,000 characters); every span is linked: bounded

SeekerLabel = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=LABEL_MAX), _PLAIN, *_screen(About.SEEKER)
]
StaffLabel = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=LABEL_MAX), _PLAIN, *_screen(About.STAFF)
]
SeekerParagraph = Annotated[str, StringConstraints(max_length=PARAGRAPH_MAX), _PLAIN, *_screen(About.SEEKER)]
SeekerNote = Annotated[str, StringConstraints(max_length=NOTE_MAX), _PLAIN, *_screen(About.SEEKER)]
# A member of staff's words about their own decision (a shortlist override's note): no contact data either.
StaffNote = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=NOTE_MAX), _PLAIN, *_screen(About.STAFF)
]
# A job ad speaks of the job and the employer: screened like staff text (contact and official data refused).
StaffText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=AD_MAX), _PLAIN, *_screen(About.STAFF)
]


def screened_label(text: str, about: About) -> str:
    """A label that comes in another way than a request body (the command line), through the same type.

    Raises ValueError with a message a person can act on, never the text itself.
    """
    adapter = TypeAdapter(SeekerLabel if about is About.SEEKER else StaffLabel)
    try:
        return adapter.validate_python(text)
    except ValidationError as error:
        raise ValueError(error.errors(include_input=False)[0]["msg"]) from None


def unscreened_text_fields(schema: dict[str, Any]) -> list[str]:
    """Paths of the strings of a JSON schema that are free text (no pattern, choice or format) and carry no
    screen: a request schema must have none."""
    definitions = schema.get("$defs", {})
    found: list[str] = []

    def visit(node: dict[str, Any], path: str, seen: frozenset[str]) -> None:
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                visit(definitions[name], path, seen | {name})
            return
        for option in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
            visit(option, path, seen)
        if node.get("type") == "string" and not {"pattern", "enum", "const", "format", SCREEN_MARK} & set(node):
            found.append(path or "(body)")
        for name, child in node.get("properties", {}).items():
            visit(child, f"{path}.{name}" if path else name, seen)
        if isinstance(node.get("items"), dict):
            visit(node["items"], f"{path}[]", seen)

    visit(schema, "", frozenset())
    return found
