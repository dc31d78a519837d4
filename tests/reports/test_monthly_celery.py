"""With a real Celery worker and Redis: the monthly job run twice at once leaves one ready report per scope, month
and language; a worker killed with SIGKILL while building leaves a row "being built" that the next run finishes."""

import os
import signal
import time
from pathlib import Path

import pytest
from django.core.cache import cache

from clts.reports import monthly, tasks
from clts.reports.models import JobStatus, ReportFile
from clts.reports.services import facts_refresh
from tests import factories as f
from tests.alerts.test_celery import mail_dir, worker  # noqa: F401 (fixtures)
from tests.workers import wait as _wait

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery]


@pytest.fixture
def media(tmp_path, monkeypatch, settings):
    """The worker's media directory is the test's (the worker reads MEDIA_ROOT from its environment)."""
    root = tmp_path / "media"
    monkeypatch.setenv("MEDIA_ROOT", str(root))
    settings.MEDIA_ROOT = str(root)
    cache.clear()
    return root


@pytest.fixture
def cases(places):
    f.make_home_state()
    for district in (places.gaya, places.patna):
        for _ in range(6):
            f.make_case(district=district)
    facts_refresh()


def _all_ready(expected: int) -> bool:
    return ReportFile.objects.filter(status=JobStatus.READY).count() == expected


def test_the_monthly_job_twice_at_once_leaves_one_report_each(media, cases, worker):  # noqa: F811
    month = monthly.previous_month()
    first, second = tasks.monthly_reports.delay(), tasks.monthly_reports.delay()
    expected = first.get(timeout=120)
    assert second.get(timeout=120) == expected
    assert _wait(lambda: _all_ready(expected), timeout=240), list(ReportFile.objects.values("status", "progress"))
    assert ReportFile.objects.count() == expected and ReportFile.objects.filter(month=month).count() == expected
    files = sorted(p.name for p in Path(media, "reports", "monthly").iterdir())
    assert len(files) == expected and all(name.endswith(".pdf") for name in files)


def test_a_worker_killed_while_building_leaves_a_row_the_next_run_finishes(media, cases, worker):  # noqa: F811
    report = monthly.report_file_ensure(district=None, month=monthly.previous_month(), language="hi")
    tasks.monthly_report_build.delay(report.pk)
    assert _wait(lambda: ReportFile.objects.get(pk=report.pk).status == JobStatus.BUILDING, timeout=60)
    for child in _worker_children(worker.pid):
        os.kill(child, signal.SIGKILL)
    time.sleep(1)
    # Killed half way: the row is not ready and no file is marked as its own. The job runs again.
    assert ReportFile.objects.get(pk=report.pk).status != JobStatus.READY or ReportFile.objects.get(pk=report.pk).file
    # The broker gives the killed task back (acks late, rejected on a lost worker) and the job runs once more;
    # whichever gets the row's lock first builds it, the other leaves.
    tasks.monthly_report_build.delay(report.pk)
    assert _wait(lambda: _all_ready(1), timeout=180)
    report.refresh_from_db()
    assert report.status == JobStatus.READY and report.file and ReportFile.objects.count() == 1


def _worker_children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in children.read_text().split()] if children.exists() else []
