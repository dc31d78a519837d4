"""Celery tasks of rescue (thin wrappers; they take no personal data)."""

from celery import shared_task

from rescue import duplicates


@shared_task(acks_late=True, time_limit=3 * 3600)
def duplicate_pass() -> dict:
    """The nightly state-wide duplicate pass (waits for nobody: a pass already running makes this one a no-op)."""
    result = duplicates.duplicate_pass()
    return {"ran": result.ran, "pairs_scored": result.pairs_scored, "raised": result.raised}
