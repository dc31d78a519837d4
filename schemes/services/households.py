"""Households, the children linked to them and their members; the fields a form may set on each."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clts.accounts import access
from rescue.models import Case
from schemes.models import (
    Document,
    DocumentKind,
    Household,
    HouseholdChild,
    HouseholdMember,
)
from schemes.services.identifiers import aadhaar_mask, mask

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


def _assign(obj, fields: dict, allowed: tuple[str, ...]) -> None:
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"field {name} may not be set here")
        setattr(obj, name, value)


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
    access.require_writable(actor, case)
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
    _aadhaar_from_registration(household=household, child=case.child, actor=actor)
    return household


def _aadhaar_from_registration(*, household: Household, child, actor) -> None:
    """The Aadhaar number given at registration becomes the child's Aadhaar document here (its last four digits
    and keyed hash, as registration kept them), so nobody asks the family for it again."""
    if not child.aadhaar_hash:
        return
    Document.objects.get_or_create(
        household=household,
        child=child,
        kind=DocumentKind.AADHAAR,
        defaults={"number_last4": child.aadhaar_last4, "number_hash": child.aadhaar_hash, "recorded_by": actor},
    )


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
    access.require_writable(actor, household)
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
    access.require_writable(actor, household)
    access.require_writable(actor, case)
    if HouseholdChild.objects.filter(child_id=case.child_id).exists():
        raise ValidationError(_("This child already belongs to a household."))
    link = HouseholdChild(household=household, child_id=case.child_id)
    _assign(link, child_fields or {}, CHILD_FIELDS)
    link.full_clean()
    link.save()
    _aadhaar_from_registration(household=household, child=case.child, actor=actor)
    return link


@transaction.atomic
def household_child_update(*, link: HouseholdChild, actor, fields: dict) -> HouseholdChild:
    access.require_writable(actor, link)
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
    access.require_writable(actor, household)
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
