"""Transfers between districts and states: the home district's acknowledgment, repatriation and handover steps."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clts.accounts import access
from clts.geo.models import District
from clts.orgs.models import Institution
from rescue.models import Case, CaseEvent, Interstate, Transfer, TransferKind, TransferStage
from rescue.queries import home_state
from rescue.services.workflow import (
    OPEN_STATUSES,
    S,
    SystemText,
    _apply_transition,
    _check_time,
    case_event_record,
)


@transaction.atomic
def case_transfer_to_district(*, case: Case, actor, to_district: District, reason: str, to_block=None) -> Transfer:
    """The child's home turns out to be in another district of the state: that district takes the case over."""
    access.require_writable(actor, case)
    if not access.can(actor, "case.transfer"):
        raise PermissionDenied
    home = home_state()
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status not in OPEN_STATUSES:
        raise ValidationError(_("A closed case cannot be transferred."))
    if case.interstate != Interstate.NONE:
        raise ValidationError(_("An interstate case moves by repatriation or handover, not by district transfer."))
    if to_district.state_id != home.pk:
        raise ValidationError({"to_district": _("Choose a district of %(home)s.") % {"home": home.name}})
    if to_district.pk == case.home_district_id:
        raise ValidationError({"to_district": _("The case is already with this district.")})
    if to_block is not None and to_block.district_id != to_district.pk:
        raise ValidationError({"to_block": _("This block is not in the chosen district.")})
    if case.transfers.filter(kind=TransferKind.DISTRICT, completed_at__isnull=True).exists():
        raise ValidationError(_("A transfer of this case is already waiting for acknowledgment."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the transfer.")})
    now = timezone.now()
    transfer = Transfer.objects.create(
        case=case,
        kind=TransferKind.DISTRICT,
        from_state=home,
        from_district=case.home_district or case.district,
        to_state=home,
        to_district=to_district,
        reason=reason,
        initiated_by=actor,
        initiated_at=now,
    )
    case.home_district, case.home_block = to_district, to_block
    case.save(update_fields=["home_district", "home_block", "updated_at"])
    case_event_record(case, kind=CaseEvent.Kind.TRANSFER, actor=actor, at=now, reason=reason, transfer=transfer)
    return transfer


@transaction.atomic
def transfer_acknowledge(*, transfer: Transfer, actor, note: str = "") -> Transfer:
    """The home district confirms it has received the case; the transfer stops being pending."""
    access.require_writable(actor, transfer)
    if not access.can(actor, "case.acknowledge_transfer"):
        raise PermissionDenied
    transfer = Transfer.objects.select_for_update().select_related("case").get(pk=transfer.pk)
    if transfer.kind != TransferKind.DISTRICT:
        raise ValidationError(_("Only a transfer between districts is acknowledged; record the handover instead."))
    if not transfer.is_pending:
        raise ValidationError(_("This transfer has already been acknowledged."))
    if not actor.is_state_wide and actor.district_id != transfer.to_district_id:
        raise ValidationError(_("Only the receiving district can acknowledge the transfer."))
    now = timezone.now()
    transfer.stage = TransferStage.ACKNOWLEDGED
    transfer.acknowledged_by, transfer.acknowledged_at, transfer.completed_at = actor, now, now
    transfer.save(update_fields=["stage", "acknowledged_by", "acknowledged_at", "completed_at"])
    case = transfer.case
    case.responsible_officer = actor
    case.save(update_fields=["responsible_officer", "updated_at"])
    case_event_record(
        case,
        kind=CaseEvent.Kind.TRANSFER,
        actor=actor,
        at=now,
        reason=note or gettext_lazy("Receipt acknowledged by the home district."),
        transfer=transfer,
        stage=transfer.stage,
    )
    return transfer


STEP_FIELDS = {
    TransferStage.ESCORT: ("escort_name", "escort_designation", "escort_phone", "travel_mode"),
    TransferStage.TRAVEL: ("travel_mode",),
    TransferStage.ARRIVED: (),
    TransferStage.HANDED_OVER: ("handed_over_to", "home_cwc"),
}
STEP_TIME = {
    TransferStage.TRAVEL: "travel_started_at",
    TransferStage.ARRIVED: "arrived_at",
    TransferStage.HANDED_OVER: "handed_over_at",
}


@transaction.atomic
def transfer_record_step(*, transfer: Transfer, actor, step: str, at: datetime | None = None, **details) -> Transfer:
    """Record the next step of a repatriation or handover: escort, travel, arrival, handover."""
    access.require_writable(actor, transfer)
    if not access.can(actor, "case.transfer"):
        raise PermissionDenied
    transfer = Transfer.objects.select_for_update().select_related("case").get(pk=transfer.pk)
    if transfer.kind == TransferKind.DISTRICT:
        raise ValidationError(_("A transfer between districts is completed by the home district's acknowledgment."))
    if step not in transfer.next_steps:
        raise ValidationError({"step": _("This step cannot be recorded now.")})
    at = at or timezone.now()
    earlier = [transfer.initiated_at, transfer.travel_started_at, transfer.arrived_at]
    _check_time(at, not_before=max(t for t in earlier if t), field="at")
    for name in STEP_FIELDS[step]:
        value = details.get(name)
        if isinstance(value, str):
            value = value.strip()
        if value not in (None, ""):
            setattr(transfer, name, value)
    if step == TransferStage.ESCORT and not transfer.escort_name:
        raise ValidationError({"escort_name": _("Name the escort.")})
    if step == TransferStage.HANDED_OVER:
        if transfer.kind == TransferKind.REPATRIATION:
            if transfer.home_cwc is None or transfer.home_cwc.kind != Institution.Kind.CWC:
                raise ValidationError({"home_cwc": _("Choose the home district's CWC that received the child.")})
            transfer.handed_over_to = transfer.handed_over_to or transfer.home_cwc.name
        elif not transfer.handed_over_to:
            raise ValidationError({"handed_over_to": _("Name the authority of the home state that took charge.")})
        transfer.completed_at = at
    if step in STEP_TIME:
        setattr(transfer, STEP_TIME[step], at)
    transfer.stage = step
    transfer.save()
    case = transfer.case
    case_event_record(
        case,
        kind=CaseEvent.Kind.TRANSFER,
        actor=actor,
        at=at,
        reason=details.get("note", ""),
        transfer=transfer,
        stage=step,
        **{name: getattr(transfer, name) for name in STEP_FIELDS[step]},
    )
    if step == TransferStage.HANDED_OVER and transfer.kind == TransferKind.REPATRIATION:
        case.cwc = transfer.home_cwc
        case.save(update_fields=["cwc", "updated_at"])
    elif step == TransferStage.HANDED_OVER and transfer.kind == TransferKind.HANDOVER:
        _apply_transition(
            case=case,
            to=S.TRANSFERRED_OUT,
            actor=actor,
            reason=SystemText(gettext_lazy("Handed over to %(to)s."), to=transfer.handed_over_to),
            at=at,
            details={"transfer": transfer},
        )
    return transfer
