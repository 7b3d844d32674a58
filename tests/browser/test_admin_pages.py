"""The admin's pages in a browser, and the pages anyone meets (sign-in, not found): each checked with axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from api.pages.catalogs import translations
from tests.browser.conftest import PASSWORD, check_accessibility, choose_password, open_as, screenshot
from tests.factories import admin_token

pytestmark = pytest.mark.browser


def test_an_admin_creates_a_person_and_hands_over_a_sign_in_link_that_works_once(browser, site):
    from sqlmodel import select

    from matching.services.signin import issue_link
    from matching.store.db import session_scope
    from matching.store.models import User

    _ = translations("en").gettext
    admin_token()  # the installation's first admin, as `blindmatch create-admin` makes it
    with session_scope() as session:
        admin = session.exec(select(User).where(User.role == "admin")).first()
        link = f"{site.base}/sign-in/{issue_link(session, user=admin)}"
    page = open_as(browser, site, "en")
    page.goto(site.base + "/sign-in")
    check_accessibility(page)
    screenshot(page, "en-sign-in")
    choose_password(page, link, "admin-one", _)
    expect(page.get_by_role("heading", name=_("Organisations"))).to_be_visible()
    page.get_by_label(_("Name"), exact=True).fill("Clean & Co")
    page.get_by_label(_("Kind")).select_option("employer")
    page.get_by_role("button", name=_("Create")).click()
    expect(page.get_by_role("cell", name="Clean & Co")).to_be_visible()
    check_accessibility(page)

    page.get_by_role("link", name=_("Users")).click()
    page.get_by_label(_("Name shown")).fill("Hiring desk")
    page.get_by_label(_("Role")).select_option("employer")
    page.get_by_label(_("Organisation")).select_option(label="Clean & Co")
    page.get_by_role("button", name=_("Create and show the sign-in link")).click()
    shown = page.get_by_role("status").get_by_role("link")
    new_link = shown.get_attribute("href")
    assert re.match(rf"{re.escape(site.base)}/sign-in/[\w-]{{40,}}$", new_link)
    check_accessibility(page)
    screenshot(page, "en-admin-users")

    page.get_by_role("link", name=_("Links")).click()
    check_accessibility(page)
    page.get_by_role("link", name=_("Audit")).click()
    expect(page.get_by_role("status")).to_contain_text(re.compile("The chain holds"))
    check_accessibility(page)
    screenshot(page, "en-admin-audit")
    page.get_by_role("link", name=_("Oversight"), exact=True).click()
    expect(page.get_by_role("heading", name=_("Oversight of the ranking"))).to_be_visible()
    check_accessibility(page)

    # The person opens the link once; a second time it is refused, with a page that says so.
    person = open_as(browser, site, "en")
    choose_password(person, new_link, "hiring-desk", _)
    expect(person.get_by_role("heading", name=_("Vacancies"))).to_be_visible()
    person.goto(new_link)
    expect(person.get_by_role("heading", name=_("Not found"))).to_be_visible()
    check_accessibility(person)

    # The keyboard alone signs the admin in again: Tab reaches the fields, focus shows, Enter sends.
    keyboard = open_as(browser, site, "en")
    keyboard.goto(site.base + "/sign-in")
    for _tab in range(12):
        keyboard.keyboard.press("Tab")
        if keyboard.evaluate("document.activeElement.id") == "username":
            break
    assert keyboard.evaluate("document.activeElement.id") == "username"
    assert keyboard.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    keyboard.keyboard.type("admin-one")
    keyboard.keyboard.press("Tab")
    keyboard.keyboard.type(PASSWORD)
    keyboard.keyboard.press("Enter")
    expect(keyboard.get_by_role("heading", name=_("Organisations"))).to_be_visible()
    assert site.outside == []
