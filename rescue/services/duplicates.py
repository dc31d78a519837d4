"""The district officer's decision on a pair of records the nightly duplicate pass found (rescue.duplicates)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.matching import services as matching_services
from clts.matching.models import RejectedPair
from rescue.models import Case, DuplicatePair, LinkRequestStatus
from rescue.services.links import cases_link, locked_pending


def _locked_pending(pair: DuplicatePair, actor) -> DuplicatePair:
    return locked_pending(pair, actor, action="duplicate.decide", decided=_("This pair has already been decided."))


@transaction.atomic
def duplicate_confirm(*, pair: DuplicatePair, actor, note: str = "") -> DuplicatePair:
    """The same child registered twice: the later case is linked to the earlier one (as a confirmed link request)."""
    pair = _locked_pending(pair, actor)
    later = Case.objects.select_for_update().get(pk=pair.case_id)
    if later.previous_case_id:
        raise ValidationError(_("The later case is already linked to an earlier case."))
    earlier = Case.objects.select_for_update().get(pk=pair.earlier_case_id)
    cases_link(case=later, previous=earlier, actor=actor, confirmed_by_holder=True)
    pair.status, pair.decided_by, pair.decided_at, pair.note = LinkRequestStatus.CONFIRMED, actor, timezone.now(), note
    pair.save(update_fields=["status", "decided_by", "decided_at", "note"])
    return pair


@transaction.atomic
def duplicate_reject(*, pair: DuplicatePair, actor, note: str) -> DuplicatePair:
    """Two children: recorded with the reason, and the engine never raises the pair again."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Say what shows they are two different children.")})
    pair = _locked_pending(pair, actor)
    pair.status, pair.decided_by, pair.decided_at, pair.note = LinkRequestStatus.REJECTED, actor, timezone.now(), note
    pair.save(update_fields=["status", "decided_by", "decided_at", "note"])
    matching_services.pair_reject(
        child_id=pair.child_id, other_id=pair.earlier_child_id, source=RejectedPair.Source.REVIEW, actor=actor
    )
    return pair
