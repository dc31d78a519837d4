"""Reads of the import pages. Imports are the state administrator's (access action "import.run"), who sees all."""

from django.shortcuts import get_object_or_404

from clts.imports.models import ImportJob

LIST_LIMIT = 100


def recent_jobs():
    return ImportJob.objects.select_related("created_by", "district").order_by("-created_at", "-id")[:LIST_LIMIT]


def job(pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.select_related("created_by", "district"), pk=pk)


def job_content(job: ImportJob) -> bytes:
    return bytes(job.file.content)
