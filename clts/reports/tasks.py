"""Thin Celery wrappers around reports services."""

from celery import shared_task

from clts.reports import services


@shared_task(acks_late=True, time_limit=10 * 60, soft_time_limit=9 * 60)
def case_summary_refresh() -> int:
    """Rebuild the home page's case summary (idempotent: a second run gives the same table)."""
    return services.case_summary_refresh()
