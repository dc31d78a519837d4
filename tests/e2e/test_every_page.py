"""Every page of the access matrix, opened in real Chromium on a 360 px phone as a role allowed to open it:

(a) nothing scrolls sideways: the document is no wider than the screen (a wide table stacks or scrolls inside its
    own box), and no wider than a 1366 px office screen either;
(b) axe-core finds no serious or critical accessibility violation (at 360 px on every page, and at 1366 px, with
    the menu laid out in full, on each role's first page).

One browser, one world, each page visited once for both checks. The roles who work on phones (field worker, block
officer, CWC, CCI) read the portal in Hindi, whose words run longer; the office roles in English. The error pages
(404 and 403) are opened too. A failure names the page, its URL, the role and the width.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from tests.e2e.conftest import set_timeouts
from tests.e2e.matrix_pages import build_world, matrix_pages, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
HINDI_READERS = {"field", "block", "cwc", "cci"}
FAILING_IMPACTS = {"serious", "critical"}
# SWEEP_SCREENSHOTS=1 saves each page at 360 px and at 1366 px in test-results/sweep/, to be looked at.
SHOTS = Path(__file__).resolve().parents[2] / "test-results" / "sweep" if os.environ.get("SWEEP_SCREENSHOTS") else None
# The widest elements when a page overflows, so that the failure says what to fix.
WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > limit + 1);
  const leaves = wide.filter(e => !wide.some(other => other !== e && e.contains(other)));
  return leaves.slice(0, 3).map(e => {
    const id = e.id ? '#' + e.id : '';
    const cls = typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\\s+/).join('.') : '';
    return `${e.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(e.getBoundingClientRect().right)} px)`;
  });
}"""
AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ['violations']});
  return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def _contexts(browser, live_server, world):
    """One browser context (a phone) per role, signed in once; `None` is the signed-out visitor."""
    contexts = {}

    def context_for(role):
        if role not in contexts:
            context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True)
            if role is not None:
                user = getattr(world.cast, role)
                user.language = "hi" if role in HINDI_READERS else "en"
                user.save(update_fields=["language"])
                context.add_cookies([session_cookie(user, live_server.url)])
            page = context.new_page()
            set_timeouts(page)
            contexts[role] = page
        return contexts[role]

    return contexts, context_for


def _axe(page, label: str, failures: list[str], at: str) -> None:
    page.evaluate(AXE_SCRIPT)
    for violation in page.evaluate(AXE_RUN):
        if violation["impact"] in FAILING_IMPACTS:
            failures.append(
                f"{label}: axe {violation['impact']} {violation['id']} ({violation['help']}) at {at}: "
                f"{violation['targets']}"
            )


def _check(page, label: str, failures: list[str], *, desktop_axe: bool) -> None:
    page.evaluate("document.fonts.ready.then(() => true)")  # widths as the reader sees them, fonts swapped in
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        widest = ", ".join(page.evaluate(WIDEST))
        failures.append(f"{label}: {width} px wide at {PHONE['width']} px (widest: {widest})")
    _axe(page, label, failures, at=f"{PHONE['width']} px")
    page.set_viewport_size(DESKTOP)  # the office's screen: nothing sideways there either
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > DESKTOP["width"]:
        failures.append(f"{label}: {width} px wide at {DESKTOP['width']} px")
    if desktop_axe:  # the open menu and the wide layout, once per role: the page's own content was checked above
        _axe(page, label, failures, at=f"{DESKTOP['width']} px")
    page.set_viewport_size(PHONE)


def _names(labels: list[str]) -> str:
    return "(" + ", ".join(label.split(" ")[0] for label in labels) + ")"


def _screenshots(page, label: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^a-z0-9]+", "-", label.split(" ")[0].lower())
    page.screenshot(path=str(SHOTS / f"{name}-360.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(SHOTS / f"{name}-1366.png"), full_page=True)
    page.set_viewport_size(PHONE)


def test_every_page_fits_a_phone_and_has_no_serious_accessibility_violation(browser, live_server, capsys):
    started = time.monotonic()
    world = build_world()
    pages = matrix_pages(world)
    # The error pages in the portal's layout: a missing page, and a page the role may not open.
    extra = [("404 page", "district", "/no-such-page/", (404,)), ("403 page", "field", "/audit/", (403,))]
    contexts, page_for = _contexts(browser, live_server, world)
    failures: list[str] = []
    checked, not_html, fragments = [], [], []
    desktop_checked: set[str | None] = set()
    try:
        visits = [(str(p), p.role, p.url, p.statuses) for p in pages] + extra
        for label, role, url, statuses in visits:
            page = page_for(role)
            try:
                response = page.goto(url)
            except Exception as error:  # a file download (a PDF, a spreadsheet) is not a page
                if "Download is starting" in str(error):
                    not_html.append(label)
                    continue
                raise
            if response.status not in statuses:
                failures.append(f"{label}: answered {response.status}, expected {statuses}")
                continue
            if not response.header_value("content-type").startswith("text/html"):
                not_html.append(label)
                continue
            if not response.text().lstrip().lower().startswith("<!doctype html"):
                fragments.append(label)  # a piece of a page that htmx swaps in, checked within its page
                continue
            _check(page, label, failures, desktop_axe=role not in desktop_checked)
            desktop_checked.add(role)
            checked.append(label)
            if SHOTS:
                _screenshots(page, label)
    finally:
        for page in contexts.values():
            page.context.close()
    with capsys.disabled():
        print(
            f"\nevery page: {len(checked)} pages checked for width at {PHONE['width']} and {DESKTOP['width']} px "
            f"and by axe-core at {PHONE['width']} px ({len(desktop_checked)} also at {DESKTOP['width']} px) "
            f"({len(pages)} GET routes of the matrix + {len(extra)} error pages; not pages: {len(not_html)} files "
            f"{_names(not_html)} and {len(fragments)} htmx fragments {_names(fragments)}); "
            f"{time.monotonic() - started:.0f} s"
        )
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)
