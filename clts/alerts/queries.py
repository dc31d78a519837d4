"""Reads of the alerts app: a user's work list and its count, the digest's items, the overdue list and the
compliance figures (also read by clts.reports: see docs/alerts.md for `compliance_figures`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import BigIntegerField, Count, Q, Sum, Value
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext, ngettext

from clts.accounts.models import User
from clts.accounts.roles import Role
from clts.alerts.models import Alert, AlertStatus, ComplianceMonth, DeadlineRule, Level, ScanRun, Timing, Unit
from clts.alerts.rules import kind_of, registry
from clts.geo.models import Block, District
from clts.orgs.models import Institution

# Items on one page of My work (the most urgent first; "Next" walks on by keyset). Overdue and escalated work
# comes first, so a page of 25 is a morning's work and renders quickly on a phone and a loaded server.
PAGE = 25
OVERDUE_PAGE = 50


def my_work_url() -> str:
    return reverse("alerts:my-work")


@dataclass
class WorkItem:
    """One line of a work list: what is due, for which case, by when, and the link to the form that satisfies it."""

    pk: int
    rule: DeadlineRule
    case_number: str
    task: str
    link: str
    due_at: datetime
    overdue: bool
    days: int  # whole days overdue, or left until due
    by_date: bool  # due on a date (show the date), or at a time (show the time too)
    level: int
    escalated: bool
    acknowledged_at: datetime | None
    acknowledged_by: User | None
    note: str
    acknowledge_link: str = ""

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    # The line's words, made here rather than in the template (a page of 25 rendered them in some 4 ms an item
    # through blocktranslate nodes at a load of 15): read while the page renders, so in the page's language.
    @property
    def badge(self) -> str:
        if self.overdue:
            if not self.days:
                return gettext("Overdue")
            return ngettext("Overdue by %(days)s day", "Overdue by %(days)s days", self.days) % {"days": self.days}
        if not self.days:
            return gettext("Due soon")
        return ngettext("Due in %(days)s day", "Due in %(days)s days", self.days) % {"days": self.days}

    @property
    def due_text(self) -> str:
        if self.by_date:
            return gettext("due %(date)s") % {"date": dateformat.format(self.due_shown, "d-m-Y")}
        return gettext("due %(when)s") % {"when": dateformat.format(self.due_shown, "d-m-Y H:i")}

    @property
    def escalated_text(self) -> str:
        return gettext("Escalated: %(level)s") % {"level": self.level_label} if self.escalated else ""

    @property
    def noted_text(self) -> str:
        if not self.acknowledged_at:
            return ""
        who = self.acknowledged_by
        name = (who.get_full_name() or who.username) if who else ""
        when = dateformat.format(timezone.localtime(self.acknowledged_at), "d-m-Y")
        return gettext("Noted by %(who)s on %(when)s:") % {"who": name, "when": when}

    @property
    def due_shown(self) -> datetime:
        """The moment to print: a deadline on a date passes at the next midnight, so the date shown is the day
        before that instant."""
        local = timezone.localtime(self.due_at)
        return local - timedelta(seconds=1) if self.by_date else local


def _item(alert: Alert, *, user, now: datetime) -> WorkItem:
    kind = kind_of(alert.rule)
    overdue = alert.due_at <= now
    seconds = (now - alert.due_at).total_seconds() if overdue else (alert.due_at - now).total_seconds()
    return WorkItem(
        pk=alert.pk,
        rule=alert.rule,
        case_number=alert.case.case_number if alert.case_id else "",
        task=str(kind.task(alert.action)),
        link=kind.link(alert=alert, user=user),
        due_at=alert.due_at,
        overdue=overdue,
        days=int(seconds // 86400),
        by_date=alert.rule.timing == Timing.RECORD or alert.rule.unit == Unit.DAYS,
        level=alert.level,
        escalated=alert.level > alert.start_level,
        acknowledged_at=alert.acknowledged_at,
        acknowledged_by=alert.acknowledged_by,
        note=alert.acknowledgement_note,
        acknowledge_link=reverse("alerts:alert-acknowledge", args=[alert.pk]),
    )


def still_open(alerts: list[Alert], *, user, now: datetime) -> set[int]:
    """Ids of the alerts whose object is, right now, still open and visible to the user, in one statement however
    many rules the page holds (each rule's open items of the page's objects, through the model's access, joined by
    UNION ALL): work done since the last scan leaves the list at once, and nothing outside the user's scope shows."""
    by_rule: dict[int, list[Alert]] = defaultdict(list)
    for alert in alerts:
        by_rule[alert.rule_id].append(alert)
    parts = []
    for rule_id, group in sorted(by_rule.items()):
        rule = group[0].rule
        kind = registry().get(rule.kind)
        if kind is None or not rule.is_active or not kind.raises_alerts:
            continue
        ids = sorted({alert.object_id for alert in group})
        visible = kind.model.objects.visible_to(user).filter(pk__in=ids).values("pk")
        rows = kind.open_items(rule=rule, now=now).filter(pk__in=ids).filter(pk__in=visible)
        parts.append(
            rows.annotate(a_rule=Value(rule_id, output_field=BigIntegerField())).values_list(
                "a_rule", "a_object", "a_due"
            )
        )
    if not parts:
        return set()
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    sql, params = union.query.sql_with_params()
    # Read as a plain SELECT over the union (a statement opening with "(" is taken for a write by the history
    # middleware, which would add a statement of its own before it).
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT a_rule, a_object, a_due FROM ({sql}) AS open_now", params)  # noqa: S608 (compiled)
        open_now = set(cursor.fetchall())
    return {alert.pk for alert in alerts if (alert.rule_id, alert.object_id, alert.due_at) in open_now}


def work_list(user):
    """The open alerts on the user's work list, through access, most urgent first (the earliest due)."""
    return (
        Alert.objects.visible_to(user)
        .for_user(user)
        .select_related("rule", "case", "acknowledged_by")
        .order_by("due_at", "id")
    )


# The navigation's count is kept in the cache under the alerts' generation: the scan moves it on after each rule it
# commits (alerts.services.scan), and so does any alert written through the ORM (signals below), so a count is
# never older than the alerts it counts; the timeout only bounds what a forgotten key costs.
GENERATION_KEY = "alerts:generation"
COUNT_TIMEOUT = 15 * 60


def generation_bump() -> None:
    """The alerts changed: every cached count is out of date."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, timeout=None)


def _count_key(user, generation=None) -> str:
    if generation is None:
        generation = cache.get(GENERATION_KEY, 0)
    if user.role == Role.DISTRICT and not user.is_superuser and user.district_id:
        # A district officer's list is what has reached the district (for_user), the same for every officer of
        # it: one key per district, which the scan fills for every district at once (counts_prime).
        return f"alerts:work-count:{generation}:district:{user.district_id}"
    who = (user.pk, user.role, user.is_superuser, user.district_id, user.block_id, user.institution_id)
    return f"alerts:work-count:{generation}:" + ":".join(str(part) for part in (*who, user.department_id))


def work_count(*, user) -> int:
    """How many items are on the user's work list (the navigation shows it on every page): one indexed count,
    cached until the alerts next change (a district officer's count is cached by the scan, counts_prime)."""
    key = _count_key(user)
    count = cache.get(key)
    if count is None:
        count = Alert.objects.visible_to(user).for_user(user).count()
        cache.set(key, count, timeout=COUNT_TIMEOUT)
    return count


def counts_prime() -> int:
    """Cache every district officer's count, all districts in one statement (the partial index of what has
    reached the districts, read once and grouped), so that the first page after a scan counts nothing. The
    generation is read before counting: an alert changed after that moves it on, and these counts go unused."""
    generation = cache.get(GENERATION_KEY, 0)
    counts = dict.fromkeys(District.objects.values_list("pk", flat=True), 0)
    rows = (
        Alert.objects.filter(status=AlertStatus.OPEN, level__gte=Level.DISTRICT, start_level__lte=Level.DISTRICT)
        .exclude(district_id=None)
        .order_by()
        .values_list("district_id")
        .annotate(n=Count("id"))
    )
    counts.update(rows)
    prefix = f"alerts:work-count:{generation}:district:"
    # Kept past the next scan (every 15 minutes), which fills them again.
    cache.set_many({f"{prefix}{district}": n for district, n in counts.items()}, timeout=2 * COUNT_TIMEOUT)
    return len(counts)


def _after(queryset, after: tuple[datetime, int] | None):
    """The rows after (due time, id) in (due_at, id) order. `due_at >= due` bounds the index range; the rest is
    checked on the few rows due at that very time."""
    if after is None:
        return queryset
    due, pk = after
    return queryset.filter(Q(due_at__gte=due) & (Q(due_at__gt=due) | Q(id__gt=pk)))


# What a work-list line reads of an alert (the rest of the row is for the admin and the compliance pages).
_ITEM_FIELDS = (
    "rule_id",
    "object_type",
    "object_id",
    "case_id",
    "case__case_number",
    "level",
    "start_level",
    "action",
    "due_at",
    "acknowledged_at",
    "acknowledgement_note",
    "acknowledged_by__username",
    "acknowledged_by__first_name",
    "acknowledged_by__last_name",
)


def _page_rows(user, after) -> list[Alert]:
    """One page of the user's work list and the row after it, in one query: the ids walk the partial index of the
    user's scope in due order with a limit (an index-ordered LIMIT: planned on their own, so the planner never joins
    every open alert of the district before sorting, as it did at a million cases with one flat query), then those
    rows by primary key with their rule, case number and who acknowledged them (a left join: the same one query
    whether or not anyone did)."""
    ids = _after(work_list(user), after).values("pk")[: PAGE + 1]
    return list(
        Alert.objects.filter(pk__in=ids)
        .select_related("rule", "case", "acknowledged_by")
        .only(*_ITEM_FIELDS, "rule")
        .order_by("due_at", "id")
    )


def my_work(*, user, after: tuple[datetime, int] | None = None, now: datetime | None = None) -> dict:
    """A page of the user's work list (keyset on due time and id), each item re-checked against its record."""
    now = now or timezone.now()
    rows = _page_rows(user, after)
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    keep = still_open(rows, user=user, now=now)
    items = [_item(alert, user=user, now=now) for alert in rows if alert.pk in keep]
    return {
        "items": items,
        "next_after": (rows[-1].due_at, rows[-1].pk) if more else None,
        "stale": [alert.pk for alert in rows if alert.pk not in keep],
    }


LAST_SCAN_KEY = "alerts:last-scan"


def last_scan_finished() -> datetime | None:
    """When the last scan finished (cached: the scan stores it as it finishes)."""
    finished = cache.get(LAST_SCAN_KEY)
    if finished is None:
        run = ScanRun.objects.filter(status=ScanRun.Status.FINISHED).only("finished_at").first()
        finished = run.finished_at if run else ""
        cache.set(LAST_SCAN_KEY, finished, timeout=COUNT_TIMEOUT)
    return finished or None


def digest_items(*, user, now: datetime, limit: int) -> dict:
    """The unacknowledged items of the user's work list for the daily digest, and how many are overdue or due soon."""
    pending = work_list(user).filter(acknowledged_at__isnull=True)
    counts = pending.aggregate(
        overdue=Count("id", filter=Q(due_at__lte=now)), due_soon=Count("id", filter=Q(due_at__gt=now))
    )
    items = [_item(alert, user=user, now=now) for alert in pending[:limit]]
    return {"items": items, **counts, "more": max(0, counts["overdue"] + counts["due_soon"] - len(items))}


def overdue_list(*, user, after: tuple[datetime, int] | None = None, now: datetime | None = None) -> dict:
    """Open alerts past their due time in the user's jurisdiction, the oldest first."""
    now = now or timezone.now()
    queryset = (
        Alert.objects.visible_to(user)
        .filter(status=AlertStatus.OPEN, due_at__lte=now)
        .select_related("rule", "case", "district", "block", "assignee")
        .order_by("due_at", "id")
    )
    rows = list(_after(queryset, after)[: OVERDUE_PAGE + 1])
    more = len(rows) > OVERDUE_PAGE
    rows = rows[:OVERDUE_PAGE]
    for alert in rows:
        alert.days_overdue = int((now - alert.due_at).total_seconds() // 86400)
        alert.task = kind_of(alert.rule).task(alert.action)
    return {"rows": rows, "next_after": (rows[-1].due_at, rows[-1].pk) if more else None}


# Compliance ------------------------------------------------------------------------------------------------------

DIMENSIONS = ("district", "block", "officer", "institution")


def _rate(on_time: int, due: int) -> float | None:
    return round(100 * on_time / due, 1) if due else None


def _label_map(by: str, ids: set) -> dict:
    ids = {pk for pk in ids if pk is not None}
    if by == "district":
        return {d.pk: d.name for d in District.objects.filter(pk__in=ids)}
    if by == "block":
        return {b.pk: b.name for b in Block.objects.filter(pk__in=ids)}
    if by == "officer":
        return {u.pk: u.get_full_name() or u.username for u in User.objects.filter(pk__in=ids)}
    return {i.pk: i.name for i in Institution.objects.filter(pk__in=ids)}


def compliance_figures(
    *, user, month_from: date, month_to: date, by: str = "district", rules: list[str] | None = None
) -> list[dict]:
    """On-time figures per rule and per district, block, officer or institution (`by`), for deadlines that fell due
    in the months from `month_from` to `month_to` (first days of months, both included), within the user's
    jurisdiction. Each row: {"rule": code, "key": id or None, "label": name, "due", "on_time", "late", "overdue",
    "rate"} (rate: per cent met on time, None when nothing fell due). Aggregates only."""
    if by not in DIMENSIONS:
        raise ValueError(f"by must be one of {DIMENSIONS}")
    queryset = ComplianceMonth.objects.visible_to(user).filter(month__gte=month_from, month__lte=month_to)
    if rules:
        queryset = queryset.filter(rule__code__in=rules)
    rows = list(
        queryset.values("rule__code", by)
        .annotate(due=Sum("due"), on_time=Sum("on_time"), late=Sum("late"), overdue=Sum("overdue"))
        .order_by("rule__code", by)
    )
    labels = _label_map(by, {row[by] for row in rows})
    return [
        {
            "rule": row["rule__code"],
            "key": row[by],
            "label": labels.get(row[by], ""),
            "due": row["due"],
            "on_time": row["on_time"],
            "late": row["late"],
            "overdue": row["overdue"],
            "rate": _rate(row["on_time"], row["due"]),
        }
        for row in rows
    ]


def compliance_trend(*, user, month_from: date, month_to: date, rule: str | None = None) -> list[dict]:
    """Month by month: deadlines fallen due, met on time, late, still overdue, and the on-time rate."""
    queryset = ComplianceMonth.objects.visible_to(user).filter(month__gte=month_from, month__lte=month_to)
    if rule:
        queryset = queryset.filter(rule__code=rule)
    rows = queryset.values("month").annotate(
        due=Sum("due"), on_time=Sum("on_time"), late=Sum("late"), overdue=Sum("overdue")
    )
    return [row | {"rate": _rate(row["on_time"], row["due"])} for row in rows.order_by("month")]


def compliance_table(*, user, month_from: date, month_to: date, by: str) -> dict:
    """The compliance page's table: one row per district (block, officer, institution), one column per rule."""
    rules = list(DeadlineRule.objects.filter(is_active=True))
    cells: dict = defaultdict(dict)
    labels: dict = {}
    for row in compliance_figures(user=user, month_from=month_from, month_to=month_to, by=by):
        cells[row["key"]][row["rule"]] = row
        labels[row["key"]] = row["label"]
    shown = [rule for rule in rules if any(rule.code in by_rule for by_rule in cells.values())]
    table = [
        {"label": labels[key], "key": key, "cells": [cells[key].get(rule.code) for rule in shown]}
        for key in sorted(cells, key=lambda k: (labels[k] == "", labels[k]))
    ]
    return {"rules": shown, "rows": table}
