"""The menu bar holds every role's entries on an office PC and on a phone: entries grouped into menus, none off the
edge of the screen, each menu opening onto its pages."""

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _shoot(page, name):
    """With CLTS_SCREENSHOTS=1, a picture of the page for a person to look at."""
    if os.environ.get("CLTS_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("role", ["district", "state", "admin", "cwc", "field"])
def test_the_bar_fits_an_office_screen_for_every_role(browser, live_server, cast, sign_in, role):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 800})
    page = context.new_page()
    sign_in(page, getattr(cast, role))
    bar = page.locator("#clts-nav")
    assert _fits(page), f"the {role}'s bar is wider than 1366 px"
    # The bar is one line: no entry wraps below the brand.
    assert bar.bounding_box()["height"] < 80
    _shoot(page, f"menu-{role}-1366")
    context.close()


def test_a_menu_opens_onto_its_pages_on_an_office_screen(browser, live_server, cast, sign_in):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 800})
    page = context.new_page()
    sign_in(page, cast.district)
    packages = page.locator("#clts-nav").get_by_role("link", name="Link requests")
    assert not packages.is_visible()
    # An entry outside any menu, and a menu of which the officer may open one page, are plain links.
    for name in ("My work", "Home", "Packages"):
        assert page.locator("#clts-nav").get_by_role("link", name=name, exact=True).is_visible(), name
    page.locator("#clts-nav").get_by_role("button", name="Cases").click()
    assert packages.is_visible()
    _shoot(page, "menu-open-1366")
    packages.click()
    page.wait_for_url("**/cases/link-requests/")
    # The page's menu is marked as the current one.
    assert "active" in page.locator("#clts-nav").get_by_role("button", name="Cases").get_attribute("class")
    page.keyboard.press("Escape")
    context.close()


def test_on_a_phone_the_menu_opens_and_its_menus_stack(browser, live_server, cast, sign_in):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    sign_in(page, cast.district)
    page.get_by_role("button", name="Menu").click()
    page.locator("#clts-nav").get_by_role("button", name="Reports").click()
    dashboard = page.locator("#clts-nav").get_by_role("link", name="Dashboard")
    assert dashboard.is_visible()
    assert _fits(page)
    _shoot(page, "menu-open-360")
    dashboard.click()
    page.wait_for_url("**/reports/**")
    context.close()
