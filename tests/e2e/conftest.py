"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against pytest-django's live server."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Without these the closed network floods Chromium with refused connections at every start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


# One browser per test module, not per session: Playwright's sync API keeps an event loop running in the test
# process while it is open, and a later test of another kind on the same pytest-xdist worker (a view that calls
# async_to_sync, such as /health/) would then fail with "cannot use AsyncToSync in the same thread".
@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-packages` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) at desktop size; see `phone_page` for a 360 px screen."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    set_timeouts(page)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    set_timeouts(page)
    yield page
    context.close()


def set_timeouts(page) -> None:
    """15 s for a click or a field; 45 s for a page to arrive, since a form that registers and matches children can
    take that long on CI's two cores shared with the test server and Chromium."""
    page.set_default_timeout(15000)
    page.set_default_navigation_timeout(45000)


def answer_visit(page, *, working_again: str = "no", scheme_access: str = "all") -> None:
    """Tick the visit form's answers for a child seen, living with the family, out of school, in good health and
    at home (the family has not moved): the visit every journey records, but for the work and the schemes."""
    page.check("#id_found_0")
    page.check("#q-living_with_family input[value=yes]")
    page.check("#q-in_school input[value=no]")
    page.check(f"#q-working_again input[value={working_again}]")
    page.check("#q-family_migrated input[value=no]")
    page.check("#q-health input[value=good]")
    page.check(f"#q-scheme_access input[value={scheme_access}]")


@pytest.fixture
def sign_in():
    """sign_in(page, user): the real sign-in form, as a person would use it."""
    from tests.factories import PASSWORD

    def _sign_in(page, user, password=PASSWORD):
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("#login-submit")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return _sign_in
