"""Thin Celery wrappers around reports services."""

from celery import shared_task

from clts.reports import services


@shared_task(acks_late=True, time_limit=10 * 60, soft_time_limit=9 * 60)
def case_summary_refresh() -> int:
    """Rebuild the home page's case summary (idempotent: a second run gives the same table)."""
    return services.case_summary_refresh()


@shared_task(acks_late=True, time_limit=20 * 60, soft_time_limit=18 * 60)
def facts_refresh() -> dict:
    """Rebuild the dashboards' figures (idempotent: the tables are rebuilt from scratch in one transaction)."""
    return services.facts_refresh()
