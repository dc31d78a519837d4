"""Thin Celery wrappers around schemes services."""

from celery import shared_task

from schemes import services


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=25 * 60)
def eligibility_summary_refresh() -> int:
    """Recount eligible and eligible-but-unlinked per scheme and district (idempotent: the table is replaced)."""
    return services.eligibility_summary_refresh()
