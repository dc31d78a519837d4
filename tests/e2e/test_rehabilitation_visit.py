"""On a 360 px phone: a field worker records a visit that finds the child working again; the district officer then
sees the case flagged on the case page and can decide."""

import pytest
from django.urls import reverse

from rehabilitation import services
from rehabilitation.models import Visit
from tests.e2e.conftest import answer_visit
from tests.rehabilitation.conftest import restored_case

pytestmark = pytest.mark.django_db(transaction=True)


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_field_worker_finds_the_child_working_again_and_the_district_officer_sees_the_flag(
    phone_page, cast, places, sign_in
):
    page = phone_page
    services.templates_seed()
    case = restored_case(places, cast)
    services.rehabilitation_start(case=case, actor=cast.district)
    first = Visit.objects.get(case=case, sequence=1)
    assert first.assigned_to == cast.field

    # The field worker signs in on a phone and finds the visit through the menu.
    sign_in(page, cast.field)
    page.click("button.navbar-toggler")
    page.locator("#clts-nav").get_by_role("link", name="My visits").click()
    page.wait_for_url("**/rehabilitation/visits/")
    assert _fits_the_screen(page)
    item = page.locator("#visit-list li").first
    assert case.case_number in item.inner_text()
    item.get_by_role("link", name="Record").click()
    page.wait_for_url(f"**/rehabilitation/visits/{first.pk}/record/")
    assert _fits_the_screen(page)

    # A first try without saying where the child works is refused; every answer is still there.
    answer_visit(page, working_again="yes", scheme_access="some")
    page.fill("#id_notes", "Test: the child was at the kiln at 7 in the morning.")
    page.click("#visit-form button[type=submit]")
    assert page.locator(".invalid-feedback", has_text="Say where the child is working.").is_visible()
    assert page.is_checked("#q-working_again input[value=yes]")
    assert page.is_checked("#q-scheme_access input[value=some]")
    assert page.input_value("#id_notes") == "Test: the child was at the kiln at 7 in the morning."

    page.fill("#id_work_place", "Test brick kiln, Sherghati road")
    page.click("#visit-form button[type=submit]")
    page.wait_for_url(f"**/rehabilitation/visits/{first.pk}/")
    body = page.inner_text("main")
    assert "Risk: High" in body
    assert "The child is working again." in body
    assert "raised for the district officer" in body
    assert _fits_the_screen(page)

    # The district officer opens the case page (on the same phone) and sees the case flagged.
    page.context.clear_cookies()
    sign_in(page, cast.district)
    page.goto(reverse("rescue:case-detail", args=[case.case_number]))
    flag = page.locator("#rehabilitation-flag")
    assert flag.is_visible()
    assert "Test brick kiln, Sherghati road" in flag.inner_text()
    assert "Raised for the district officer's decision" in flag.inner_text()
    assert _fits_the_screen(page)

    # ... and decides from the panel: the case continues under follow-up, the flag goes.
    flag.locator("input[value=continue]").check()
    flag.locator("textarea[name=reason]").fill("Test: employer warned; the child is back at school.")
    flag.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(f"**/cases/{case.case_number}/")
    assert page.locator("#rehabilitation-flag").count() == 0
    first.refresh_from_db()
    assert first.decision == "continue" and first.decided_by == cast.district
