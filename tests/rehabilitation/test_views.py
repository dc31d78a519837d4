"""The pages: who sees what, forms that keep what was typed, light pages, bounded queries."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clts.audit.models import AccessLog
from rehabilitation import services
from rehabilitation.models import Component, ComponentStatus, Enrolment, Package, Visit
from rescue.models import Status
from tests import factories as f
from tests.rehabilitation.conftest import proof, restored_case, sanction

pytestmark = pytest.mark.django_db


# Who sees what -----------------------------------------------------------------------------------------------------


def test_a_field_worker_sees_only_the_visits_assigned_to_them(places, cast, case, login):
    mine = f.make_visit(case, assigned_to=cast.field)
    colleague = f.make_user("field", username="field-colleague", block=places.bodh_gaya)
    theirs = f.make_visit(restored_case(places, cast), assigned_to=colleague)
    client = login(cast.field)
    page = client.get(reverse("rehabilitation:visit-list"))
    assert page.status_code == 200
    assert list(page.context["visits"]) == [mine]
    assert theirs.case.case_number not in page.content.decode()
    for name in ("visit-detail", "visit-record"):
        assert client.get(reverse(f"rehabilitation:{name}", args=[theirs.pk])).status_code == 404
        assert client.get(reverse(f"rehabilitation:{name}", args=[mine.pk])).status_code == 200
    # Not even on the same case: a visit of the same case given to a colleague is hidden.
    same_case_other = f.make_visit(case, assigned_to=colleague)
    assert client.get(reverse("rehabilitation:visit-detail", args=[same_case_other.pk])).status_code == 404


# Another district's officer may see packages, but not this one: 404, so its existence does not leak. The other
# roles may see no package at all: 403 before anything is fetched (the role is checked first, then the object).
@pytest.mark.parametrize(
    ("role", "status"), [("outsider", 404), ("cci", 403), ("cwc", 403), ("field", 403), ("nodal", 403)]
)
def test_the_package_is_hidden_outside_its_districts_and_blocks(places, cast, login, role, status):
    case = restored_case(places, cast, cci=cast.cci_institution, cwc=cast.cwc_institution)
    f.make_visit(case, assigned_to=cast.field)
    package = f.make_package(case, components=[{"planned_amount": Decimal("3000.00")}])
    client = login(getattr(cast, role))
    assert client.get(reverse("rehabilitation:package-detail", args=[package.pk])).status_code == status
    component = package.components.get()
    assert client.get(reverse("rehabilitation:component-sanction", args=[component.pk])).status_code == status
    listing = client.get(reverse("rehabilitation:package-list"))
    assert listing.status_code in (200, 403)
    assert case.case_number not in listing.content.decode()


def test_the_district_officer_sees_the_package_and_the_view_is_logged(places, cast, case, login):
    package = f.make_package(case, components=[{"planned_amount": Decimal("3000.00"), "name_en": "Immediate relief"}])
    page = login(cast.district).get(reverse("rehabilitation:package-detail", args=[package.pk]))
    assert page.status_code == 200
    assert "Immediate relief" in page.content.decode()
    assert AccessLog.objects.filter(user=cast.district, label=case.case_number).exists()


def test_a_read_only_role_gets_403_on_a_write(places, cast, case, login):
    package = f.make_package(case, components=[{"planned_amount": Decimal("3000.00")}])
    component = package.components.get()
    for user in (cast.state, cast.block):
        assert login(user).get(reverse("rehabilitation:component-sanction", args=[component.pk])).status_code == 403


# The visit form ----------------------------------------------------------------------------------------------------


def _visit_post(**changes):
    data = {
        "visited_on": timezone.localdate().isoformat(),
        "found": "seen",
        "living_with_family": "yes",
        "in_school": "no",
        "working_again": "yes",
        "work_place": "Brick kiln near the highway",
        "family_migrated": "no",
        "health": "good",
        "scheme_access": "some",
        "notes": "Test notes typed on a phone",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_rejected_visit_keeps_every_answer_and_writes_nothing(places, cast, case, login):
    visit = f.make_visit(case, assigned_to=cast.field)
    client = login(cast.field)
    response = client.post(reverse("rehabilitation:visit-record", args=[visit.pk]), _visit_post(work_place=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Say where the child is working." in html
    assert re.search(r'name="working_again" value="yes"[^>]*checked', html)
    assert re.search(r'name="scheme_access" value="some"[^>]*checked', html)
    assert "Test notes typed on a phone" in html
    visit.refresh_from_db()
    assert visit.visited_on is None and visit.risk_level == ""


def test_the_visit_page_is_light(places, cast, case, login):
    visit = f.make_visit(case, assigned_to=cast.field)
    html = login(cast.field).get(reverse("rehabilitation:visit-record", args=[visit.pk])).content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    # Only the portal's two deferred scripts (Bootstrap, htmx); the form needs none.
    assert len(scripts) == 2 and all("defer" in tag for tag in scripts)
    assert "<style" not in html
    assert len(html.encode()) < 20_000


def test_recording_a_visit_that_finds_the_child_working_flags_the_case(places, cast, case, login):
    visit = f.make_visit(case, assigned_to=cast.field)
    response = login(cast.field).post(reverse("rehabilitation:visit-record", args=[visit.pk]), _visit_post())
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.risk_level == "high" and visit.awaits_decision
    page = login(cast.district).get(reverse("rehabilitation:case-rehabilitation", args=[case.case_number]))
    html = page.content.decode()
    assert 'id="rehabilitation-flag"' in html
    assert "Brick kiln near the highway" in html
    assert "The child is working again." in html
    assert reverse("rehabilitation:visit-decide", args=[visit.pk]) in html


def test_the_decision_from_the_panel_changes_the_case_status(places, cast, case, login):
    visit = f.make_visit(case, assigned_to=cast.field)
    services.visit_record(
        visit=visit,
        visited_on=timezone.localdate(),
        actor=cast.field,
        **f.NOT_FOUND_VISIT,
    )
    back = reverse("rehabilitation:case-rehabilitation", args=[case.case_number])
    client = login(cast.district)
    url = reverse("rehabilitation:visit-decide", args=[visit.pk])
    refused = client.post(url, {"decision": "lost_contact", "reason": "", "next": back})
    assert refused.status_code == 200 and "This field is required." in refused.content.decode()
    response = client.post(url, {"decision": "lost_contact", "reason": "Family left the village.", "next": back})
    assert response.status_code == 302 and response["Location"] == back
    case.refresh_from_db()
    assert case.status == Status.LOST_CONTACT
    assert 'id="rehabilitation-flag"' not in client.get(back).content.decode()


def test_a_field_worker_may_not_decide(places, cast, case, login):
    visit = f.make_visit(case, assigned_to=cast.field)
    assert login(cast.field).get(reverse("rehabilitation:visit-decide", args=[visit.pk])).status_code == 403


# Packages and components -------------------------------------------------------------------------------------------


def test_the_district_officer_starts_rehabilitation(places, cast, case, login, bihar_templates):
    back = reverse("rehabilitation:case-rehabilitation", args=[case.case_number])
    response = login(cast.district).post(
        reverse("rehabilitation:package-create", args=[case.case_number]), {"next": back}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.REHABILITATION
    assert Package.objects.get(case=case).components.count() == 6
    assert Visit.objects.filter(case=case, assigned_to=cast.field).count() == 12


def test_an_over_disbursement_through_the_form_keeps_the_form_and_changes_nothing(places, cast, case, login):
    package = f.make_package(
        case,
        components=[
            {
                "planned_amount": Decimal("3000.00"),
                "status": ComponentStatus.SANCTIONED,
                "sanctioned_amount": Decimal("3000.00"),
                "sanctioned_on": timezone.localdate(),
            }
        ],
    )
    component = package.components.get()
    response = login(cast.district).post(
        reverse("rehabilitation:component-disburse", args=[component.pk]),
        {
            "disbursed_on": timezone.localdate().isoformat(),
            "amount": "3500.00",
            "mode": "bank_guardian",
            "reference": "UTR 123",
            "proof": proof(),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "more than the Rs 3000.00 sanctioned" in html
    assert 'value="3500.00"' in html and 'value="UTR 123"' in html
    component.refresh_from_db()
    assert component.status == ComponentStatus.SANCTIONED and component.disbursed_amount is None
    assert not component.disbursement_proof


def test_a_proof_is_served_by_case_number_through_access(places, cast, case, login):
    component = f.make_package(case, components=[{"planned_amount": Decimal("3000.00")}]).components.get()
    sanction(component, cast.district, "3000.00", order_number="LRD/5", proof=proof("Test Child 9 order.pdf"))
    url = reverse("rehabilitation:component-proof", args=[component.pk, "sanction"])
    response = login(cast.district).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{case.case_number}-{component.pk}-sanction.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert login(cast.outsider).get(url).status_code == 404
    assert login(cast.district).get(url.replace("sanction", "disbursement")).status_code == 404


def test_closure_page_lists_what_is_missing_and_refuses(places, cast, case, login):
    f.make_package(case, components=[{"planned_amount": Decimal("3000.00"), "name_en": "Immediate relief"}])
    client = login(cast.district)
    url = reverse("rehabilitation:case-close", args=[case.case_number])
    html = client.get(url).content.decode()
    assert "“Immediate relief” is planned" in html
    response = client.post(url, {"reason": "Done"})
    assert response.status_code == 200 and 'id="closure-missing"' in response.content.decode()
    case.refresh_from_db()
    assert case.status == Status.RESTORED


def test_a_rejected_enrolment_keeps_what_was_typed(places, cast, case, login):
    response = login(cast.block).post(
        reverse("rehabilitation:enrolment-create", args=[case.case_number]),
        {
            "kind": "school",
            "institution_name": "Test middle school",
            "udise_code": "",
            "class_name": "6",
            "enrolled_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter the school&#x27;s UDISE code." in html and 'value="Test middle school"' in html
    assert not Enrolment.objects.exists()


def test_visits_are_reassigned_from_the_case(places, cast, case, login):
    services.visit_schedule_create(case=case, restored_on=timezone.localdate(), actor=cast.district)
    other = f.make_user("field", username="field-two", block=places.sherghati)
    response = login(cast.district).post(
        reverse("rehabilitation:visit-assign", args=[case.case_number]), {"assignee": other.pk}
    )
    assert response.status_code == 302
    assert set(Visit.objects.filter(case=case).values_list("assigned_to", flat=True)) == {other.pk}


# Lists: bounded queries and keyset pages ---------------------------------------------------------------------------


def test_the_package_list_pages_by_keyset_with_bounded_queries(places, cast, login, django_assert_max_num_queries):
    overdue_day = timezone.localdate() - timedelta(days=3)
    for n in range(55):
        case = f.make_case(district=places.gaya, home_block=places.bodh_gaya)
        components = [{"planned_amount": Decimal("3000.00"), "due_on": overdue_day if n % 2 else None}]
        f.make_package(case, components=components)
    f.make_package(f.make_case(district=places.patna))
    services.figures_refresh()
    client = login(cast.district)
    url = reverse("rehabilitation:package-list")
    # 17: the page's own queries, one look-up of cases shared with the officer (access.py) and the count of the
    # officer's work list in the navigation (clts.alerts), whatever the size.
    with django_assert_max_num_queries(17):
        first = client.get(url)
    assert len(first.context["page"].items) == 50
    after = first.context["page"].next_after
    assert after
    with django_assert_max_num_queries(17):
        second = client.get(url, {"after": after})
    shown = [p.pk for p in first.context["page"].items] + [p.pk for p in second.context["page"].items]
    assert len(shown) == 55 == len(set(shown))
    assert second.context["page"].next_after == ""
    overdue = client.get(url, {"overdue": "on"})
    assert len(overdue.context["page"].items) == 27
    assert all(p.overdue_list for p in overdue.context["page"].items)
    html = first.content.decode()
    assert 'id="district-totals"' in html and "Gaya" in html and "Patna" not in html


def test_the_state_sees_every_districts_totals(places, cast, login):
    f.make_package(f.make_case(district=places.patna), components=[{"planned_amount": Decimal("1.00")}])
    component = Component.objects.get()
    Component.objects.filter(pk=component.pk).update(
        status="sanctioned", sanctioned_amount=Decimal("1.00"), sanctioned_on=timezone.localdate()
    )
    services.figures_refresh()
    html = login(cast.state).get(reverse("rehabilitation:package-list")).content.decode()
    assert "Patna" in html


def test_the_visit_list_has_bounded_queries(places, cast, login, django_assert_max_num_queries):
    for _ in range(60):
        f.make_visit(f.make_case(district=places.gaya, home_block=places.bodh_gaya), assigned_to=cast.field)
    client = login(cast.field)
    with django_assert_max_num_queries(8):
        first = client.get(reverse("rehabilitation:visit-list"))
    assert len(first.context["visits"]) == 50
    second = client.get(reverse("rehabilitation:visit-list"), {"after": first.context["next_after"]})
    assert len(second.context["visits"]) == 10


def test_the_case_panel_has_bounded_queries(places, cast, case, login, django_assert_max_num_queries, bihar_templates):
    services.rehabilitation_start(case=case, actor=cast.district)
    client = login(cast.district)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("rehabilitation:case-rehabilitation", args=[case.case_number]))
    assert page.status_code == 200
    assert "Health check-up" in page.content.decode()


def test_a_block_officer_lists_their_blocks_packages_and_the_state_can_pick_a_district(places, cast, login):
    bodh_gaya = f.make_package(f.make_case(district=places.gaya, block=places.bodh_gaya, home_block=places.bodh_gaya))
    sherghati = f.make_package(f.make_case(district=places.gaya, block=places.sherghati, home_block=places.sherghati))
    # Rescued in Patna, home in Bodh Gaya: on both districts' lists, and the home block's.
    from_gaya = f.make_package(
        f.make_case(district=places.patna, home_district=places.gaya, home_block=places.bodh_gaya)
    )
    patna = f.make_package(f.make_case(district=places.patna, block=places.phulwari, home_block=places.phulwari))
    url = reverse("rehabilitation:package-list")

    def listed(user, **params):
        return {p.pk for p in login(user).get(url, params).context["page"].items}

    assert listed(cast.block) == {bodh_gaya.pk, from_gaya.pk}
    assert listed(cast.district) == {bodh_gaya.pk, sherghati.pk, from_gaya.pk}
    assert listed(cast.district, block=places.sherghati.pk) == {sherghati.pk}
    assert listed(cast.outsider) == {patna.pk, from_gaya.pk}
    assert listed(cast.state) == {bodh_gaya.pk, sherghati.pk, from_gaya.pk, patna.pk}
    f.make_home_state()
    assert listed(cast.state, district=places.patna.pk) == {patna.pk, from_gaya.pk}


def test_the_sanction_form_starts_from_the_planned_amount_and_stores_the_scan(places, cast, case, login):
    component = f.make_package(case, components=[{"planned_amount": Decimal("3000.00")}]).components.get()
    client = login(cast.district)
    url = reverse("rehabilitation:component-sanction", args=[component.pk])
    assert 'value="3000.00"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "order_number": "LRD/2026/44",
            "sanctioned_on": timezone.localdate().isoformat(),
            "amount": "3000.00",
            "proof": proof("Test Child 3 order.pdf"),
        },
    )
    assert response.status_code == 302
    component.refresh_from_db()
    assert component.status == ComponentStatus.SANCTIONED and component.sanctioned_by == cast.district
    assert "Test" not in component.sanction_proof.name
