"""The names the pages show for the API's codes (phases, shifts, decisions...), marked for the catalogs.

N_ only marks a text for extraction (pybabel -k N_); templates translate it with _() when they show it.
"""

from __future__ import annotations


def N_(text: str) -> str:  # noqa: N802 (gettext's name for a deferred translation)
    return text


PHASES = {
    "intake": N_("intake"), "preparation": N_("preparation"), "orientation": N_("orientation"),
    "training": N_("training"), "internship": N_("internship"), "job_search": N_("job search"),
    "employed": N_("employed"), "follow_up": N_("follow-up"), "closed": N_("closed"),
}
LEVELS = {"basic": N_("basic"), "intermediate": N_("intermediate"), "advanced": N_("advanced")}
SHIFTS = {"early_morning": N_("early morning"), "day": N_("day"), "evening": N_("evening"), "night": N_("night"),
          "weekend": N_("weekend")}
TRANSPORT = {"public_transport": N_("public transport"), "bike": N_("bike"), "walk": N_("on foot"), "car": N_("car")}
CONTRACTS = {"permanent": N_("permanent"), "temporary": N_("temporary"), "art60": N_("article 60"),
             "internship": N_("internship"), "training": N_("training")}
STATUSES = {
    "presented": N_("presented"), "interested": N_("interested"), "declined": N_("declined"),
    "interview": N_("interview"), "hired": N_("hired"), "not_hired": N_("not hired"), "withdrawn": N_("withdrawn"),
    "queued": N_("queued"), "running": N_("being computed"), "ready": N_("ready"), "failed": N_("failed"),
    "open": N_("open"), "closed": N_("closed"),
}
EVENTS = {
    "phase_changed": N_("phase changed"), "shortlisted": N_("shortlisted"), "presented": N_("presented to an employer"),
    "interested": N_("employer interested"), "interview": N_("interview proposed"), "hired": N_("hired"),
    "declined": N_("declined"), "not_hired": N_("not hired"), "erased": N_("erased"), "reconfirmed": N_("reconfirmed"),
}
REASONS = {"skills": N_("skills"), "language": N_("language"), "availability": N_("availability"),
           "mobility": N_("mobility"), "position_filled": N_("position filled"), "other": N_("other reason")}
ATTENTION = {"needs_reconfirmation": N_("awaiting reconfirmation"), "unknown_skills": N_("unrecognised skills"),
             "interview": N_("interview proposed"), "interested": N_("employer interested"),
             "unpublished": N_("not published")}
KINDS = {"counselling": N_("counselling service"), "liaison": N_("liaison"), "employer": N_("employer"),
         "operator": N_("operator")}
ROLES = {"counsellor": N_("counsellor"), "liaison": N_("liaison"), "employer": N_("employer"), "admin": N_("admin")}
ALL = {"phases": PHASES, "levels": LEVELS, "shifts": SHIFTS, "transport": TRANSPORT, "contracts": CONTRACTS,
       "statuses": STATUSES, "events": EVENTS, "reasons": REASONS, "attention": ATTENTION, "kinds": KINDS,
       "roles": ROLES}

# Free text refused for personal data: the kinds found, never the text (matching/privacy/screen.py KIND_NAMES).
PERSONAL_DATA_REFUSED = N_("This field seems to contain %(kinds)s, which has no place here: remove it and save again.")
PERSONAL_DATA = {
    "email": N_("an e-mail address"), "phone": N_("a phone number"),
    "national_number": N_("a national register or BIS number"), "iban": N_("a bank account number (IBAN)"),
    "url": N_("a web address"), "social_handle": N_("a social media handle"), "street_address": N_("a street address"),
    "birth_date": N_("a date of birth"), "self_introduction": N_("a person introducing themselves by name"),
    "age": N_("an age"), "origin": N_("a nationality, an origin or a religion"), "licence_plate": N_("a licence plate"),
}
# A service's refusal by its code, for the field at fault (the service's own sentence is English).
DOMAIN_ERRORS = {
    "unknown_postcode": N_("Unknown Belgian postcode: check it."),
    "duplicate": N_("This language is listed twice."),
    "unknown_concept": N_("Unknown skill: reword it or pick one of the closest skills."),
}
