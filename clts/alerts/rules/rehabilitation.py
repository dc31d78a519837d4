"""Deadlines of rehabilitation: each component's due date, scheduled visits, decisions on worrying visits."""

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clts.alerts.models import Timing
from clts.alerts.rules.base import (
    DayEnd,
    DayStart,
    RuleKind,
    after,
    due_before,
    history_values,
    home_place,
    open_values,
    started_by,
    step_by_status,
)
from rehabilitation.models import OPEN_STATUSES, Component, ComponentStatus, Visit
from rehabilitation.queries import FINAL_STATUSES


class ComponentDue(RuleKind):
    """A package component sanctioned and disbursed by its due date (met: disbursed or waived)."""

    key = "rehabilitation.component"
    object_type = "component"
    model = Component
    timings = (Timing.RECORD,)
    tasks = {"sanction": _("Record the sanction of the component"), "disburse": _("Record the disbursement")}

    def open_items(self, *, rule, now):
        components = Component.objects.filter(status__in=OPEN_STATUSES, due_on__lt=due_before(rule, now))
        action = step_by_status(ComponentStatus.PLANNED, "sanction", otherwise="disburse")
        return open_values(
            components,
            obj="pk",
            case="package__case_id",
            due=DayEnd("due_on"),
            action=action,
            **home_place("package__case__"),
        )

    def history(self, *, rule):
        return history_values(
            Component.objects.filter(due_on__isnull=False),
            officer=Coalesce("disbursed_by_id", "waived_by_id"),
            due=DayEnd("due_on"),
            done=DayStart(Coalesce("disbursed_on", "waived_on")),
            **home_place("package__case__"),
        )

    def link(self, *, alert, user):
        name = (
            "rehabilitation:component-sanction" if alert.action == "sanction" else "rehabilitation:component-disburse"
        )
        return reverse(name, kwargs={"pk": alert.object_id})


class VisitDue(RuleKind):
    """A scheduled follow-up visit made by its due date (met: the visit recorded)."""

    key = "rehabilitation.visit"
    object_type = "visit"
    model = Visit
    timings = (Timing.RECORD,)
    tasks = {"record": _("Make the follow-up visit and record it")}

    def open_items(self, *, rule, now):
        visits = Visit.objects.filter(visited_on__isnull=True, due_on__lt=due_before(rule, now)).exclude(
            case__status__in=FINAL_STATUSES
        )
        return open_values(
            visits,
            obj="pk",
            case="case_id",
            assignee="assigned_to_id",
            due=DayEnd("due_on"),
            action="record",
            **home_place("case__"),
        )

    def history(self, *, rule):
        # Made, or still to be made in a case that is followed up (a closed case's pending visits are not owed).
        visits = Visit.objects.filter(Q(visited_on__isnull=False) | ~Q(case__status__in=FINAL_STATUSES))
        return history_values(
            visits,
            officer=Coalesce("recorded_by_id", "assigned_to_id"),
            due=DayEnd("due_on"),
            done=DayStart("visited_on"),
            **home_place("case__"),
        )

    def link(self, *, alert, user):
        return reverse("rehabilitation:visit-record", kwargs={"pk": alert.object_id})


class VisitDecision(RuleKind):
    """The district officer's decision on a visit that found the child working again or not found (clock: the
    visit recorded; met: the decision recorded)."""

    key = "rehabilitation.decision"
    object_type = "visit"
    model = Visit
    tasks = {"decide": _("Decide on the visit that raised the case")}

    def open_items(self, *, rule, now):
        visits = Visit.objects.filter(needs_decision=True, decision="", recorded_at__lte=started_by(rule, now))
        return open_values(
            visits, obj="pk", case="case_id", due=after("recorded_at", rule), action="decide", **home_place("case__")
        )

    def history(self, *, rule):
        return history_values(
            Visit.objects.filter(needs_decision=True, recorded_at__isnull=False),
            officer="decided_by_id",
            due=after("recorded_at", rule),
            done="decided_at",
            **home_place("case__"),
        )

    def link(self, *, alert, user):
        # Back to the work list once decided: the item is gone from it.
        return (
            reverse("rehabilitation:visit-decide", kwargs={"pk": alert.object_id})
            + "?next="
            + reverse("alerts:my-work")
        )


KINDS = [ComponentDue, VisitDue, VisitDecision]
