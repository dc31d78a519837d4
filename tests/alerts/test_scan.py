"""The scan: one alert per rule, object and due time however often it runs; resolved when the work is done;
escalated on the right days; every kind of deadline of today's models raises its alert."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from clts.alerts import queries, services
from clts.alerts.models import Alert, AlertStatus, Level, Resolution, ScanRun
from rehabilitation import services as rehab
from rehabilitation.models import Visit
from rescue import services as rescue
from rescue.models import Status, TransferKind
from tests import factories as f
from tests.alerts.conftest import missed_production, set_time

pytestmark = pytest.mark.django_db


def _open(rule):
    return Alert.objects.filter(rule=rule, status=AlertStatus.OPEN)


def test_a_missed_cwc_deadline_raises_one_alert_however_often_the_scan_runs(rules, cast, places):
    case = missed_production(places, cast)
    on_time = missed_production(places, cast, hours_ago=2)  # not yet within the 12-hour reminder window
    services.scan_run()
    services.scan_run()
    alert = Alert.objects.get(rule=rules["cwc-production"])
    assert alert.object_id == case.pk and alert.case == case
    assert alert.district == places.gaya and alert.institution == cast.cwc_institution
    assert alert.due_at == case.rescue.rescued_at + timedelta(hours=24)
    assert alert.level == Level.DISTRICT and alert.status == AlertStatus.OPEN
    assert not Alert.objects.filter(object_id=on_time.pk, rule=rules["cwc-production"]).exists()
    runs = ScanRun.objects.all()
    assert [run.status for run in runs] == ["finished", "finished"]
    assert runs[1].created >= 1 and runs[0].created == 0
    assert runs[0].rules["cwc-production"]["open"] == 1


def test_the_reminder_comes_before_the_deadline(rules, cast, places):
    soon = missed_production(places, cast, hours_ago=13)  # due in 11 hours: inside the 12-hour reminder
    services.scan_run()
    alert = Alert.objects.get(rule=rules["cwc-production"], object_id=soon.pk)
    assert alert.due_at > timezone.now()


def test_completing_the_work_resolves_the_alert(rules, cast, places):
    case = missed_production(places, cast)
    services.scan_run()
    rescue.case_transition(case=case, to=Status.PRODUCED, actor=cast.cwc, reason="Produced", late_reason="Journey")
    run = services.scan_run()
    alert = Alert.objects.get(rule=rules["cwc-production"], object_id=case.pk)
    assert alert.status == AlertStatus.RESOLVED and alert.resolution == Resolution.DONE
    assert run.resolved == 1


def test_a_rule_switched_off_withdraws_its_alerts_and_switched_on_opens_them_again(rules, cast, places):
    missed_production(places, cast)
    rule = rules["cwc-production"]
    services.scan_run()
    rule.is_active = False
    rule.save()
    services.scan_run()
    alert = Alert.objects.get(rule=rule)
    assert alert.status == AlertStatus.RESOLVED and alert.resolution == Resolution.WITHDRAWN
    rule.is_active = True
    rule.save()
    services.scan_run()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN and Alert.objects.filter(rule=rule).count() == 1


def test_production_escalates_to_the_state_after_three_days(rules, cast, places):
    case = missed_production(places, cast, hours_ago=1)
    due = case.rescue.rescued_at + timedelta(hours=24)
    with time_machine.travel(due + timedelta(days=2, hours=23), tick=False):
        services.scan_run()
        alert = Alert.objects.get(rule=rules["cwc-production"])
        assert alert.level == Level.DISTRICT and alert.escalated_at is None
        assert alert in queries.work_list(cast.district) and alert not in queries.work_list(cast.state)
    with time_machine.travel(due + timedelta(days=3, minutes=1), tick=False):
        services.scan_run()
        alert.refresh_from_db()
        assert alert.level == Level.STATE and alert.escalated_at is not None
        # Escalation copies the supervisor: the state has it now, and the district still does.
        assert alert in queries.work_list(cast.state) and alert in queries.work_list(cast.district)


def test_a_visit_goes_to_the_block_then_the_district_then_the_state(rules, cast, places):
    case = f.make_case_at(Status.FOLLOW_UP, cast, places)
    visit = f.make_visit(case, assigned_to=cast.field, due_on=timezone.localdate() + timedelta(days=20))
    due_on = visit.due_on
    midnight = timezone.make_aware(timezone.datetime.combine(due_on + timedelta(days=1), timezone.datetime.min.time()))
    steps = [
        (due_on - timedelta(days=10), None),  # outside the 7-day reminder: nothing yet
        (due_on - timedelta(days=3), Level.OWN),
        (due_on + timedelta(days=1), Level.OWN),  # overdue since midnight, less than a day
        (due_on + timedelta(days=2), Level.BLOCK),
        (due_on + timedelta(days=4), Level.DISTRICT),
        (due_on + timedelta(days=11), Level.STATE),
    ]
    for day, level in steps:
        noon = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())) + timedelta(hours=7)
        with time_machine.travel(noon, tick=False):
            services.scan_run()
            alert = Alert.objects.filter(rule=rules["visit-due"], object_id=visit.pk).first()
            if level is None:
                assert alert is None
                continue
            assert alert.level == level, (day, alert.level)
            assert alert.due_at == midnight
            assert alert in queries.work_list(cast.field)
            assert (alert in queries.work_list(cast.block)) == (level >= Level.BLOCK)
            assert (alert in queries.work_list(cast.district)) == (level >= Level.DISTRICT)
            assert (alert in queries.work_list(cast.state)) == (level >= Level.STATE)


def test_an_unassigned_visit_starts_with_the_block_officer(rules, cast, places):
    case = f.make_case_at(Status.FOLLOW_UP, cast, places)
    visit = f.make_visit(case, assigned_to=None, due_on=timezone.localdate())
    services.scan_run()
    alert = Alert.objects.get(rule=rules["visit-due"], object_id=visit.pk)
    assert alert.level == Level.BLOCK and alert.assignee is None
    assert alert in queries.work_list(cast.block)
    Visit.objects.filter(pk=visit.pk).update(assigned_to=cast.field)
    services.scan_run()
    alert.refresh_from_db()
    # The copy follows the record: now the field worker's; the level stays where the rule puts it.
    assert alert.assignee == cast.field and alert in queries.work_list(cast.field)


def test_every_kind_of_deadline_raises_its_alert(rules, cast, places):
    for code in ("transfer-acknowledgement", "repatriation-handover", "visit-decision", "household-recorded"):
        set_time(rules[code], 2)
    set_time(rules["linkage-application"], 5)
    long_ago = timezone.now() - timedelta(days=40)
    # A transfer to Gaya not acknowledged, and a repatriation not completed.
    moved = f.make_case_at(Status.IN_SHELTER, cast, places, district=places.patna, home_district=places.gaya)
    transfer = f.make_transfer(moved, initiated_at=long_ago)
    inbound = f.make_case_at(Status.PRODUCED, cast, places, district=None, block=None)
    repatriation = f.make_transfer(
        inbound, kind=TransferKind.REPATRIATION, from_state=places.rajasthan, from_district=None, initiated_at=long_ago
    )
    # A package component past its due date, a visit overdue, a visit awaiting the decision.
    restored = f.make_case_at(Status.REHABILITATION, cast, places)
    package = f.make_package(restored, components=[{"due_on": timezone.localdate() - timedelta(days=5)}])
    component = package.components.get()
    visit = f.make_visit(restored, assigned_to=cast.field, due_on=timezone.localdate() - timedelta(days=3))
    worrying = f.make_visit(restored, assigned_to=cast.field, due_on=timezone.localdate() - timedelta(days=30))
    rehab.visit_record(
        visit=worrying,
        visited_on=timezone.localdate() - timedelta(days=5),
        actor=cast.field,
        **f.NOT_FOUND_VISIT,
    )
    Visit.objects.filter(pk=worrying.pk).update(recorded_at=long_ago)
    # A restored child with no household (the case above has none), and scheme linkages stuck.
    linked = f.make_case_at(Status.FOLLOW_UP, cast, places)
    f.make_household(linked, block=places.bodh_gaya)
    scheme = f.make_scheme(service_days=30)
    identified = f.make_linkage(linked, scheme, identified_at=long_ago)
    applied = f.make_linkage(
        linked,
        f.make_scheme(service_days=30),
        status="applied",
        applied_on=timezone.localdate() - timedelta(days=40),
        due_on=timezone.localdate() - timedelta(days=10),
    )
    services.scan_run()
    expected = {
        "transfer-acknowledgement": (transfer.pk, places.gaya, "acknowledge"),
        "repatriation-handover": (repatriation.pk, places.gaya, "step"),
        "component-due": (component.pk, places.gaya, "sanction"),
        "visit-due": (visit.pk, places.gaya, "record"),
        "visit-decision": (worrying.pk, places.gaya, "decide"),
        "household-recorded": (restored.pk, places.gaya, "household"),
        "linkage-application": (identified.pk, places.gaya, "documents"),
        "linkage-service-time": (applied.pk, places.gaya, "sanction"),
    }
    for code, (object_id, district, action) in expected.items():
        alert = _open(rules[code]).get(object_id=object_id)
        assert (alert.district, alert.action) == (district, action), code
    # The linkage of the household of the case with a household: no household alert for it.
    assert not _open(rules["household-recorded"]).filter(object_id=linked.pk).exists()


def test_the_scan_waits_for_one_already_running(rules, cast, places, django_db_blocker):
    missed_production(places, cast)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [services.scan.SCAN_LOCK])
        assert cursor.fetchone()[0]
        cursor.execute("SELECT pg_advisory_unlock(%s)", [services.scan.SCAN_LOCK])
    run = services.scan_run()
    assert run.status == "finished"
