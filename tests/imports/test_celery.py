"""With a real Celery worker: a large register is checked and imported in the background while the page follows its
progress; a worker killed with SIGKILL in the middle of the commit leaves no row written, and the task delivered
again imports every row once."""

import io
import os
import signal

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from clts.accounts.roles import Role
from clts.geo.models import District
from clts.imports import services
from clts.imports.choices import Kind, Status
from clts.imports.models import ImportJob
from rescue.models import Case, CaseEvent, CaseNumberCounter, Child, RescueOperation
from tests import factories as f
from tests.alerts.test_celery import _children
from tests.imports.registers import register
from tests.workers import celery_worker, database_url, wait

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery]

ROWS = 6000


@pytest.fixture
def worker():
    """One prefork worker process on the test database: the import's task runs in it."""
    yield from run_worker()


def run_worker(background_rows: int = 2000):
    # The worker checks a register of 3,000 rows or more in two parts, each in a process forked from its own.
    env = {
        "IMPORT_BACKGROUND_ROWS": str(background_rows),
        "IMPORT_PARALLEL_ROWS": "3000",
        "IMPORT_CHECK_PROCESSES": "2",
    }
    yield from celery_worker("imports-test", env=env)


@pytest.fixture
def admin_in_gaya(settings):
    settings.IMPORT_BACKGROUND_ROWS = 2000
    call_command("load_lgd", verbosity=0, stdout=io.StringIO())
    home = f.make_home_state()
    gaya = District.objects.get(state=home, name_en="Gaya")
    f.make_institution(kind="cwc", name="CWC Gaya", district=gaya)
    return f.make_user(Role.ADMIN, username="import-admin", is_staff=True, is_superuser=True), gaya


def _status(job) -> str:
    return ImportJob.objects.get(pk=job.pk).status


def _commit_waits_on_the_counter() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND query ILIKE '%%rescue_casenumbercounter%%FOR UPDATE%%'"
        )
        return cursor.fetchone()[0] > 0


def test_a_worker_killed_during_the_commit_leaves_nothing_then_the_retry_imports_every_row_once(admin_in_gaya, worker):
    admin, gaya = admin_in_gaya
    data = register(ROWS)
    job = services.import_job_upload(
        actor=admin, kind=Kind.RESCUE, district=gaya, file=SimpleUploadedFile("register.csv", data.csv_bytes())
    )
    job = services.import_job_start(job=job, actor=admin, commit=False)
    assert job.status == Status.PREVIEWING  # in the background: the page polls the progress
    assert wait(lambda: _status(job) == Status.PREVIEWED, timeout=300), "the preview did not finish"
    job.refresh_from_db()
    assert (job.new_count, job.invalid_count) == (ROWS, 0), job.errors[:3]

    # Another session holds Gaya's case-number counters: the commit writes the
    # first rows' operations and children, then waits there, provably in the middle of its transaction.
    CaseNumberCounter.objects.bulk_create([CaseNumberCounter(district=gaya, year=year) for year in range(2015, 2026)])
    blocker = psycopg2.connect(database_url().replace("postgres://", "postgresql://"))
    try:
        blocker.cursor().execute("SELECT * FROM rescue_casenumbercounter WHERE district_id = %s FOR UPDATE", [gaya.pk])
        services.import_job_start(job=job, actor=admin, commit=True)
        assert wait(_commit_waits_on_the_counter, timeout=300), "the commit did not reach the case numbers"
        assert ImportJob.objects.get(pk=job.pk).rows_done >= ROWS // 2  # checked, and writing
        assert not Child.objects.exists()  # what it wrote is not committed
        for child in _children(worker.pid):
            os.kill(child, signal.SIGKILL)
    finally:
        blocker.rollback()
        blocker.close()
    # The killed transaction is rolled back; the task, acknowledged late and rejected when its worker was lost,
    # comes back and imports the file whole.
    assert wait(lambda: _status(job) == Status.COMMITTED, timeout=600), _status(job)
    assert Case.objects.count() == ROWS == Child.objects.count() == RescueOperation.objects.count()
    assert Case.objects.values("case_number").distinct().count() == ROWS
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.REGISTERED).count() == ROWS
