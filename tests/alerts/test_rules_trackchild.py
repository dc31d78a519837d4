"""The CCI register kept and the TrackChild upload made at least monthly (issue 14, item 1): one alert per home or
district once a month has passed, on the work list of whoever answers for it and nobody else, linked to the page
that satisfies it, resolved by the scan once the work is done."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clts.alerts import services
from clts.alerts.models import Alert
from trackchild_sync import services as tc
from trackchild_sync.models import Pushed

pytestmark = pytest.mark.django_db


@pytest.fixture
def monthly(rules):
    """The two rules as the shipped file seeds them (the `rules` fixture): the register watched from the start, the
    upload switched on here as the administrator does once the TrackChild endpoint is set up."""
    made = {code: rules[code] for code in ("cci-register", "trackchild-upload")}
    assert made["cci-register"].is_active and not made["trackchild-upload"].is_active
    upload = made["trackchild-upload"]
    upload.is_active = True
    upload.full_clean()
    upload.save()
    return made


def _admit(cast, name="Test Resident Monthly"):
    return tc.residence_admit(
        actor=cast.cci,
        institution=cast.cci_institution,
        cwc=cast.cwc_institution,
        ordered_on=timezone.localdate(),
        admitted_on=timezone.localdate(),
        order_number="CWC/GAYA/9",
        name=name,
        sex="m",
        age_years=11,
    )


def _my_work(login, user, code):
    """The user's My work items of one of these rules (a resident not yet sent to TrackChild is on the lists too)."""
    return [item for item in login(user).get(reverse("alerts:my-work")).context["items"] if item.rule.code == code]


def _later(days: int):
    return time_machine.travel(timezone.now() + timedelta(days=days), tick=False)


def test_a_register_untouched_for_a_month_raises_one_alert_and_an_entry_resolves_it(monthly, cast, places, login):
    residence = _admit(cast)
    with _later(20):
        services.scan_run()
        assert not Alert.objects.filter(rule=monthly["cci-register"]).exists()
    with _later(33):  # a month and two to five days: overdue, not yet escalated (7 days)
        services.scan_run()
        services.scan_run()
        alert = Alert.objects.get(rule=monthly["cci-register"])
        assert (alert.object_id, alert.institution, alert.district, alert.case) == (
            cast.cci_institution.pk,
            cast.cci_institution,
            places.gaya,
            None,
        )
        # Due one calendar month after the admission's entry.
        entry = residence.events.get().recorded_at
        assert timezone.localdate(alert.due_at) == _month_after(timezone.localdate(entry))
        items = _my_work(login, cast.cci, "cci-register")
        assert [item.link for item in items] == [reverse("trackchild:home-register", args=[cast.cci_institution.pk])]
        assert items[0].overdue and str(items[0].task) == "Bring the home's register up to date"
        # Another home's staff, another district, the police and the DCPU of another district: not theirs.
        for outsider in (cast.cci_other, cast.outsider, cast.police, cast.dcpu_other, cast.cwc):
            assert _my_work(login, outsider, "cci-register") == [], outsider.username
        # The district officer sees it once it has escalated to the district (7 days overdue).
        assert _my_work(login, cast.district, "cci-register") == []
    with _later(50):
        services.scan_run()
        assert [item.link for item in _my_work(login, cast.district, "cci-register")] == [
            reverse("trackchild:home-register", args=[cast.cci_institution.pk])
        ]
        # The home records a child's leave: the register is kept, the alert resolves as done.
        tc.residence_leave(actor=cast.cci, residence=residence, on=timezone.localdate(), notes="Test: home visit")
        assert _my_work(login, cast.cci, "cci-register") == []
        services.scan_run()
        alert.refresh_from_db()
        assert (alert.status, alert.resolution) == ("resolved", "done")
        assert Alert.objects.filter(rule=monthly["cci-register"]).count() == 1


def test_an_empty_home_has_no_register_to_keep(monthly, cast, places):
    residence = _admit(cast)
    tc.residence_discharge(
        actor=cast.cci, residence=residence, on=timezone.localdate(), reason="restoration", notes="Test: restored"
    )
    with _later(60):
        services.scan_run()
    assert not Alert.objects.filter(rule=monthly["cci-register"]).exists()


def _found(cast):
    return tc.found_record(
        actor=cast.dcpu, found_by="Test patrol", found_on=timezone.localdate(), found_place="Test bus stand", sex="f"
    )


def test_a_district_whose_records_wait_a_month_for_trackchild_gets_one_alert_until_accepted(
    monthly, cast, places, login
):
    found = _found(cast)
    with _later(40):
        services.scan_run()
        services.scan_run()
        alert = Alert.objects.get(rule=monthly["trackchild-upload"])
        assert (alert.object_id, alert.district, alert.institution) == (
            places.gaya.pk,
            places.gaya,
            cast.dcpu_institution,
        )
        assert timezone.localdate(alert.due_at) == _month_after(timezone.localdate(found.updated_at))
        # The district officer and the district's DCPU, each sent to the exchange page.
        for user in (cast.district, cast.dcpu):
            items = _my_work(login, user, "trackchild-upload")
            assert [item.link for item in items] == [reverse("trackchild:exchange")], user.username
        for outsider in (cast.outsider, cast.dcpu_other, cast.police, cast.cci, cast.block):
            assert _my_work(login, outsider, "trackchild-upload") == [], outsider.username
        # TrackChild accepts the record (the push records the version it took): done.
        Pushed.objects.create(kind="found", target_id=found.pk, version=found.updated_at)
        assert _my_work(login, cast.district, "trackchild-upload") == []
        services.scan_run()
        alert.refresh_from_db()
        assert (alert.status, alert.resolution) == ("resolved", "done")


def test_a_record_changed_after_it_was_accepted_waits_again(monthly, cast, places):
    found = _found(cast)
    Pushed.objects.create(kind="found", target_id=found.pk, version=found.updated_at)
    with _later(40):
        services.scan_run()
        assert not Alert.objects.filter(rule=monthly["trackchild-upload"]).exists()
        found.placed_note = "Test: moved to the shelter"
        found.save()
    with _later(75):
        services.scan_run()
        assert Alert.objects.get(rule=monthly["trackchild-upload"]).object_id == places.gaya.pk


def test_the_compliance_figures_count_the_monthly_deadlines(monthly, cast, places):
    residence = _admit(cast)
    with _later(45):
        tc.residence_leave(actor=cast.cci, residence=residence, on=timezone.localdate(), notes="Test: late entry")
        services.compliance_refresh()
        from clts.alerts.models import ComplianceMonth

        rows = ComplianceMonth.objects.filter(rule=monthly["cci-register"], institution=cast.cci_institution)
        assert sum(row.late for row in rows) == 1 and sum(row.on_time for row in rows) == 0


def _month_after(day: date) -> date:
    """The same day of the next month (the last day of that month when it is shorter), as PostgreSQL counts it."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)
