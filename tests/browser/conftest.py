"""Browser tests: the real app (uvicorn) and a real `celery worker`, driven through Debian's Chromium.

Playwright never downloads a browser here: it launches /usr/bin/chromium (scripts/test installs it).
Each person gets a browser context of their own (own cookies, own language), as three people would.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import DATA_DIR, IN_CI, use_database
from tests.live import celery_worker, live_api

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "a long enough password"
# Set by scripts/screenshots: the journey saves the main pages there.
SCREENSHOTS = os.environ.get("BLINDMATCH_SCREENSHOTS")


@dataclass
class Site:
    base: str
    http: object
    outside: list[str] = field(default_factory=list)  # requests that left the app's origin


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail("/usr/bin/chromium is missing: scripts/test installs it (apt-get install chromium)")
        pytest.skip("/usr/bin/chromium is missing (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # a loaded 2-core machine: waits bound a hang, they time nothing
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def site(redis_url, tmp_path) -> Iterator[Site]:
    """A fresh database, the app on a loopback port and a worker process on the test's queue."""
    from matching.services.bootstrap import prepare_database

    url = f"sqlite:///{DATA_DIR / f'browser-{uuid.uuid4().hex[:8]}.db'}"
    use_database(url)
    prepare_database()
    with ExitStack() as stack:
        http = stack.enter_context(live_api())
        stack.enter_context(celery_worker(tmp_path / "worker.log", extra_env={"DATABASE_URL": url}))
        yield Site(base=str(http.base_url).rstrip("/"), http=http)
    use_database(None)


def open_as(browser, site: Site, lang: str):
    """A person's own browser context in `lang`; every request outside the app's origin is noted."""
    context = browser.new_context(locale=lang, extra_http_headers={"Accept-Language": lang},
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.on("request", lambda request: None if request.url.startswith((site.base, "data:", "about:"))
            else site.outside.append(request.url))
    return page


def choose_password(page, link: str, username: str, _) -> None:
    """Open a one-time sign-in link and choose a user name and password, as the person would."""
    page.goto(link)
    page.get_by_label(_("User name")).fill(username)
    page.get_by_label(_("New password")).fill(PASSWORD)
    page.get_by_label(_("The same password again")).fill(PASSWORD)
    page.get_by_role("button", name=_("Save and sign in")).click()


def check_accessibility(page) -> None:
    """axe-core on the page as it stands: no serious or critical violation (WCAG 2.1 AA rules)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}})
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, f"{page.url}: " + "; ".join(
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in bad
    )


def screenshot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        # The viewport only: after a full-page shot, Chromium's next click on the page can miss its target.
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))
