"""What rehabilitation writes on the case's timeline: the package, money, education, visits and decisions.

Written through rescue's `case_event_record` as SystemText (English msgid and values), so each reader sees it in
their own language; amounts are kept as numbers, choice labels as their English words.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rehabilitation.choices import Decision, DisbursementMode, EnrolmentKind, RiskLevel
from rehabilitation.models import Component, Enrolment, Visit
from rescue import services as rescue_services
from rescue.models import CaseEvent

Kind = CaseEvent.Kind


def _record(case, kind: str, actor, text) -> None:
    rescue_services.case_event_record(case, kind=kind, actor=actor, at=timezone.now(), reason=text)


def _rupees(amount) -> str:
    return "—" if amount is None else f"₹{amount:,.0f}"


def package_made(package, *, actor, added: int) -> None:
    text = rescue_services.SystemText(
        _("Rehabilitation package made: %(count)s components, %(amount)s planned."),
        count=added,
        amount=_rupees(package.planned_total),
    )
    _record(package.case, Kind.PACKAGE, actor, text)


def component_sanctioned(component: Component, *, actor) -> None:
    text = rescue_services.SystemText(
        _("Sanctioned: %(component)s, %(amount)s (order %(order)s)."),
        component=component.name_en,
        component_hi=component.name_hi,
        amount=_rupees(component.sanctioned_amount),
        order=component.sanction_order_number,
    )
    _record(component.package.case, Kind.MONEY, actor, text)


def component_disbursed(component: Component, *, actor) -> None:
    values = {
        "component": component.name_en,
        "component_hi": component.name_hi,
        "amount": _rupees(component.disbursed_amount),
        "mode": DisbursementMode(component.disbursement_mode).label,
    }
    if component.disbursement_proof_held_at:
        text = rescue_services.SystemText(
            _("Disbursed: %(component)s, %(amount)s (%(mode)s); the proof is held on paper at %(office)s."),
            office=component.disbursement_proof_held_at,
            **values,
        )
    else:
        text = rescue_services.SystemText(_("Disbursed: %(component)s, %(amount)s (%(mode)s)."), **values)
    _record(component.package.case, Kind.MONEY, actor, text)


def component_waived(component: Component, *, actor) -> None:
    text = rescue_services.SystemText(
        _("Waived: %(component)s. %(reason)s"),
        component=component.name_en,
        component_hi=component.name_hi,
        reason=component.waived_reason,
    )
    _record(component.package.case, Kind.MONEY, actor, text)


def enrolment_recorded(enrolment: Enrolment, *, actor) -> None:
    text = rescue_services.SystemText(
        _("Enrolled: %(kind)s, %(place)s."),
        kind=EnrolmentKind(enrolment.kind).label,
        place=enrolment.institution_name,
    )
    _record(enrolment.case, Kind.ENROLMENT, actor, text)


def visit_recorded(visit: Visit, *, actor) -> None:
    text = rescue_services.SystemText(
        _("Visit %(number)s recorded (visited %(date)s): risk %(risk)s."),
        number=visit.sequence,
        date=visit.visited_on.isoformat(),
        risk=RiskLevel(visit.risk_level).label if visit.risk_level else "—",
    )
    _record(visit.case, Kind.VISIT, actor, text)


def visit_decided(visit: Visit, *, actor) -> None:
    text = rescue_services.SystemText(
        _("Decision on visit %(number)s: %(decision)s. %(reason)s"),
        number=visit.sequence,
        decision=Decision(visit.decision).label,
        reason=visit.decision_reason,
    )
    _record(visit.case, Kind.DECISION, actor, text)
