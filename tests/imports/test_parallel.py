"""A large register of rescued children is checked in parts, one per process (clts.imports.pipeline with
clts.core.forking): the preview finds the same errors, rows already in CLTS and earlier records as when the file is
checked in one piece, including the same row typed twice with its copies in different parts, and the commit writes
the rows so checked, with the blocking keys the engine finds them by."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from clts.core import forking
from clts.imports import pipeline, services
from clts.imports.choices import Kind, Status
from rescue.models import Case, Child, LinkRequest
from tests.imports.registers import COLUMN, Register, register

# The parts' processes open connections of their own: they see committed rows only.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _small_parts(settings):
    settings.IMPORT_BACKGROUND_ROWS = 1_000_000  # checked while the admin waits (the Celery path has its own tests)
    settings.IMPORT_PARALLEL_ROWS = 40


@pytest.fixture
def parts(monkeypatch):
    """How many parts each check was split into."""
    seen: list[int] = []
    split = forking.in_forks

    def counted(work, spans):
        seen.append(len(spans))
        return split(work, spans)

    monkeypatch.setattr(pipeline.forking, "in_forks", counted)
    return seen


def _preview(admin, data: Register, *, processes: int, settings):
    settings.IMPORT_CHECK_PROCESSES = processes
    job = services.import_job_upload(
        actor=admin, kind=Kind.RESCUE, district=None, file=SimpleUploadedFile("register.csv", data.csv_bytes())
    )
    return services.import_job_start(job=job, actor=admin, commit=False)


def _found(job) -> tuple:
    return (
        job.errors,
        job.duplicates,
        (job.invalid_count, job.duplicate_count, job.earlier_count, job.updated_count, job.new_count),
    )


def test_a_register_checked_in_two_parts_finds_what_one_piece_finds_and_is_written_as_checked(
    admin_user, settings, parts
):
    base = register(70, seed=5).rows
    earlier, rows = base[60:], [list(row) for row in base[:60]]
    first = _preview(admin_user, Register(earlier), processes=1, settings=settings)
    assert services.import_job_start(job=first, actor=admin_user, commit=True).status == Status.COMMITTED
    assert parts == []  # ten rows: one piece

    rows[3][COLUMN["Age"]] = "about ten"  # the first part
    rows[45][COLUMN["Date of Rescue"]] = "31-02-2016"  # the second part
    again = [list(row) for row in earlier[1:3]]
    for row in again:  # two children of the first register rescued again, another day
        row[COLUMN["Date of Rescue"]] = row[COLUMN["Date of Production"]] = "03-03-2025"
    rows[20:20] = [list(earlier[0])]  # the same rescue as in CLTS already
    rows[40:40] = again
    rows.append(list(rows[10]))  # typed twice: the copy in the second part, the row in the first
    data = Register(rows)

    whole = _preview(admin_user, data, processes=1, settings=settings)
    services.import_job_discard(job=whole, actor=admin_user)
    split = _preview(admin_user, data, processes=2, settings=settings)
    assert parts == [2]
    assert _found(split) == _found(whole)
    assert (split.invalid_count, split.duplicate_count, split.earlier_count) == (3, 1, 2)
    assert {(error["line"], error["column"]) for error in split.errors} == {
        (data.line_of(3), "Age"),
        (data.line_of(48), "Date of Rescue"),
        (data.line_of(len(rows) - 1), "Name of Child"),
    }

    # Corrected (the bad rows and the copy taken out): checked in parts, kept, and written as checked.
    services.import_job_discard(job=split, actor=admin_user)
    good = Register([row for index, row in enumerate(rows) if index not in (3, 48, len(rows) - 1)])
    job = _preview(admin_user, good, processes=2, settings=settings)
    assert parts == [2, 2]
    assert (job.invalid_count, job.duplicate_count, job.earlier_count, job.new_count) == (0, 1, 2, 60)
    job = services.import_job_start(job=job, actor=admin_user, commit=True)
    assert job.status == Status.COMMITTED, job.message
    assert parts == [2, 2]  # the commit wrote the preview's checked rows: not checked again
    assert Case.objects.count() == Child.objects.count() == 10 + 60
    assert LinkRequest.objects.count() == 2

    from clts.matching import keys
    from clts.matching.models import ChildMatchKey
    from rescue import match_records

    for record in match_records.records(list(Child.objects.values_list("pk", flat=True))):
        stored = set(ChildMatchKey.objects.filter(child_id=record.id).values_list("key", flat=True))
        assert stored == keys.record_keys(record)


def test_children_left_without_keys_between_the_two_commits_get_them_from_the_hourly_restore(
    admin_user, settings, monkeypatch
):
    """The import's transaction commits, then the side transaction with its children's blocking keys; a process
    stopped in between (here: the side's commit fails) leaves the children without keys until rescue's hourly task
    writes them, as Child.save would have."""
    from datetime import timedelta

    from django.utils import timezone

    from clts.core.copying import SideCopy
    from clts.matching import keys
    from clts.matching.models import ChildMatchKey
    from rescue import match_records, tasks

    def lost(self):
        raise ConnectionError("the worker stopped")

    monkeypatch.setattr(SideCopy, "_commit", lost)
    job = _preview(admin_user, register(30, seed=9), processes=1, settings=settings)
    job = services.import_job_start(job=job, actor=admin_user, commit=True)
    assert job.status == Status.COMMITTED and Child.objects.count() == 30
    assert not ChildMatchKey.objects.exists()

    assert tasks.keys_restore() == 30
    for record in match_records.records(list(Child.objects.values_list("pk", flat=True))):
        stored = set(ChildMatchKey.objects.filter(child_id=record.id).values_list("key", flat=True))
        assert stored == keys.record_keys(record)
    assert tasks.keys_restore() == 0  # a repeat finds nothing to do
    Child.objects.update(created_at=timezone.now() - timedelta(days=3))
    ChildMatchKey.objects.all().delete()
    assert tasks.keys_restore() == 0  # only the last two days are looked at
