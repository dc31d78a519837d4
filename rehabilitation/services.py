"""Every write of rehabilitation: packages and their components, enrolments, visits, decisions and closure."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import connection, transaction
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.accounts.roles import Role
from rehabilitation import queries
from rehabilitation.models import (
    OPEN_STATUSES,
    Component,
    ComponentStatus,
    ComponentTemplate,
    Decision,
    DisbursementMode,
    DistrictMonthFigures,
    DueEvent,
    Enrolment,
    EnrolmentKind,
    Found,
    Package,
    RehabilitationRule,
    Visit,
    VisitScheduleStep,
)
from rehabilitation.risk import visit_risk
from rescue import services as rescue_services
from rescue.models import Case, Status

ZERO = Decimal("0")
MAX_PROOF_BYTES = 5 * 1024 * 1024


def _case_transition(*, case: Case, to: str, actor, reason: str) -> Case:
    """Move the case through rescue's workflow (its transition table decides what is allowed)."""
    return rescue_services.case_transition(case=case, to=to, actor=actor, reason=reason)


def _not_future(day: date | None, label: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError(_("%(what)s cannot be in the future.") % {"what": label})


def _check_proof(proof: File | None, label: str) -> None:
    if not proof:
        raise ValidationError(_("Attach %(what)s (PDF, JPG or PNG).") % {"what": label})
    if proof.size > MAX_PROOF_BYTES:
        raise ValidationError(_("The scan is larger than 5 MB."))


# Packages --------------------------------------------------------------------------------------------------------


def _due_on(template: ComponentTemplate, case: Case, restored_on: date | None) -> date | None:
    if template.due_days is None:
        return None
    start = case.rescued_on if template.due_event == DueEvent.RESCUE else restored_on
    return start + timedelta(days=template.due_days) if start else None


@transaction.atomic
def package_create_for_case(*, case: Case, actor) -> Package:
    """The case's package from the templates that apply to the child; idempotent (one package per case).

    Callable before restoration, for components due at rescue: components due after restoration are created too
    and get their due date when the case is restored (`case_restored`). Calling it again adds the components of
    templates added since and leaves existing ones alone.
    """
    case = Case.objects.select_for_update().select_related("child").get(pk=case.pk)
    if case.status in queries.FINAL_STATUSES:
        raise ValidationError(
            _("The case is %(status)s: no package can be created.") % {"status": case.get_status_display()}
        )
    package, _created = Package.objects.get_or_create(case=case, defaults={"created_by": actor})
    restored_on = queries.restoration_date(case)
    present = set(package.components.exclude(template=None).values_list("template_id", flat=True))
    new = [
        Component(
            package=package,
            template=template,
            name_en=template.name_en,
            name_hi=template.name_hi,
            kind=template.kind,
            department=template.department,
            source=template.source,
            planned_amount=template.amount,
            due_on=_due_on(template, case, restored_on),
        )
        for template in queries.templates_for_case(case)
        if template.pk not in present
    ]
    Component.objects.bulk_create(new)
    package_totals_refresh(package=package)
    return package


@transaction.atomic
def rehabilitation_start(*, case: Case, actor) -> Package:
    """The district officer starts rehabilitation: the package, and once the child is restored the visit schedule
    and the move to "under rehabilitation". Before restoration only the package (for components due at rescue)."""
    if queries.restoration_date(case) is None or case.status not in queries.RESTORED_STATUSES:
        return package_create_for_case(case=case, actor=actor)
    package = case_restored(case=case, actor=actor)
    if case.status == Status.RESTORED:
        _case_transition(
            case=case, to=Status.REHABILITATION, actor=actor, reason=_("The rehabilitation package was created.")
        )
    return package


@transaction.atomic
def case_restored(*, case: Case, actor, restored_on: date | None = None) -> Package:
    """What restoration starts: the package (with due dates from the restoration) and the visit schedule.

    For rescue's workflow to call after the case moves to "restored"; safe to call more than once.
    """
    restored_on = restored_on or queries.restoration_date(case) or timezone.localdate()
    package = package_create_for_case(case=case, actor=actor)
    for component in package.components.filter(due_on__isnull=True, template__isnull=False).select_related("template"):
        template = component.template
        if template.due_days is not None and template.due_event == DueEvent.RESTORATION:
            component.due_on = restored_on + timedelta(days=template.due_days)
            component.save(update_fields=["due_on", "updated_at"])
    visit_schedule_create(case=case, restored_on=restored_on, actor=actor)
    package_totals_refresh(package=package)
    return package


def package_totals_refresh(*, package: Package) -> Package:
    """Recompute the package's running totals from its components (one aggregate, one update)."""
    live = ~Q(status=ComponentStatus.WAIVED)
    totals = package.components.aggregate(
        planned=Sum("planned_amount", filter=live),
        sanctioned=Sum("sanctioned_amount", filter=live),
        disbursed=Sum("disbursed_amount", filter=live),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        first_due=Min("due_on", filter=Q(status__in=OPEN_STATUSES)),
    )
    package.planned_total = totals["planned"] or ZERO
    package.sanctioned_total = totals["sanctioned"] or ZERO
    package.disbursed_total = totals["disbursed"] or ZERO
    package.open_components = totals["open"]
    package.first_open_due_on = totals["first_due"]
    package.save(
        update_fields=["planned_total", "sanctioned_total", "disbursed_total", "open_components", "first_open_due_on"]
    )
    return package


def _locked(component: Component) -> Component:
    return Component.objects.select_for_update().select_related("package", "package__case").get(pk=component.pk)


def _follow_up_when_complete(*, package: Package, actor) -> None:
    """Once nothing of the package is left open, the case moves from rehabilitation to follow-up."""
    case = package.case
    if package.open_components == 0 and case.status == Status.REHABILITATION:
        _case_transition(
            case=case, to=Status.FOLLOW_UP, actor=actor, reason=_("Every component is disbursed or waived.")
        )


@transaction.atomic
def component_add(
    *,
    package: Package,
    name_en: str,
    name_hi: str = "",
    kind: str,
    department: str = "",
    planned_amount: Decimal | None,
    due_on: date | None,
    reason: str,
    actor,
) -> Component:
    """A component the templates did not give, added by the district officer with a reason."""
    if not reason.strip():
        raise ValidationError(_("Say why the component is added."))
    if planned_amount is not None and planned_amount < 0:
        raise ValidationError(_("An amount cannot be negative."))
    component = Component.objects.create(
        package=package,
        name_en=name_en.strip(),
        name_hi=name_hi.strip(),
        kind=kind,
        department=department.strip(),
        planned_amount=planned_amount,
        due_on=due_on,
        added_reason=reason.strip(),
        source=_("Added by %(officer)s") % {"officer": actor.get_full_name() or actor.username},
    )
    package_totals_refresh(package=package)
    return component


@transaction.atomic
def component_sanction(
    *,
    component: Component,
    order_number: str,
    sanctioned_on: date,
    amount: Decimal | None,
    proof: File | None,
    actor,
) -> Component:
    """planned -> sanctioned, with the order number, date, amount (empty for help in kind) and the order's scan."""
    component = _locked(component)
    if component.status != ComponentStatus.PLANNED:
        raise ValidationError(_("Only a planned component can be sanctioned."))
    if not order_number.strip():
        raise ValidationError(_("Enter the sanction order number."))
    _not_future(sanctioned_on, _("The sanction date"))
    if amount is not None and amount < 0:
        raise ValidationError(_("An amount cannot be negative."))
    _check_proof(proof, _("the sanction order"))
    component.status = ComponentStatus.SANCTIONED
    component.sanction_order_number = order_number.strip()
    component.sanctioned_on = sanctioned_on
    component.sanctioned_amount = amount
    component.sanctioned_by = actor
    component.sanction_proof = proof
    component.save()
    package_totals_refresh(package=component.package)
    return component


@transaction.atomic
def component_disburse(
    *,
    component: Component,
    disbursed_on: date,
    amount: Decimal | None,
    mode: str,
    reference: str = "",
    fd_maturity_on: date | None = None,
    proof: File | None,
    actor,
) -> Component:
    """sanctioned -> disbursed. An amount above the sanctioned amount is refused and nothing changes."""
    component = _locked(component)
    if component.status != ComponentStatus.SANCTIONED:
        raise ValidationError(_("Only a sanctioned component can be disbursed."))
    if mode not in DisbursementMode.values:
        raise ValidationError(_("Choose how it was disbursed."))
    _not_future(disbursed_on, _("The disbursement date"))
    if component.sanctioned_on and disbursed_on < component.sanctioned_on:
        raise ValidationError(_("The disbursement date cannot be before the sanction date."))
    if amount is None and mode != DisbursementMode.IN_KIND:
        raise ValidationError(_("Enter the amount disbursed."))
    if amount is not None:
        if amount < 0:
            raise ValidationError(_("An amount cannot be negative."))
        if component.sanctioned_amount is None:
            raise ValidationError(_("No amount was sanctioned: record a disbursement in kind, or sanction an amount."))
        if amount > component.sanctioned_amount:
            raise ValidationError(
                _("Rs %(amount)s is more than the Rs %(sanctioned)s sanctioned: the disbursement is refused.")
                % {"amount": amount, "sanctioned": component.sanctioned_amount}
            )
    if mode == DisbursementMode.FIXED_DEPOSIT:
        if not fd_maturity_on:
            raise ValidationError(_("Enter the fixed deposit's maturity date."))
        if fd_maturity_on <= disbursed_on:
            raise ValidationError(_("The maturity date must be after the deposit date."))
    elif fd_maturity_on:
        raise ValidationError(_("A maturity date is only for a fixed deposit."))
    _check_proof(proof, _("the proof of disbursement"))
    component.status = ComponentStatus.DISBURSED
    component.disbursed_on = disbursed_on
    component.disbursed_amount = amount
    component.disbursement_mode = mode
    component.disbursement_reference = reference.strip()
    component.fd_maturity_on = fd_maturity_on
    component.disbursement_proof = proof
    component.disbursed_by = actor
    component.save()
    package_totals_refresh(package=component.package)
    _follow_up_when_complete(package=component.package, actor=actor)
    return component


@transaction.atomic
def component_verify(*, component: Component, verified_on: date, note: str, actor) -> Component:
    """disbursed -> verified: someone checked that the money or help reached the child or family."""
    component = _locked(component)
    if component.status != ComponentStatus.DISBURSED:
        raise ValidationError(_("Only a disbursed component can be verified."))
    _not_future(verified_on, _("The verification date"))
    if component.disbursed_on and verified_on < component.disbursed_on:
        raise ValidationError(_("The verification date cannot be before the disbursement."))
    if not note.strip():
        raise ValidationError(_("Say how it was verified."))
    component.status = ComponentStatus.VERIFIED
    component.verified_on = verified_on
    component.verified_by = actor
    component.verification_note = note.strip()
    component.save()
    return component


@transaction.atomic
def component_waive(*, component: Component, reason: str, actor) -> Component:
    """A planned or sanctioned component that will not be given, with the district officer's reason."""
    component = _locked(component)
    if component.status not in OPEN_STATUSES:
        raise ValidationError(_("Only a planned or sanctioned component can be waived."))
    if not reason.strip():
        raise ValidationError(_("Say why the component is waived."))
    component.status = ComponentStatus.WAIVED
    component.waived_reason = reason.strip()
    component.waived_on = timezone.localdate()
    component.waived_by = actor
    component.save()
    package_totals_refresh(package=component.package)
    _follow_up_when_complete(package=component.package, actor=actor)
    return component


# Education -------------------------------------------------------------------------------------------------------


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
    return enrolment


# Visits ----------------------------------------------------------------------------------------------------------


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
    return visit


@transaction.atomic
def visit_decide(*, visit: Visit, decision: str, reason: str, actor) -> Visit:
    """The district officer's decision on a visit that found the child working again or not found.

    Re-trafficked and lost contact move the case through rescue's workflow and cancel the visits still to be
    made; continue keeps the schedule.
    """
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
    if decision in (Decision.RETRAFFICKED, Decision.LOST_CONTACT):
        to = Status.RETRAFFICKED if decision == Decision.RETRAFFICKED else Status.LOST_CONTACT
        _case_transition(case=visit.case, to=to, actor=actor, reason=reason.strip())
        Visit.objects.filter(case=visit.case, visited_on__isnull=True).delete()
    visit.refresh_from_db()
    return visit


# Closure ---------------------------------------------------------------------------------------------------------


def case_closure_check(*, case: Case) -> list[str]:
    """What still stands between the case and closure as rehabilitated (translated; empty when it may close)."""
    return queries.closure_check(case=case)


@transaction.atomic
def case_close(*, case: Case, actor, reason: str = "") -> Case:
    """Close the case as rehabilitated through rescue's workflow, only when nothing is missing."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    missing = case_closure_check(case=case)
    if missing:
        raise ValidationError(missing)
    if case.status == Status.REHABILITATION:
        case = _case_transition(
            case=case, to=Status.FOLLOW_UP, actor=actor, reason=_("Every component is disbursed or waived.")
        )
    return _case_transition(
        case=case, to=Status.CLOSED, actor=actor, reason=reason.strip() or _("Rehabilitation complete.")
    )


# Figures ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def figures_refresh(*, today: date | None = None) -> int:
    """Rebuild the district-and-month figures from the components in one set-based statement."""
    table = DistrictMonthFigures._meta.db_table
    columns = ", ".join(queries.FIGURE_COLUMNS)
    with connection.cursor() as cursor:
        # A second refresh running at the same time waits here, then rebuilds from what the first one wrote;
        # readers are never blocked and see the old figures until the new ones are committed.
        cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (table name from the model, no user input)
        cursor.execute(
            f"INSERT INTO {table} (district_id, month, {columns}, refreshed_at) "  # noqa: S608
            f"SELECT district_id, month, {columns}, %(now)s FROM ({queries.figures_sql()}) f",
            {"today": today or timezone.localdate(), "now": timezone.now()},
        )
        return cursor.rowcount


# Seed data -------------------------------------------------------------------------------------------------------

TEMPLATES_FILE = Path(__file__).resolve().parent / "data" / "component_templates_bihar.json"
_TEMPLATE_FIELDS = (
    "name_en",
    "name_hi",
    "kind",
    "department",
    "amount",
    "applies_to",
    "due_event",
    "due_days",
    "source",
    "source_url",
    "effective_from",
    "position",
)


@transaction.atomic
def templates_seed(*, path: Path = TEMPLATES_FILE, update: bool = False) -> tuple[int, int]:
    """Load component templates from a data file: new codes are added; existing ones are left as the admin
    edited them unless `update` is asked for. Returns (created, updated). All or nothing."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    created = updated = 0
    for row in data["templates"]:
        values = {name: row.get(name) for name in _TEMPLATE_FIELDS if name in row}
        values["amount"] = Decimal(values["amount"]) if values.get("amount") is not None else None
        for text in ("name_hi", "source_url"):
            values[text] = values.get(text) or ""
        template = ComponentTemplate.objects.filter(code=row["code"]).first()
        if template and not update:
            continue
        template = template or ComponentTemplate(code=row["code"])
        for name, value in values.items():
            setattr(template, name, value)
        template.full_clean()
        if template.pk:
            updated += 1
        else:
            created += 1
        template.save()
    return created, updated
