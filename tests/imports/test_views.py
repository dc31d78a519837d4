"""The import pages: upload under the policy, the mapping page and its template, the progress endpoint, the
download of the rows to correct."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from clts.imports.choices import Kind, Status
from clts.imports.models import ImportJob, MappingTemplate
from rescue.models import Case
from tests.imports.registers import HEADERS, Register, register

pytestmark = pytest.mark.django_db


def _post_upload(client, data: bytes, name="register.csv", district=None):
    payload = {"kind": Kind.RESCUE, "file": SimpleUploadedFile(name, data)}
    if district is not None:
        payload["district"] = district.pk
    return client.post(reverse("imports:job-upload"), payload)


def _macro_workbook() -> bytes:
    plain = register(2).xlsx_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00" * 64)
    return out.getvalue()


@pytest.mark.parametrize(
    "data, name, message",
    [
        (lambda: _macro_workbook(), "register.xlsx", "macros"),
        (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "register.xls", "old Excel"),
        (lambda: b"%PDF-1.4 not a register", "register.csv", "neither"),
        (lambda: b"\x89PNG\r\n\x1a\n\x00\x00", "register.csv", "neither"),
    ],
)
def test_files_that_are_not_plain_registers_are_refused_by_content(login, admin_user, data, name, message):
    response = _post_upload(login(admin_user), data(), name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_over_the_limit_is_refused(login, admin_user, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = _post_upload(login(admin_user), register(50).csv_bytes())
    assert response.status_code == 400 and "larger than" in response.content.decode()


def test_the_same_file_again_links_to_the_earlier_import(login, admin_user):
    client = login(admin_user)
    data = register(3).csv_bytes()
    first = _post_upload(client, data)
    job = ImportJob.objects.get()
    assert first.status_code == 302 and first.url == reverse("imports:job-mapping", kwargs={"pk": job.pk})
    again = _post_upload(client, data, name="another-name.csv")
    assert again.status_code == 400
    assert reverse("imports:job-detail", kwargs={"pk": job.pk}) in again.content.decode()


def test_the_admin_corrects_the_mapping_and_it_is_kept_for_the_district(login, admin_user, gaya):
    client = login(admin_user)
    # The district's own layout: Hindi headers, and a father's name column the matcher does not know.
    rows = register(4).rows
    headers = list(HEADERS)
    headers[1], headers[2] = "बच्चे का नाम", "Baap ka naam"
    layout = Register(rows)
    content = layout.csv_bytes().replace(",".join(HEADERS).encode(), ",".join(headers).encode())
    _post_upload(client, content, district=gaya)
    job = ImportJob.objects.get()
    assert job.mapping["name"] == 1 and "father_name" not in job.mapping
    page = client.get(reverse("imports:job-mapping", kwargs={"pk": job.pk}))
    assert page.status_code == 200 and "Baap ka naam" in page.content.decode()
    fields = {f"field_{name}": str(index) for name, index in job.mapping.items()}
    fields |= {"field_father_name": "2", "save_template": "on"}
    response = client.post(reverse("imports:job-mapping", kwargs={"pk": job.pk}), fields)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.mapping["father_name"] == 2 and job.status == Status.PREVIEWED and job.invalid_count == 0
    assert MappingTemplate.objects.get(district=gaya, kind=Kind.RESCUE).columns["baap ka naam"] == "father_name"
    # The next file from Gaya, with its columns in another order, is mapped by the template.
    other = Register(register(6, seed=5).rows)
    content = other.csv_bytes().replace(",".join(HEADERS).encode(), ",".join(headers).encode())
    _post_upload(client, content, district=gaya)
    assert ImportJob.objects.exclude(pk=job.pk).get().mapping["father_name"] == 2


def test_two_fields_from_one_column_are_refused(login, admin_user):
    client = login(admin_user)
    _post_upload(client, register(3).csv_bytes())
    job = ImportJob.objects.get()
    fields = {f"field_{name}": str(index) for name, index in job.mapping.items()} | {"field_alias": "1"}
    response = client.post(reverse("imports:job-mapping", kwargs={"pk": job.pk}), fields)
    assert response.status_code == 400 and "two fields" in response.content.decode()


def test_preview_commit_progress_and_the_rows_to_correct(login, admin_user):
    client = login(admin_user)
    rows = register(8).rows
    rows[2][5] = "about ten"  # age
    rows[5][3 + 1] = "X"  # sex
    _post_upload(client, Register(rows).csv_bytes())
    job = ImportJob.objects.get()
    client.post(reverse("imports:job-preview", kwargs={"pk": job.pk}))
    page = client.get(reverse("imports:job-detail", kwargs={"pk": job.pk})).content.decode()
    assert 'id="count-invalid">2<' in page and "about ten" not in page
    download = client.get(reverse("imports:job-bad-rows", kwargs={"pk": job.pk}))
    assert download["Content-Disposition"] == f'attachment; filename="import-{job.pk}-rows-to-correct.xlsx"'
    sheet = load_workbook(io.BytesIO(download.content)).active
    lines = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert lines == [Register.FIRST_LINE + 2, Register.FIRST_LINE + 5]
    refused = client.post(reverse("imports:job-commit", kwargs={"pk": job.pk}))
    assert refused.status_code == 302 and not Case.objects.exists()
    progress = client.get(reverse("imports:job-progress", kwargs={"pk": job.pk})).json()
    assert progress["status"] == Status.PREVIEWED and progress["rows_total"] == 8 and not progress["working"]


def test_other_roles_are_refused(login, cast):
    assert login(cast.district).get(reverse("imports:job-list")).status_code == 403
