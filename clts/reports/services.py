"""Rebuilding the dashboard summary tables."""

from django.db import connection, transaction
from django.utils import timezone

from clts.reports.models import CaseSummary
from rescue.models import Case

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
    """Replace the case summary with a fresh count (one statement; idempotent; readers see old or new, never half)."""
    summary, case = CaseSummary._meta.db_table, Case._meta.db_table
    columns = ", ".join(SUMMARY_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {summary}")  # noqa: S608 (table names from our models, no user input)
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
