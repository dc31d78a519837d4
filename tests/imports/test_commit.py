"""The commit of a checked register: the preview's checked rows are written when nothing the check read has
changed since, the file is checked again when something has, and neither makes a query per row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clts.imports import services
from clts.imports.choices import Kind, Status
from clts.imports.models import ImportFile
from clts.orgs.models import Institution
from rescue.models import Case, Child
from tests import factories as f
from tests.imports.registers import Register, register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_the_request(settings):
    settings.IMPORT_BACKGROUND_ROWS = 1_000_000  # the Celery path has its own test (test_celery)


def _checked(admin, data: Register, district=None):
    job = services.import_job_upload(
        actor=admin, kind=Kind.RESCUE, district=district, file=SimpleUploadedFile("register.csv", data.csv_bytes())
    )
    job = services.import_job_start(job=job, actor=admin, commit=False)
    assert job.status == Status.PREVIEWED and job.invalid_count == 0, job.errors[:3]
    return job


def _queries(action) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        result = action()
    return result, [query["sql"] for query in captured.captured_queries]


def test_a_register_checked_by_two_imports_is_written_once_when_the_first_commits_in_between(admin_user):
    """Two admins check overlapping registers; the second commit finds the first one's children (checked again)."""
    first, overlapping = register(30), register(50)  # the same thirty, and twenty more
    one = _checked(admin_user, first)
    other = _checked(admin_user, overlapping)
    assert (other.new_count, other.duplicate_count) == (50, 0)
    assert services.import_job_start(job=one, actor=admin_user, commit=True).status == Status.COMMITTED
    other = services.import_job_start(job=other, actor=admin_user, commit=True)
    assert other.status == Status.COMMITTED, other.message
    assert (other.new_count, other.duplicate_count) == (20, 30)
    assert Case.objects.count() == Child.objects.count() == 50


def test_rows_that_became_invalid_since_the_check_are_found_at_the_commit(admin_user, gaya):
    """The CWC the rows were produced before is closed after the preview: the commit checks again and writes nothing."""
    job = _checked(admin_user, register(20))
    Institution.objects.filter(kind=Institution.Kind.CWC, district=gaya).update(is_active=False)
    job = services.import_job_start(job=job, actor=admin_user, commit=True)
    assert job.status == Status.PREVIEWED and job.invalid_count == 20
    assert "since the check" in job.message
    assert not Case.objects.exists()


def test_checked_rows_that_do_not_bear_this_servers_signature_are_not_written(admin_user):
    job = _checked(admin_user, register(20))
    blob = bytearray(ImportFile.objects.get(job=job).checked)
    blob[-1] ^= 1
    ImportFile.objects.filter(job=job).update(checked=bytes(blob))
    job = services.import_job_start(job=job, actor=admin_user, commit=True)
    assert job.status == Status.COMMITTED and Case.objects.count() == 20  # checked again, then written
    assert ImportFile.objects.get(job=job).checked is None


def test_the_check_and_the_commit_make_no_query_per_row(admin_user, bihar):
    """Queries are counted for a register of 100 rows and one of 1,100 in the same districts and years: the
    thousand rows more may add a few queries (a batch), never one per row or per ten rows."""
    from clts.geo.models import District

    def counts(size: int, seed: int, district_name: str) -> dict[str, int]:
        district = District.objects.get(state=bihar, name_en=district_name)
        if not Institution.objects.filter(kind=Institution.Kind.CWC, district=district).exists():
            f.make_institution(kind="cwc", name=f"CWC {district_name}", district=district)
        data = register(size, seed=seed)
        for row in data.rows:
            row[9], row[10] = district_name, ""  # the district of rescue, no block
        upload = services.import_job_upload(
            actor=admin_user, kind=Kind.RESCUE, district=None, file=SimpleUploadedFile("r.csv", data.csv_bytes())
        )
        job, check = _queries(lambda: services.import_job_start(job=upload, actor=admin_user, commit=False))
        assert job.invalid_count == 0, job.errors[:3]
        job, commit = _queries(lambda: services.import_job_start(job=job, actor=admin_user, commit=True))
        assert job.status == Status.COMMITTED, job.message
        return {"check": len(check), "commit": len(commit), "keys read at commit": _lookups(commit)}

    def _lookups(sql: list[str]) -> int:
        return sum("childmatchkey" in query for query in sql)

    small = counts(100, seed=1, district_name="Nalanda")
    large = counts(1100, seed=2, district_name="Patna")
    assert large["check"] - small["check"] <= 10, (small, large)
    assert large["commit"] - small["commit"] <= 10, (small, large)
    # Nothing changed between the check and the commit: the checked rows are written, not checked again.
    assert small["keys read at commit"] == large["keys read at commit"] == 0

    # Another registration in between: the commit checks the file again, still without a query per row.
    def recheck(size: int, seed: int, district_name: str) -> int:
        data = register(size, seed=seed)
        for row in data.rows:
            row[9], row[10] = district_name, ""  # the district of rescue, no block
        upload = services.import_job_upload(
            actor=admin_user, kind=Kind.RESCUE, district=None, file=SimpleUploadedFile("r.csv", data.csv_bytes())
        )
        job = services.import_job_start(job=upload, actor=admin_user, commit=False)
        Child.objects.filter(pk=Child.objects.order_by("pk").first().pk).update(alias=f"Also called {seed}")  # audited
        job, commit = _queries(lambda: services.import_job_start(job=job, actor=admin_user, commit=True))
        assert job.status == Status.COMMITTED, job.message
        assert _lookups(commit) > 0, "the file was not checked again"
        return len(commit)

    assert recheck(1100, seed=4, district_name="Patna") - recheck(100, seed=3, district_name="Nalanda") <= 10
