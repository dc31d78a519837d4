"""The linkage workflow: identified, documents complete, applied, sanctioned, received or rejected,
and reapplied; each step an event."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clts.accounts import access
from rescue import services as rescue_services
from rescue.models import Case, CaseEvent
from schemes.models import (
    Beneficiary,
    DocumentKind,
    HouseholdChild,
    HouseholdMember,
    Linkage,
    LinkageEvent,
    LinkageStatus,
    ReceiptVerification,
    RejectionReason,
    Scheme,
)
from schemes.services.documents import document_record

# Which status each step leaves from and goes to.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "documents_complete": ((LinkageStatus.IDENTIFIED,), LinkageStatus.DOCUMENTS_COMPLETE),
    "apply": ((LinkageStatus.DOCUMENTS_COMPLETE,), LinkageStatus.APPLIED),
    "sanction": ((LinkageStatus.APPLIED,), LinkageStatus.SANCTIONED),
    "receive": ((LinkageStatus.SANCTIONED,), LinkageStatus.RECEIVED),
    "reject": ((LinkageStatus.APPLIED, LinkageStatus.SANCTIONED), LinkageStatus.REJECTED),
    "reapply": ((LinkageStatus.REJECTED,), LinkageStatus.IDENTIFIED),
    # The beneficiary already receives it (before the case, outside CLTS): recorded, never applied for again.
    "already": ((LinkageStatus.IDENTIFIED,), LinkageStatus.RECEIVED),
}


def _locked(linkage: Linkage) -> Linkage:
    return Linkage.objects.select_for_update().select_related("scheme").get(pk=linkage.pk)


def _move(linkage: Linkage, step: str, *, actor, note: str = "", data: dict | None = None) -> Linkage:
    sources, target = TRANSITIONS[step]
    if linkage.status not in sources:
        raise ValidationError(
            _("A linkage that is “%(status)s” cannot move to “%(target)s”.")
            % {"status": linkage.get_status_display(), "target": LinkageStatus(target).label}
        )
    now = timezone.now()
    LinkageEvent.objects.create(
        linkage=linkage,
        at=now,
        actor=actor,
        from_status=linkage.status,
        to_status=target,
        attempt=linkage.attempt,
        note=note,
        data=data or {},
    )
    linkage.status = target
    linkage.status_changed_at = now
    linkage.full_clean()
    linkage.save()
    # The step on the case's timeline too, in each reader's language (the scheme's name in both).
    scheme = linkage.scheme
    text = rescue_services.SystemText(
        gettext_lazy("Scheme %(scheme)s: %(step)s."),
        scheme=scheme.name_en,
        scheme_hi=scheme.name_hi,
        step=LinkageStatus(target).label,
    )
    rescue_services.case_event_record(linkage.case, kind=CaseEvent.Kind.SCHEME, actor=actor, at=now, reason=text)
    return linkage


def _not_future(value: date, field: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _not_before(value: date, earlier: date | None, field: str, message: str) -> None:
    if earlier and value < earlier:
        raise ValidationError({field: message})


@transaction.atomic
def linkage_identify(
    *, case: Case, scheme: Scheme, actor, member: HouseholdMember | None = None, today: date | None = None
) -> Linkage:
    """Start following one eligible beneficiary's benefit; the rule is checked again here."""
    access.require_writable(actor, case)
    from schemes import queries

    today = today or timezone.localdate()
    link = HouseholdChild.objects.select_related("household").filter(child_id=case.child_id).first()
    if link is None:
        raise ValidationError(_("Record the child's household first."))
    household = link.household
    if not scheme.is_active:
        raise ValidationError(_("This scheme is no longer offered."))
    if scheme.beneficiary == Beneficiary.MEMBER:
        if member is None or member.household_id != household.pk:
            raise ValidationError(_("Choose a member of the household."))
    elif member is not None:
        raise ValidationError(_("This scheme is for the child or the household, not a member."))
    found = queries.household_eligibility(household=household, today=today, schemes=[scheme])
    beneficiary_key = {
        Beneficiary.CHILD: ("child", case.child_id),
        Beneficiary.MEMBER: ("member", member.pk if member else None),
        Beneficiary.HOUSEHOLD: ("household", household.pk),
    }[scheme.beneficiary]
    if not any(item.key == beneficiary_key for item in found):
        raise ValidationError(_("The rule of this scheme is not met; check the household's details."))
    now = timezone.now()
    linkage = Linkage(
        scheme=scheme,
        household=household,
        case=case,
        child_id=case.child_id if scheme.beneficiary == Beneficiary.CHILD else None,
        member=member,
        district_id=household.district_id,
        block_id=household.block_id,
        department_id=scheme.department_id,
        identified_at=now,
        identified_by=actor,
        status_changed_at=now,
    )
    same = Linkage.objects.filter(scheme=scheme)
    if scheme.beneficiary == Beneficiary.CHILD:
        same = same.filter(child_id=case.child_id)
    elif scheme.beneficiary == Beneficiary.MEMBER:
        same = same.filter(member=member)
    else:
        same = same.filter(household=household, child__isnull=True, member__isnull=True)
    if same.exists():
        raise ValidationError(_("This benefit is already being followed."))
    linkage.full_clean()
    linkage.save()
    LinkageEvent.objects.create(
        linkage=linkage, at=now, actor=actor, from_status="", to_status=LinkageStatus.IDENTIFIED, attempt=1
    )
    return linkage


def _document_holder(linkage: Linkage, family: bool) -> dict:
    """Who a document marked as held is recorded on: the beneficiary, or for family papers the guardian."""
    if not family:
        if linkage.member_id:
            return {"member": linkage.member}
        if linkage.child_id:
            return {"child_id": linkage.child_id}
    guardian = linkage.household.members.filter(is_guardian=True).first()
    if guardian is not None:
        return {"member": guardian}
    if linkage.member_id:
        return {"member": linkage.member}
    return {"child_id": linkage.case.child_id}


@transaction.atomic
def linkage_documents_complete(*, linkage: Linkage, actor, now_held: list[str] | tuple[str, ...] = ()) -> Linkage:
    """Record the documents now in hand, then mark the linkage ready to apply (nothing may still be missing)."""
    access.require_writable(actor, linkage)
    from schemes import queries

    linkage = _locked(linkage)
    scheme = linkage.scheme
    for kind in now_held:
        if kind not in scheme.documents and kind not in scheme.family_documents:
            raise ValidationError(_("This scheme does not ask for that document."))
        family = kind not in scheme.documents or scheme.beneficiary == Beneficiary.HOUSEHOLD
        document_record(household=linkage.household, kind=kind, actor=actor, **_document_holder(linkage, family))
    missing = queries.linkage_missing_documents(linkage)
    if missing:
        raise ValidationError(
            _("Still missing: %(documents)s.") % {"documents": ", ".join(str(DocumentKind(k).label) for k in missing)}
        )
    return _move(linkage, "documents_complete", actor=actor, data={"recorded": list(now_held)})


@transaction.atomic
def linkage_apply(*, linkage: Linkage, applied_on: date, application_number: str, office: str, actor) -> Linkage:
    """The application was made: the scheme's service time (if it states one) runs from this date."""
    access.require_writable(actor, linkage)
    linkage = _locked(linkage)
    # An application the family made before the officer recorded the benefit may be entered late: only a future
    # date is refused.
    _not_future(applied_on, "applied_on")
    linkage.applied_on = applied_on
    linkage.application_number = application_number.strip()
    linkage.applied_office = office.strip() or linkage.scheme.office_en
    days = linkage.scheme.service_days
    linkage.due_on = applied_on + timedelta(days=days) if days else None
    return _move(
        linkage,
        "apply",
        actor=actor,
        data={"applied_on": applied_on.isoformat(), "application_number": linkage.application_number},
    )


@transaction.atomic
def linkage_sanction(*, linkage: Linkage, sanctioned_on: date, order: str, amount: Decimal | None, actor) -> Linkage:
    access.require_writable(actor, linkage)
    linkage = _locked(linkage)
    _not_future(sanctioned_on, "sanctioned_on")
    _not_before(sanctioned_on, linkage.applied_on, "sanctioned_on", _("The sanction cannot be before the application."))
    if amount is not None and amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    linkage.sanctioned_on = sanctioned_on
    linkage.sanction_order = order.strip()
    linkage.sanctioned_amount = amount
    return _move(
        linkage,
        "sanction",
        actor=actor,
        data={"sanctioned_on": sanctioned_on.isoformat(), "order": linkage.sanction_order, "amount": str(amount or "")},
    )


@transaction.atomic
def linkage_already_received(*, case: Case, scheme: Scheme, actor, member: HouseholdMember | None = None) -> Linkage:
    """Record that an eligible beneficiary already receives the benefit (a pension since before the rescue, say),
    so that nobody tells the family to apply for it; verified by the officer's home visit, as the note says."""
    linkage = linkage_identify(case=case, scheme=scheme, actor=actor, member=member)
    linkage.received_on = timezone.localdate()
    linkage.receipt_verification = ReceiptVerification.VISIT
    linkage.receipt_note = _("Already a beneficiary when the family was met.")
    return _move(linkage, "already", actor=actor, note=linkage.receipt_note, data={"already": True})


@transaction.atomic
def linkage_receive(*, linkage: Linkage, received_on: date, verification: str, note: str = "", actor) -> Linkage:
    """The family has the benefit, verified by a home visit or a document."""
    access.require_writable(actor, linkage)
    linkage = _locked(linkage)
    if verification not in ReceiptVerification.values:
        raise ValidationError({"verification": _("Say how the receipt was verified.")})
    _not_future(received_on, "received_on")
    _not_before(
        received_on, linkage.sanctioned_on, "received_on", _("The benefit cannot be received before the sanction.")
    )
    linkage.received_on = received_on
    linkage.receipt_verification = verification
    linkage.receipt_note = note.strip()
    return _move(
        linkage,
        "receive",
        actor=actor,
        note=linkage.receipt_note,
        data={"received_on": received_on.isoformat(), "verification": verification},
    )


@transaction.atomic
def linkage_reject(*, linkage: Linkage, rejected_on: date, reason: str, text: str = "", actor) -> Linkage:
    access.require_writable(actor, linkage)
    linkage = _locked(linkage)
    if reason not in RejectionReason.values:
        raise ValidationError({"reason": _("Choose the reason for the rejection.")})
    if reason == RejectionReason.OTHER and not text.strip():
        raise ValidationError({"text": _("Describe the reason for the rejection.")})
    _not_future(rejected_on, "rejected_on")
    _not_before(rejected_on, linkage.applied_on, "rejected_on", _("The rejection cannot be before the application."))
    linkage.rejected_on = rejected_on
    linkage.rejection_reason = reason
    linkage.rejection_text = text.strip()
    return _move(
        linkage,
        "reject",
        actor=actor,
        note=linkage.rejection_text,
        data={"rejected_on": rejected_on.isoformat(), "reason": reason},
    )


@transaction.atomic
def linkage_reapply(*, linkage: Linkage, actor, note: str = "") -> Linkage:
    """Start a new application after a rejection; the earlier attempt stays in the history."""
    access.require_writable(actor, linkage)
    linkage = _locked(linkage)
    if linkage.status != LinkageStatus.REJECTED:
        raise ValidationError(_("Only a rejected application can be made again."))
    previous = {
        "attempt": linkage.attempt,
        "applied_on": linkage.applied_on.isoformat() if linkage.applied_on else "",
        "application_number": linkage.application_number,
        "rejected_on": linkage.rejected_on.isoformat() if linkage.rejected_on else "",
        "reason": linkage.rejection_reason,
        "text": linkage.rejection_text,
    }
    linkage = _move(linkage, "reapply", actor=actor, note=note, data={"previous": previous})
    linkage.attempt += 1
    for name in ("applied_on", "due_on", "sanctioned_on", "sanctioned_amount", "rejected_on"):
        setattr(linkage, name, None)
    for name in ("application_number", "applied_office", "sanction_order", "rejection_reason", "rejection_text"):
        setattr(linkage, name, "")
    linkage.save()
    return linkage


@transaction.atomic
def linkage_departments_sync(*, scheme: Scheme) -> int:
    """After a scheme moves to another department, its linkages' copy of the department follows."""
    return (
        Linkage.objects.filter(scheme=scheme)
        .exclude(department_id=scheme.department_id)
        .update(department_id=scheme.department_id)
    )
