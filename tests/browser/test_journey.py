"""The whole path by three people in three browsers, in French and in Dutch, as they would click it.

A counsellor publishes two profiles through the form, the liaison posts a vacancy, asks for a shortlist,
watches it become ready and presents; the employer decides; the counsellor reads it on the timeline.
Elements are found by role and accessible name, in the page's language (read from the same catalogs).
Every page visited is checked with axe-core, and no request may leave the app's origin.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from api.pages.catalogs import translations
from tests.browser.conftest import check_accessibility, choose_password, open_as, screenshot
from tests.factories import bearer, create_world, vacancy_body

pytestmark = pytest.mark.browser
LONG = 90_000  # ms: a shortlist is computed by a worker process on a loaded 2-core machine


def words_of(lang: str) -> Callable[[str], str]:
    return translations(lang).gettext


def publish_profile(page: Page, _: Callable[[str], str], skill: str, level: str, postcode: str, place: str) -> None:
    page.get_by_role("link", name=_("New profile")).first.click()
    field = page.get_by_label(_("Skill %(n)s") % {"n": 1}, exact=True)
    field.press_sequentially(skill, delay=20)
    # Before saving, the page says how the label is understood (htmx, as it is typed).
    expect(page.locator("#understood-skill_label_0")).to_contain_text(_("Understood as:"), timeout=LONG)
    page.get_by_label(_("Level")).first.select_option(level)
    page.get_by_label(_("Spoken")).first.select_option("B2")
    page.get_by_label(_("Written")).first.select_option("B1")
    page.get_by_label(_("Postcode of home")).press_sequentially(postcode, delay=20)
    expect(page.locator("#postcode-place")).to_contain_text(place)
    page.get_by_label(_("Hours a week, at least")).fill("19")
    page.get_by_label(_("Hours a week, at most")).fill("38")
    page.get_by_label(_("Longest commute (minutes)")).fill("60")
    page.get_by_label(_("public transport")).check()
    check_accessibility(page)
    page.get_by_role("button", name=_("Publish the profile")).click()
    expect(page.get_by_role("heading", name=re.compile(_("Profile")))).to_be_visible()


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_whole_path_in_three_browsers(browser, site, lang):
    _ = words_of(lang)
    world = create_world(site.http)

    # 1. The counsellor chooses a password through the sign-in link and publishes two profiles.
    counsellor = open_as(browser, site, lang)
    choose_password(counsellor, world.sign_in["counsellor"], f"counsellor-{lang}", _)
    expect(counsellor.get_by_role("heading", name=_("Your organisation's profiles"))).to_be_visible()
    publish_profile(counsellor, _, "nettoyage de bureaux", "advanced", "1070", "Anderlecht")
    screenshot(counsellor, f"{lang}-counsellor-profile")
    check_accessibility(counsellor)
    publish_profile(counsellor, _, "kantoren schoonmaken", "intermediate", "1000", "Bruxelles")
    counsellor.get_by_role("link", name=_("Profiles"), exact=True).click()
    expect(counsellor.get_by_role("row")).to_have_count(3)  # the header and two profiles
    screenshot(counsellor, f"{lang}-counsellor-profiles")
    check_accessibility(counsellor)

    # 2. The liaison posts a vacancy for the employer it serves, asks for a shortlist, watches it get ready.
    liaison = open_as(browser, site, lang)
    choose_password(liaison, world.sign_in["liaison"], f"liaison-{lang}", _)
    liaison.get_by_role("link", name=_("New vacancy")).first.click()
    liaison.get_by_label(_("Job title")).fill("Agent·e d'entretien de bureaux")
    liaison.get_by_label(_("Must-have skill %(n)s") % {"n": 1}).press_sequentially("nettoyage de bureaux", delay=20)
    expect(liaison.locator("#understood-must_label_0")).to_contain_text(_("Understood as:"), timeout=LONG)
    liaison.get_by_label(_("Postcode of the workplace")).fill("1000")
    liaison.get_by_label(_("Hours a week"), exact=True).fill("30")
    check_accessibility(liaison)
    screenshot(liaison, f"{lang}-liaison-vacancy-form")
    liaison.get_by_role("button", name=_("Post the vacancy")).click()
    expect(liaison.get_by_role("heading", name="Agent·e d'entretien de bureaux")).to_be_visible()
    liaison.get_by_role("button", name=_("Request a shortlist")).click()
    ready = re.compile(_("Ready: %(num)d candidate, best first.").split(":")[0])
    expect(liaison.get_by_role("status")).to_contain_text(ready, timeout=LONG)  # no reload: htmx polls
    expect(liaison.get_by_role("checkbox")).to_have_count(2)
    screenshot(liaison, f"{lang}-liaison-shortlist")
    check_accessibility(liaison)
    for box in liaison.get_by_role("checkbox").all():
        box.check()
    liaison.get_by_role("button", name=_("Present the ticked candidates")).click()
    expect(liaison.get_by_role("heading", name=_("Presented candidates and the employer's decisions"))).to_be_visible()

    # 3. The employer reads the anonymised cards and proposes an interview to the first.
    employer = open_as(browser, site, lang)
    choose_password(employer, world.sign_in["employer"], f"employer-{lang}", _)
    employer.get_by_role("link", name="Agent·e d'entretien de bureaux").click()
    card_heading = employer.get_by_role("heading", name=re.compile(_("Candidate")))
    cards = employer.get_by_role("listitem").filter(has=card_heading)
    expect(cards).to_have_count(2)
    # The workers measure the cards against the crowd within a second or so of the presentation; until then
    # a card says it is being prepared and shows nothing of the person.
    preparing = employer.get_by_text(_("This card is being prepared: the candidate's details appear within a "
                                       "few seconds. Reload the page."))
    for _attempt in range(60):
        if preparing.count() == 0:
            break
        employer.wait_for_timeout(500)
        employer.reload()
    expect(preparing).to_have_count(0)
    check_accessibility(employer)
    screenshot(employer, f"{lang}-employer-cards")
    first = cards.first
    first.get_by_label(_("Decision")).select_option("interview")
    first.get_by_label(_("Interview date and time (Brussels time)")).fill("2027-01-12T10:00")
    first.get_by_role("button", name=_("Record the decision")).click()
    expect(employer.get_by_role("status")).to_have_text(_("Your decision is recorded."))

    # 4. The liaison follows the decision; the counsellor reads it on the profile's timeline.
    liaison.get_by_role("link", name=_("Decisions")).click()
    decided = liaison.get_by_role("row").filter(has_text=(_("Interview on %(when)s") % {"when": ""}).strip())
    expect(decided).to_have_count(1)
    expect(decided.get_by_role("cell").nth(3)).to_contain_text(_("interview"))
    check_accessibility(liaison)
    screenshot(liaison, f"{lang}-liaison-decisions")
    counsellor.get_by_role("link", name=_("Profiles"), exact=True).click()
    row = counsellor.get_by_role("row").filter(has_text=_("interview proposed"))
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    timeline = counsellor.get_by_role("list").filter(has_text=_("interview proposed"))
    expect(timeline).to_contain_text(_("Interview on %(when)s") % {"when": ""})
    screenshot(counsellor, f"{lang}-counsellor-timeline")
    # On a phone: the same page fits the screen (nothing to scroll sideways) and stays accessible.
    counsellor.set_viewport_size({"width": 390, "height": 844})
    assert counsellor.evaluate("document.documentElement.scrollWidth") <= 390
    check_accessibility(counsellor)
    screenshot(counsellor, f"{lang}-phone-counsellor-timeline")

    assert site.outside == [], f"requests left the app's origin: {site.outside}"


def test_a_counsellor_edits_a_profile_and_its_opportunities_follow(browser, site):
    """In French: the profile page's "Edit" opens the form filled; a skill added by keyboard is saved, and the
    worker scores the profile again, so a vacancy asking for that skill becomes an opportunity."""
    lang = "fr"
    _ = words_of(lang)
    world = create_world(site.http)
    masonry = vacancy_body(title="Maçon·ne", must_have=[{"label": "metselen"}], nice_to_have=[], languages=[],
                           shifts=[])
    assert site.http.post("/v1/vacancies", json=masonry, headers=bearer(world.employer)).status_code == 201

    counsellor = open_as(browser, site, lang)
    choose_password(counsellor, world.sign_in["counsellor"], "counsellor-edit", _)
    publish_profile(counsellor, _, "nettoyage de bureaux", "advanced", "1070", "Anderlecht")
    # Scored once published: no open vacancy fits a cleaner who lays no bricks.
    assert _reload_until(counsellor, counsellor.get_by_text(_("No open vacancy fits yet.")))

    counsellor.get_by_role("link", name=_("Edit the profile")).click()
    expect(counsellor.get_by_role("heading", name=re.compile(_("Edit profile")))).to_be_visible()
    expect(counsellor.get_by_label(_("Skill %(n)s") % {"n": 1}, exact=True)).to_have_value("nettoyage de bureaux")
    expect(counsellor.get_by_label(_("Postcode of home"))).to_have_value("1070")
    # How the stored label is understood shows as the form opens, as it did when it was typed.
    expect(counsellor.locator("#understood-skill_label_0")).to_contain_text(_("Understood as:"), timeout=LONG)
    second = counsellor.get_by_label(_("Skill %(n)s") % {"n": 2}, exact=True)
    second.focus()
    counsellor.keyboard.type("metselen", delay=20)
    expect(counsellor.locator("#understood-skill_label_1")).to_contain_text(_("Understood as:"), timeout=LONG)
    counsellor.get_by_label(_("Level")).nth(1).select_option("basic")
    counsellor.get_by_label(_("Hours a week, at most")).fill("36")
    check_accessibility(counsellor)
    screenshot(counsellor, f"{lang}-counsellor-profile-edit")
    counsellor.get_by_role("button", name=_("Save the changes")).focus()
    counsellor.keyboard.press("Enter")

    expect(counsellor.get_by_role("status")).to_have_text(
        _("Your changes are saved. The opportunities are computed again."))
    expect(counsellor.get_by_role("list").filter(has_text="metselen")).to_be_visible()
    check_accessibility(counsellor)
    opportunities = counsellor.get_by_role("list", name=_("Opportunities"))
    masonry_fits = opportunities.filter(has_text="Maçon·ne")
    assert _reload_until(counsellor, masonry_fits), "the edited profile was not scored again"
    assert site.outside == [], f"requests left the app's origin: {site.outside}"


def _reload_until(page: Page, shown: Locator, attempts: int = 120) -> bool:
    """Reload the profile page until the workers' result is `shown` (bounded: it waits, it times nothing)."""
    for _attempt in range(attempts):
        if shown.count():
            return True
        page.wait_for_timeout(500)
        page.reload()
    return False
