"""Celery tasks of the import workflow: thin wrappers taking ids (a job's and the admin's), never file content.

`acks_late` with the project's reject-on-worker-lost: a worker killed mid-commit loses its transaction (nothing
written) and the task is delivered again; the service does nothing for a job already committed.
"""

from celery import shared_task

from clts.accounts.models import User
from clts.imports import services


@shared_task(acks_late=True, time_limit=60 * 60, soft_time_limit=55 * 60)
def import_job_preview(job_id: int, actor_id: int) -> int:
    services.import_job_preview(job_id=job_id, actor=User.objects.get(pk=actor_id))
    return job_id


@shared_task(acks_late=True, time_limit=60 * 60, soft_time_limit=55 * 60)
def import_job_commit(job_id: int, actor_id: int) -> int:
    services.import_job_commit(job_id=job_id, actor=User.objects.get(pk=actor_id))
    return job_id
