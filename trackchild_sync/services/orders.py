"""Every write of trackchild_sync: the Committee's proceedings on a case (production and orders).

The orders drive the case workflow of rescue (produced, in shelter, restored) through rescue's own services.
"""

from __future__ import annotations

from datetime import datetime, time

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
from trackchild_sync.choices import LeavingReason
from trackchild_sync.models import CwcDeadline, CwcOrder, CwcSitting, CwcStep, Residence
from trackchild_sync.services import register


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
    restored_place: str = "",
    notes: str = "",
    produced_at: datetime | None = None,
    late_reason: str = "",
    exception_order: str = "",
    sitting: CwcSitting | None = None,
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
    if kind == CwcOrder.Kind.RESTORATION:
        # A restoration order names both: the family member who takes charge, and where the child will live.
        missing = {}
        if not restored_to.strip():
            missing["restored_to"] = _("Name the person to whom the child is restored.")
        if not restored_place.strip():
            missing["restored_place"] = _("Name the place where the child will live.")
        if missing:
            raise ValidationError(missing)
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
        deadlines_start(case=case, clock=CwcStep.Clock.PRODUCTION, at=produced_at)
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
    elif kind == CwcOrder.Kind.RESTORATION:
        target = S.RESTORED
    else:
        # Reports, care plans, sponsorship, foster care, repatriation: recorded on the case; the status stays (a
        # repatriation moves the case through rescue's transfer steps).
        target = None
    if sitting is not None and (sitting.cwc_id != (cwc or case.cwc).pk or sitting.sat_on != ordered_on):
        raise ValidationError({"sitting": _("Choose a sitting of this Committee held on the date of the order.")})
    order = CwcOrder.objects.create(
        case=case,
        cwc=cwc or case.cwc,
        sitting=sitting,
        kind=kind,
        order_number=order_number,
        ordered_on=ordered_on,
        cci=cci if target == S.IN_SHELTER else None,
        restored_to=restored_to.strip(),
        restored_place=restored_place.strip(),
        notes=notes,
        recorded_by=actor,
    )
    # Kept as the msgid and the order's kind, shown on the timeline in each reader's language.
    reason = rescue_services.SystemText(gettext_lazy("CWC order: %(kind)s."), kind=CwcOrder.Kind(kind).label)
    at = timezone.now()
    _register_follows(order=order, actor=actor, exception_order=exception_order)
    _deadlines_follow(order=order)
    if target == case.status == S.IN_SHELTER:
        # From interim shelter to a CCI: the status stays, the institution changes.
        return rescue_services.case_cci_move(case=case, cci=cci, actor=actor, reason=reason, at=at, order=order)
    rescue_services.case_event_record(
        case, kind=CaseEvent.Kind.CWC_ORDER, actor=actor, at=at, reason=notes, order=order, order_kind=kind
    )
    if target is None:
        return case
    details = {"cci": cci} if target == S.IN_SHELTER else {}
    return rescue_services.case_transition(
        case=case, to=target, actor=actor, reason=reason, at=at, order=order, **details
    )


def deadlines_start(*, case: Case, clock: str, at: datetime) -> None:
    """Start the clock of every step timed from this moment (a step already running on the case keeps its start)."""
    for step in CwcStep.objects.filter(clock=clock):
        if not CwcDeadline.objects.filter(case=case, step=step, met_at__isnull=True).exists():
            CwcDeadline.objects.create(case=case, step=step, started_at=at)


def _deadlines_follow(*, order: CwcOrder) -> None:
    """An order meets the open steps it satisfies, and a report ordered starts the report's own clock."""
    met_at = timezone.now()
    for deadline in CwcDeadline.objects.filter(case=order.case, met_at__isnull=True).select_related("step"):
        if order.kind in deadline.step.met_by_kinds:
            deadline.met_at, deadline.met_by = met_at, order
            deadline.save(update_fields=["met_at", "met_by"])
    if order.kind == CwcOrder.Kind.SIR_ORDERED:
        started = timezone.make_aware(datetime.combine(order.ordered_on, time.min))
        deadlines_start(case=order.case, clock=CwcStep.Clock.SIR_ORDERED, at=started)


def _register_follows(*, order: CwcOrder, actor, exception_order: str) -> None:
    """The CCI register follows the Committee's order, so the home's staff never enter it a second time: a
    placement admits the child to the home (or transfers the child there), a restoration discharges the child."""
    case = order.case
    current = Residence.objects.filter(case=case, left_on__isnull=True).first()
    on = max(order.ordered_on, current.admitted_on) if current else order.ordered_on
    if order.cci_id:
        if current is not None and current.institution_id == order.cci_id:
            return
        placement = {
            "cwc": order.cwc,
            "ordered_on": order.ordered_on,
            "order_number": order.order_number,
            "exception_order": exception_order,
        }
        if current is not None:
            register.residence_transfer(
                actor=actor, residence=current, to=order.cci, on=on, cwc_order=order, by_order=True, **placement
            )
        else:
            register.residence_admit(
                actor=actor,
                institution=order.cci,
                admitted_on=on,
                case=case,
                cwc_order=order,
                by_order=True,
                **placement,
            )
    elif order.kind in _LEAVES_THE_HOME and current is not None:
        register.residence_discharge(
            actor=actor, residence=current, on=on, reason=_LEAVES_THE_HOME[order.kind], by_order=True
        )


# Orders that take the child out of the home, and the register's reason for it.
_LEAVES_THE_HOME = {
    CwcOrder.Kind.RESTORATION: LeavingReason.RESTORATION,
    CwcOrder.Kind.FOSTER_CARE: LeavingReason.FOSTER_CARE,
}


@transaction.atomic
def cwc_sitting_record(*, actor, sat_on, members_present: int, place: str = "", notes: str = "") -> CwcSitting:
    """A CWC member records a sitting of their Committee (one a day)."""
    access.require(actor, "case.record_cwc_order")
    cwc = getattr(actor, "institution", None)
    if cwc is None or cwc.kind != Institution.Kind.CWC:
        raise PermissionDenied
    if sat_on > timezone.localdate():
        raise ValidationError({"sat_on": _("The date cannot be in the future.")})
    if CwcSitting.objects.filter(cwc=cwc, sat_on=sat_on).exists():
        raise ValidationError({"sat_on": _("A sitting on this date is already recorded.")})
    return CwcSitting.objects.create(
        cwc=cwc, sat_on=sat_on, members_present=members_present, place=place, notes=notes, recorded_by=actor
    )
