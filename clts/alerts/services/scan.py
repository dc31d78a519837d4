"""The deadline scan: for every rule, raise the alerts that are due, resolve those whose work is done, escalate.

Each rule is evaluated with a handful of set-based statements (its open items into a temporary table, then one
INSERT ... ON CONFLICT, one UPDATE of the copies and levels, one UPDATE that resolves), in its own transaction. A
session-level advisory lock lets one scan run at a time: a second one waits, then finds nothing left to do. A scan
killed half-way has committed the rules it finished and nothing of the rule it was in; the next scan completes
the rest. The unique (rule, object, due time) of an alert makes every step safe to repeat.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from clts.accounts.roles import Role
from clts.alerts.models import Alert, AlertStatus, DeadlineRule, Level, Resolution, ScanRun
from clts.alerts.rules import kind_of

logger = logging.getLogger(__name__)

# pg_advisory_lock key of the scan (any constant shared by every process of the deployment).
SCAN_LOCK = 7_414_245_301
TABLE = Alert._meta.db_table
# Alerts changed by a run beyond which the table's statistics are refreshed at its end.
ANALYZE_AFTER = 10_000


@contextmanager
def scan_lock():
    """Hold the scan's advisory lock for this database session; a killed process's session releases it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [SCAN_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [SCAN_LOCK])


def _compiled(queryset) -> tuple[str, list]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


def level_sql(rule: DeadlineRule, *, now: datetime, due: str, assignee: str) -> tuple[str, list]:
    """SQL for the level an alert of this rule is at now: where it starts (a field worker's deadline with nobody
    assigned starts with the block officer), raised by every escalation step whose days overdue have passed."""
    start = rule.start_level
    if rule.responsible_role == Role.FIELD:
        base = f"CASE WHEN {assignee} IS NULL THEN {Level.BLOCK:d} ELSE %s END"
        params: list = [start]
    else:
        # An institution's deadline (a CWC's order, a DCPU's review) is assigned to no one person: it stays there.
        base, params = "%s", [start]
    steps = sorted(rule.steps.all(), key=lambda step: step.days_overdue, reverse=True)
    if not steps:
        return base, params
    whens = " ".join(f"WHEN {due} + %s * interval '1 day' <= %s THEN %s" for _step in steps)
    for step in steps:
        params += [step.days_overdue, now, step.level]
    return f"GREATEST({base}, CASE {whens} ELSE 0 END)", params


def _insert(cursor, rule: DeadlineRule, now: datetime) -> tuple[int, int]:
    """New alerts from the open items; a withdrawn alert whose deadline applies again is opened again."""
    level, level_params = level_sql(rule, now=now, due="o.a_due", assignee="o.a_assignee")
    cursor.execute(
        f"""
        WITH written AS (
          INSERT INTO {TABLE} (rule_id, object_type, object_id, case_id, institution_id, district_id, block_id,
            assignee_id, department_id, responsible_role, start_level, level, action, due_at, status, resolution,
            created_at, acknowledgement_note)
          SELECT %s, %s, o.a_object, o.a_case, o.a_institution, o.a_district, o.a_block, o.a_assignee,
            o.a_department, %s, %s, {level}, o.a_action, o.a_due, 'open', '', %s, ''
          FROM alerts_scan_open o
          -- Most open items already have their open alert: skip them with one anti-join instead of a conflict each.
          WHERE NOT EXISTS (
            SELECT 1 FROM {TABLE} a WHERE a.rule_id = %s AND a.status = 'open' AND a.object_type = %s
              AND a.object_id = o.a_object AND a.due_at = o.a_due
          )
          ON CONFLICT (rule_id, object_type, object_id, due_at) DO UPDATE
            SET status = 'open', resolution = '', resolved_at = NULL
            WHERE {TABLE}.status = 'resolved' AND {TABLE}.resolution = 'withdrawn'
          RETURNING (xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written
        """,  # noqa: S608 (table and column names from code; values are parameters)
        [
            rule.pk,
            kind_of(rule).object_type,
            rule.responsible_role,
            rule.start_level,
            *level_params,
            now,
            rule.pk,
            kind_of(rule).object_type,
        ],
    )
    created, reopened = cursor.fetchone()
    return created, reopened


def _refresh(cursor, rule: DeadlineRule, now: datetime) -> int:
    """Copies of the responsible jurisdiction and assignee follow the object; the level follows the days overdue."""
    level, level_params = level_sql(rule, now=now, due="a.due_at", assignee="o.a_assignee")
    cursor.execute(
        f"""
        WITH changed AS (
          UPDATE {TABLE} a SET
            case_id = o.a_case, institution_id = o.a_institution, district_id = o.a_district,
            block_id = o.a_block, assignee_id = o.a_assignee, department_id = o.a_department, action = o.a_action,
            responsible_role = %s, start_level = %s, level = {level},
            escalated_at = CASE WHEN {level} > a.level THEN %s ELSE a.escalated_at END
          FROM alerts_scan_open o
          WHERE a.rule_id = %s AND a.status = 'open' AND a.object_type = %s
            AND a.object_id = o.a_object AND a.due_at = o.a_due
            AND (a.case_id, a.institution_id, a.district_id, a.block_id, a.assignee_id, a.department_id, a.action,
                 a.responsible_role, a.start_level, a.level)
              IS DISTINCT FROM (o.a_case, o.a_institution, o.a_district, o.a_block, o.a_assignee, o.a_department,
                 o.a_action, %s, %s, {level})
          RETURNING a.escalated_at = %s AS escalated
        )
        SELECT count(*) FILTER (WHERE escalated) FROM changed
        """,  # noqa: S608
        [
            rule.responsible_role,
            rule.start_level,
            *level_params,
            *level_params,
            now,
            rule.pk,
            kind_of(rule).object_type,
            rule.responsible_role,
            rule.start_level,
            *level_params,
            now,
        ],
    )
    return cursor.fetchone()[0]


def _resolve(cursor, rule: DeadlineRule, now: datetime, *, everything: bool = False) -> int:
    """Open alerts of the rule that are no longer among its open items: done, or no longer applying."""
    kind = kind_of(rule)
    params: list = [now]
    if rule.due_after is None and rule.timing == "after_start" or not kind.raises_alerts:
        done = "FALSE"
    else:
        history, history_params = _compiled(kind.history(rule=rule))
        done = f"EXISTS (SELECT 1 FROM ({history}) h WHERE h.h_object = a.object_id AND h.h_done IS NOT NULL)"  # noqa: S608
        params += history_params
    still_open = (
        "TRUE"
        if everything
        else "NOT EXISTS (SELECT 1 FROM alerts_scan_open o WHERE o.a_object = a.object_id AND o.a_due = a.due_at)"
    )
    cursor.execute(
        f"""
        WITH resolved AS (
          UPDATE {TABLE} a SET status = 'resolved', resolved_at = %s,
            resolution = CASE WHEN {done} THEN '{Resolution.DONE}' ELSE '{Resolution.WITHDRAWN}' END
          WHERE a.rule_id = %s AND a.status = 'open' AND {still_open}
          RETURNING 1
        )
        SELECT count(*) FROM resolved
        """,  # noqa: S608
        [*params, rule.pk],
    )
    return cursor.fetchone()[0]


def scan_rule(*, rule: DeadlineRule, now: datetime) -> dict:
    """Evaluate one rule in one transaction; returns its figures."""
    started = time.monotonic()
    kind = kind_of(rule)
    figures = {"open": 0, "created": 0, "reopened": 0, "resolved": 0, "escalated": 0}
    with transaction.atomic(), connection.cursor() as cursor:
        if not rule.is_active or not kind.raises_alerts:
            figures["resolved"] = _resolve(cursor, rule, now, everything=True)
        else:
            sql, params = _compiled(kind.open_items(rule=rule, now=now))
            # Dropped at the end as well as on commit: inside an outer transaction (tests) commit comes later.
            cursor.execute("DROP TABLE IF EXISTS alerts_scan_open")
            cursor.execute(f"CREATE TEMP TABLE alerts_scan_open ON COMMIT DROP AS {sql}", params)
            cursor.execute("CREATE INDEX ON alerts_scan_open (a_object, a_due)")
            cursor.execute("ANALYZE alerts_scan_open")
            cursor.execute("SELECT count(*) FROM alerts_scan_open")
            figures["open"] = cursor.fetchone()[0]
            figures["created"], figures["reopened"] = _insert(cursor, rule, now)
            figures["escalated"] = _refresh(cursor, rule, now)
            figures["resolved"] = _resolve(cursor, rule, now)
            cursor.execute("DROP TABLE alerts_scan_open")
    figures["seconds"] = round(time.monotonic() - started, 3)
    return figures


def scan_run(*, as_of: datetime | None = None, trigger: str = "manual") -> ScanRun:
    """Evaluate every rule once (one scan at a time; a second waits for the first, then repeats it harmlessly)."""
    now = as_of or timezone.now()
    with scan_lock():
        # Holding the lock, any other run still marked running was killed before it could say so.
        ScanRun.objects.filter(status=ScanRun.Status.RUNNING).update(
            status=ScanRun.Status.INTERRUPTED, finished_at=timezone.now()
        )
        run = ScanRun.objects.create(trigger=trigger, as_of=now, started_at=timezone.now())
        totals = {"created": 0, "resolved": 0, "escalated": 0}
        try:
            for rule in DeadlineRule.objects.prefetch_related("steps"):
                figures = scan_rule(rule=rule, now=now)
                run.rules[rule.code] = figures
                for name in totals:
                    totals[name] += figures[name]
                ScanRun.objects.filter(pk=run.pk).update(rules=run.rules, **totals)
        except Exception as error:
            ScanRun.objects.filter(pk=run.pk).update(
                status=ScanRun.Status.FAILED, finished_at=timezone.now(), error=repr(error)[:2000]
            )
            raise
        for name, value in totals.items():
            setattr(run, name, value)
        if run.created + run.resolved + run.escalated > ANALYZE_AFTER:
            # Fresh statistics after a large change, or the work lists' queries are planned for the old table.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {TABLE}")
        run.open_after = Alert.objects.filter(status=AlertStatus.OPEN).count()
        run.status = ScanRun.Status.FINISHED
        run.finished_at = timezone.now()
        run.save()
    logger.info(
        "deadline scan %s: %s raised, %s resolved, %s escalated, %s open",
        run.pk,
        run.created,
        run.resolved,
        run.escalated,
        run.open_after,
    )
    return run
