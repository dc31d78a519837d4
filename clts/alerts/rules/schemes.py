"""Deadlines of schemes: the household recorded after restoration, the application made, the decision in time."""

from django.db.models import Exists, F, Max, OuterRef, Q, Subquery
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
from rescue.models import Case, Status
from schemes.models import HouseholdChild, Linkage, LinkageEvent, LinkageStatus

FOLLOWED = (Status.RESTORED, Status.REHABILITATION, Status.FOLLOW_UP)


class HouseholdRecorded(RuleKind):
    """The household of a restored child recorded, so that schemes can be identified (clock: restored; met: the
    child linked to a household)."""

    key = "schemes.household"
    object_type = "case"
    model = Case
    tasks = {"household": _("Record the child's household")}

    def open_items(self, *, rule, now):
        cases = Case.objects.filter(status__in=FOLLOWED, restored_at__lte=started_by(rule, now)).exclude(
            Exists(HouseholdChild.objects.filter(child_id=OuterRef("child_id")))
        )
        return open_values(
            cases,
            obj="pk",
            case="pk",
            **home_place(),
            due=after("restored_at", rule),
            action="household",
        )

    def link(self, *, alert, user):
        return reverse("schemes:household-create", kwargs={"case_number": alert.case.case_number})

    def history(self, *, rule):
        return history_values(
            Case.objects.filter(restored_at__isnull=False),
            **home_place(),
            due=after("restored_at", rule),
            done=F("child__household_link__linked_at"),
        )


def _open_linkages(linkages, *, due, action):
    """A linkage's open item: the linkage itself, its case, where it is handled and the department that decides."""
    return open_values(
        linkages,
        obj="pk",
        case="case_id",
        district="district_id",
        block="block_id",
        department="department_id",
        due=due,
        action=action,
    )


def _identified_at():
    """When the current attempt started: the last move to "identified" (a reapplication), else the identification."""
    last = (
        LinkageEvent.objects.filter(linkage_id=OuterRef("pk"), to_status=LinkageStatus.IDENTIFIED)
        .values("linkage_id")
        .annotate(at=Max("at"))
        .values("at")
    )
    return Coalesce(Subquery(last), "identified_at")


class LinkageApplication(RuleKind):
    """An identified scheme applied for (clock: identified, or reapplication; met: the application recorded)."""

    key = "schemes.application"
    object_type = "linkage"
    model = Linkage
    tasks = {
        "documents": _("Complete the documents for the scheme"),
        "apply": _("Apply for the scheme"),
    }

    def open_items(self, *, rule, now):
        linkages = (
            Linkage.objects.filter(status__in=[LinkageStatus.IDENTIFIED, LinkageStatus.DOCUMENTS_COMPLETE])
            .annotate(started=_identified_at())
            .filter(started__lte=started_by(rule, now))
        )
        action = step_by_status(LinkageStatus.IDENTIFIED, "documents", otherwise="apply")
        return _open_linkages(linkages, due=after("started", rule), action=action)

    def history(self, *, rule):
        linkages = Linkage.objects.filter(
            Q(applied_on__isnull=False) | Q(status__in=[LinkageStatus.IDENTIFIED, LinkageStatus.DOCUMENTS_COMPLETE])
        ).annotate(started=_identified_at())
        return history_values(
            linkages,
            district="district_id",
            block="block_id",
            officer="identified_by_id",
            due=after("started", rule),
            done=DayStart("applied_on"),
        )

    def link(self, *, alert, user):
        name = "schemes:linkage-documents" if alert.action == "documents" else "schemes:linkage-apply"
        return reverse(name, kwargs={"pk": alert.object_id})


class LinkageServiceTime(RuleKind):
    """An application decided and the benefit received within the scheme's service time (due: the linkage's
    own date, from the scheme's service days; met: received or rejected)."""

    key = "schemes.service_time"
    object_type = "linkage"
    model = Linkage
    timings = (Timing.RECORD,)
    tasks = {
        "sanction": _("Follow up the application with the office"),
        "receive": _("Record the benefit received"),
    }

    def open_items(self, *, rule, now):
        linkages = Linkage.objects.filter(
            status__in=[LinkageStatus.APPLIED, LinkageStatus.SANCTIONED], due_on__lt=due_before(rule, now)
        )
        action = step_by_status(LinkageStatus.APPLIED, "sanction", otherwise="receive")
        return _open_linkages(linkages, due=DayEnd("due_on"), action=action)

    def history(self, *, rule):
        return history_values(
            Linkage.objects.filter(due_on__isnull=False),
            district="district_id",
            block="block_id",
            due=DayEnd("due_on"),
            done=DayStart(Coalesce("received_on", "rejected_on")),
        )

    def link(self, *, alert, user):
        name = "schemes:linkage-sanction" if alert.action == "sanction" else "schemes:linkage-receive"
        return reverse(name, kwargs={"pk": alert.object_id})


KINDS = [HouseholdRecorded, LinkageApplication, LinkageServiceTime]
