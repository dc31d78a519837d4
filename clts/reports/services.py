"""Rebuilding the dashboard summary tables."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.reports.filters import first_of_month
from clts.reports.models import (
    STATUS_COLUMNS,
    CaseFacts,
    CaseSummary,
    ExportJob,
    FlowFacts,
    JobStatus,
    LinkageFacts,
    ReportFile,
    UnitFacts,
)
from rescue.choices import Status
from rescue.models import Case, Child, RescueOperation
from schemes.models import Linkage

SUMMARY_COLUMNS = [
    "district_id",
    "home_district_id",
    "block_id",
    "home_block_id",
    "status",
    "interstate",
    "production_late",
]


@transaction.atomic
def case_summary_refresh() -> int:
    """Replace the case summary with a fresh count (idempotent; readers see old or new, never half).

    TRUNCATE, not DELETE: a DELETE every ten minutes left a hundred thousand dead rows per run for the home page to
    read past until autovacuum came (p95 20 ms grew to 90 ms at 1M cases). Readers wait for the ~1 s rebuild instead.
    """
    summary, case = CaseSummary._meta.db_table, Case._meta.db_table
    columns = ", ".join(SUMMARY_COLUMNS)
    with connection.cursor() as cursor:
        # Deferred foreign-key checks still pending from an earlier insert in the same transaction would make
        # TRUNCATE refuse; check them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {summary}")
        cursor.execute(
            f"""
            INSERT INTO {summary} ({columns}, restored, cases, refreshed_at)
            SELECT {columns}, restored_at IS NOT NULL, count(*), %s
            FROM {case}
            GROUP BY {columns}, restored_at IS NOT NULL
            """,  # noqa: S608
            [timezone.now()],
        )
        return cursor.rowcount


# The dashboards' figures -----------------------------------------------------------------------------------------

# Where a case is reported: the rescuing district, or the home district for a child of the state rescued elsewhere.
_REPORTING_DISTRICT = "COALESCE(c.district_id, c.home_district_id)"
_REPORTING_BLOCK = "CASE WHEN c.district_id IS NOT NULL THEN c.block_id ELSE c.home_block_id END"
_MONTH = "date_trunc('month', c.rescued_on)::date"


def _status_counts() -> str:
    return ", ".join(f"count(*) FILTER (WHERE c.status = '{status}')" for status in Status.values)


def _facts_sql(tables: dict[str, str]) -> list[str]:
    status_columns = ", ".join(STATUS_COLUMNS)
    counts = _status_counts()
    restored = "count(*) FILTER (WHERE c.restored_at IS NOT NULL)"
    return [
        f"""
        INSERT INTO {tables["facts"]} (district_id, month, interstate, detail, sex, category, industry, cases,
            restored, restored_retrafficked, late, {status_columns}, refreshed_at)
        SELECT {_REPORTING_DISTRICT}, {_MONTH}, c.interstate, GROUPING(ch.sex) = 0, ch.sex, c.category, r.industry,
            count(*), {restored},
            count(*) FILTER (WHERE c.restored_at IS NOT NULL AND c.status = '{Status.RETRAFFICKED}'),
            count(*) FILTER (WHERE c.production_late), {counts}, %(now)s
        FROM {tables["case"]} c
        JOIN {tables["child"]} ch ON ch.id = c.child_id
        JOIN {tables["rescue"]} r ON r.id = c.rescue_id
        GROUP BY GROUPING SETS (
            ({_REPORTING_DISTRICT}, {_MONTH}, c.interstate),
            ({_REPORTING_DISTRICT}, {_MONTH}, c.interstate, ch.sex, c.category, r.industry)
        )
        ORDER BY 4, 2, 1
        """,  # noqa: S608 (table names from the models, no user input)
        f"""
        INSERT INTO {tables["units"]} (district_id, month, unit, unit_id, cases, restored, late, {status_columns},
            refreshed_at)
        SELECT {_REPORTING_DISTRICT}, {_MONTH},
            CASE WHEN GROUPING({_REPORTING_BLOCK}) = 0 THEN 'block'
                 WHEN GROUPING(c.responsible_officer_id) = 0 THEN 'officer' ELSE 'institution' END,
            COALESCE({_REPORTING_BLOCK}, c.responsible_officer_id, c.cci_id),
            count(*), {restored}, count(*) FILTER (WHERE c.production_late), {counts}, %(now)s
        FROM {tables["case"]} c
        WHERE {_REPORTING_DISTRICT} IS NOT NULL
        GROUP BY GROUPING SETS (
            ({_REPORTING_DISTRICT}, {_MONTH}, {_REPORTING_BLOCK}),
            ({_REPORTING_DISTRICT}, {_MONTH}, c.responsible_officer_id),
            ({_REPORTING_DISTRICT}, {_MONTH}, c.cci_id)
        )
        ORDER BY 1, 3, 2
        """,  # noqa: S608 (table names from the models, no user input)
        f"""
        INSERT INTO {tables["flows"]} (home_district_id, month, rescue_state_id, rescue_district_id, city, cases,
            refreshed_at)
        SELECT c.home_district_id, {_MONTH}, r.state_id, r.district_id,
            left(initcap(btrim(regexp_replace(r.city, '\\s+', ' ', 'g'))), 120), count(*), %(now)s
        FROM {tables["case"]} c
        JOIN {tables["rescue"]} r ON r.id = c.rescue_id
        WHERE c.home_district_id IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY 2, 1
        """,  # noqa: S608 (table names from the models, no user input)
        f"""
        INSERT INTO {tables["links"]} (district_id, scheme_id, department_id, month, status, linkages, refreshed_at)
        SELECT l.district_id, l.scheme_id, l.department_id,
            date_trunc('month', l.identified_at AT TIME ZONE %(zone)s)::date, l.status, count(*), %(now)s
        FROM {tables["linkage"]} l
        GROUP BY 1, 2, 3, 4, 5
        ORDER BY 4, 1
        """,  # noqa: S608 (table names from the models, no user input)
    ]


def facts_refresh() -> dict[str, int]:
    """Rebuild the dashboards' figures from the cases, rescues and linkages, all tables in one transaction.

    TRUNCATE and INSERT, like the home page's summary: a repeated or overlapping run gives the same tables (the
    second waits for the first's lock). Returns the rows written per table.

    Rows are written in the order pages read them (by month, then district), so that a page's months lie on a few
    pages of the table rather than spread over all of it; and, when not called inside a transaction (the Celery
    task), the tables are vacuumed after the commit, so that the first readers after a refresh do not each set the
    new rows' hint bits and write the pages out again.
    """
    with transaction.atomic():
        written = _facts_rebuild()
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for model in (CaseFacts, UnitFacts, FlowFacts, LinkageFacts):
                cursor.execute(f"VACUUM {model._meta.db_table}")
    return written


def _facts_rebuild() -> dict[str, int]:
    tables = {
        "facts": CaseFacts._meta.db_table,
        "units": UnitFacts._meta.db_table,
        "flows": FlowFacts._meta.db_table,
        "links": LinkageFacts._meta.db_table,
        "case": Case._meta.db_table,
        "child": Child._meta.db_table,
        "rescue": RescueOperation._meta.db_table,
        "linkage": Linkage._meta.db_table,
    }
    written = {}
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {tables['facts']}, {tables['units']}, {tables['flows']}, {tables['links']}")
        for name, sql in zip(("facts", "units", "flows", "links"), _facts_sql(tables), strict=True):
            cursor.execute(sql, {"now": timezone.now(), "zone": settings.TIME_ZONE})
            written[name] = cursor.rowcount
        for name in ("facts", "units", "flows", "links"):
            cursor.execute(f"ANALYZE {tables[name]}")
    return written


# Monthly reports asked for by a user -----------------------------------------------------------------------------


def own_district_id(user) -> int | None:
    """The district of a district or block officer (a block officer's through the block)."""
    return user.district_id or (user.block.district_id if user.block_id else None)


def monthly_report_request(*, user, district, month, language: str):
    """Ask for one month's report of the state (district None) or a district, built in the background.

    The state's report is for state-wide readers; a district's for that district's offices and the state. An
    existing report is returned as it is (ready, or already being built); a failed one is built again.
    """
    from clts.reports import monthly, tasks

    if district is None and not user.is_state_wide:
        raise ValidationError(_("Only the state's offices may ask for the state's report."))
    if district is not None and not user.is_state_wide and district.pk != own_district_id(user):
        raise ValidationError(_("You may ask only for your own district's report."))
    if month >= first_of_month(timezone.localdate()):
        raise ValidationError(_("A month's report can be built once the month is over."))
    report = monthly.report_file_ensure(district=district, month=month, language=language, requested_by=user)
    if report.status == JobStatus.FAILED:
        ReportFile.objects.filter(pk=report.pk).update(status=JobStatus.QUEUED, progress=0, error="")
    if report.status != JobStatus.READY:
        transaction.on_commit(lambda: tasks.monthly_report_build.delay(report.pk))
    return report


# Exports -----------------------------------------------------------------------------------------------------------


def export_start(*, user, kind: str, file_format: str, params: dict, request=None):
    """An export of a list the user may see: (bytes, rows) at once when small, else an ExportJob built by Celery."""
    from clts.reports import exports, tasks

    item = exports.LISTS[kind]
    access.require(user, item.action)
    if exports.count(user=user, kind=kind, params=params) <= exports.INLINE_ROWS:
        return exports.write(user=user, kind=kind, params=params, file_format=file_format, request=request)
    job = ExportJob.objects.create(user=user, kind=kind, file_format=file_format, params=params)
    transaction.on_commit(lambda: tasks.export_build.delay(job.pk))
    return job
