"""Deadlines of trackchild_sync: the Committee's time limits on a case (the CWC's steps, as data).

A step's time is kept in trackchild_sync (`CwcStep.due_after`, empty until a source fixes it), so the rule is timed
by the record: due when the step's clock started plus its time. A step with no time is never due.
"""

from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clts.accounts.roles import Role
from clts.alerts.models import Timing
from clts.alerts.rules.base import RuleKind, history_values, open_values
from trackchild_sync.models import CwcDeadline


def _due() -> models.Expression:
    return models.ExpressionWrapper(F("started_at") + F("step__due_after"), output_field=models.DateTimeField())


class CwcStepDue(RuleKind):
    """A step of the Committee's proceedings done in its time (clock: production or the order that starts it; met:
    the order that satisfies it)."""

    key = "trackchild.cwc_order"
    object_type = "cwc_deadline"
    model = CwcDeadline
    timings = (Timing.RECORD,)
    tasks = {"order": _("Record the Committee's order or report")}

    def open_items(self, *, rule, now):
        deadlines = (
            CwcDeadline.objects.filter(met_at__isnull=True, step__due_after__isnull=False)
            .annotate(due=_due())
            .filter(due__lte=now + rule.remind_delta)
        )
        return open_values(
            deadlines,
            obj="pk",
            case="case_id",
            institution="case__cwc_id",
            district="case__district_id",
            block="case__block_id",
            due=_due(),
            action="order",
        )

    def history(self, *, rule):
        return history_values(
            CwcDeadline.objects.filter(step__due_after__isnull=False),
            district="case__district_id",
            block="case__block_id",
            institution="case__cwc_id",
            officer="met_by__recorded_by_id",
            due=_due(),
            done="met_at",
        )

    def link(self, *, alert, user):
        if user.role == Role.CWC:
            return reverse("trackchild:cwc-order-create", kwargs={"case_number": alert.case.case_number})
        return super().link(alert=alert, user=user)


KINDS = [CwcStepDue]
