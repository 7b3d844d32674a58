"""Every text of the pages has its French and Dutch words in the catalogs (api/locale/*/LC_MESSAGES/pages.po)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from api.pages.catalogs import translations

API = Path(__file__).resolve().parents[2] / "api"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def page_texts() -> set[str]:
    method_map = [("pages/**.py", "python"), ("templates/**.html", "jinja2")]
    texts = set()
    for _file, _line, message, _comments, _context in extract_from_dir(API, method_map, keywords=KEYWORDS):
        texts.add(message[0] if isinstance(message, tuple) else message)
    return texts


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_every_page_text_is_translated(lang):
    texts = page_texts()
    assert len(texts) > 200
    words = translations(lang)
    missing = sorted(text for text in texts if words.gettext(text) == text and text not in UNCHANGED[lang])
    assert not missing, f"texts without a {lang} translation (run pybabel extract/update, README 'Pages'): {missing}"


# Words that are the same in that language.
UNCHANGED = {
    "fr": {"Action", "Administration", "Audit", "Code", "Organisation", "Organisations", "Pages", "Phase",
           "Transport", "article 60", "exact", "orientation"},
    "nl": {"Audit", "Code", "Contract", "Sector: %(name)s", "Shortlist", "Shortlists", "Start", "Status", "exact",
           "intake", "open", "weekend"},
}
