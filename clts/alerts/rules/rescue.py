"""Deadlines of rescue: the case entered, the child produced before the CWC, transfers received."""

from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clts.accounts import access
from clts.accounts.roles import Role
from clts.alerts.rules.base import RuleKind, after, history_values, open_values, started_by
from rescue.models import Case, Status, Transfer, TransferKind


class CaseEntry(RuleKind):
    """The case entered within its time of the rescue (clock: rescued at; met: the case registered)."""

    key = "rescue.entry"
    object_type = "case"
    model = Case
    # A case not yet entered has no row to remind about: this deadline is measured after the fact.
    raises_alerts = False
    tasks = {"enter": _("Enter the rescue")}

    def history(self, *, rule):
        # Rescued within the state: a rescue elsewhere is entered when the other state reports it.
        return history_values(
            Case.objects.filter(district__isnull=False),
            district="district_id",
            block="block_id",
            officer="created_by_id",
            due=after("rescue__rescued_at", rule),
            done="created_at",
        )


class Production(RuleKind):
    """Production before the CWC (clock: rescued at; met: produced at)."""

    key = "rescue.production"
    object_type = "case"
    model = Case
    tasks = {"produce": _("Produce the child before the CWC and record it")}

    def open_items(self, *, rule, now):
        cases = Case.objects.filter(
            status=Status.RESCUED,
            produced_at__isnull=True,
            district__isnull=False,
            rescue__rescued_at__lte=started_by(rule, now),
        )
        return open_values(
            cases,
            obj="pk",
            case="pk",
            institution="cwc_id",
            district="district_id",
            block="block_id",
            due=after("rescue__rescued_at", rule),
            action="produce",
        )

    def history(self, *, rule):
        # Produced, or still waiting to be (a case that left the workflow unproduced has no deadline to meet).
        cases = Case.objects.filter(Q(produced_at__isnull=False) | Q(status=Status.RESCUED), district__isnull=False)
        return history_values(
            cases,
            district="district_id",
            block="block_id",
            officer="created_by_id",
            institution="cwc_id",
            due=after("rescue__rescued_at", rule),
            done="produced_at",
        )

    def link(self, *, alert, user):
        # The CWC member records the production and the order; the officers follow it from the case page.
        if user.role == Role.CWC and access.can(user, "case.record_cwc_order"):
            return reverse("trackchild:cwc-order-create", kwargs={"case_number": alert.case.case_number})
        return super().link(alert=alert, user=user)


class _TransferRule(RuleKind):
    """A transfer of one kind that the receiving district completes (clock: initiated; met: `done`)."""

    object_type = "transfer"
    model = Transfer
    transfer_kind: str
    action: str
    done = F("completed_at")
    officer: str | None = None  # who met it, where the transfer records a person

    def open_items(self, *, rule, now):
        transfers = Transfer.objects.filter(
            kind=self.transfer_kind, completed_at__isnull=True, initiated_at__lte=started_by(rule, now)
        )
        return open_values(
            transfers,
            obj="pk",
            case="case_id",
            district="to_district_id",
            block="case__home_block_id",
            due=after("initiated_at", rule),
            action=self.action,
        )

    def history(self, *, rule):
        return history_values(
            Transfer.objects.filter(kind=self.transfer_kind),
            district="to_district_id",
            block="case__home_block_id",
            officer=self.officer,
            due=after("initiated_at", rule),
            done=self.done,
        )


class TransferAcknowledgement(_TransferRule):
    """The home district acknowledges a transfer between districts (clock: initiated; met: acknowledged)."""

    key = "rescue.transfer_ack"
    transfer_kind = TransferKind.DISTRICT
    action = "acknowledge"
    done = "acknowledged_at"
    officer = "acknowledged_by_id"
    tasks = {"acknowledge": _("Acknowledge receipt of the transferred case")}


class Repatriation(_TransferRule):
    """A child of the state rescued elsewhere handed over to the home district (clock: initiated; met: handed over)."""

    key = "rescue.repatriation"
    transfer_kind = TransferKind.REPATRIATION
    action = "step"
    tasks = {"step": _("Record the repatriation's next step")}

    def link(self, *, alert, user):
        return reverse("rescue:transfer-step", kwargs={"case_number": alert.case.case_number, "pk": alert.object_id})


KINDS = [CaseEntry, Production, TransferAcknowledgement, Repatriation]
