"""With a real Celery worker and Redis: two daily runs at once raise one alert and send one digest line; a worker
killed with SIGKILL in the middle of the scan is restarted and finishes it, with no duplicate and no lost alert;
escalation follows the days overdue when the scan runs as of later days."""

import os
import signal
from datetime import timedelta
from pathlib import Path

import psycopg2
import pytest
from django.utils import timezone

from clts.accounts.models import User
from clts.alerts import tasks
from clts.alerts.models import Alert, AlertStatus, DigestSent, Level, ScanRun
from rescue.models import Status
from tests import factories as f
from tests.alerts.conftest import missed_production
from tests.workers import celery_worker, database_url, wait

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery]


@pytest.fixture
def mail_dir(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def worker(mail_dir):
    """A prefork worker with two processes on the test database and the tests' Redis db; mail goes to files."""
    env = {"EMAIL_URL": f"filemail:///{mail_dir}", "SITE_URL": "https://clts.example.org"}  # environ drops a slash
    yield from celery_worker("alerts-test", concurrency=2, env=env)


def _messages_to(mail_dir: Path, address: str) -> list[str]:
    messages = []
    for path in mail_dir.iterdir():
        for message in path.read_text().split("-" * 79):
            if f"To: {address}" in message:
                messages.append(message)
    return messages


@pytest.fixture
def officer(cast):
    User.objects.filter(pk=cast.district.pk).update(email="district@example.org", phone="", language="en")
    cast.district.refresh_from_db()
    return cast.district


def test_two_daily_runs_at_once_raise_one_alert_and_send_one_digest_line(
    rules, cast, places, officer, worker, mail_dir
):
    case = missed_production(places, cast)
    results = [tasks.daily.delay(), tasks.daily.delay()]
    for result in results:
        result.get(timeout=120)
    assert Alert.objects.filter(rule=rules["cwc-production"]).count() == 1
    assert ScanRun.objects.filter(trigger="daily", status="finished").count() == 2
    digest = DigestSent.objects.get(user=officer)
    assert len(digest.alert_ids) == 1 and digest.emailed
    messages = _messages_to(mail_dir, officer.email)
    assert len(messages) == 1
    lines = [line for line in messages[0].splitlines() if line.startswith("- ")]
    assert len(lines) == 1 and case.case_number in lines[0]
    assert case.child.name not in messages[0]


def _children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def test_a_worker_killed_during_the_scan_is_restarted_and_finishes_without_duplicates(rules, cast, places, worker):
    produced_late = [missed_production(places, cast, hours_ago=30 + n) for n in range(20)]
    restored = f.make_case_at(Status.REHABILITATION, cast, places)
    package = f.make_package(restored, components=[{"due_on": timezone.localdate() - timedelta(days=4)}])
    component = package.components.get()
    due_at = timezone.make_aware(
        timezone.datetime.combine(component.due_on + timedelta(days=1), timezone.datetime.min.time())
    )
    rule = rules["component-due"]
    # Another session holds, uncommitted, the very alert the scan will write for the component rule: the scan
    # commits the rules before it, then waits on that row, provably in the middle.
    blocker = psycopg2.connect(database_url().replace("postgres://", "postgresql://"))
    try:
        blocker.cursor().execute(
            "INSERT INTO alerts_alert (rule_id, object_type, object_id, due_at, responsible_role, start_level, level, "
            "action, status, resolution, created_at, acknowledgement_note) "
            "VALUES (%s, 'component', %s, %s, 'district', 2, 2, '', 'open', '', now(), '')",
            [rule.pk, component.pk, due_at],
        )
        tasks.scan.delay()
        assert wait(lambda: "cwc-production" in _running_rules()), "the scan did not reach the component rule"
        assert Alert.objects.filter(rule=rules["cwc-production"], status=AlertStatus.OPEN).count() == 20
        assert "component-due" not in _running_rules()
        # SIGKILL the pool's processes: the one in the middle of the scan (and its idle sibling).
        for child in _children(worker.pid):
            os.kill(child, signal.SIGKILL)
    finally:
        blocker.rollback()
        blocker.close()
    # The pool starts a new process; the task, acknowledged late and rejected when its worker was lost, comes back.
    assert wait(lambda: ScanRun.objects.filter(status="finished").exists(), timeout=90), "the scan did not re-run"
    runs = {run.status for run in ScanRun.objects.all()}
    assert runs == {"finished", "interrupted"}, runs
    assert Alert.objects.filter(rule=rule, object_id=component.pk).count() == 1
    production = Alert.objects.filter(rule=rules["cwc-production"])
    assert sorted(production.values_list("object_id", flat=True)) == sorted(case.pk for case in produced_late)


def _running_rules() -> dict:
    return ScanRun.objects.filter(status="running").values_list("rules", flat=True).first() or {}


def test_escalation_reaches_the_district_then_the_state_on_the_right_days(rules, cast, places, worker):
    case = f.make_case_at(Status.FOLLOW_UP, cast, places)
    visit = f.make_visit(case, assigned_to=cast.field, due_on=timezone.localdate() - timedelta(days=1))
    due_at = timezone.make_aware(
        timezone.datetime.combine(visit.due_on + timedelta(days=1), timezone.datetime.min.time())
    )
    expected = [
        (timedelta(hours=7), Level.OWN),
        (timedelta(days=2, hours=7), Level.BLOCK),
        (timedelta(days=2, hours=23), Level.BLOCK),
        (timedelta(days=3, hours=7), Level.DISTRICT),
        (timedelta(days=9, hours=23), Level.DISTRICT),
        (timedelta(days=10, hours=7), Level.STATE),
    ]
    for after, level in expected:
        tasks.scan.delay(as_of=(due_at + after).isoformat()).get(timeout=60)
        alert = Alert.objects.get(rule=rules["visit-due"], object_id=visit.pk)
        assert alert.level == level, (after, alert.level)
