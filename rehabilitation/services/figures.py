"""The district-and-month figures behind the dashboards, rebuilt in one statement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from rehabilitation import queries
from rehabilitation.models import (
    DistrictMonthFigures,
)

ZERO = Decimal("0")


@transaction.atomic
def figures_refresh(*, today: date | None = None) -> int:
    """Rebuild the district-and-month figures from the components in one set-based statement."""
    table = DistrictMonthFigures._meta.db_table
    columns = ", ".join(queries.FIGURE_COLUMNS)
    with connection.cursor() as cursor:
        # A second refresh running at the same time waits here, then rebuilds from what the first one wrote;
        # readers are never blocked and see the old figures until the new ones are committed.
        cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (table name from the model, no user input)
        cursor.execute(
            f"INSERT INTO {table} (district_id, month, {columns}, refreshed_at) "  # noqa: S608
            f"SELECT district_id, month, {columns}, %(now)s FROM ({queries.figures_sql()}) f",
            {"today": today or timezone.localdate(), "now": timezone.now()},
        )
        return cursor.rowcount
