"""Registers of scheme linkages: each row through the schemes services step by step, errors at their column,
a benefit already followed moved on (updated) or left alone (already in CLTS)."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clts.imports import services
from clts.imports.choices import Kind, Status
from schemes.choices import LinkageStatus
from schemes.models import Linkage
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADERS = ["Case No.", "योजना का नाम", "Date of Application", "Application No", "Sanction Date", "Order Number",
           "Amount", "Date of Receipt", "Verified by"]  # fmt: skip


def _file(rows) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return SimpleUploadedFile("linkages.csv", out.getvalue().encode())


def _run(admin, rows, *, commit=True):
    job = services.import_job_upload(actor=admin, kind=Kind.LINKAGE, district=None, file=_file(rows))
    job = services.import_job_start(job=job, actor=admin, commit=False)
    if commit and not job.invalid_count:
        job = services.import_job_start(job=job, actor=admin, commit=True)
    return job


@pytest.fixture
def world(cast, places):
    f.make_home_state()
    scheme = f.make_scheme(code="sponsorship", name_en="Sponsorship", name_hi="प्रायोजन योजना")
    cases = []
    for _n in range(3):
        case = f.make_case(district=places.gaya, home_district=places.gaya)
        f.make_household(case, resident_in_state=True)
        cases.append(case)
    return cases, scheme


def test_a_linkage_register_goes_through_the_services_all_or_nothing(cast, world):
    (first, second, third), scheme = world
    rows = [
        [first.case_number, "प्रायोजन योजना", "02-01-2025", "APP-1", "10-02-2025", "ORD-1", "4000", "01-03-2025",
         "Home visit"],
        [second.case_number, "sponsorship", "", "", "", "", "", "", ""],
        ["BR-XXX-2020-000001", "Sponsorship", "", "", "", "", "", "", ""],
        [third.case_number, "Sponsorship", "02-01-2025", "APP-3", "10-02-2025", "ORD-3", "", "01-01-2025",
         "document"],
        [second.case_number, "Sponsorship", "", "", "", "", "", "", ""],
    ]  # fmt: skip
    job = _run(cast.admin, rows)
    assert job.status == Status.PREVIEWED and job.invalid_count == 3
    errors = {(error["line"], error["column"]) for error in job.errors}
    assert (4, "Case No.") in errors  # no such case
    assert (5, "Date of Receipt") in errors  # received before the sanction: the service's own rule
    assert (6, "Case No.") in errors  # the same benefit twice in the file
    assert not Linkage.objects.exists()  # the dry run left nothing

    job = _run(cast.admin, rows[:2])
    assert job.status == Status.COMMITTED and job.new_count == 2
    linkage = Linkage.objects.get(case=first)
    assert linkage.status == LinkageStatus.RECEIVED and linkage.received_on == date(2025, 3, 1)
    assert linkage.events.count() == 5  # identified, documents complete, applied, sanctioned, received
    assert Linkage.objects.get(case=second).status == LinkageStatus.IDENTIFIED

    # A later register: the second child's application is new (updated), the first child's is not (in CLTS).
    later = [rows[0], [second.case_number, "Sponsorship", "05-04-2025", "APP-2", "", "", "", "", ""]]
    job = _run(cast.admin, later)
    assert (job.updated_count, job.duplicate_count, job.new_count) == (1, 1, 0)
    assert Linkage.objects.get(case=second).status == LinkageStatus.APPLIED
