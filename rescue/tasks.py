"""Celery tasks of rescue (thin wrappers; they take no personal data)."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from rescue import duplicates, earlier


@shared_task(acks_late=True, time_limit=3 * 3600)
def duplicate_pass() -> dict:
    """The nightly state-wide duplicate pass (waits for nobody: a pass already running makes this one a no-op)."""
    result = duplicates.duplicate_pass()
    return {"ran": result.ran, "pairs_scored": result.pairs_scored, "raised": result.raised}


@shared_task(acks_late=True, time_limit=30 * 60)
def keys_restore() -> int:
    """Blocking keys for children of the last two days who have none (a bulk import stopped between its two
    commits); a repeat finds nothing to do."""
    return earlier.keys_restore(since=timezone.now() - timedelta(days=2))
