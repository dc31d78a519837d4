"""The Committee's sittings, the orders of every kind, and the time limits they start and meet (data, not code)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clts.alerts.models import Alert, DeadlineRule
from clts.alerts.services import rules_seed, scan_run
from rescue.models import Status
from tests import factories as f
from trackchild_sync import services
from trackchild_sync.models import CwcDeadline, CwcSitting, CwcStep

pytestmark = pytest.mark.django_db


def test_only_the_confirmed_time_is_shipped_and_each_names_its_source():
    steps = {step.code: step for step in CwcStep.objects.all()}
    assert steps["production"].due_after == timedelta(hours=24) and "31(1)" in steps["production"].source
    for code in ("social-investigation", "care-plan", "final-order"):
        assert steps[code].due_after is None and steps[code].source.startswith("Not set")


def test_production_starts_the_clocks_and_orders_meet_them(login, cast, places):
    case = f.make_case_at(Status.RESCUED, cast, places, cwc=cast.cwc_institution)
    produced = timezone.now() - timedelta(hours=2)
    services.cwc_order_record(case=case, actor=cast.cwc, produced_at=produced, late_reason="Test: hospital first.")
    open_steps = set(CwcDeadline.objects.filter(case=case, met_at__isnull=True).values_list("step__code", flat=True))
    assert open_steps == {"care-plan", "final-order"}
    today = timezone.localdate()
    case.refresh_from_db()
    services.cwc_order_record(case=case, actor=cast.cwc, kind="sir_ordered", ordered_on=today)
    case.refresh_from_db()
    assert case.status == Status.PRODUCED  # a report ordered records, it does not move the case
    assert CwcDeadline.objects.filter(case=case, step__code="social-investigation", met_at__isnull=True).exists()
    services.cwc_order_record(case=case, actor=cast.cwc, kind="sir_received", ordered_on=today)
    services.cwc_order_record(case=case, actor=cast.cwc, kind="care_plan", ordered_on=today)
    still_open = set(CwcDeadline.objects.filter(case=case, met_at__isnull=True).values_list("step__code", flat=True))
    assert still_open == {"final-order"}
    page = login(cast.cwc).get(reverse("rescue:case-detail", args=[case.case_number]))
    assert "open (no time limit set by the administrator)" in page.text


def test_a_step_the_admin_times_is_raised_on_the_cwcs_work_list(cast, places):
    rules_seed()
    step = CwcStep.objects.get(code="care-plan")
    step.due_after = timedelta(days=7)
    step.save()
    case = f.make_case_at(Status.RESCUED, cast, places, cwc=cast.cwc_institution)
    services.cwc_order_record(
        case=case, actor=cast.cwc, produced_at=timezone.now() - timedelta(days=9), late_reason="Test: hospital first."
    )
    scan_run(as_of=timezone.now())
    rule = DeadlineRule.objects.get(code="cwc-steps")
    alert = Alert.objects.get(rule=rule, case=case)
    assert alert.institution == cast.cwc_institution and alert.object_type == "cwc_deadline"
    assert Alert.objects.for_user(cast.cwc).filter(pk=alert.pk).exists()
    case.refresh_from_db()
    services.cwc_order_record(case=case, actor=cast.cwc, kind="care_plan", ordered_on=timezone.localdate())
    scan_run(as_of=timezone.now())
    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.resolution == "done"


def test_the_cwc_member_records_a_sitting_once_a_day(login, cast):
    client = login(cast.cwc)
    data = {"sat_on": timezone.localdate().isoformat(), "members_present": "3", "place": "Gaya"}
    assert client.post(reverse("trackchild:sitting-list"), data).status_code == 302
    again = client.post(reverse("trackchild:sitting-list"), data)
    assert again.status_code == 200 and "already recorded" in again.text
    assert CwcSitting.objects.filter(cwc=cast.cwc_institution).count() == 1
