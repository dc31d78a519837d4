"""Every write of the schemes app: households, members, documents, and the linkage workflow."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.core.identifiers import identifier_digits, identifier_hash
from rescue.models import Case
from schemes import eligibility
from schemes.models import (
    SENSITIVE_DOCUMENTS,
    Beneficiary,
    Document,
    DocumentKind,
    EligibilitySummary,
    Household,
    HouseholdChild,
    HouseholdMember,
    Linkage,
    LinkageEvent,
    LinkageStatus,
    ReceiptVerification,
    RejectionReason,
    Scheme,
)

# The fields a form may set on each model; identifiers are set only through the masking below.
HOUSEHOLD_FIELDS = (
    "district",
    "block",
    "village",
    "village_text",
    "address",
    "area",
    "phone",
    "social_category",
    "minority",
    "bpl",
    "ration_card_type",
    "income_band",
    "land_acres",
    "house_type",
    "resident_in_state",
    "bank_ifsc",
)
CHILD_FIELDS = ("parent_status", "enrolled_in_school", "school_name", "school_class")
MEMBER_FIELDS = (
    "name",
    "relation",
    "sex",
    "age_years",
    "age_as_of",
    "marital_status",
    "occupation",
    "disabled",
    "disability_percent",
    "is_guardian",
)


# ---------------------------------------------------------------------------------------------------------------
# Identifiers: last four digits and a keyed hash, never the number


def mask(number: str, *, field: str, pattern: str = r"[0-9A-Z]{4,30}") -> tuple[str, str]:
    """(last four, keyed hash) of an identifier; ("", "") for an empty one."""
    digits = identifier_digits(number)
    if not digits:
        return "", ""
    if not re.fullmatch(pattern, digits):
        raise ValidationError({field: _("Enter the number as written, digits and letters only.")})
    return digits[-4:], identifier_hash(digits)


def aadhaar_mask(number: str, *, field: str = "aadhaar_number") -> tuple[str, str]:
    digits = identifier_digits(number)
    if digits and not re.fullmatch(r"[0-9]{12}", digits):
        raise ValidationError({field: _("An Aadhaar number has 12 digits.")})
    return mask(digits, field=field)


def _assign(obj, fields: dict, allowed: tuple[str, ...]) -> None:
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"field {name} may not be set here")
        setattr(obj, name, value)


# ---------------------------------------------------------------------------------------------------------------
# Households


@transaction.atomic
def household_create(
    *,
    case: Case,
    actor,
    fields: dict,
    child_fields: dict | None = None,
    ration_card_number: str = "",
    bank_account_number: str = "",
) -> Household:
    """A household for the child of this case (a child belongs to one household)."""
    if HouseholdChild.objects.filter(child_id=case.child_id).exists():
        raise ValidationError(_("This child already belongs to a household."))
    household = Household(created_by=actor)
    _assign(household, fields, HOUSEHOLD_FIELDS)
    _set_household_identifiers(household, ration_card_number, bank_account_number)
    household.full_clean()
    household.save()
    link = HouseholdChild(household=household, child_id=case.child_id)
    _assign(link, child_fields or {}, CHILD_FIELDS)
    link.full_clean()
    link.save()
    return household


def _set_household_identifiers(household: Household, ration_card_number: str | None, bank_number: str | None) -> None:
    if ration_card_number:
        household.ration_card_last4, household.ration_card_hash = mask(ration_card_number, field="ration_card_number")
    if bank_number:
        household.bank_account_last4, household.bank_account_hash = mask(
            bank_number, field="bank_account_number", pattern=r"[0-9]{6,20}"
        )


@transaction.atomic
def household_update(
    *,
    household: Household,
    actor,
    fields: dict,
    ration_card_number: str = "",
    bank_account_number: str = "",
) -> Household:
    """Change the household; its open and closed linkages follow it to a new district or block."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    _assign(household, fields, HOUSEHOLD_FIELDS)
    _set_household_identifiers(household, ration_card_number, bank_account_number)
    household.full_clean()
    household.save()
    household.linkages.exclude(district_id=household.district_id, block_id=household.block_id).update(
        district_id=household.district_id, block_id=household.block_id
    )
    return household


@transaction.atomic
def household_link_child(*, household: Household, case: Case, actor, child_fields: dict | None = None):
    """Add the child of another case (a brother or sister rescued too) to the household."""
    if HouseholdChild.objects.filter(child_id=case.child_id).exists():
        raise ValidationError(_("This child already belongs to a household."))
    link = HouseholdChild(household=household, child_id=case.child_id)
    _assign(link, child_fields or {}, CHILD_FIELDS)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def household_child_update(*, link: HouseholdChild, actor, fields: dict) -> HouseholdChild:
    _assign(link, fields, CHILD_FIELDS)
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def member_save(
    *,
    household: Household,
    actor,
    fields: dict,
    member: HouseholdMember | None = None,
    aadhaar_number: str = "",
) -> HouseholdMember:
    """Add a member, or change one; only one member is the guardian."""
    if member is not None and member.household_id != household.pk:
        raise ValidationError(_("The member belongs to another household."))
    member = member or HouseholdMember(household=household)
    _assign(member, fields, MEMBER_FIELDS)
    if aadhaar_number:
        member.aadhaar_last4, member.aadhaar_hash = aadhaar_mask(aadhaar_number)
    if member.is_guardian:
        household.members.exclude(pk=member.pk).filter(is_guardian=True).update(is_guardian=False)
    member.full_clean()
    member.save()
    return member


# ---------------------------------------------------------------------------------------------------------------
# Documents


def _holder_of(household: Household, *, child_id: int | None, member: HouseholdMember | None):
    if (child_id is None) == (member is None):
        raise ValidationError(_("A document belongs to one child or one member."))
    if member is not None and member.household_id != household.pk:
        raise ValidationError(_("The member belongs to another household."))
    if child_id is not None and not household.children.filter(child_id=child_id).exists():
        raise ValidationError(_("The child is not in this household."))


@transaction.atomic
def document_record(
    *,
    household: Household,
    kind: str,
    actor,
    child_id: int | None = None,
    member: HouseholdMember | None = None,
    number: str = "",
    issued_on: date | None = None,
    scan=None,
) -> Document:
    """Record that a child or member holds a document (replacing an earlier entry of the same kind)."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Unknown document.")})
    _holder_of(household, child_id=child_id, member=member)
    if issued_on and issued_on > timezone.localdate():
        raise ValidationError({"issued_on": _("The date of issue cannot be in the future.")})
    holder = {"child_id": child_id} if child_id is not None else {"member": member}
    document = Document.objects.filter(household=household, kind=kind, **holder).first() or Document(
        household=household, kind=kind, **holder
    )
    document.recorded_by = actor
    if kind in SENSITIVE_DOCUMENTS:
        if kind == DocumentKind.AADHAAR:
            last4, digest = aadhaar_mask(number, field="number")
        elif kind == DocumentKind.BANK_ACCOUNT:
            last4, digest = mask(number, field="number", pattern=r"[0-9]{6,20}")
        else:
            last4, digest = mask(number, field="number")
        if last4:
            document.number_last4, document.number_hash = last4, digest
        document.number = ""
    elif number:
        document.number = number.strip()[:60]
    if issued_on:
        document.issued_on = issued_on
    if scan:
        document.scan = scan
    document.full_clean()
    document.save()
    return document


# ---------------------------------------------------------------------------------------------------------------
# Linkages

# Which status each step leaves from and goes to.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "documents_complete": ((LinkageStatus.IDENTIFIED,), LinkageStatus.DOCUMENTS_COMPLETE),
    "apply": ((LinkageStatus.DOCUMENTS_COMPLETE,), LinkageStatus.APPLIED),
    "sanction": ((LinkageStatus.APPLIED,), LinkageStatus.SANCTIONED),
    "receive": ((LinkageStatus.SANCTIONED,), LinkageStatus.RECEIVED),
    "reject": ((LinkageStatus.APPLIED, LinkageStatus.SANCTIONED), LinkageStatus.REJECTED),
    "reapply": ((LinkageStatus.REJECTED,), LinkageStatus.IDENTIFIED),
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
def linkage_receive(*, linkage: Linkage, received_on: date, verification: str, note: str = "", actor) -> Linkage:
    """The family has the benefit, verified by a home visit or a document."""
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


# ---------------------------------------------------------------------------------------------------------------
# The eligibility summary (read by dashboards at state scale)


@transaction.atomic
def eligibility_summary_refresh(*, today: date | None = None) -> int:
    """Recount eligible and eligible-but-unlinked per scheme and district, set-based: one query per scheme."""
    today = today or timezone.localdate()
    now = timezone.now()
    rows = []
    for scheme in Scheme.objects.filter(is_active=True):
        district = eligibility.household_district_lookup(scheme.beneficiary)
        counts = (
            eligibility.eligible(scheme, today=today)
            .alias(is_linked=eligibility.linked(scheme))
            .values(district)
            .annotate(eligible=Count("pk"), unlinked=Count("pk", filter=Q(is_linked=False)))
            .order_by()
        )
        rows.extend(
            EligibilitySummary(
                scheme=scheme,
                district_id=row[district],
                eligible=row["eligible"],
                unlinked=row["unlinked"],
                refreshed_at=now,
            )
            for row in counts
        )
    EligibilitySummary.objects.all().delete()
    EligibilitySummary.objects.bulk_create(rows)
    return len(rows)
