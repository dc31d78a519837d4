"""The monthly PDF reports: the state's and each district's, in English and Hindi, built in the background.

Idempotent by construction:
- one `ReportFile` row per scope, month and language (unique constraint; `report_file_ensure` is get-or-create);
- a build holds a PostgreSQL advisory lock on that row for its whole run, so a second build of the same report
  (the job run twice, or a user's request while the beat job runs) waits for none and leaves at once;
- the row is marked ready only after the file is stored, so a build killed half way leaves the row "being built"
  with its progress, and the next run builds it again into the same row and the same file name.

A report leaves the portal as a file (printed, forwarded to meetings), so its figures are protected as for a
reader outside every jurisdiction: every count from 1 to 4 is hidden, with the cells that would give it away.
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone, translation

from clts.accounts.models import User
from clts.accounts.roles import Role
from clts.core.pdf import render_pdf
from clts.geo.models import District, State
from clts.reports import pages
from clts.reports.figures import label
from clts.reports.filters import Filters, add_months, first_of_month
from clts.reports.models import JobStatus, ReportFile
from clts.reports.queries import report_districts

logger = logging.getLogger(__name__)

LANGUAGES = ("en", "hi")
# The advisory lock's first key: "monthly reports" (the second is the row's id).
LOCK_CLASS = 1_505_001


def previous_month(today: date | None = None) -> date:
    return add_months(first_of_month(today or timezone.localdate()), -1)


def report_file_ensure(*, district: District | None, month: date, language: str, requested_by=None) -> ReportFile:
    """The one row of this report (made if missing, never twice: the unique constraint decides a race)."""
    report, _created = ReportFile.objects.get_or_create(
        district=district,
        month=first_of_month(month),
        language=language,
        defaults={"requested_by": requested_by},
    )
    return report


def monthly_reports_ensure(*, month: date) -> list[int]:
    """The rows of every report of a month: the state and each district, in each language. Returns their ids."""
    scopes: list[District | None] = [None, *report_districts()]
    return [
        report_file_ensure(district=scope, month=month, language=language).pk
        for scope in scopes
        for language in LANGUAGES
    ]


def _progress(report: ReportFile, status: str, progress: int, **extra) -> None:
    """Progress is written in its own short transaction, so the reports page shows it while the build runs."""
    ReportFile.objects.filter(pk=report.pk).update(status=status, progress=progress, **extra)


def _file_name(report: ReportFile) -> str:
    scope = f"district-{report.district_id}" if report.district_id else "state"
    return f"clts-{scope}-{report.month:%Y-%m}-{report.language}.pdf"


def home_state() -> State | None:
    return State.objects.filter(lgd_code=settings.HOME_STATE).first()


def published_reader() -> User:
    """The reader the published report's scoped figures (compliance) are read for: state-wide, unsaved."""
    return User(username="monthly-report", role=Role.STATE, is_active=True)


def monthly_report_build(*, report_id: int, force: bool = False) -> str:
    """Build one report's PDF into its row. Returns "built", "ready" (nothing to do) or "busy" (another build
    holds the lock). Safe to run twice, concurrently, or after a build killed half way."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_CLASS, report_id])
        if not cursor.fetchone()[0]:
            return "busy"
    try:
        report = ReportFile.objects.select_related("district").get(pk=report_id)
        if report.status == JobStatus.READY and report.file and not force:
            return "ready"
        _progress(report, JobStatus.BUILDING, 10, error="")
        content = render_monthly_pdf(report, progress=lambda p: _progress(report, JobStatus.BUILDING, p))
        _progress(report, JobStatus.BUILDING, 90)
        with transaction.atomic():
            report = ReportFile.objects.select_for_update().get(pk=report_id)
            name = _file_name(report)
            if report.file:
                report.file.delete(save=False)
            report.file.storage.delete(f"{ReportFile.file.field.upload_to}{name}")
            report.file.save(name, ContentFile(content), save=False)
            report.size = len(content)
            report.status = JobStatus.READY
            report.progress = 100
            report.built_at = timezone.now()
            report.save()
        return "built"
    except Exception as error:
        logger.exception("monthly report %s failed", report_id)
        ReportFile.objects.filter(pk=report_id).update(status=JobStatus.FAILED, error=type(error).__name__[:200])
        raise
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_CLASS, report_id])


def report_context(report: ReportFile) -> dict:
    """What the PDF shows: the dashboard of the month for its scope, as published (small counts hidden)."""
    month = report.month
    filters = Filters(month_from=month, month_to=month)
    context = pages.dashboard_context(
        user=published_reader(), filters=filters, district=report.district, units=bool(report.district), published=True
    )
    return {
        **context,
        "report": report,
        "month": month,
        "scope_name": label(report.district or home_state()),
        "generated_at": timezone.now(),
        "lang": report.language,
    }


def render_monthly_pdf(report: ReportFile, *, progress=lambda p: None) -> bytes:
    with translation.override(report.language):
        context = report_context(report)
        progress(50)
        return render_pdf(template="reports/monthly_report.html", context=context)
