"""What every rehabilitation write shares: rescue's transition, date and proof checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.core import uploads
from rescue import services as rescue_services
from rescue.models import Case

ZERO = Decimal("0")


def _case_transition(*, case: Case, to: str, actor, reason: str) -> Case:
    """Move the case through rescue's workflow (its transition table decides what is allowed)."""
    return rescue_services.case_transition(case=case, to=to, actor=actor, reason=reason)


def _not_future(day: date | None, label: str, *, field: str | None = None) -> None:
    if day and day > timezone.localdate():
        message = _("%(what)s cannot be in the future.") % {"what": label}
        raise ValidationError({field: message} if field else message)


def _check_proof(proof: File | None, label: str) -> File:
    """The proof as it will be stored, under the one upload policy (type by content, size, images re-encoded)."""
    if not proof:
        raise ValidationError(_("Attach %(what)s (PDF, JPG or PNG).") % {"what": label})
    return uploads.accept(proof, kind=uploads.DOCUMENT)
