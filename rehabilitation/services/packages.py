"""The package per case: built from the component templates at restoration, then each component
added, sanctioned, disbursed (with proof), verified or waived."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clts.accounts import access
from rehabilitation import progress, queries, timeline
from rehabilitation.models import (
    OPEN_STATUSES,
    Component,
    ComponentStatus,
    ComponentTemplate,
    DisbursementMode,
    DueEvent,
    Package,
)
from rehabilitation.services.common import ZERO, _case_transition, _check_proof, _not_future
from rehabilitation.services.visits import visit_schedule_create
from rescue.models import Case, Status


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
    if _created:
        timeline.package_made(package, actor=actor, added=len(new))
    return package


@transaction.atomic
def rehabilitation_start(*, case: Case, actor) -> Package:
    """The district officer starts rehabilitation: the package, and once the child is restored the visit schedule
    and the move to "under rehabilitation". Before restoration only the package (for components due at rescue)."""
    access.require_writable(actor, case)
    if queries.restoration_date(case) is None or case.status not in queries.RESTORED_STATUSES:
        return package_create_for_case(case=case, actor=actor)
    package = case_restored(case=case, actor=actor)
    if case.status == Status.RESTORED:
        _case_transition(
            case=case,
            to=Status.REHABILITATION,
            actor=actor,
            reason=gettext_lazy("The rehabilitation package was created."),
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
    progress.status_follow(case=case, actor=actor)
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
    access.require_writable(actor, package)
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


def _step_saved(component: Component, *, actor, event, totals: bool = True) -> Component:
    """A component's step is saved, then what follows it: the package's totals (unless the amounts are untouched),
    the step on the case's timeline (`event`), and the case's status."""
    component.save()
    if totals:
        package_totals_refresh(package=component.package)
    if event is not None:
        event(component, actor=actor)
    progress.status_follow(case=component.package.case, actor=actor)
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
    access.require_writable(actor, component)
    component = _locked(component)
    if component.status != ComponentStatus.PLANNED:
        raise ValidationError(_("Only a planned component can be sanctioned."))
    if not order_number.strip():
        raise ValidationError(_("Enter the sanction order number."))
    _not_future(sanctioned_on, _("The sanction date"))
    if amount is not None and amount < 0:
        raise ValidationError(_("An amount cannot be negative."))
    proof = _check_proof(proof, _("the sanction order"))
    component.status = ComponentStatus.SANCTIONED
    component.sanction_order_number = order_number.strip()
    component.sanctioned_on = sanctioned_on
    component.sanctioned_amount = amount
    component.sanctioned_by = actor
    component.sanction_proof = proof
    return _step_saved(component, actor=actor, event=timeline.component_sanctioned)


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
    proof_held_at: str = "",
    actor,
) -> Component:
    """sanctioned -> disbursed. An amount above the sanctioned amount is refused and nothing changes.

    The proof is a scan (`proof`), as the portal's form asks. A disbursement brought from a legacy register whose
    proof exists on paper only names instead the office that holds the paper (`proof_held_at`): kept on the
    component, written on the case's timeline, and in the audit trail like every change. Every other rule is the
    same; the errors name the field they are about.
    """
    access.require_writable(actor, component)
    component = _locked(component)
    if component.status != ComponentStatus.SANCTIONED:
        raise ValidationError(_("Only a sanctioned component can be disbursed."))
    if mode not in DisbursementMode.values:
        raise ValidationError({"mode": _("Choose how it was disbursed.")})
    _not_future(disbursed_on, _("The disbursement date"), field="disbursed_on")
    if component.sanctioned_on and disbursed_on < component.sanctioned_on:
        raise ValidationError({"disbursed_on": _("The disbursement date cannot be before the sanction date.")})
    if amount is None and mode != DisbursementMode.IN_KIND:
        raise ValidationError({"amount": _("Enter the amount disbursed.")})
    if amount is not None:
        if amount < 0:
            raise ValidationError({"amount": _("An amount cannot be negative.")})
        if component.sanctioned_amount is None:
            raise ValidationError(
                {"amount": _("No amount was sanctioned: record a disbursement in kind, or sanction an amount.")}
            )
        if amount > component.sanctioned_amount:
            message = _("Rs %(amount)s is more than the Rs %(sanctioned)s sanctioned: the disbursement is refused.")
            raise ValidationError({"amount": message % {"amount": amount, "sanctioned": component.sanctioned_amount}})
    if mode == DisbursementMode.FIXED_DEPOSIT:
        if not fd_maturity_on:
            raise ValidationError({"fd_maturity_on": _("Enter the fixed deposit's maturity date.")})
        if fd_maturity_on <= disbursed_on:
            raise ValidationError({"fd_maturity_on": _("The maturity date must be after the deposit date.")})
    elif fd_maturity_on:
        raise ValidationError({"fd_maturity_on": _("A maturity date is only for a fixed deposit.")})
    proof_held_at = (proof_held_at or "").strip()
    if proof and proof_held_at:
        raise ValidationError({"proof": _("Attach the scan or name the office holding the paper proof, not both.")})
    if not proof_held_at:
        try:
            proof = _check_proof(proof, _("the proof of disbursement"))
        except ValidationError as error:
            raise ValidationError({"proof": error.messages}) from None
    component.status = ComponentStatus.DISBURSED
    component.disbursed_on = disbursed_on
    component.disbursed_amount = amount
    component.disbursement_mode = mode
    component.disbursement_reference = reference.strip()
    component.fd_maturity_on = fd_maturity_on
    component.disbursement_proof = proof or ""
    component.disbursement_proof_held_at = proof_held_at
    component.disbursed_by = actor
    return _step_saved(component, actor=actor, event=timeline.component_disbursed)


@transaction.atomic
def component_verify(*, component: Component, verified_on: date, note: str, actor) -> Component:
    """disbursed -> verified: someone checked that the money or help reached the child or family."""
    access.require_writable(actor, component)
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
    return _step_saved(component, actor=actor, event=None, totals=False)


@transaction.atomic
def component_waive(*, component: Component, reason: str, actor) -> Component:
    """A planned or sanctioned component that will not be given, with the district officer's reason."""
    access.require_writable(actor, component)
    component = _locked(component)
    if component.status not in OPEN_STATUSES:
        raise ValidationError(_("Only a planned or sanctioned component can be waived."))
    if not reason.strip():
        raise ValidationError(_("Say why the component is waived."))
    component.status = ComponentStatus.WAIVED
    component.waived_reason = reason.strip()
    component.waived_on = timezone.localdate()
    component.waived_by = actor
    return _step_saved(component, actor=actor, event=timeline.component_waived)
