"""A child recorded in Gaya is rescued again in Patna. Patna's officer, on a phone, sees only "a possible earlier
record in another area", chooses it and registers; Gaya's district officer finds the request under "Link requests",
compares both records side by side and confirms, updating the one field that changed; the earlier case counts as
re-trafficked. Set CLTS_SCREENSHOTS=1 to keep screenshots of each page at 360 and 1366 px in test-results/."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from rescue.models import Case, LinkRequest, Status
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(__file__).parents[2] / "test-results"


def _shoot(page, name: str) -> None:
    if os.environ.get("CLTS_SCREENSHOTS"):
        SHOTS.mkdir(exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_patna_files_a_request_and_gaya_confirms_it(browser, live_server, cast, places, sign_in):
    f.make_home_state()
    child = f.make_child(
        name="Test Child Munna",
        father_name="Test Father Ramesh",
        home_district=places.gaya,
        home_block=places.bodh_gaya,
        home_village_text="Test Village Dobhi",
        age_years=10,
    )
    earlier = f.make_case_at(
        Status.FOLLOW_UP,
        cast,
        places,
        child=child,
        age_at_rescue=10,
        rescued_on=timezone.localdate() - timedelta(days=500),
        restored_at=timezone.now() - timedelta(days=450),
    )
    phone_context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    phone = phone_context.new_page()
    phone.set_default_timeout(20000)

    # Patna's district officer registers a Patna rescue and types the child's particulars.
    sign_in(phone, cast.outsider)
    phone.goto("/cases/register/")
    phone.fill("#id_rescue-rescued_at", timezone.localtime(timezone.now()).strftime("%Y-%m-%dT%H:%M"))
    phone.select_option("#id_rescue-district", label="Patna")
    phone.locator("#id_rescue-block option", has_text="Phulwari").wait_for(state="attached")
    phone.select_option("#id_rescue-block", label="Phulwari")
    phone.select_option("#id_rescue-industry", "hotel_dhaba")
    phone.select_option("#id_rescue-led_by", "labour")
    phone.select_option("#id_rescue-cwc", label="CWC Patna")
    phone.fill("#id_children-0-name", "Test Child Munna")
    phone.select_option("#id_children-0-sex", "m")
    phone.fill("#id_children-0-age_years", "11")
    phone.select_option("#id_children-0-age_assessment", "declared")
    phone.fill("#id_children-0-father_name", "Test Father Ramesh")
    phone.select_option("#id_children-0-home_district", label="Patna")
    phone.fill("#id_children-0-home_village_text", "Test Village Dobhi")
    phone.locator("#id_children-0-home_village_text").blur()
    outside = phone.locator("#children-0-matches label.candidate-outside")
    outside.wait_for()
    text = outside.inner_text()
    assert "A possible earlier record in another area" in text and "Strong match" in text
    for leak in (earlier.case_number, "Gaya", "Dobhi", "alike", "Age fits", str(child.pk)):
        assert leak not in phone.inner_text("#children-0-matches"), leak
    assert _fits(phone)
    outside.scroll_into_view_if_needed()
    _shoot(phone, "registration-outside-candidate")
    outside.locator("input").check()
    phone.get_by_role("button", name="Register the rescue").click()
    phone.wait_for_url("**/cases/rescues/*/")
    new_case = Case.objects.get(rescue__district=places.patna)
    phone.goto(f"/cases/{new_case.case_number}/")
    assert "asked to compare the records" in phone.inner_text("#link-pending")
    assert earlier.case_number not in phone.inner_text("main")
    phone_context.close()

    # Gaya's district officer: the queue, both records side by side, the decision.
    for width in (1366, 360):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(20000)
        sign_in(page, cast.district)
        page.goto("/cases/link-requests/")
        row = page.locator("#link-requests tbody tr", has_text=earlier.case_number)
        assert "Strong match" in row.inner_text() and "Patna" in row.inner_text()
        assert _fits(page)
        _shoot(page, "link-request-queue")
        row.get_by_role("link", name="Compare and decide").click()
        page.wait_for_url("**/cases/link-requests/*/")
        differs = page.locator("#link-comparison tr[data-differs]")
        assert "Home" in differs.first.inner_text() or differs.count() >= 1
        assert _fits(page)
        _shoot(page, "link-request-decision")
        context.close()

    context = browser.new_context(base_url=live_server.url, viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, cast.district)
    page.goto(f"/cases/link-requests/{LinkRequest.objects.get().pk}/")
    page.get_by_label("The same child: link the cases").check()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/cases/link-requests/")
    assert "The cases are linked." in page.inner_text("main")
    _shoot(page, "link-request-decided")
    earlier.refresh_from_db()
    new_case.refresh_from_db()
    assert new_case.previous_case == earlier and earlier.status == Status.RETRAFFICKED
    context.close()
