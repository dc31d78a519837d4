"""Every write of trackchild_sync: the Committee's proceedings on a case (production and orders).

The orders drive the case workflow of rescue (produced, in shelter, restored) through rescue's own services.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clts.accounts import access
from clts.orgs.models import Institution
from rescue import services as rescue_services
from rescue.models import Case, CaseEvent
from rescue.models import Status as S
from trackchild_sync.models import CwcOrder


@transaction.atomic
def cwc_order_record(
    *,
    case: Case,
    actor,
    kind: str = "",
    ordered_on=None,
    order_number: str = "",
    cci: Institution | None = None,
    restored_to: str = "",
    notes: str = "",
    produced_at: datetime | None = None,
    late_reason: str = "",
) -> Case:
    """A CWC member records the production of the child (if not yet recorded) and the Committee's order.

    Nothing is recorded without something to record: a form with neither production nor order is refused, and a
    restoration names to whom the child is restored.
    """
    access.require_writable(actor, case)
    if not access.can(actor, "case.record_cwc_order"):
        raise PermissionDenied
    cwc = actor.institution if getattr(actor, "institution", None) else case.cwc
    production_recorded = case.status == S.RESCUED
    if kind == CwcOrder.Kind.RESTORATION and not restored_to.strip():
        raise ValidationError({"restored_to": _("Name the person to whom the child is restored, and the place.")})
    if case.status == S.RESCUED:
        if produced_at is None:
            raise ValidationError({"produced_at": _("Record when the child was produced before the Committee.")})
        case = rescue_services.case_transition(
            case=case,
            to=S.PRODUCED,
            actor=actor,
            reason=gettext_lazy("Produced before the Committee."),
            at=produced_at,
            cwc=cwc,
            late_reason=late_reason,
        )
    if not kind:
        if production_recorded:
            return case
        raise ValidationError({"kind": _("Choose the order of the Committee.")})
    if ordered_on is None:
        raise ValidationError({"ordered_on": _("Give the date of the order.")})
    if ordered_on > timezone.localdate():
        raise ValidationError({"ordered_on": _("The date cannot be in the future.")})
    if case.produced_at and ordered_on < timezone.localdate(case.produced_at):
        raise ValidationError({"ordered_on": _("The order cannot be dated before the production.")})
    if kind in (CwcOrder.Kind.INTERIM_SHELTER, CwcOrder.Kind.CCI_PLACEMENT):
        if cci is None or cci.kind != Institution.Kind.CCI:
            raise ValidationError({"cci": _("Choose the CCI or shelter the child is placed in.")})
        target = S.IN_SHELTER
    else:
        target = S.RESTORED
    order = CwcOrder.objects.create(
        case=case,
        cwc=cwc or case.cwc,
        kind=kind,
        order_number=order_number,
        ordered_on=ordered_on,
        cci=cci if target == S.IN_SHELTER else None,
        restored_to=restored_to,
        notes=notes,
        recorded_by=actor,
    )
    reason = _("CWC order: %(kind)s.") % {"kind": order.get_kind_display()}
    at = timezone.now()
    if target == case.status == S.IN_SHELTER:
        # From interim shelter to a CCI: the status stays, the institution changes.
        return rescue_services.case_cci_move(case=case, cci=cci, actor=actor, reason=reason, at=at, order=order)
    rescue_services.case_event_record(
        case, kind=CaseEvent.Kind.CWC_ORDER, actor=actor, at=at, reason=notes, order=order, order_kind=kind
    )
    details = {"cci": cci} if target == S.IN_SHELTER else {}
    return rescue_services.case_transition(
        case=case, to=target, actor=actor, reason=reason, at=at, order=order, **details
    )
