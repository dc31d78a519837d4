"""Upload, mapping, preview and commit of a small register, through the services (the pages are in test_views)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from clts.imports import services
from clts.imports.choices import Kind, Status
from rescue.models import Case, CaseEvent, Child
from rescue.models import Status as CaseStatus
from tests.imports.registers import register


def upload(admin, data: bytes, name="register.csv", district=None):
    return services.import_job_upload(
        actor=admin, kind=Kind.RESCUE, district=district, file=SimpleUploadedFile(name, data)
    )


@pytest.mark.django_db
def test_a_small_register_is_mapped_checked_and_imported(admin_user):
    job = upload(admin_user, register(30).csv_bytes())
    assert job.status == Status.UPLOADED and job.rows_total == 30
    assert {"name", "father_name", "sex", "age_years", "rescued_on", "district", "industry"} <= set(job.mapping)
    job = services.import_job_start(job=job, actor=admin_user, commit=False)
    assert job.status == Status.PREVIEWED, job.message
    assert (job.new_count, job.invalid_count, job.duplicate_count) == (30, 0, 0), job.errors
    assert not Child.objects.exists()
    job = services.import_job_start(job=job, actor=admin_user, commit=True)
    assert job.status == Status.COMMITTED, job.message
    cases = Case.objects.all()
    assert cases.count() == 30
    assert all(case.case_number.startswith("BR-GAY-") for case in cases)
    assert set(cases.values_list("status", flat=True)) == {CaseStatus.PRODUCED}
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.REGISTERED).count() == 30


@pytest.mark.django_db
def test_the_same_file_again_is_refused_with_the_earlier_import(admin_user):
    data = register(5).csv_bytes()
    first = upload(admin_user, data)
    with pytest.raises(ValidationError) as refused:
        upload(admin_user, data, name="renamed.csv")
    assert refused.value.code == "same_file" and refused.value.params["job"] == first.pk
    services.import_job_discard(job=first, actor=admin_user)
    assert upload(admin_user, data).pk != first.pk
