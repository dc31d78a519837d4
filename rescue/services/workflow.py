"""The case workflow: the table of allowed moves and `case_transition`, the only way a status changes.

The case workflow is the TRANSITIONS table below: for each status, the statuses a case may move to and the
action (an entry of clts.accounts.access.ACTIONS) a user needs to make that move. `case_transition` is the only
way a status changes; each move is checked against the table and written to the case's timeline.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.core.hooks import hook_functions
from clts.orgs.models import Institution
from rescue.models import (
    Case,
    CaseEvent,
    Category,
    Interstate,
    Status,
)

S = Status
# from-status -> {to-status: action the user's role needs (access.ACTIONS)}.
TRANSITIONS: dict[str, dict[str, str]] = {
    S.RESCUED: {
        S.PRODUCED: "case.record_cwc_order",
        S.LOST_CONTACT: "case.decide",
        S.TRANSFERRED_OUT: "case.transfer",
    },
    S.PRODUCED: {
        S.IN_SHELTER: "case.record_cwc_order",
        S.RESTORED: "case.record_cwc_order",
        S.LOST_CONTACT: "case.decide",
        S.TRANSFERRED_OUT: "case.transfer",
    },
    S.IN_SHELTER: {
        S.RESTORED: "case.record_cwc_order",
        S.LOST_CONTACT: "case.decide",
        S.TRANSFERRED_OUT: "case.transfer",
    },
    S.RESTORED: {S.REHABILITATION: "case.edit", S.RETRAFFICKED: "case.decide", S.LOST_CONTACT: "case.decide"},
    S.REHABILITATION: {S.FOLLOW_UP: "case.edit", S.RETRAFFICKED: "case.decide", S.LOST_CONTACT: "case.decide"},
    S.FOLLOW_UP: {S.CLOSED: "case.decide", S.RETRAFFICKED: "case.decide", S.LOST_CONTACT: "case.decide"},
    # Contact regained: the follow-up resumes; or the child is found working again.
    S.LOST_CONTACT: {S.FOLLOW_UP: "case.decide", S.RETRAFFICKED: "case.decide"},
    S.CLOSED: {S.RETRAFFICKED: "case.decide"},
    S.RETRAFFICKED: {},
    S.TRANSFERRED_OUT: {},
}

# Statuses at which the child has been restored to the family (a later rescue then means re-trafficking).
AFTER_RESTORATION = {S.RESTORED, S.REHABILITATION, S.FOLLOW_UP, S.CLOSED, S.LOST_CONTACT}
OPEN_STATUSES = {s for s, moves in TRANSITIONS.items() if moves}

# JJ Act 2015, section 31(1): a child in need of care and protection is produced before the Committee within
# twenty-four hours (excluding the journey); later production must be explained and is counted as late.
PRODUCTION_LIMIT = timedelta(hours=24)
ADULT_AGE = 18
# Child and Adolescent Labour (Prohibition and Regulation) Act 1986, section 2: "child" is under 14 years;
# "adolescent" is 14 and above but under 18.
ADOLESCENT_AGE = 14


def allowed_moves(*, case: Case, user) -> list[str]:
    """The statuses this user may move this case to now (for forms; the service checks again)."""
    moves = []
    for to, action in TRANSITIONS.get(case.status, {}).items():
        if not access.can(user, action):
            continue
        if to == S.TRANSFERRED_OUT and case.interstate != Interstate.OUTBOUND:
            continue
        moves.append(to)
    return moves


def category_for_age(age: int) -> str:
    return Category.CHILD if age < ADOLESCENT_AGE else Category.ADOLESCENT


def _json(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return str(value)


class SystemText:
    """A timeline text the portal writes itself, with its values: kept as the English msgid and the values, shown
    in each reader's language (CaseEvent.reason_text). `SystemText(gettext_lazy("Handed over to %(to)s."), to=...)`.
    """

    def __init__(self, text, **params):
        self.text, self.params = text, params


def case_event_record(case: Case, *, kind: str, actor, at: datetime, reason: str = "", **data) -> CaseEvent:
    """One entry on the case's timeline; `data` keeps ids and numbers (model instances are stored by id).

    A reason the portal writes itself is passed as a lazy text (gettext_lazy) and kept in English, the catalogue's
    msgid, so the timeline shows it in each reader's language; what a person typed is kept as typed.
    """
    if isinstance(reason, SystemText):
        with translation.override("en"):
            data["text_params"] = {
                key: str(value) if isinstance(value, Promise) else _json(value) for key, value in reason.params.items()
            }
        reason = reason.text
    if isinstance(reason, Promise):
        with translation.override("en"):
            reason = str(reason)
        data["system_text"] = True
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        at=at,
        reason=reason,
        from_status=data.pop("from_status", ""),
        to_status=data.pop("to_status", ""),
        data={key: _json(value) for key, value in data.items() if value not in (None, "")},
    )


def _check_time(at: datetime, *, not_before: datetime | None, field: str) -> None:
    if at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({field: _("The date and time cannot be in the future.")})
    if not_before and at < not_before:
        raise ValidationError(
            {
                field: _("The date and time cannot be before %(when)s.")
                % {"when": timezone.localtime(not_before).strftime("%Y-%m-%d %H:%M")}
            }
        )


@transaction.atomic
def case_transition(*, case: Case, to: str, actor, reason: str, at: datetime | None = None, **details) -> Case:
    """Move a case to another status if the table allows it for the actor's role; write the timeline event.

    Details by target status: produced: `cwc` (an Institution; defaults to the case's CWC or the actor's),
    `late_reason` (needed when produced more than 24 hours after the rescue); in_shelter: `cci`. Any other
    details are kept on the timeline event.
    """
    access.require_writable(actor, case)
    action = TRANSITIONS.get(case.status, {}).get(to)
    if action is not None and not access.can(actor, action):
        raise PermissionDenied(_("Your role may not move a case to “%(to)s”.") % {"to": Status(to).label})
    return _apply_transition(case=case, to=to, actor=actor, reason=reason, at=at, details=details)


@transaction.atomic
def case_transition_by_work(*, case: Case, to: str, actor, reason: str) -> Case:
    """A move the work itself makes (rehabilitation's table of when the status follows the work), recorded under
    the user whose work made it. The table of moves must allow it; the role's action is not asked for, since the
    work (a visit recorded by a field worker, a sanction) was checked when it was done."""
    access.require_writable(actor, case)
    return _apply_transition(case=case, to=to, actor=actor, reason=reason, at=None, details={"by_work": True})


def _apply_transition(*, case: Case, to: str, actor, reason: str, at: datetime | None, details: dict) -> Case:
    locked = Case.objects.select_for_update().select_related("rescue").get(pk=case.pk)
    if to not in TRANSITIONS.get(locked.status, {}):
        raise ValidationError(
            _("A case that is “%(from)s” cannot be moved to “%(to)s”.")
            % {"from": Status(locked.status).label, "to": Status(to).label if to in Status.values else to}
        )
    at = at or timezone.now()
    _check_time(at, not_before=locked.rescue.rescued_at, field="at")
    changed = {"status", "status_changed_at"}
    data: dict[str, Any] = {}
    if to == S.PRODUCED:
        cwc = details.pop("cwc", None) or locked.cwc or getattr(actor, "institution", None)
        if cwc is not None and cwc.kind != Institution.Kind.CWC:
            raise ValidationError({"cwc": _("Choose a Child Welfare Committee.")})
        if cwc is None and locked.interstate != Interstate.INBOUND:
            raise ValidationError({"cwc": _("Say before which CWC the child was produced.")})
        late_reason = (details.pop("late_reason", "") or "").strip()
        late = at - locked.rescue.rescued_at > PRODUCTION_LIMIT
        if late and not late_reason:
            raise ValidationError(
                {"late_reason": _("The child was produced more than 24 hours after the rescue: record the reason.")}
            )
        locked.cwc, locked.produced_at, locked.production_late = cwc, at, late
        locked.late_reason = late_reason if late else ""
        changed |= {"cwc", "produced_at", "production_late", "late_reason"}
        data |= {"cwc": cwc, "late": late, "late_reason": locked.late_reason}
    elif to == S.IN_SHELTER:
        cci = details.pop("cci", None)
        if cci is None or cci.kind != Institution.Kind.CCI:
            raise ValidationError({"cci": _("Choose the CCI or shelter the child is placed in.")})
        locked.cci = cci
        changed.add("cci")
        data["cci"] = cci
    elif to == S.RESTORED:
        data["cci"] = locked.cci
        locked.cci = None  # the child has left the institution
        locked.restored_at = locked.restored_at or at
        changed |= {"cci", "restored_at"}
    elif to == S.TRANSFERRED_OUT and locked.interstate != Interstate.OUTBOUND:
        raise ValidationError(_("Only a child of another state can be transferred out of the state."))
    from_status = locked.status
    locked.status, locked.status_changed_at = to, at
    locked.save(update_fields=[*changed, "updated_at"])
    case_event_record(
        locked,
        kind=CaseEvent.Kind.TRANSITION,
        actor=actor,
        at=at,
        reason=reason,
        from_status=from_status,
        to_status=to,
        **(details | data),
    )
    for name in changed:
        setattr(case, name, getattr(locked, name))
    if to == S.RESTORED:
        _after_restoration(case=locked, actor=actor, restored_on=timezone.localdate(at))
    return locked


def _after_restoration(*, case: Case, actor, restored_on) -> None:
    """Start what restoration starts in the other apps (settings.CASE_RESTORED_SERVICES), in this transaction.

    Named in settings so the case workflow does not import the apps built on it; each service is idempotent.
    """
    for service in hook_functions("CASE_RESTORED_SERVICES"):
        service(case=case, actor=actor, restored_on=restored_on)


@transaction.atomic
def case_cci_move(*, case: Case, cci, actor, reason: str, at: datetime | None = None, **data) -> Case:
    """A child in a shelter or CCI moves to another one by a CWC order: the status stays, the institution changes."""
    access.require_writable(actor, case)
    at = at or timezone.now()
    if case.status != S.IN_SHELTER:
        raise ValidationError(_("Only a child in a shelter or CCI can be moved to another one."))
    Case.objects.filter(pk=case.pk).update(cci=cci, updated_at=at)
    case.cci = cci
    case_event_record(case, kind=CaseEvent.Kind.CWC_ORDER, actor=actor, at=at, reason=reason, cci=cci, **data)
    return case
