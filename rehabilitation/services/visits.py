"""Follow-up visits: the schedule made at restoration, its assignee, the record of each visit and the
decision on it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.accounts.roles import Role
from rehabilitation import progress, queries, timeline
from rehabilitation.models import (
    Decision,
    Found,
    RehabilitationRule,
    Visit,
    VisitScheduleStep,
)
from rehabilitation.risk import visit_risk
from rehabilitation.services.common import _case_transition, _not_future
from rescue.models import Case, Status


def visit_assignee_pick(*, case: Case):
    """The field worker of the child's home block with the fewest visits still to make (None if there is none)."""
    from clts.accounts.models import User

    if not case.home_block_id:
        return None
    return (
        User.objects.filter(role=Role.FIELD, is_active=True, block_id=case.home_block_id)
        .annotate(open_visits=Count("assigned_visits", filter=Q(assigned_visits__visited_on__isnull=True)))
        .order_by("open_visits", "pk")
        .first()
    )


@transaction.atomic
def visit_schedule_create(*, case: Case, restored_on: date, actor) -> list[Visit]:
    """The follow-up visits from the schedule steps (data), assigned to a field worker of the home block.

    Idempotent: visits already scheduled (by their number) are left as they are.
    """
    steps = VisitScheduleStep.schedule()
    existing = set(Visit.objects.filter(case=case).values_list("sequence", flat=True))
    assignee = visit_assignee_pick(case=case)
    visits = [
        Visit(
            case=case,
            sequence=sequence,
            due_on=queries.add_months(restored_on, months),
            assigned_to=assignee,
        )
        for sequence, months in enumerate(steps, start=1)
        if sequence not in existing
    ]
    Visit.objects.bulk_create(visits)
    return visits


@transaction.atomic
def visits_reassign(*, case: Case, assignee, actor) -> int:
    """Give the case's visits still to be made to another field worker of the home district."""
    access.require_writable(actor, case)
    if not queries.field_workers_for(case).filter(pk=assignee.pk).exists():
        raise ValidationError(_("Choose an active field worker of the child's home district."))
    return Visit.objects.filter(case=case, visited_on__isnull=True).update(assigned_to=assignee)


@transaction.atomic
def visit_record(
    *,
    visit: Visit,
    visited_on: date,
    found: str,
    living_with_family: bool | None,
    in_school: bool | None,
    attendance: str = "",
    working_again: bool | None,
    work_place: str = "",
    family_migrated: bool | None,
    health: str,
    scheme_access: str,
    notes: str = "",
    actor,
) -> Visit:
    """The answers of a visit, with the risk level computed from them. Working again or not found raises the case
    for the district officer's decision."""
    access.require_writable(actor, visit)
    visit = Visit.objects.select_for_update().select_related("case", "case__child").get(pk=visit.pk)
    if visit.is_recorded:
        raise ValidationError(_("This visit was already recorded."))
    if visit.case.status in queries.FINAL_STATUSES:
        raise ValidationError(
            _("The case is %(status)s: no visit can be recorded.") % {"status": visit.case.get_status_display()}
        )
    _not_future(visited_on, _("The visit date"))
    if visited_on < visit.case.rescued_on:
        raise ValidationError(_("The visit date cannot be before the rescue."))
    if found not in Found.values:
        raise ValidationError(_("Say whether the child was found."))
    if working_again and not work_place.strip():
        raise ValidationError(_("Say where the child is working."))
    if found == Found.NOT_FOUND:
        # Nothing about the child could be observed.
        living_with_family = in_school = working_again = None
        attendance = health = ""
    if not in_school:
        attendance = ""
    rule = RehabilitationRule.current()
    risk = visit_risk(
        found=found,
        living_with_family=living_with_family,
        in_school=in_school,
        attendance=attendance,
        working_again=working_again,
        family_migrated=family_migrated,
        health=health,
        scheme_access=scheme_access,
        school_age=queries.is_school_age(visit.case, visited_on, rule),
    )
    visit.visited_on = visited_on
    visit.found = found
    visit.living_with_family = living_with_family
    visit.in_school = in_school
    visit.attendance = attendance
    visit.working_again = working_again
    visit.work_place = work_place.strip() if working_again else ""
    visit.family_migrated = family_migrated
    visit.health = health
    visit.scheme_access = scheme_access
    visit.notes = notes.strip()
    visit.risk_level = risk.level
    visit.risk_reasons = risk.reasons
    visit.safe = risk.safe
    visit.needs_decision = risk.needs_decision
    visit.recorded_by = actor
    visit.recorded_at = timezone.now()
    visit.save()
    timeline.visit_recorded(visit, actor=actor)
    progress.status_follow(case=visit.case, actor=actor)
    return visit


@transaction.atomic
def visit_decide(*, visit: Visit, decision: str, reason: str, actor) -> Visit:
    """The district officer's decision on a visit that found the child working again or not found.

    Re-trafficked and lost contact move the case through rescue's workflow and cancel the visits still to be
    made; continue keeps the schedule.
    """
    access.require_writable(actor, visit)
    visit = Visit.objects.select_for_update().select_related("case").get(pk=visit.pk)
    if not visit.awaits_decision:
        raise ValidationError(_("This visit does not wait for a decision."))
    if decision not in Decision.values:
        raise ValidationError(_("Choose a decision."))
    if not reason.strip():
        raise ValidationError(_("Give the reason for the decision."))
    now = timezone.now()
    pending = Visit.objects.filter(case=visit.case).awaiting_decision()
    pending.update(decision=decision, decision_reason=reason.strip(), decided_by=actor, decided_at=now)
    visit.decision, visit.decision_reason = decision, reason.strip()
    timeline.visit_decided(visit, actor=actor)
    if decision in (Decision.RETRAFFICKED, Decision.LOST_CONTACT):
        to = Status.RETRAFFICKED if decision == Decision.RETRAFFICKED else Status.LOST_CONTACT
        _case_transition(case=visit.case, to=to, actor=actor, reason=reason.strip())
        Visit.objects.filter(case=visit.case, visited_on__isnull=True).delete()
    visit.refresh_from_db()
    return visit
