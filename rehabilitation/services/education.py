"""Education: enrolments in school, bridge courses and skill training."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clts.accounts import access
from rehabilitation import progress, timeline
from rehabilitation.models import (
    Enrolment,
    EnrolmentKind,
)
from rehabilitation.services.common import _not_future
from rescue.models import Case


@transaction.atomic
def enrolment_record(
    *,
    case: Case,
    kind: str,
    institution_name: str,
    udise_code: str = "",
    class_name: str = "",
    enrolled_on: date,
    residential: bool = False,
    notes: str = "",
    actor,
) -> Enrolment:
    """A new school, bridge course, training or permitted work; the previous current enrolment ends that day."""
    access.require_writable(actor, case)
    if kind not in EnrolmentKind.values:
        raise ValidationError(_("Choose the kind of enrolment."))
    if not institution_name.strip():
        raise ValidationError(_("Enter the name of the school, centre or workplace."))
    _not_future(enrolled_on, _("The enrolment date"))
    if enrolled_on < case.rescued_on:
        raise ValidationError(_("The enrolment date cannot be before the rescue."))
    if kind == EnrolmentKind.SCHOOL and not udise_code:
        raise ValidationError(_("Enter the school's UDISE code."))
    if kind == EnrolmentKind.WORK and case.age_on(enrolled_on) < 14:
        raise ValidationError(_("A child under 14 cannot be placed in work."))
    Enrolment.objects.filter(case=case, ended_on__isnull=True, enrolled_on__lte=enrolled_on).update(
        ended_on=enrolled_on
    )
    enrolment = Enrolment(
        case=case,
        kind=kind,
        institution_name=institution_name.strip(),
        udise_code=udise_code.strip(),
        class_name=class_name.strip(),
        enrolled_on=enrolled_on,
        residential=residential,
        notes=notes.strip(),
        created_by=actor,
    )
    enrolment.full_clean()
    enrolment.save()
    timeline.enrolment_recorded(enrolment, actor=actor)
    progress.status_follow(case=case, actor=actor)
    return enrolment
