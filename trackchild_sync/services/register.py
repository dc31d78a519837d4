"""The CCI register's writes: admission (always under a CWC order), leave, return, transfer and discharge.

The refusals a home's staff meet are the rules of the register: a child is in one home at a time; a home holds no
more children than its capacity; a home takes only the sex and ages it is registered for, unless the CWC ordered
the placement as an exception (the order is recorded with the admission). The home's row is locked while one
admission is checked and written, so two admissions at once cannot both take the last place.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.accounts.roles import Role
from clts.core.ages import age_on
from clts.core.uploads import PHOTO, accept_optional
from clts.orgs.models import Institution
from trackchild_sync.choices import LeavingReason, RegisterEntry
from trackchild_sync.models import RegisterEvent, Residence
from trackchild_sync.models.description import DESCRIPTION_FIELDS


def _require_home_staff(actor, institution: Institution) -> None:
    """CCI staff keep their own home's register, a DCPU the homes of its district; the admin any."""
    if actor.is_superuser or actor.role == Role.ADMIN:
        return
    if actor.role == Role.CCI and actor.institution_id == institution.pk:
        return
    if actor.role == Role.DCPU and actor.district_id and actor.district_id == institution.district_id:
        return
    raise PermissionDenied


def _not_future(day: date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")})


def age_at_admission(*, case=None, date_of_birth=None, age_years=None, on: date) -> int | None:
    if case is not None:
        return case.age_on(on)
    if date_of_birth or age_years is not None:
        return age_on(on, born=date_of_birth, age=age_years, age_known_on=on)
    return None


def _check_place(*, institution: Institution, sex: str, age: int | None, exception_order: str) -> None:
    """The home's capacity and what it takes; the caller holds the home's row lock."""
    if institution.kind != Institution.Kind.CCI or not institution.is_active:
        raise ValidationError({"institution": _("Choose an active Child Care Institution.")})
    if institution.capacity is not None:
        held = Residence.objects.filter(institution=institution, left_on__isnull=True).count()
        if held >= institution.capacity:
            raise ValidationError(
                _("%(home)s is full: it holds %(held)s children for %(capacity)s places. Ask the CWC for another home.")
                % {"home": institution.name, "held": held, "capacity": institution.capacity}
            )
    why = institution.refuses(sex=sex, age=age)
    if why and not exception_order.strip():
        raise ValidationError(
            {
                "exception_order": _(
                    "%(why)s Record the CWC's order making an exception for this child, "
                    "or ask the CWC for another home."
                )
                % {"why": why}
            }
        )


def _particulars_of_case(case) -> dict:
    child = case.child
    return {
        "name": child.name,
        "sex": child.sex,
        "age_years": case.age_at_rescue,
        "date_of_birth": child.date_of_birth,
        "languages": child.languages,
        "guardian_name": child.guardian_name or child.father_name or child.mother_name,
    }


@transaction.atomic
def residence_admit(
    *,
    actor,
    institution: Institution,
    cwc: Institution | None,
    ordered_on: date | None,
    admitted_on: date,
    order_number: str = "",
    case=None,
    cwc_order=None,
    exception_order: str = "",
    transferred_from: Residence | None = None,
    photo=None,
    by_order: bool = False,
    **description,
) -> Residence:
    """Admit a child to a CCI under a CWC order: from a CLTS case (its particulars are copied) or otherwise.

    `by_order` is the CWC member's placement order itself (services.orders), which admits the child to the home it
    names; anyone else is the home's staff or the DCPU.
    """
    if not by_order:
        access.require(actor, "register.admit")
        if transferred_from is None:
            _require_home_staff(actor, institution)
    if case is not None and not case.__class__.objects.visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
    if cwc is None or cwc.kind != Institution.Kind.CWC:
        raise ValidationError({"cwc": _("Name the CWC whose order places the child here.")})
    if ordered_on is None:
        raise ValidationError({"ordered_on": _("Give the date of the CWC order: no child is admitted without one.")})
    _not_future(admitted_on, "admitted_on")
    if ordered_on > admitted_on:
        raise ValidationError({"ordered_on": _("The CWC order cannot be dated after the admission.")})
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    if case is not None:
        description = _particulars_of_case(case) | {k: v for k, v in description.items() if v not in ("", None)}
        current = Residence.objects.filter(case=case, left_on__isnull=True).select_related("institution").first()
        if current is not None and current != transferred_from:
            raise ValidationError(
                _("This child is already in %(home)s since %(day)s: record the leaving there first (or a transfer).")
                % {"home": current.institution.name, "day": current.admitted_on.strftime("%d-%m-%Y")}
            )
    elif not description.get("sex"):
        raise ValidationError({"sex": _("Give the child's sex.")})
    elif (
        description.get("name")
        and Residence.objects.filter(
            institution=institution,
            left_on__isnull=True,
            name__iexact=description["name"].strip(),
            sex=description["sex"],
            age_years=description.get("age_years"),
        )
        .exclude(pk=getattr(transferred_from, "pk", None))
        .exists()
    ):
        raise ValidationError(_("A child with this name, sex and age is already in this home's register."))
    age = age_at_admission(
        case=case,
        date_of_birth=description.get("date_of_birth"),
        age_years=description.get("age_years"),
        on=admitted_on,
    )
    _check_place(institution=institution, sex=description["sex"], age=age, exception_order=exception_order)
    residence = Residence.objects.create(
        institution=institution,
        case=case,
        cwc=cwc,
        order_number=order_number,
        ordered_on=ordered_on,
        cwc_order=cwc_order,
        exception_order=exception_order.strip(),
        admitted_on=admitted_on,
        transferred_from=transferred_from,
        photo=accept_optional(photo, kind=PHOTO),
        recorded_by=actor,
        **{k: v for k, v in description.items() if k in DESCRIPTION_FIELDS and v is not None},
    )
    RegisterEvent.objects.create(residence=residence, kind=RegisterEntry.ADMITTED, on=admitted_on, actor=actor)
    _after_commit_match("r", residence.pk)
    return residence


def _after_commit_match(kind: str, pk: int) -> None:
    """A child in a home may be a child reported missing: ask the matching engine once the admission commits."""
    from trackchild_sync import matching, tasks

    # The blocking keys are written with the record, so the next record added finds it at once; the scoring
    # runs after the commit, in Celery.
    matching.keys_store(kind, matching.records(kind, [pk]))
    transaction.on_commit(lambda: tasks.match_record.delay(kind, pk))


def _open_for_change(actor, residence: Residence, *, by_order: bool) -> Residence:
    if not by_order:
        access.require(actor, "register.update")
        access.require_writable(actor, residence)
    residence = Residence.objects.select_for_update().get(pk=residence.pk)
    if not residence.is_open:
        raise ValidationError(_("This child has already left the home."))
    return residence


@transaction.atomic
def residence_leave(*, actor, residence: Residence, on: date, notes: str = "") -> Residence:
    """The child goes on leave (home visit, hospital): still on the register, counted in the home."""
    residence = _open_for_change(actor, residence, by_order=False)
    _not_future(on, "on")
    if residence.on_leave_since:
        raise ValidationError(_("The child is already on leave."))
    if on < residence.admitted_on:
        raise ValidationError({"on": _("The date cannot be before the admission.")})
    residence.on_leave_since = on
    residence.save(update_fields=["on_leave_since", "updated_at"])
    RegisterEvent.objects.create(residence=residence, kind=RegisterEntry.LEAVE, on=on, notes=notes, actor=actor)
    return residence


@transaction.atomic
def residence_return(*, actor, residence: Residence, on: date, notes: str = "") -> Residence:
    residence = _open_for_change(actor, residence, by_order=False)
    _not_future(on, "on")
    if not residence.on_leave_since:
        raise ValidationError(_("The child is not on leave."))
    if on < residence.on_leave_since:
        raise ValidationError({"on": _("The return cannot be before the leave began.")})
    residence.on_leave_since = None
    residence.save(update_fields=["on_leave_since", "updated_at"])
    RegisterEvent.objects.create(residence=residence, kind=RegisterEntry.RETURN, on=on, notes=notes, actor=actor)
    return residence


@transaction.atomic
def residence_discharge(
    *, actor, residence: Residence, on: date, reason: str, notes: str = "", by_order: bool = False
) -> Residence:
    """The child leaves the home, for a reason of the register (restoration, transfer, runaway, age-out...)."""
    residence = _open_for_change(actor, residence, by_order=by_order)
    _not_future(on, "on")
    if reason not in LeavingReason.values:
        raise ValidationError({"reason": _("Choose why the child left.")})
    if on < residence.admitted_on:
        raise ValidationError({"on": _("The date cannot be before the admission.")})
    residence.left_on = on
    residence.leaving_reason = reason
    residence.leaving_notes = notes
    residence.on_leave_since = None
    residence.save(update_fields=["left_on", "leaving_reason", "leaving_notes", "on_leave_since", "updated_at"])
    RegisterEvent.objects.create(residence=residence, kind=RegisterEntry.DISCHARGED, on=on, notes=notes, actor=actor)
    return residence


@transaction.atomic
def residence_transfer(
    *,
    actor,
    residence: Residence,
    to: Institution,
    on: date,
    ordered_on: date | None,
    order_number: str = "",
    exception_order: str = "",
    notes: str = "",
    cwc: Institution | None = None,
    cwc_order=None,
    by_order: bool = False,
) -> Residence:
    """Move a child to another CCI under a CWC order: the stay here ends (transfer), one there begins, checked
    like any admission (capacity, sex and age) at the receiving home."""
    if to.pk == residence.institution_id:
        raise ValidationError({"to": _("Choose another home.")})
    left = residence_discharge(
        actor=actor, residence=residence, on=on, reason=LeavingReason.TRANSFER, notes=notes, by_order=by_order
    )
    description = {name: getattr(left, name) for name in DESCRIPTION_FIELDS}
    arrived = residence_admit(
        actor=actor,
        institution=to,
        cwc=cwc or left.cwc,
        ordered_on=ordered_on,
        order_number=order_number,
        admitted_on=on,
        case=left.case,
        cwc_order=cwc_order,
        exception_order=exception_order,
        transferred_from=left,
        photo=None,
        by_order=True,
        **description,
    )
    if left.photo:
        # The same stored photo (already through the upload policy), not a second copy.
        Residence.objects.filter(pk=arrived.pk).update(photo=left.photo.name)
    return arrived
