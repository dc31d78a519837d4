"""Linking a new case to an earlier case of the same child, and the decision on a link request.

A registering officer links directly only a record they may change. Any other possible earlier record becomes a
link request (rescue.models.LinkRequest) that the district holding the earlier case decides: confirming links the
cases (a child restored and rescued again is counted as re-trafficked) and updates on the earlier record only the
fields the holder chose; rejecting records that the two are different children, so the pair is never raised again.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clts.accounts import access
from clts.matching import services as matching_services
from clts.matching.models import RejectedPair
from rescue.models import Case, CaseEvent, Child, LinkRequest, LinkRequestStatus
from rescue.queries import LINK_UPDATABLE, link_differences
from rescue.services.workflow import TRANSITIONS, S, SystemText, _apply_transition, case_event_record


def cases_link(*, case: Case, previous: Case, actor, confirmed_by_holder: bool = False) -> None:
    """Record that `case` is a new rescue of the child of `previous`; a child restored and rescued again was
    re-trafficked (the earlier case moves to "re-trafficked", which the re-trafficking rate counts)."""
    Case.objects.filter(pk=case.pk).update(previous_case=previous)
    case.previous_case = previous
    now = timezone.now()
    if confirmed_by_holder:
        reason = _("Rescued before: case %(number)s (confirmed by the district holding it).")
    else:
        reason = _("Rescued before: case %(number)s.")
    case_event_record(
        case,
        kind=CaseEvent.Kind.LINKED,
        actor=actor,
        at=now,
        reason=reason % {"number": previous.case_number},
        previous_case=previous.case_number,
    )
    if previous.restored_at and S.RETRAFFICKED in TRANSITIONS.get(previous.status, {}):
        # A consequence of the new rescue, not a decision of the officer's role: no role check.
        _apply_transition(
            case=previous,
            to=S.RETRAFFICKED,
            actor=actor,
            reason=SystemText(
                gettext_lazy("Rescued again on %(date)s: case %(number)s."),
                date=case.rescued_on.isoformat(),
                number=case.case_number,
            ),
            at=now,
            details={"new_case": case.case_number},
        )
    else:
        case_event_record(
            previous,
            kind=CaseEvent.Kind.LINKED,
            actor=actor,
            at=now,
            reason=SystemText(gettext_lazy("Rescued again: case %(number)s."), number=case.case_number),
            new_case=case.case_number,
        )


def locked_pending(obj, actor, *, action: str, decided: str):
    """A link request or a duplicate pair, locked for its decision: the actor's role may decide (`action`), the row
    is writable by the actor, and it is still pending (else `decided` is the refusal)."""
    if not access.can(actor, action):
        raise PermissionDenied
    model = type(obj)
    try:
        locked = model.objects.writable_by(actor).select_for_update().get(pk=obj.pk)
    except model.DoesNotExist:
        raise PermissionDenied from None
    if not locked.is_pending:
        raise ValidationError(decided)
    return locked


def _locked_pending(request: LinkRequest, actor) -> LinkRequest:
    decided = _("This request has already been decided.")
    return locked_pending(request, actor, action="link_request.decide", decided=decided)


def latest_other_case_locked(*, child_id: int, besides: Case) -> Case | None:
    """The child's latest case but `besides` (by rescue date, then the later record), locked: the case a new one
    links to as its previous, read under lock so that two links made at once cannot pick different ones."""
    return (
        Case.objects.select_for_update()
        .filter(child_id=child_id)
        .exclude(pk=besides.pk)
        .order_by("-rescued_on", "-id")
        .first()
    )


@transaction.atomic
def link_request_confirm(
    *, request: LinkRequest, actor, update_fields: list[str] | tuple[str, ...] = (), note: str = ""
) -> LinkRequest:
    """The holder confirms the same child: the cases are linked, and the chosen fields of the earlier record are
    updated from the new one (nothing else on the earlier record changes)."""
    request = _locked_pending(request, actor)
    new_case = Case.objects.select_for_update().select_related("child").get(pk=request.new_case_id)
    if new_case.previous_case_id:
        raise ValidationError(_("The new case is already linked to an earlier case."))
    previous = latest_other_case_locked(child_id=request.earlier_child_id, besides=new_case)
    if previous is None:
        raise ValidationError(_("The earlier record has no case any more."))
    earlier = Child.objects.select_for_update().get(pk=request.earlier_child_id)
    compared = link_differences(new=new_case.child, earlier=earlier, on=new_case.rescued_on)
    updatable = {row.field for row in compared if row.updatable} & set(LINK_UPDATABLE)
    unknown = set(update_fields) - updatable
    if unknown:
        raise ValidationError(_("Only fields that differ can be updated on the earlier record."))
    for name in update_fields:
        for attribute in LINK_UPDATABLE[name]:
            setattr(earlier, attribute, getattr(new_case.child, attribute))
    if update_fields:
        earlier.save()
    cases_link(case=new_case, previous=previous, actor=actor, confirmed_by_holder=True)
    request.status = LinkRequestStatus.CONFIRMED
    request.decided_by, request.decided_at = actor, timezone.now()
    request.note = note.strip()
    request.updated_fields = list(update_fields)
    request.save(update_fields=["status", "decided_by", "decided_at", "note", "updated_fields"])
    return request


@transaction.atomic
def link_request_reject(*, request: LinkRequest, actor, note: str = "") -> LinkRequest:
    """The holder finds a different child: nothing is linked, and this pair is never raised again."""
    request = _locked_pending(request, actor)
    request.status = LinkRequestStatus.REJECTED
    request.decided_by, request.decided_at = actor, timezone.now()
    request.note = note.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "note"])
    # The engine never raises the pair again, in registration or in the nightly duplicate pass.
    matching_services.pair_reject(
        child_id=request.new_case.child_id,
        other_id=request.earlier_child_id,
        source=RejectedPair.Source.LINK_REQUEST,
        actor=actor,
    )
    case_event_record(
        request.new_case,
        kind=CaseEvent.Kind.LINK_REJECTED,
        actor=actor,
        at=request.decided_at,
        reason=gettext_lazy("The district holding the possible earlier record found it to be a different child."),
        link_request=request,
    )
    return request
