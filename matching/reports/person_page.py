"""The printable page of a person's explanation: one self-contained HTML document.

No external asset (no font, image or stylesheet to fetch: it prints offline and tells nobody it was
opened), no script, a stylesheet for paper. Every text is escaped: vacancy titles are typed by people.
"""

from __future__ import annotations

from html import escape

from matching.schemas.explanations import PersonExplanation

STYLE = """
body { font: 12pt/1.5 Georgia, "Times New Roman", serif; max-width: 42em; margin: 2em auto; padding: 0 1em;
       color: #111; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
h2 { font-size: 1.15em; margin: 1.4em 0 .3em; border-bottom: 1px solid #999; }
.meta { color: #444; font-size: .9em; }
ul { padding-left: 1.3em; }
li { margin: .25em 0; }
@media print {
  @page { size: A4; margin: 18mm; }
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; }
  li { break-inside: avoid; }
}
"""


def render_html(page: PersonExplanation) -> str:
    """The explanation as a printable HTML page in its own language."""
    h = page.headings

    def section(title: str, items: list[str]) -> str:
        if not items:
            return ""
        rows = "".join(f"<li>{escape(item)}</li>" for item in items)
        return f"<section><h2>{escape(title)}</h2><ul>{rows}</ul></section>"

    meta = (f'<p class="meta">{escape(h["profile"])}: {escape(page.profile_code)} · '
            f'{escape(h["date"])}: {page.generated_at.date().isoformat()}</p>')
    return (
        f'<!DOCTYPE html><html lang="{page.lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(page.title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(page.title)}</h1>{meta}<p>{escape(page.summary)}</p>"
        + section(h["for"], page.counted_for)
        + section(h["against"], page.counted_against)
        + section(h["cannot_know"], page.cannot_know)
        + section(h["decision"], page.decision)
        + "</body></html>"
    )
