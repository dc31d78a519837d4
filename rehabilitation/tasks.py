"""Thin Celery wrappers around rehabilitation services."""

from celery import shared_task

from rehabilitation import services


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=25 * 60)
def figures_refresh() -> int:
    """Rebuild the district-and-month figures (idempotent: a second run gives the same table)."""
    return services.figures_refresh()
