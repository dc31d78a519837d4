"""The acceptance of issue 16 on a register of 10,000 children: fifty bad rows of ten kinds are each reported at their
line and column and nothing is written; the corrected file imports fully, audited; uploading it again is refused."""

import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from clts.imports import badrows, queries, services
from clts.imports.choices import Kind, Status
from rescue.models import Case, CaseEvent, Child, RescueOperation, Transfer
from tests.imports.registers import SPOILERS, register, with_bad_rows

ROWS = 10_000


@pytest.fixture(autouse=True)
def _in_the_request(settings):
    settings.IMPORT_BACKGROUND_ROWS = 1_000_000  # the Celery path has its own test (test_celery)


def _upload(admin, data: bytes, district=None):
    return services.import_job_upload(
        actor=admin, kind=Kind.RESCUE, district=district, file=SimpleUploadedFile("register.csv", data)
    )


@pytest.mark.django_db
def test_fifty_bad_rows_are_reported_and_nothing_is_written_then_the_corrected_file_imports(admin_user, gaya):
    good = register(ROWS)
    spoilt, expected = with_bad_rows(good)
    assert len(expected) == 50 and len(SPOILERS) == 10

    job = _upload(admin_user, spoilt.xlsx_bytes(), district=gaya)
    job = services.import_job_start(job=job, actor=admin_user, commit=False)
    assert job.status == Status.PREVIEWED
    assert job.invalid_count == 50
    assert job.new_count == ROWS + 5 - 50  # five rows were typed twice: their first copy is fine
    reported = {(error["line"], error["column"]) for error in job.errors}
    assert set(expected) <= reported, sorted(set(expected) - reported)
    assert {line for line, _column in reported} == {line for line, _column in expected}
    assert all(error["message"] for error in job.errors)
    # Nothing is written by the preview, and the commit is refused while a row is invalid.
    with pytest.raises(ValidationError):
        services.import_job_start(job=job, actor=admin_user, commit=True)
    assert not (Child.objects.exists() or Case.objects.exists() or RescueOperation.objects.exists())

    # The rows to correct: the file's own columns, the error column, and the formula as plain text.
    sheet = load_workbook(io.BytesIO(badrows.bad_rows_xlsx(job, queries.job_content(job)))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Line" and rows[0][-1] == "Errors" and len(rows) == 1 + 50
    assert sorted(row[0] for row in rows[1:]) == sorted({line for line, _column in expected})
    assert all(row[-1] for row in rows[1:])
    assert any(cell == "'=HYPERLINK(1)" for row in rows[1:] for cell in row)

    services.import_job_discard(job=job, actor=admin_user)
    corrected = good.csv_bytes()
    job = _upload(admin_user, corrected, district=gaya)
    job = services.import_job_start(job=job, actor=admin_user, commit=False)
    assert (job.new_count, job.invalid_count, job.duplicate_count) == (ROWS, 0, 0), job.errors[:5]
    job = services.import_job_start(job=job, actor=admin_user, commit=True)
    assert job.status == Status.COMMITTED, job.message
    assert Case.objects.count() == ROWS == Child.objects.count() == RescueOperation.objects.count()
    assert Case.objects.values("case_number").distinct().count() == ROWS
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.REGISTERED).count() == ROWS
    # Children whose home is another district get the transfer a typed registration opens.
    assert Transfer.objects.count() == Case.objects.exclude(home_district=gaya).count() > 0
    # Every row written is in the audit trail, with the admin and the import named.
    history = apps.get_model("rescue", "CaseHistory").objects
    assert history.filter(pgh_label="insert").count() == ROWS
    context = history.select_related("pgh_context").first().pgh_context
    assert context.metadata["user"] == admin_user.pk and context.metadata["url"] == f"import:{job.pk}"

    with pytest.raises(ValidationError) as refused:
        _upload(admin_user, corrected)
    assert refused.value.params["job"] == job.pk


@pytest.mark.django_db
def test_a_register_overlapping_an_import_adds_only_its_new_children(admin_user):
    first = register(40)
    job = services.import_job_start(job=_upload(admin_user, first.csv_bytes()), actor=admin_user, commit=False)
    services.import_job_start(job=job, actor=admin_user, commit=True)
    overlapping = register(60)  # the same forty, and twenty more
    job = services.import_job_start(job=_upload(admin_user, overlapping.csv_bytes()), actor=admin_user, commit=False)
    assert (job.new_count, job.duplicate_count, job.invalid_count) == (20, 40, 0)
    job = services.import_job_start(job=job, actor=admin_user, commit=True)
    assert job.status == Status.COMMITTED and Case.objects.count() == 60


@pytest.mark.django_db
def test_children_rescued_again_are_found_by_the_matching_engine_and_imported_with_a_link_request(admin_user):
    from clts.matching.models import ChildMatchKey
    from rescue.models import LinkRequest

    first = register(20)
    job = services.import_job_start(job=_upload(admin_user, first.csv_bytes()), actor=admin_user, commit=False)
    services.import_job_start(job=job, actor=admin_user, commit=True)
    # The imported children are in the engine's index, as registered ones are.
    assert ChildMatchKey.objects.values("child_id").distinct().count() == 20
    from clts.matching import keys
    from rescue import match_records

    # Every child's keys as Child.save would write them (the import hashes them once, with the keys it looks up).
    ids = list(Child.objects.values_list("pk", flat=True))
    for record in match_records.records(ids):
        assert set(ChildMatchKey.objects.filter(child_id=record.id).values_list("key", flat=True)) == (
            keys.record_keys(record)
        )
    # A later register: the same five children rescued again on other days.
    again = register(20).rows[:5]
    for row in again:
        row[8], row[14] = "03-03-2025", "03-03-2025"  # date of rescue, date of production
    job = services.import_job_start(
        job=_upload(admin_user, type(first)(again).csv_bytes()), actor=admin_user, commit=False
    )
    assert (job.invalid_count, job.duplicate_count, job.earlier_count, job.new_count) == (0, 0, 5, 5), job.errors
    job = services.import_job_start(job=job, actor=admin_user, commit=True)
    assert job.status == Status.COMMITTED
    requests = LinkRequest.objects.select_related("new_case", "earlier_case")
    assert requests.count() == 5
    assert all(r.earlier_case.child_id == r.earlier_child_id != r.new_case.child_id for r in requests)
