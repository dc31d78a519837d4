"""The Celery app. Reliability settings live in settings.py (CELERY_*); the beat schedule is static, here."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clts.settings")

app = Celery("clts")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _project_logging(loglevel=None, **_kwargs):
    """Workers and beat log through the project's handlers and filters (settings.LOGGING: no query string, no row
    values of a database error), not through the handlers Celery would put on the root logger instead; the level
    given on the command line (`-l warning`) still holds."""
    import logging
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger().setLevel(loglevel)


# Exactly one beat process runs this (docker-compose runs one replica; `make run` starts one).
# Summary tables behind dashboards and reports are rebuilt from scratch, so a repeated or overlapping run is harmless.
app.conf.beat_schedule = {
    "reports-case-summary": {
        "task": "clts.reports.tasks.case_summary_refresh",
        "schedule": crontab(minute="*/10"),
    },
    "reports-dashboard-figures": {
        "task": "clts.reports.tasks.facts_refresh",
        "schedule": crontab(minute="5-59/10"),
    },
    # The previous month's PDF reports, on the 1st at 06:00 (CELERY_TIMEZONE is Asia/Kolkata), after the night's
    # refreshes; a repeated run finds the rows and the built files and does nothing twice.
    "reports-monthly": {
        "task": "clts.reports.tasks.monthly_reports",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
    },
    "rehabilitation-figures": {
        "task": "rehabilitation.tasks.figures_refresh",
        "schedule": crontab(minute=15),
    },
    # Deadlines: the daily run at 07:00 (CELERY_TIMEZONE is Asia/Kolkata) sends the digests; the scan in between
    # keeps the work lists current. A scan waits for one already running (advisory lock), so overlaps are harmless.
    "alerts-daily": {
        "task": "clts.alerts.tasks.daily",
        "schedule": crontab(hour=7, minute=0),
    },
    "alerts-scan": {
        "task": "clts.alerts.tasks.scan",
        "schedule": crontab(minute="7,22,37,52"),
    },
    # The state-wide duplicate pass (rescue.duplicates): one at a time (advisory lock), a repeat adds nothing.
    "rescue-duplicate-pass": {
        "task": "rescue.tasks.duplicate_pass",
        "schedule": crontab(hour=2, minute=30),
    },
    # Blocking keys for children who have none (a bulk import stopped between its two commits): rarely any.
    "rescue-keys-restore": {
        "task": "rescue.tasks.keys_restore",
        "schedule": crontab(minute=40),
    },
    # Missing against found: every open report against found children and CCI residents, at night.
    "trackchild-matching-pass": {
        "task": "trackchild_sync.tasks.matching_pass",
        "schedule": crontab(hour=1, minute=30),
    },
    # The state's upload compliance page sums these per-institution figures (a district's page counts live).
    "trackchild-compliance-figures": {
        "task": "trackchild_sync.tasks.compliance_refresh",
        "schedule": crontab(minute="2-59/10"),
    },
    # Changes pushed to TrackChild every hour (a run that finds nothing changed sends nothing).
    "trackchild-push": {
        "task": "trackchild_sync.tasks.push_changes",
        "schedule": crontab(minute=50),
    },
    "schemes-eligibility-summary": {
        "task": "schemes.tasks.eligibility_summary_refresh",
        "schedule": crontab(minute=45),
    },
}
