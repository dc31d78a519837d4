"""Closure: the check of what is still open, and the close itself."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from clts.accounts import access
from rehabilitation import queries
from rehabilitation.services.common import _case_transition
from rescue.models import Case, Status


def case_closure_check(*, case: Case) -> list[str]:
    """What still stands between the case and closure as rehabilitated (translated; empty when it may close)."""
    return queries.closure_check(case=case)


@transaction.atomic
def case_close(*, case: Case, actor, reason: str = "") -> Case:
    """Close the case as rehabilitated through rescue's workflow, only when nothing is missing."""
    access.require_writable(actor, case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    missing = case_closure_check(case=case)
    if missing:
        raise ValidationError(missing)
    if case.status == Status.REHABILITATION:
        case = _case_transition(
            case=case, to=Status.FOLLOW_UP, actor=actor, reason=gettext_lazy("Every component is disbursed or waived.")
        )
    return _case_transition(
        case=case, to=Status.CLOSED, actor=actor, reason=reason.strip() or gettext_lazy("Rehabilitation complete.")
    )
