"""Documents held by a household, a member or a child."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.core import uploads
from schemes.models import (
    SENSITIVE_DOCUMENTS,
    Document,
    DocumentKind,
    Household,
    HouseholdMember,
)
from schemes.services.identifiers import aadhaar_mask, mask


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
    access.require_writable(actor, household)
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
        # The one upload policy: type by content, size, images re-encoded without their metadata.
        document.scan = uploads.accept(scan, kind=uploads.DOCUMENT)
    document.full_clean()
    document.save()
    return document
