"""The deadline scan: for every rule, raise the alerts that are due, resolve those whose work is done, escalate.

Each rule is evaluated with one set-based statement in its own transaction: the kind's open items are read once
and full-joined with the rule's open alerts (read once, through a partial index); from that join one INSERT ...
ON CONFLICT raises the new alerts, one UPDATE refreshes the copies and levels that changed, one UPDATE resolves the
alerts whose item is gone. A session-level advisory lock lets one scan run at a time: a second one waits, then
finds nothing left to do. A scan killed half-way has committed the rules it finished and nothing of the rule it was
in; the next scan completes the rest. The unique (rule, object, due time) of an alert makes every step safe to
repeat.
"""

from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from datetime import datetime

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from clts.accounts.roles import Role
from clts.alerts import queries
from clts.alerts.models import Alert, AlertStatus, DeadlineRule, Level, Resolution, ScanRun
from clts.alerts.rules import kind_of
from clts.core.db import local_settings

logger = logging.getLogger(__name__)

# pg_advisory_lock key of the scan (any constant shared by every process of the deployment).
SCAN_LOCK = 7_414_245_301
TABLE = Alert._meta.db_table
# Alerts changed by a run beyond which the table's statistics are refreshed at its end.
ANALYZE_AFTER = 10_000
# Memory for the hash joins of one rule's statement (a batch job, one at a time: the advisory lock).
SCAN_WORK_MEM = "128MB"


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


# The copies an alert keeps of its object (refreshed when the object changes), in the open items' column names.
_COPIES = ("case", "institution", "district", "block", "assignee", "department")


def _done_sql(rule: DeadlineRule, alias: str) -> tuple[str, list]:
    """SQL that says whether the work of the alert `alias` was done (else its deadline no longer applies)."""
    kind = kind_of(rule)
    if rule.due_after is None and rule.timing == "after_start" or not kind.raises_alerts:
        return "FALSE", []
    history, params = _compiled(kind.history(rule=rule))
    sql = f"EXISTS (SELECT 1 FROM ({history}) h WHERE h.h_object = {alias}.object_id AND h.h_done IS NOT NULL)"  # noqa: S608
    return sql, params


def _resolve_all(cursor, rule: DeadlineRule, now: datetime) -> int:
    """A rule switched off (or one that only measures after the fact): every open alert of it is withdrawn."""
    done, done_params = _done_sql(rule, "a")
    cursor.execute(
        f"""
        WITH resolved AS (
          UPDATE {TABLE} a SET status = 'resolved', resolved_at = %s,
            resolution = CASE WHEN {done} THEN '{Resolution.DONE}' ELSE '{Resolution.WITHDRAWN}' END
          WHERE a.rule_id = %s AND a.status = 'open'
          RETURNING 1
        )
        SELECT count(*) FROM resolved
        """,  # noqa: S608 (table and column names from code; values are parameters)
        [now, *done_params, rule.pk],
    )
    return cursor.fetchone()[0]


def _evaluate(cursor, rule: DeadlineRule, now: datetime) -> dict:
    """One statement for the rule: its open items (the kind's query, read once) full-joined with its open alerts
    (read once, through the partial index on rule), and from that one join, disjoint writes:

    - an open item with no open alert: INSERT ... ON CONFLICT: a new alert, or a withdrawn one opened again (only
      conflicting rows are touched, and only resolved ones can conflict: the open ones were joined);
    - both, and a copy or the level differs: UPDATE (the jurisdiction follows the object, the level the days
      overdue); an alert that did not change is not written;
    - an open alert with no open item: UPDATE to resolved (done when the kind's history says so, else withdrawn).

    No open alert is read twice and none is written unless it changes, so a scan where little happened costs a
    read of the rule's open items and open alerts, whatever their number."""
    kind = kind_of(rule)
    open_sql, open_params = _compiled(kind.open_items(rule=rule, now=now))
    new_level, new_params = level_sql(rule, now=now, due="j.a_due", assignee="j.a_assignee")
    done, done_params = _done_sql(rule, "t")
    old = ", ".join(f"j.old_{name}" for name in _COPIES)
    new = ", ".join(f"j.a_{name}" for name in _COPIES)
    copies = ", ".join(f"{name}_id = j.a_{name}" for name in _COPIES)
    old_columns = ", ".join(f"a.{name}_id AS old_{name}" for name in _COPIES)
    cursor.execute(
        f"""
        WITH o AS MATERIALIZED ({open_sql}),
        j AS MATERIALIZED (
          SELECT o.*, a.id AS alert_id, a.due_at AS alert_due, a.level AS old_level, a.action AS old_action,
            a.responsible_role AS old_role, a.start_level AS old_start, {old_columns}
          FROM o FULL JOIN (
            SELECT * FROM {TABLE} WHERE rule_id = %s AND status = 'open'
          ) a ON a.object_id = o.a_object AND a.due_at = o.a_due
        ),
        leveled AS MATERIALIZED (
          SELECT j.*, {new_level} AS new_level FROM j WHERE j.a_object IS NOT NULL
        ),
        inserted AS (
          INSERT INTO {TABLE} AS t (rule_id, object_type, object_id, case_id, institution_id, district_id,
            block_id, assignee_id, department_id, responsible_role, start_level, level, action, due_at, status,
            resolution, created_at, acknowledgement_note)
          SELECT %s, %s, j.a_object, j.a_case, j.a_institution, j.a_district, j.a_block, j.a_assignee,
            j.a_department, %s, %s, j.new_level, j.a_action, j.a_due, 'open', '', %s, ''
          FROM leveled j WHERE j.alert_id IS NULL
          ON CONFLICT (rule_id, object_type, object_id, due_at) DO UPDATE
            SET status = 'open', resolution = '', resolved_at = NULL
            WHERE t.status = 'resolved' AND t.resolution = 'withdrawn'
          RETURNING (xmax = 0) AS created
        ),
        refreshed AS (
          UPDATE {TABLE} t SET {copies}, action = j.a_action, responsible_role = %s, start_level = %s,
            level = j.new_level,
            escalated_at = CASE WHEN j.new_level > j.old_level THEN %s ELSE t.escalated_at END
          FROM leveled j
          WHERE t.id = j.alert_id
            AND ({old}, j.old_action, j.old_role, j.old_start, j.old_level)
              IS DISTINCT FROM ({new}, j.a_action, %s, %s, j.new_level)
          RETURNING j.new_level > j.old_level AS escalated
        ),
        resolved AS (
          UPDATE {TABLE} t SET status = 'resolved', resolved_at = %s,
            resolution = CASE WHEN {done} THEN '{Resolution.DONE}' ELSE '{Resolution.WITHDRAWN}' END
          FROM j WHERE t.id = j.alert_id AND j.a_object IS NULL
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM o),
          (SELECT count(*) FILTER (WHERE created) FROM inserted),
          (SELECT count(*) FILTER (WHERE NOT created) FROM inserted),
          (SELECT count(*) FILTER (WHERE escalated) FROM refreshed),
          (SELECT count(*) FROM refreshed),
          (SELECT count(*) FROM resolved)
        """,  # noqa: S608 (table and column names from code; values are parameters)
        [
            *open_params,
            rule.pk,
            *new_params,
            rule.pk,
            kind.object_type,
            rule.responsible_role,
            rule.start_level,
            now,
            rule.responsible_role,
            rule.start_level,
            now,
            rule.responsible_role,
            rule.start_level,
            now,
            *done_params,
        ],
    )
    names = ("open", "created", "reopened", "escalated", "refreshed", "resolved")
    return dict(zip(names, cursor.fetchone(), strict=True))


def scan_rule(*, rule: DeadlineRule, now: datetime) -> dict:
    """Evaluate one rule in one transaction (one statement); returns its figures."""
    started = time.monotonic()
    kind = kind_of(rule)
    figures = {"open": 0, "created": 0, "reopened": 0, "resolved": 0, "escalated": 0, "refreshed": 0}
    # The join of a large rule (a million open items) hashes in memory rather than in batches on disk.
    with local_settings(work_mem=SCAN_WORK_MEM), connection.cursor() as cursor:
        if not rule.is_active or not kind.raises_alerts:
            figures["resolved"] = _resolve_all(cursor, rule, now)
        else:
            figures |= _evaluate(cursor, rule, now)
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
                if figures["created"] + figures["reopened"] + figures["resolved"] + figures["refreshed"]:
                    # The work lists changed: the cached counts in the navigation are out of date. Now, and again
                    # once committed (a count read in between would otherwise be cached under the new generation).
                    queries.generation_bump()
                    transaction.on_commit(queries.generation_bump)
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
        # Stored, not just dropped: the first page after the scan reads it from the cache too.
        cache.set(queries.LAST_SCAN_KEY, run.finished_at, timeout=queries.COUNT_TIMEOUT)
        transaction.on_commit(lambda: cache.set(queries.LAST_SCAN_KEY, run.finished_at, timeout=queries.COUNT_TIMEOUT))
        # The district officers' counts, read once for every district (the first page after the scan counts nothing).
        queries.counts_prime()
    logger.info(
        "deadline scan %s: %s raised, %s resolved, %s escalated, %s open",
        run.pk,
        run.created,
        run.resolved,
        run.escalated,
        run.open_after,
    )
    return run
