"""A block officer registers a rescue of two children on a phone (one a child of another state, one rescued before
and linked to the earlier record); the CWC member records the production and an order; the district officer sees
the case's timeline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rescue.models import Case, Interstate, Status
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _choose_block(page, district_select: str, block_select: str, district: str, block: str) -> None:
    # The rescue's district and block come pre-filled from the officer's jurisdiction: choosing the same district
    # again would reload its blocks (htmx) and could undo the block chosen meanwhile.
    if page.locator(f"{district_select} option:checked").inner_text() != district:
        page.select_option(district_select, label=district)
        # The blocks of the district arrive by htmx.
        page.locator(f"{block_select} option", has_text=block).wait_for(state="attached")
    page.select_option(block_select, label=block)


def test_rescue_registered_on_a_phone_produced_before_the_cwc_and_seen_by_the_district(
    phone_page, page, cast, places, sign_in
):
    f.make_home_state()
    rescued_at = timezone.now() - timedelta(hours=3)
    # Restored to his family two years ago after an earlier rescue.
    earlier_child = f.make_child(
        name="Test Child Anand",
        father_name="Test Father Anand",
        age_years=10,
        home_district=places.gaya,
        home_block=places.bodh_gaya,
        home_village_text="Test Village",
    )
    earlier = f.make_case(
        district=places.gaya,
        block=places.bodh_gaya,
        home_block=places.bodh_gaya,
        child=earlier_child,
        age_at_rescue=10,
        rescued_on=timezone.localdate() - timedelta(days=730),
        status=Status.FOLLOW_UP,
        restored_at=timezone.now() - timedelta(days=700),
    )

    # 1. The block officer registers the rescue on a 360 px phone screen.
    phone = phone_page
    sign_in(phone, cast.block)
    phone.goto("/cases/register/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360 + 1  # nothing wider than the phone
    phone.fill("#id_rescue-rescued_at", _local(rescued_at))
    _choose_block(phone, "#id_rescue-district", "#id_rescue-block", "Gaya", "Bodh Gaya")
    phone.fill("#id_rescue-establishment_name", "Test brick kiln")
    phone.select_option("#id_rescue-industry", "brick_kiln")
    phone.select_option("#id_rescue-led_by", "labour")
    phone.select_option("#id_rescue-cwc", label="CWC Gaya")
    assert phone.locator("#id_rescue-rescuing_authority").is_hidden()  # only for rescues in another state

    phone.fill("#id_children-0-name", "Test Child Anand")
    phone.select_option("#id_children-0-sex", "m")
    phone.fill("#id_children-0-age_years", "12")
    phone.select_option("#id_children-0-age_assessment", "declared")
    phone.fill("#id_children-0-father_name", "Test Father Anand")
    _choose_block(phone, "#id_children-0-home_district", "#id_children-0-home_block", "Gaya", "Bodh Gaya")
    phone.fill("#id_children-0-home_village_text", "Test Village")
    phone.locator("#id_children-0-home_village_text").blur()
    # While typing, the earlier record shows up (htmx); the officer says it is the same child.
    same_child = phone.locator("#children-0-matches label.candidate", has_text="Test Child Anand").locator("input")
    same_child.wait_for()
    # Named by a token, never by the record's id.
    assert same_child.get_attribute("value") != str(earlier_child.pk)
    same_child.check()

    phone.click("#add-child")  # a second row, without reloading the page
    phone.fill("#id_children-1-name", "Test Child Bharat")
    phone.select_option("#id_children-1-sex", "m")
    phone.fill("#id_children-1-age_years", "15")
    phone.select_option("#id_children-1-age_assessment", "declared")
    phone.select_option("#id_children-1-home_state", label="Rajasthan")
    assert phone.locator("#id_children-1-home_district").is_hidden()
    phone.fill("#id_children-1-home_village_text", "Test Village Outside")
    phone.fill("#id_children-1-home_address", "Test address in Rajasthan")
    phone.get_by_role("button", name="Register the rescue").click()

    phone.wait_for_url("**/cases/rescues/*/")
    cases = list(Case.objects.exclude(pk=earlier.pk).order_by("id"))
    assert len(cases) == 2
    assert [case.interstate for case in cases] == [Interstate.NONE, Interstate.OUTBOUND]
    # The child rescued again is linked, and the earlier case counts as re-trafficked.
    assert cases[0].child == earlier_child and cases[0].previous_case == earlier
    earlier.refresh_from_db()
    assert earlier.status == Status.RETRAFFICKED
    for case in cases:
        assert case.case_number.startswith("BR-GAY-") and case.case_number in phone.inner_text("main")
    case = cases[0]

    # 2. The CWC member records the production (within 24 hours) and the placement order.
    sign_in(page, cast.cwc)
    page.goto(f"/cases/{case.case_number}/")
    page.get_by_role("link", name="Record production and order").click()
    page.fill("#id_produced_at", _local(rescued_at + timedelta(hours=2)))
    page.select_option("#id_kind", "cci_placement")
    page.fill("#id_order_number", "CWC/GAYA/E2E/1")
    page.fill("#id_ordered_on", timezone.localdate().isoformat())
    page.select_option("#id_cci", label="Children's Home Gaya")
    page.get_by_role("button", name="Record").click()
    page.wait_for_url(f"**/cases/{case.case_number}/")
    assert "In shelter or CCI" in page.inner_text("main")
    case.refresh_from_db()
    assert case.status == Status.IN_SHELTER and not case.production_late

    # 3. The district officer opens the case and reads its timeline.
    page.context.clear_cookies()
    sign_in(page, cast.district)
    page.goto(f"/cases/{case.case_number}/")
    timeline = page.inner_text("#timeline")
    expected = ("Registered", "Rescued → Produced before CWC", "CWC order", "Produced before CWC → In shelter or CCI")
    for entry in expected:
        assert entry in timeline
    assert page.locator("#timeline li").count() == 5  # and the link to the earlier case
    assert f"This child was rescued before: case {earlier.case_number}" in page.inner_text("main")
