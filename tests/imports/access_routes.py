"""Access-matrix routes of the import pages: the state administrator's alone (anyone else 403, staff included).

The world's import is a checked register of two Gaya children, ready to commit; each request is rolled back, so
the preview, the commit, the mapping and the discard each start from it.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from clts.imports import services
from clts.imports.choices import Kind, Status
from clts.imports.models import ImportJob
from rescue.models import Case
from tests.access_matrix import Route
from tests.factories import make_home_state
from tests.imports.registers import Register, register

ADMIN = frozenset({"admin"})


def _world_register() -> Register:
    rows = register(2, seed=3).rows
    for row in rows:
        row[6], row[10] = "Gaya", ""  # home district, block: the world's places
    return Register(rows)


def build(world):
    make_home_state()
    job = services.import_job_upload(
        actor=world.cast.admin,
        kind=Kind.RESCUE,
        district=world.places.gaya,
        file=SimpleUploadedFile("register.csv", _world_register().csv_bytes()),
    )
    world.import_job = services.import_job_start(job=job, actor=world.cast.admin, commit=False)
    assert world.import_job.status == Status.PREVIEWED and not world.import_job.invalid_count, world.import_job.errors


def _job(world):
    return {"pk": world.import_job.pk}


def _status(world) -> str:
    return ImportJob.objects.get(pk=world.import_job.pk).status


def _uploaded(world, user):
    assert ImportJob.objects.filter(created_by=user).exclude(pk=world.import_job.pk).exists()


def _previewed(world, user):
    assert _status(world) == Status.PREVIEWED


def _committed(world, user):
    assert _status(world) == Status.COMMITTED
    assert Case.objects.filter(created_by=user).count() == 2


def _discarded(world, user):
    assert _status(world) == Status.DISCARDED


def _upload_data(world):
    rows = _world_register().rows
    rows[0][1] = "Another child"  # another file (another hash) than the world's
    return {"kind": Kind.RESCUE, "file": SimpleUploadedFile("register.csv", Register(rows).csv_bytes())}


def _mapping_data(world):
    return {f"field_{name}": str(index) for name, index in world.import_job.mapping.items()}


ROUTES = [
    Route("imports:job-list", allowed=ADMIN),
    Route(
        "imports:job-upload",
        allowed=ADMIN,
        method="post",
        data=_upload_data,
        ok=(302,),
        effect=_uploaded,
        audited=False,
    ),
    Route("imports:job-detail", allowed=ADMIN, kwargs=_job),
    Route("imports:job-mapping", allowed=ADMIN, kwargs=_job),
    Route(
        "imports:job-mapping",
        allowed=ADMIN,
        method="post",
        kwargs=_job,
        data=_mapping_data,
        ok=(302,),
        effect=_previewed,
        audited=False,
    ),
    Route(
        "imports:job-preview",
        allowed=ADMIN,
        method="post",
        kwargs=_job,
        ok=(302,),
        effect=_previewed,
        audited=False,
    ),
    Route("imports:job-commit", allowed=ADMIN, method="post", kwargs=_job, ok=(302,), effect=_committed),
    Route(
        "imports:job-discard",
        allowed=ADMIN,
        method="post",
        kwargs=_job,
        ok=(302,),
        effect=_discarded,
        audited=False,
    ),
    Route("imports:job-progress", allowed=ADMIN, kwargs=_job),
    # No invalid rows: the download sends the admin back to the import's page.
    Route("imports:job-bad-rows", allowed=ADMIN, kwargs=_job, ok=(302,)),
]
