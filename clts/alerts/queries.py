"""Reads of the alerts app: a user's work list and its count, the digest's items, the overdue list and the
compliance figures (also read by clts.reports: see docs/alerts.md for `compliance_figures`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from clts.accounts.models import User
from clts.alerts.models import Alert, AlertStatus, ComplianceMonth, DeadlineRule, Level, Timing, Unit
from clts.alerts.rules import kind_of, registry
from clts.geo.models import Block, District
from clts.orgs.models import Institution

PAGE = 50


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

    @property
    def level_label(self) -> str:
        return Level(self.level).label

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
    )


def still_open(alerts: list[Alert], *, user, now: datetime) -> set[int]:
    """Ids of the alerts whose object is, right now, still open and visible to the user (one query per rule on
    the page): work done since the last scan leaves the list at once, and nothing outside the user's scope shows."""
    by_rule: dict[int, list[Alert]] = defaultdict(list)
    for alert in alerts:
        by_rule[alert.rule_id].append(alert)
    keep: set[int] = set()
    for group in by_rule.values():
        rule = group[0].rule
        kind = registry().get(rule.kind)
        if kind is None or not rule.is_active or not kind.raises_alerts:
            continue
        ids = [alert.object_id for alert in group]
        visible = kind.model.objects.visible_to(user).filter(pk__in=ids).values("pk")
        rows = kind.open_items(rule=rule, now=now).filter(pk__in=ids).filter(pk__in=visible)
        open_now = {(row["a_object"], row["a_due"]) for row in rows}
        keep |= {alert.pk for alert in group if (alert.object_id, alert.due_at) in open_now}
    return keep


def work_list(user):
    """The open alerts on the user's work list, through access, most urgent first (the earliest due)."""
    return (
        Alert.objects.visible_to(user)
        .for_user(user)
        .select_related("rule", "case", "acknowledged_by")
        .order_by("due_at", "id")
    )


def work_count(*, user) -> int:
    """How many items are on the user's work list (one indexed count; the navigation shows it on every page)."""
    return Alert.objects.visible_to(user).for_user(user).count()


def _after(queryset, after: tuple[datetime, int] | None):
    if after is None:
        return queryset
    due, pk = after
    return queryset.filter(Q(due_at__gt=due) | Q(due_at=due, id__gt=pk))


def my_work(*, user, after: tuple[datetime, int] | None = None, now: datetime | None = None) -> dict:
    """A page of the user's work list (keyset on due time and id), each item re-checked against its record."""
    now = now or timezone.now()
    # The page's ids first, walking the partial index in due order; then the rows with their rule and case. In one
    # query the planner may join every open alert of the district before sorting (seen at a million cases).
    ids = list(_after(work_list(user), after).values_list("pk", flat=True)[: PAGE + 1])
    # The ids came through access; the second query only fetches them by primary key.
    rows = list(
        Alert.objects.filter(pk__in=ids).select_related("rule", "case", "acknowledged_by").order_by("due_at", "id")
    )
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    keep = still_open(rows, user=user, now=now)
    items = [_item(alert, user=user, now=now) for alert in rows if alert.pk in keep]
    return {
        "items": items,
        "next_after": (rows[-1].due_at, rows[-1].pk) if more else None,
        "stale": [alert.pk for alert in rows if alert.pk not in keep],
    }


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
    rows = list(_after(queryset, after)[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
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
