"""A restored child's family is linked to a ration card: the district officer finds the scheme on the case page
with the missing document, marks documents complete and applies; the Food department's nodal officer sanctions
it on a phone; the case page shows the benefit received once it is recorded."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from schemes.catalogue import catalogue_seed
from schemes.models import Linkage, LinkageStatus
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def restored_case(cast, places):
    catalogue_seed()
    rescue = f.make_rescue(district=places.gaya, fir_number="FIR-E2E-1", employer_name="Test Employer E2E")
    case = f.make_case(district=places.gaya, rescue=rescue, block=places.bodh_gaya, status="restored")
    household = f.make_household(
        case, block=places.bodh_gaya, income_band="below_5000", house_type="pucca", address="Test Tola"
    )
    f.make_member(
        household, name="Test Mother", relation="mother", age_years=34, marital_status="widowed", is_guardian=True
    )
    return case


def test_district_officer_applies_nodal_officer_sanctions_case_page_shows_receipt(
    page, phone_page, sign_in, cast, restored_case
):
    case_url = f"/cases/{restored_case.case_number}/"
    sign_in(page, cast.district)
    page.goto(case_url)
    panel = page.locator("#schemes-panel")
    expect(panel).to_be_visible()

    ration = panel.locator('#eligible-schemes [data-scheme="nfsa_ration_card"]')
    expect(ration).to_contain_text("household, no ration card, resident of the state")
    expect(ration).to_contain_text("First step, get: Aadhaar")
    expect(panel.locator('#eligible-schemes [data-scheme="laxmibai_pension"]')).to_contain_text("mother, 34, widowed")
    ration.get_by_role("button", name="Start the application").click()

    linkage_item = page.locator('#scheme-linkages [data-scheme="nfsa_ration_card"]')
    expect(linkage_item.locator(".linkage-status")).to_have_text("Identified")
    linkage_item.get_by_label("Aadhaar").check()
    linkage_item.get_by_role("button", name="Mark documents complete").click()

    linkage_item = page.locator('#scheme-linkages [data-scheme="nfsa_ration_card"]')
    expect(linkage_item.locator(".linkage-status")).to_have_text("Documents complete")
    linkage_item.get_by_label("Application or receipt number").fill("RTPS/GAYA/2026/77")
    linkage_item.get_by_role("button", name="Record the application").click()
    expect(page.locator('#scheme-linkages [data-scheme="nfsa_ration_card"] .linkage-status')).to_have_text("Applied")
    linkage = Linkage.objects.get(scheme__code="nfsa_ration_card")
    assert linkage.application_number == "RTPS/GAYA/2026/77"

    # The Food and Consumer Protection nodal officer, on a phone: the queue, the linkage, the sanction.
    sign_in(phone_page, cast.nodal)
    phone_page.goto("/schemes/linkages/")
    row = phone_page.locator("#linkage-queue tbody tr").filter(has_text="Ration card")
    expect(row).to_contain_text("Test Mother")
    row.get_by_role("link", name="Open").click()
    expect(phone_page.locator("#linkage-beneficiary")).to_contain_text("Test Mother")
    body = phone_page.locator("main").inner_text()
    assert "FIR-E2E-1" not in body and "Test Employer E2E" not in body and restored_case.case_number not in body
    phone_page.get_by_label("Sanction order number").fill("SDO/FCP/2026/12")
    phone_page.get_by_role("button", name="Record the sanction").click()
    expect(phone_page.locator("#linkage-status")).to_have_text("Sanctioned")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the linkage page fits a 360 px screen ({width})"

    # Back on the case page, the district officer records the receipt after a home visit.
    page.goto(case_url)
    linkage_item = page.locator('#scheme-linkages [data-scheme="nfsa_ration_card"]')
    expect(linkage_item.locator(".linkage-status")).to_have_text("Sanctioned")
    linkage_item.get_by_label("Verified by").select_option("visit")
    linkage_item.get_by_role("button", name="Record the benefit received").click()
    linkage_item = page.locator('#scheme-linkages [data-scheme="nfsa_ration_card"]')
    expect(linkage_item.locator(".linkage-status")).to_have_text("Benefit received")
    expect(linkage_item).to_contain_text(re.compile(r"Benefit received on \d{2}-\d{2}-\d{4}"))

    linkage.refresh_from_db()
    assert linkage.status == LinkageStatus.RECEIVED and linkage.received_on == timezone.localdate()
    assert [e.actor.username for e in linkage.events.order_by("at", "id")] == [
        "district",
        "district",
        "district",
        "nodal",
        "district",
    ]
