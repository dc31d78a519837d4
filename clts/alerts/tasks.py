"""Celery tasks of the alerts app: thin wrappers around the services (arguments are ids and times, never names)."""

from celery import shared_task
from django.utils.dateparse import parse_datetime

from clts.alerts import services


def _as_of(value: str | None):
    return parse_datetime(value) if value else None


@shared_task(acks_late=True, time_limit=30 * 60, soft_time_limit=25 * 60)
def scan(as_of: str | None = None) -> int:
    """Raise, resolve and escalate alerts (every 15 minutes, so the work lists follow the day's work)."""
    return services.scan_run(as_of=_as_of(as_of), trigger="refresh").pk


@shared_task(acks_late=True, time_limit=60 * 60, soft_time_limit=55 * 60)
def daily(as_of: str | None = None) -> int:
    """The 07:00 run: the scan, the compliance figures, then each user's digest (each step safe to repeat)."""
    when = _as_of(as_of)
    run = services.scan_run(as_of=when, trigger="daily")
    services.compliance_refresh(as_of=when)
    services.digests_send(as_of=when)
    return run.pk
