"""Thin Celery wrappers around reports services."""

from celery import shared_task

from clts.reports import monthly, services


@shared_task(acks_late=True, time_limit=10 * 60, soft_time_limit=9 * 60)
def case_summary_refresh() -> int:
    """Rebuild the home page's case summary (idempotent: a second run gives the same table)."""
    return services.case_summary_refresh()


@shared_task(acks_late=True, time_limit=20 * 60, soft_time_limit=18 * 60)
def facts_refresh() -> dict:
    """Rebuild the dashboards' figures (idempotent: the tables are rebuilt from scratch in one transaction)."""
    written = services.facts_refresh()
    _warm_default_dashboard()
    return written


@shared_task(acks_late=True, time_limit=15 * 60, soft_time_limit=14 * 60)
def monthly_report_build(report_id: int) -> str:
    """Build one monthly report (idempotent: an advisory lock and the row's status decide; see clts.reports.monthly)."""
    return monthly.monthly_report_build(report_id=report_id)


@shared_task(acks_late=True, time_limit=10 * 60, soft_time_limit=9 * 60)
def monthly_reports() -> int:
    """The 1st of the month at 06:00 (Asia/Kolkata): the previous month's reports for the state and each district in
    each language; a row each first (so a second run finds them), then one build task per report."""
    ids = monthly.monthly_reports_ensure(month=monthly.previous_month())
    for report_id in ids:
        monthly_report_build.delay(report_id)
    return len(ids)


@shared_task(acks_late=True, time_limit=20 * 60, soft_time_limit=18 * 60)
def export_build(job_id: int) -> int:
    """Build a large export into its ExportJob (the job's row says what; no personal data in the arguments)."""
    from clts.reports import exports

    return exports.export_job_build(job_id=job_id)


def _warm_default_dashboard() -> None:
    """The state dashboard as most readers open it (default period, state-wide reader), in both languages, put
    in the page cache right after a refresh, so the first reader after it does not wait for the computation."""
    from django.utils import translation

    from clts.reports import pages
    from clts.reports.filters import default_filters
    from clts.reports.monthly import published_reader

    for language in ("en", "hi"):
        with translation.override(language):
            pages.dashboard_context(user=published_reader(), filters=default_filters(), district=None)
