"""Registers of children in child care institutions: each row admitted through trackchild_sync's residence_admit
(the CWC order required, one home at a time, the home's capacity and the children it takes)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clts.imports import services
from clts.imports.choices import Kind, Status
from tests import factories as f
from trackchild_sync.models import Residence

pytestmark = pytest.mark.django_db

HEADERS = ["Name of CCI", "CWC", "Order No", "Order Date", "Date of Admission", "Name of Child", "लिंग", "Age"]


def _run(admin, rows, *, commit=True):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    job = services.import_job_upload(
        actor=admin, kind=Kind.RESIDENT, district=None, file=SimpleUploadedFile("cci.csv", out.getvalue().encode())
    )
    job = services.import_job_start(job=job, actor=admin, commit=False)
    if commit and not job.invalid_count:
        job = services.import_job_start(job=job, actor=admin, commit=True)
    return job


def test_a_cci_register_is_admitted_under_the_register_rules(cast, places):
    home = f.make_institution(kind="cci", name="Boys Home Gaya", district=places.gaya, capacity=2, sexes_taken="m")
    rows = [
        ["Boys Home Gaya", "CWC Gaya", "12/2024", "01-02-2024", "02-02-2024", "Test Boy One", "M", "12"],
        ["Boys Home Gaya", "CWC Gaya", "13/2024", "05-02-2024", "03-02-2024", "Test Boy Two", "पुरुष", "11"],
        ["Boys Home Gaya", "CWC Gaya", "14/2024", "05-02-2024", "06-02-2024", "Test Girl", "F", "10"],
        ["Home of Nowhere", "CWC Gaya", "15/2024", "05-02-2024", "06-02-2024", "Test Boy Three", "M", "9"],
    ]
    job = _run(cast.admin, rows)
    assert job.status == Status.PREVIEWED and job.invalid_count == 3
    errors = {(error["line"], error["column"]) for error in job.errors}
    assert (3, "Order Date") in errors  # the order is dated after the admission
    assert (4, "Name of CCI") in errors  # the home takes boys
    assert (5, "Name of CCI") in errors  # no such home
    assert not Residence.objects.exists()
    job = _run(cast.admin, [rows[0], rows[1][:3] + ["01-02-2024"] + rows[1][4:]])
    assert job.status == Status.COMMITTED and job.new_count == 2
    assert Residence.objects.filter(institution=home, left_on__isnull=True).count() == 2
    # The same children again are already in the register; a third boy finds the home full.
    again = [rows[0], ["Boys Home Gaya", "CWC Gaya", "16/2024", "05-02-2024", "06-02-2024", "Test Boy Four", "M", "9"]]
    job = _run(cast.admin, again)
    assert job.duplicate_count == 1 and job.invalid_count == 1 and "full" in job.errors[0]["message"]
