"""Every write of the import workflow: upload, mapping, preview (dry run), commit, discard.

The rows themselves are written by the domain apps' services (each kind in clts.imports.kinds calls its own); this
module keeps the job: its file, hash, mapping, counts, errors and status. A commit writes all rows or none in one
transaction; a preview writes nothing but the job. Files over settings.IMPORT_BACKGROUND_ROWS rows are previewed and
committed by Celery (clts.imports.tasks), the rest while the admin waits. A task may run twice (a worker lost in the
middle is redelivered): the commit holds an advisory lock on the job and does nothing for a job already committed.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import pickle
from contextlib import contextmanager

import pghistory
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.core import copying, uploads
from clts.imports import mapping as columns
from clts.imports import pipeline, reading
from clts.imports.choices import HOLDS_HASH, Status
from clts.imports.kinds import Prepared, kinds
from clts.imports.models import ImportFile, ImportJob, MappingTemplate
from clts.imports.progress import Progress
from clts.matching import keys

logger = logging.getLogger(__name__)

# The errors kept on the job (and in the bad-rows download): a file with more is mostly wrong, and the admin fixes
# the layout or the mapping first.
ERRORS_KEPT = 5000
# Advisory lock namespace of commits (pg_advisory_xact_lock(key1, key2)).
_LOCK_NAMESPACE = 16_016


def _require(actor) -> None:
    if not access.can(actor, "import.run"):
        raise PermissionDenied


@transaction.atomic
def import_job_upload(*, actor, kind: str, district, file) -> ImportJob:
    """Accept a register (the upload policy), refuse one already imported, read its headers and map its columns."""
    _require(actor)
    accepted = uploads.accept(file, kind=uploads.TABLE)
    content = accepted.read()
    digest = hashlib.sha256(content).hexdigest()
    earlier = ImportJob.objects.filter(sha256=digest, status__in=HOLDS_HASH).first()
    if earlier is not None:
        raise ValidationError(
            _("This file has been uploaded before, as import %(job)s (%(status)s). Continue there."),
            code="same_file",
            params={"job": earlier.pk, "status": earlier.get_status_display()},
        )
    sheet = reading.read_sheet(content, accepted.detected)
    if not sheet.rows:
        raise ValidationError(_("The file has column headers but no rows."))
    template = None
    if district is not None:
        saved = MappingTemplate.objects.filter(district=district, kind=kind).first()
        template = saved.columns if saved else None
    job = ImportJob.objects.create(
        kind=kind,
        district=district,
        sha256=digest,
        file_format=accepted.detected,
        size=len(content),
        headers=sheet.headers,
        mapping=columns.auto_map(kinds()[kind], sheet.headers, template),
        rows_total=len(sheet.rows),
        created_by=actor,
    )
    ImportFile.objects.create(job=job, content=content)
    return job


@transaction.atomic
def import_job_map(*, job: ImportJob, actor, mapping: dict[str, int], save_template: bool) -> ImportJob:
    """The admin's correction of the mapping; kept as the district's template when asked. The preview is redone."""
    _require(actor)
    _require_status(job, {Status.UPLOADED, Status.PREVIEWED, Status.FAILED})
    kind = kinds()[job.kind]
    names = {column.name for column in kind.columns}
    cleaned = {name: int(index) for name, index in mapping.items() if name in names and index is not None}
    if len(set(cleaned.values())) != len(cleaned):
        raise ValidationError(_("One column is chosen for two fields; each column holds one field."))
    missing = [str(column.label) for column in kind.columns if column.required and column.name not in cleaned]
    if missing:
        raise ValidationError(
            _("Choose the column of: %(fields)s (these must be in every register).") % {"fields": ", ".join(missing)}
        )
    if any(not 0 <= index < len(job.headers) for index in cleaned.values()):
        raise ValidationError(_("Choose among the file's columns."))
    job.mapping = cleaned
    job.status = Status.UPLOADED
    job.save(update_fields=["mapping", "status"])
    if save_template:
        if job.district is None:
            raise ValidationError(_("Say which district the register is from, to keep its mapping."))
        MappingTemplate.objects.update_or_create(
            district=job.district,
            kind=job.kind,
            defaults={"columns": columns.template_of(job.headers, cleaned), "saved_by": actor},
        )
    return job


def _require_status(job: ImportJob, allowed: set[str]) -> None:
    if job.status not in allowed:
        raise ValidationError(
            _("This import is “%(status)s”: that cannot be done now.") % {"status": job.get_status_display()}
        )


def _in_background(job: ImportJob) -> bool:
    return job.rows_total > settings.IMPORT_BACKGROUND_ROWS


def import_job_start(*, job: ImportJob, actor, commit: bool) -> ImportJob:
    """Start the preview or the commit: in Celery for a large file (the page follows its progress), or now."""
    from clts.imports import tasks

    _require(actor)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if commit:
            _require_status(job, {Status.PREVIEWED})
            if job.invalid_count:
                raise ValidationError(_("Correct the invalid rows first: an import writes all rows or none."))
        else:
            _require_status(job, {Status.UPLOADED, Status.PREVIEWED, Status.FAILED})
        job.status = Status.COMMITTING if commit else Status.PREVIEWING
        job.rows_done, job.message = 0, ""
        job.save(update_fields=["status", "rows_done", "message"])
        task = tasks.import_job_commit if commit else tasks.import_job_preview
        if _in_background(job):
            transaction.on_commit(lambda: task.delay(job.pk, actor.pk))
            return job
    (import_job_commit if commit else import_job_preview)(job_id=job.pk, actor=actor)
    job.refresh_from_db()
    return job


def _record(job: ImportJob, prepared: Prepared, headers: list[str]) -> None:
    kind = kinds()[job.kind]
    errors = []
    for index in sorted(prepared.errors):
        for name, message in prepared.errors[index]:
            position = job.mapping.get(name)
            column = headers[position] if position is not None and position < len(headers) else ""
            errors.append(
                {
                    "line": prepared.lines[index],
                    "column": column or str(_label(kind, name)),
                    "message": message,
                }
            )
    job.errors = errors[:ERRORS_KEPT]
    job.invalid_count = len(prepared.errors)
    job.duplicate_count = len(prepared.duplicates)
    job.duplicates = [
        {"line": prepared.lines[index], "record": record} for index, record in sorted(prepared.duplicates.items())
    ][:ERRORS_KEPT]
    job.duplicates += [
        {"line": prepared.lines[index], "record": record, "link": True}
        for index, record in sorted(prepared.earlier.items())
    ][:ERRORS_KEPT]
    job.earlier_count = len(prepared.earlier)
    job.updated_count = len(prepared.updates)
    job.new_count = len(prepared.rows) - job.invalid_count - job.duplicate_count - job.updated_count
    job.rows_total = len(prepared.rows)


def _label(kind, name: str) -> str:
    try:
        return kind.column(name).label
    except StopIteration:
        return name


# What a preview's checked rows are kept as: the format's version, then signed (HMAC with the SECRET_KEY) and
# compressed. A blob that fails the signature, another version, or any other error is ignored: the commit checks
# the file again, as it would without it. Change the version when a kind's rows or checks change (a preview made
# before a deployment is then checked again by the commit after it). The rows keep their children's hashed blocking
# keys, so a new version of the keys is a new format too.
_CHECKED_FORMAT = b"clts-import-checked-2:keys-%d" % keys.KEYS_VERSION
_CHECKED_SALT = "clts.imports.services.checked"


def _mark(job: ImportJob, kind, actor, context) -> bytes | None:
    """What the check depends on besides the code: the file, the mapping, and what the kind reads of CLTS."""
    read = kind.registry_mark(actor=actor, context=context)
    if read is None:
        return None
    return json.dumps([job.sha256, sorted(job.mapping.items()), read], default=str).encode()


def _checked_dump(mark: bytes, prepared: Prepared, headers: list[str]) -> bytes:
    # The parts as their processes packed them when the file was checked in parts (pipeline.prepare with `keep`).
    packed = prepared.packed or [pipeline.pack(prepared)]
    body = _CHECKED_FORMAT + b"\0" + mark + b"\0" + pickle.dumps((headers, packed), protocol=5)
    return salted_hmac(_CHECKED_SALT, body, algorithm="sha256").digest() + body


def _checked_load(blob, mark: bytes) -> tuple[Prepared, list[str]] | None:
    """The preview's checked rows and headers if they were checked against the same `mark`, else None."""
    if not blob:
        return None
    blob = bytes(blob)
    signature, body = blob[:32], blob[32:]
    if not constant_time_compare(signature, salted_hmac(_CHECKED_SALT, body, algorithm="sha256").digest()):
        return None
    version, _sep, rest = body.partition(b"\0")
    stored_mark, _sep, packed = rest.partition(b"\0")
    if version != _CHECKED_FORMAT or stored_mark != mark:
        return None
    try:
        headers, parts = pickle.loads(packed)  # noqa: S301 (signed by this server above)
        prepared = pipeline.unpack(parts)
    except Exception:  # a blob of another version of the code: checked again
        logger.warning("checked rows of an import could not be read; the file is checked again")
        return None
    return prepared, headers


def _prepare(job: ImportJob, actor, progress, *, mark: bool = False):
    """The check of the file; with `mark`, also what it read besides the file, taken before it reads (a change
    made while it runs then shows at the commit)."""
    kind = kinds()[job.kind]
    content = bytes(ImportFile.objects.get(job=job).content)
    context = kind.context(actor=actor)
    taken = _mark(job, kind, actor, context) if mark else None
    prepared, sheet = pipeline.prepare(
        kind=kind,
        content=content,
        file_format=job.file_format,
        mapping={name: int(index) for name, index in job.mapping.items()},
        actor=actor,
        context=context,
        progress=progress,
        keep=taken is not None,
    )
    return prepared, sheet, context, taken


def import_job_preview(*, job_id: int, actor) -> ImportJob:
    """The dry run: every row read and checked, nothing written but the job's counts and errors."""
    _require(actor)
    job = ImportJob.objects.get(pk=job_id)
    if job.status != Status.PREVIEWING:
        return job
    try:
        with Progress(job.pk) as progress:
            prepared, sheet, _context, mark = _prepare(job, actor, progress, mark=True)
    except ValidationError as error:
        return _fail(job, " ".join(error.messages))
    except Exception:
        logger.exception("check of import %s failed", job_id)
        _fail(job, _("The check stopped on an unexpected error; nothing was written."))
        raise
    _record(job, prepared, sheet.headers)
    checked = _checked_dump(mark, prepared, sheet.headers) if mark is not None and not prepared.errors else None
    with transaction.atomic():
        ImportFile.objects.filter(job=job).update(checked=checked)
        job.status, job.previewed_at, job.rows_done = Status.PREVIEWED, timezone.now(), job.rows_total
        job.save()
    return job


def import_job_commit(*, job_id: int, actor) -> ImportJob:
    """Write every row through its app's service, all or none, and the job's counts in the same transaction.

    The rows are the preview's checked rows when nothing the check read has changed since (the file, the mapping,
    the admin, and what the kind reads of CLTS: `RegisterKind.registry_mark`); otherwise they are checked again.
    The service checks each row by its rules again as it writes. Any invalid row, or any error, leaves nothing
    written and the job back at "checked" with the errors, or "failed" with the reason.
    """
    _require(actor)
    try:
        # The children's blocking keys go on a second connection, committed right after this transaction
        # (clts.core.copying.side_copies): a second PostgreSQL backend writes them meanwhile.
        with copying.side_copies(), transaction.atomic(), pghistory.context(user=actor.pk, url=f"import:{job_id}"):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, job_id])
            job = ImportJob.objects.get(pk=job_id)
            if job.status != Status.COMMITTING:
                return job  # committed already (a task delivered twice), or not started
            kind = kinds()[job.kind]
            with Progress(job.pk) as progress:
                # The preview's checked rows when nothing the check read has changed since; otherwise all again.
                context = kind.context(actor=actor)
                mark = _mark(job, kind, actor, context)
                blob = ImportFile.objects.filter(job=job).values_list("checked", flat=True).first()
                reused = _checked_load(blob, mark) if mark is not None else None
                if reused is not None:
                    prepared, headers = reused
                else:
                    prepared, sheet, context, _mark_taken = _prepare(job, actor, lambda done: progress(done // 2))
                    headers = sheet.headers
                _record(job, prepared, headers)
                if prepared.errors:
                    job.status, job.rows_done = Status.PREVIEWED, job.rows_total
                    job.message = _("Rows became invalid since the check; nothing was written.")
                    job.save()
                    return job
                total, to_write = len(prepared.rows), len(prepared.rows) - len(prepared.duplicates)
                progress(total // 2)
                # The first half of the bar is reading and checking, the second writing.
                with _rows_kept_aside():
                    written = kind.write(
                        prepared,
                        actor=actor,
                        context=context,
                        progress=lambda done: progress(total // 2 + done * (total - total // 2) // max(to_write, 1)),
                    )
            job.new_count = written - len(prepared.updates)
            job.status, job.committed_at, job.rows_done = Status.COMMITTED, timezone.now(), job.rows_total
            job.save()
            ImportFile.objects.filter(job=job).update(checked=None)
            return job
    except (ValidationError, PermissionDenied) as error:
        job = ImportJob.objects.get(pk=job_id)
        messages = getattr(error, "messages", None) or [_("A row falls outside your area.")]
        return _fail(job, " ".join(messages[:5]))
    except Exception:
        logger.exception("import %s failed", job_id)
        _fail(ImportJob.objects.get(pk=job_id), _("The import stopped on an unexpected error; nothing was written."))
        raise


@contextmanager
def _rows_kept_aside():
    """The checked rows (millions of objects for a large file) left out of the garbage collector's full passes
    while they are written: they live until the write ends, and each pass would walk them all again."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _fail(job: ImportJob, message: str) -> ImportJob:
    job.status, job.message = Status.FAILED, message
    job.save(update_fields=["status", "message"])
    return job


@transaction.atomic
def import_job_discard(*, job: ImportJob, actor) -> ImportJob:
    """Give up an import that was not committed: its file is deleted and the same file may be uploaded again."""
    _require(actor)
    _require_status(job, {Status.UPLOADED, Status.PREVIEWED, Status.FAILED})
    ImportFile.objects.filter(job=job).delete()
    job.status = Status.DISCARDED
    job.save(update_fields=["status"])
    return job
