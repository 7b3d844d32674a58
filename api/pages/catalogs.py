"""The pages' words per language: gettext catalogs (api/locale/<lang>/LC_MESSAGES/pages.po).

The .po files are read and compiled in memory at first use, so a fresh clone needs no compile step;
`pybabel extract -F api/locale/babel.cfg -o api/locale/pages.pot api` then `pybabel update` keep them
in step with the templates (README, "Pages").
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "pages"


@cache
def translations(lang: str) -> NullTranslations:
    """The catalog of `lang`; English (the texts' own language) or a missing catalog answers the text as is."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == "en" or not path.exists():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)
