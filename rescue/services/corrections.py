"""Corrections after registration: a child's particulars, a rescue's details, and the CWC of a case registered
without one. Each needs a reason; the change is audited (pghistory keeps the old and new rows) and written on the
timeline of every case it touches, naming the fields changed (never their values: the timeline is read by more
people than the record's history)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.orgs.models import Institution
from rescue.models import Case, CaseEvent, Child, RescueOperation
from rescue.services.registration import CHILD_FIELDS, RESCUE_FIELDS
from rescue.services.workflow import case_event_record

# What an officer may correct: the fields typed at registration but these. Workflow facts (status, dates of
# production and restoration, the case number, the district that holds the case, the home district that sees it, the
# CWC: case_cwc_assign below) change only through the workflow; identity numbers only through their masking.
CHILD_FIXED = {"home_state", "home_district", "home_block", "home_village", "photo"}
RESCUE_FIXED = {"rescued_at", "state", "district", "block", "district_text", "rescuing_cwc", "reference"}
CHILD_CORRECTABLE = tuple(name for name in CHILD_FIELDS if name not in CHILD_FIXED)
RESCUE_CORRECTABLE = tuple(name for name in RESCUE_FIELDS if name not in RESCUE_FIXED)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the record is corrected.")})
    return reason


def _apply(obj, fields: dict, allowed: tuple[str, ...]) -> list[str]:
    """Set the changed fields on obj and return their names; refuse a field not open to correction."""
    changed = []
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"field {name} may not be corrected")
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    if not changed:
        raise ValidationError(_("Nothing was changed."))
    obj.full_clean()
    return changed


def _require(actor, case: Case) -> None:
    if not access.can(actor, "case.correct"):
        raise PermissionDenied
    access.require_writable(actor, case)


def _correct(*, case: Case, actor, reason: str, model, pk: int, fields: dict, allowed: tuple[str, ...], part: str):
    """Correct the case's child or rescue (`part`: the `model` row `pk`, locked), and tell every case of it on its
    timeline."""
    _require(actor, case)
    reason = _reason(reason)
    obj = model.objects.select_for_update().get(pk=pk)
    changed = _apply(obj, fields, allowed)
    obj.save()
    now = timezone.now()
    for each in Case.objects.filter(**{part: obj}):
        case_event_record(
            each, kind=CaseEvent.Kind.CORRECTED, actor=actor, at=now, reason=reason, **{f"{part}_fields": changed}
        )
    return obj


@transaction.atomic
def child_correct(*, case: Case, actor, fields: dict, reason: str) -> Child:
    """Correct the particulars of the case's child; every case of the child shows the correction."""
    where = {"model": Child, "pk": case.child_id, "part": "child"}
    return _correct(case=case, actor=actor, reason=reason, fields=fields, allowed=CHILD_CORRECTABLE, **where)


@transaction.atomic
def rescue_correct(*, case: Case, actor, fields: dict, reason: str) -> RescueOperation:
    """Correct the details of the rescue the case came from; every case of that rescue shows the correction."""
    where = {"model": RescueOperation, "pk": case.rescue_id, "part": "rescue"}
    return _correct(case=case, actor=actor, reason=reason, fields=fields, allowed=RESCUE_CORRECTABLE, **where)


@transaction.atomic
def case_cwc_assign(*, case: Case, cwc: Institution | None, actor, reason: str) -> Case:
    """Give the case its CWC (registered without one, or the wrong one before production): that CWC then sees the
    case and records the production. Once the child is produced, the CWC changes only by a transfer or an order."""
    _require(actor, case)
    reason = _reason(reason)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if cwc is None or cwc.kind != Institution.Kind.CWC:
        raise ValidationError({"cwc": _("Choose a Child Welfare Committee.")})
    if case.produced_at is not None:
        raise ValidationError(
            {"cwc": _("The child was produced before a CWC already; its CWC changes by a transfer or an order.")}
        )
    if case.cwc_id == cwc.pk:
        raise ValidationError(_("Nothing was changed."))
    case.cwc = cwc
    case.save(update_fields=["cwc", "updated_at"])
    case_event_record(
        case,
        kind=CaseEvent.Kind.CORRECTED,
        actor=actor,
        at=timezone.now(),
        reason=reason,
        case_fields=["cwc"],
        cwc=cwc,
    )
    return case
