"""In real Chromium: a field worker records a visit that finds the child working again; the district officer signs
in, sees it first in My work, decides, and the item disappears. Screenshots of My work and the compliance page at
360 px and 1366 px go to test-results/ (looked at by the engineer, never committed)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from clts.alerts import services
from clts.alerts.models import Alert, AlertStatus
from rehabilitation import services as rehab
from rehabilitation.models import Visit
from tests.alerts.conftest import missed_production, set_time
from tests.e2e.conftest import answer_visit
from tests.rehabilitation.conftest import restored_case

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(settings.BASE_DIR) / "test-results"


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_worrying_visit_reaches_the_district_officers_work_list_and_leaves_it_when_decided(
    page, phone_page, cast, places, sign_in
):
    services.rules_seed()
    # The administrator has set the time for the decision (no published source fixes it): 2 days.
    from clts.alerts.models import DeadlineRule

    set_time(DeadlineRule.objects.get(code="visit-decision"), 2)
    rehab.templates_seed()
    case = restored_case(places, cast, days_ago=28)
    rehab.rehabilitation_start(case=case, actor=cast.district)
    first = Visit.objects.get(case=case, sequence=1)
    other = missed_production(places, cast, hours_ago=30)  # something else on the officer's list, due earlier
    services.scan_run()

    # The field worker signs in on a phone and lands on My work: the visit is there, with its link.
    sign_in(phone_page, cast.field)
    assert phone_page.url.endswith("/alerts/")
    item = phone_page.locator("#work-list li.work-item").first
    assert case.case_number in item.inner_text() and "Make the follow-up visit" in item.inner_text()
    assert _fits_the_screen(phone_page)
    item.get_by_role("link", name="Open").click()
    phone_page.wait_for_url(f"**/rehabilitation/visits/{first.pk}/record/")
    answer_visit(phone_page, working_again="yes", scheme_access="some")
    phone_page.fill("#id_work_place", "Test brick kiln, Sherghati road")
    phone_page.click("#visit-form button[type=submit]")
    phone_page.wait_for_url(f"**/rehabilitation/visits/{first.pk}/")
    # Recorded: the visit leaves the field worker's list at once.
    phone_page.goto("/alerts/")
    assert case.case_number not in phone_page.inner_text("#work-list")

    # The scan that runs every 15 minutes raises the decision for the district officer (made a day late here, so
    # that it is the most urgent item on the list).
    Visit.objects.filter(pk=first.pk).update(recorded_at=timezone.now() - timedelta(days=3))
    services.scan_run()

    sign_in(page, cast.district)
    assert page.url.endswith("/alerts/")
    items = page.locator("#work-list li.work-item")
    top = items.first.inner_text()
    assert case.case_number in top and "Decide on the visit" in top and "Overdue" in top
    assert other.case_number in items.nth(1).inner_text()
    assert page.locator("#work-count").inner_text() == "2"
    page.set_viewport_size({"width": 1366, "height": 900})
    _shot(page, "alerts-my-work-1366.png")
    items.first.get_by_role("link", name="Open").click()
    page.wait_for_url(f"**/rehabilitation/visits/{first.pk}/decide/**")
    page.locator("input[value=continue]").check()
    page.fill("textarea[name=reason]", "Test: employer warned; the child is back at school.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url("**/alerts/")
    remaining = page.inner_text("#work-list")
    assert case.case_number not in remaining and other.case_number in remaining
    first.refresh_from_db()
    assert first.decision == "continue" and first.decided_by == cast.district
    services.scan_run()
    decision = Alert.objects.get(object_id=first.pk, rule__code="visit-decision")
    assert decision.status == AlertStatus.RESOLVED and decision.resolution == "done"

    # Screenshots: My work and the compliance page, at 360 px and 1366 px.
    services.compliance_refresh()
    page.goto("/alerts/compliance/")
    assert page.locator("#trend-chart").is_visible()
    _shot(page, "alerts-compliance-1366.png")
    phone_page.context.clear_cookies()
    sign_in(phone_page, cast.district)
    assert _fits_the_screen(phone_page)
    _shot(phone_page, "alerts-my-work-360.png")
    phone_page.goto("/alerts/compliance/")
    assert _fits_the_screen(phone_page)
    _shot(phone_page, "alerts-compliance-360.png")
