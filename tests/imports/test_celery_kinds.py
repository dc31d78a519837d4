"""With a real Celery worker: a found-children register checked and imported in the background, and each child
imported then scored by the matching engine against the open missing-child reports, as a typed record is."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clts.imports import services
from clts.imports.choices import Kind, Status
from tests import factories as f
from tests.imports.test_celery import run_worker
from tests.imports.test_missing_found import FOUND_HEADERS, _found_rows
from tests.workers import wait as _wait
from trackchild_sync.models import FoundChild, MatchPair
from trackchild_sync.services import missing_report

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery]


@pytest.fixture
def worker():
    yield from run_worker(background_rows=1)


def test_a_found_register_imports_in_the_background_and_meets_the_missing_reports(cast, places, settings, worker):
    settings.IMPORT_BACKGROUND_ROWS = 1
    f.make_home_state()
    station = f.make_institution(kind="police", name="Kotwali", district=places.gaya)
    report = missing_report(
        actor=cast.admin, station=station, fir_number="55/2024", reported_on=date(2024, 4, 30),
        last_seen_on=date(2024, 4, 28), last_seen_place="Gaya railway station", name="Test Found One", sex="m",
        age_years=11, identifying_marks="mole on the left cheek", guardian_name="Test Guardian One",
    )  # fmt: skip
    content = "\n".join(",".join(f'"{cell}"' for cell in row) for row in [FOUND_HEADERS, *_found_rows()])
    file = SimpleUploadedFile("found.csv", content.encode())
    job = services.import_job_upload(actor=cast.admin, kind=Kind.FOUND, district=None, file=file)
    job = services.import_job_start(job=job, actor=cast.admin, commit=False)
    assert job.status == Status.PREVIEWING  # in the background
    assert _wait(lambda: _refreshed(job).status == Status.PREVIEWED, timeout=120), _refreshed(job).message
    assert (_refreshed(job).new_count, _refreshed(job).invalid_count) == (2, 0)
    services.import_job_start(job=_refreshed(job), actor=cast.admin, commit=True)
    assert _wait(lambda: _refreshed(job).status == Status.COMMITTED, timeout=120), _refreshed(job).message
    assert FoundChild.objects.count() == 2
    # The worker then ran each new record's matching: the boy found at Gaya meets the report of him.
    found = FoundChild.objects.get(name="Test Found One")
    assert _wait(lambda: MatchPair.objects.filter(missing=report, found=found).exists(), timeout=120)


def _refreshed(job):
    job.refresh_from_db()
    return job
