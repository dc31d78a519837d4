"""What every kind of deadline gives the scan: its open items and its history, each as one set-based query.

A kind is a class naming the record it watches (`object_type`, `model`) and building two QuerySets:
`open_items(rule, now)`, the records whose deadline is open and has come within the reminder window, and
`history(rule)`, every record the deadline ever applied to with when it fell due and when it was met. Both are
compiled by the scan into `INSERT ... SELECT` and `GROUP BY` statements: no record is ever loaded into Python.
Their columns are named with the prefixes below (a_ for open items, h_ for history) so that no alias clashes with a
field of the model.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Case as Choose
from django.db.models import F, Func, Value, When
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone

from clts.alerts.models import Timing

OPEN_COLUMNS = (
    "a_object",
    "a_case",
    "a_institution",
    "a_district",
    "a_block",
    "a_assignee",
    "a_department",
    "a_due",
    "a_action",
)
HISTORY_COLUMNS = ("h_object", "h_district", "h_block", "h_officer", "h_institution", "h_due", "h_done")


class DayEnd(Func):
    """The moment a date ends in the deployment's time zone: a deadline "on" a date passes at the next midnight."""

    output_field = models.DateTimeField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"((({sql}) + 1)::timestamp AT TIME ZONE %s)", [*params, settings.TIME_ZONE]


class DayStart(Func):
    """The moment a date begins in the deployment's time zone (work recorded "on" a date counts from its start)."""

    output_field = models.DateTimeField()

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql})::timestamp AT TIME ZONE %s)", [*params, settings.TIME_ZONE]


def null(field: models.Field | None = None) -> Cast:
    """A typed NULL (an untyped one would make a text column of the scan's temporary table)."""
    return Cast(Value(None), field or models.BigIntegerField())


def _expression(value):
    if value is None:
        return null()
    return F(value) if isinstance(value, str) else value


def open_values(
    queryset,
    *,
    obj,
    case,
    district,
    block,
    due,
    action: str | models.Expression,
    institution=None,
    assignee=None,
    department=None,
) -> models.QuerySet:
    """The open-item columns: object, case, institution, district, block, assignee, department, due time, action."""
    if isinstance(action, str):
        action = Value(action, output_field=models.CharField())
    columns = {
        "object": obj,
        "case": case,
        "institution": institution,
        "district": district,
        "block": block,
        "assignee": assignee,
        "department": department,
        "due": due,
        "action": action,
    }
    return queryset.order_by().values(**{f"a_{name}": _expression(value) for name, value in columns.items()})


def history_values(
    queryset, *, district, block, due, done, officer=None, institution=None, obj="pk"
) -> models.QuerySet:
    """The history columns: object, district, block, officer, institution, when it fell due, when it was met."""
    columns = {
        "object": obj,
        "district": district,
        "block": block,
        "officer": officer,
        "institution": institution,
        "due": due,
        "done": done,
    }
    return queryset.order_by().values(**{f"h_{name}": _expression(value) for name, value in columns.items()})


def home_place(prefix: str = "") -> dict:
    """District and block of the case's home (the rescuing ones when the home is outside the state)."""
    return {
        "district": Coalesce(f"{prefix}home_district_id", f"{prefix}district_id"),
        "block": Choose(
            When(**{f"{prefix}home_district_id__isnull": False}, then=F(f"{prefix}home_block_id")),
            default=F(f"{prefix}block_id"),
        ),
    }


def step_by_status(status: str, step: str, *, otherwise: str) -> Choose:
    """The next step's name: `step` while the record is at `status`, `otherwise` after it."""
    return Choose(When(status=status, then=Value(step)), default=Value(otherwise), output_field=models.CharField())


def after(field: str, rule) -> models.Expression:
    """`field` plus the rule's due time (a timestamp expression)."""
    return models.ExpressionWrapper(F(field) + Value(rule.due_delta), output_field=models.DateTimeField())


def started_by(rule, now: datetime) -> datetime:
    """Records whose clock started at or before this moment are due within the reminder window (or overdue)."""
    return now - rule.due_delta + rule.remind_delta


def due_before(rule, now: datetime) -> date:
    """Records due on a date before this one are due within the reminder window (or overdue)."""
    return timezone.localdate(now + rule.remind_delta)


class RuleKind:
    """One kind of deadline, evaluated set-based. Subclasses fill the class attributes and the two queries."""

    key: ClassVar[str]
    object_type: ClassVar[str]
    model: ClassVar[type[models.Model]]
    timings: ClassVar[tuple[str, ...]] = (Timing.AFTER_START,)
    # False for a deadline that can only be measured after the fact (a record entered late did not exist before).
    raises_alerts: ClassVar[bool] = True
    # What the responsible person is asked to do, by the alert's action.
    tasks: ClassVar[dict[str, str]] = {}

    def open_items(self, *, rule, now: datetime) -> models.QuerySet:
        raise NotImplementedError

    def history(self, *, rule) -> models.QuerySet:
        raise NotImplementedError

    def link(self, *, alert, user) -> str:
        """The page with the form that satisfies the deadline."""
        return reverse("rescue:case-detail", kwargs={"case_number": alert.case.case_number})

    def task(self, action: str) -> str:
        return self.tasks.get(action) or next(iter(self.tasks.values()), "")
