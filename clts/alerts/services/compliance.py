"""The compliance figures: for each rule, month, district, block, officer and institution, how many deadlines fell
due and how many were met on time, met late or are still overdue. Rebuilt from the rules' histories, set-based."""

from __future__ import annotations

import time
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from clts.alerts.models import ComplianceMonth, DeadlineRule, Timing
from clts.alerts.rules import kind_of

TABLE = ComplianceMonth._meta.db_table


def _measurable(rule: DeadlineRule) -> bool:
    return rule.is_active and (rule.timing == Timing.RECORD or rule.due_after is not None)


@transaction.atomic
def compliance_refresh(*, as_of: datetime | None = None) -> dict:
    """Rebuild every rule's figures: counted into a temporary table first, then swapped in under a lock that blocks
    only other writers (readers keep the old figures until the commit). Returns rows and seconds per rule."""
    now = as_of or timezone.now()
    figures: dict = {}
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS alerts_compliance_new")
        cursor.execute(
            "CREATE TEMP TABLE alerts_compliance_new (rule_id bigint, month date, district_id bigint, "
            "block_id bigint, officer_id bigint, institution_id bigint, due int, on_time int, late int, "
            "overdue int) ON COMMIT DROP"
        )
        for rule in DeadlineRule.objects.all():
            if not _measurable(rule):
                continue
            started = time.monotonic()
            sql, params = kind_of(rule).history(rule=rule).query.sql_with_params()
            cursor.execute(
                f"""
                INSERT INTO alerts_compliance_new
                SELECT %s, date_trunc('month', h.h_due AT TIME ZONE %s)::date, h.h_district, h.h_block, h.h_officer,
                  h.h_institution, count(*), count(*) FILTER (WHERE h.h_done <= h.h_due),
                  count(*) FILTER (WHERE h.h_done > h.h_due), count(*) FILTER (WHERE h.h_done IS NULL)
                FROM ({sql}) h
                WHERE h.h_due <= %s
                GROUP BY 2, 3, 4, 5, 6
                """,  # noqa: S608 (the inner query is compiled by the ORM; values are parameters)
                [rule.pk, settings.TIME_ZONE, *params, now],
            )
            figures[rule.code] = {"rows": cursor.rowcount, "seconds": round(time.monotonic() - started, 3)}
        cursor.execute(f"LOCK TABLE {TABLE} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {TABLE} (rule_id, month, district_id, block_id, officer_id, institution_id, due, on_time, "  # noqa: S608
            "late, overdue, refreshed_at) SELECT rule_id, month, district_id, block_id, officer_id, institution_id, "
            "due, on_time, late, overdue, %s FROM alerts_compliance_new",
            [timezone.now()],
        )
        cursor.execute("DROP TABLE alerts_compliance_new")
    return figures
