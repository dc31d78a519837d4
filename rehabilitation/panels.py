"""The rehabilitation panel of the case page (settings.CASE_PAGE_PANELS)."""

from django.utils import timezone

from clts.accounts import access
from rehabilitation import forms, queries
from rehabilitation.models import Package, RehabilitationRule, Visit
from rehabilitation.risk import reason_words


def case_panel(*, request, case) -> dict | None:
    """The package, education and visit history of a case, with the flag and forms for the district officer.

    A field worker sees only the visits assigned to them; roles that may see neither packages nor visits (CWC,
    CCI, nodal officers) get no panel.
    """
    user = request.user
    sees_package = access.can(user, "package.view")
    if not sees_package and not access.can(user, "visit.view"):
        return None
    visits = list(Visit.objects.visible_to(user).filter(case=case).select_related("assigned_to").order_by("sequence"))
    today = timezone.localdate()
    next_pending = next((visit for visit in visits if not visit.is_recorded), None)
    for visit in visits:
        visit.reason_words = reason_words(visit.risk_reasons)
        # The visit due next, and any already due, can be recorded from the case page; later ones wait.
        visit.recordable = not visit.is_recorded and (visit is next_pending or visit.due_on <= today)
    context = {
        "case": case,
        "visits": visits,
        "flagged": [visit for visit in visits if visit.awaits_decision],
        "sees_package": sees_package,
        "next": request.get_full_path(),
        "today": today,
        "can_record_visit": access.can(user, "visit.record"),
    }
    if sees_package:
        context |= _package_context(user=user, case=case, visits=visits)
    return {"template": "rehabilitation/case_panel.html", "context": context}


def _package_context(*, user, case, visits: list[Visit]) -> dict:
    rule = RehabilitationRule.current()
    package = Package.objects.visible_to(user).filter(case=case).first()
    components = list(package.components.order_by("pk")) if package else []
    education = queries.education_for_case(case, rule=rule, components=components)
    can_close = access.can(user, "package.close_case")
    can_decide = access.can(user, "visit.decide")
    can_assign = access.can(user, "visit.assign")
    context = {
        "package": package,
        "components": components,
        "summary": queries.package_summary(components),
        "education": education,
        "rule": rule,
        "can_create": access.can(user, "package.create") and case.status not in queries.FINAL_STATUSES,
        "can_edit": access.can(user, "package.edit"),
        "can_verify": access.can(user, "package.verify"),
        "can_record_enrolment": access.can(user, "enrolment.record"),
        "can_close": can_close,
        "can_decide": can_decide,
        "can_assign": can_assign and any(not visit.is_recorded for visit in visits),
        "decision_form": forms.VisitDecisionForm() if can_decide else None,
    }
    if can_close and package is not None and case.status not in queries.FINAL_STATUSES:
        context["closure_missing"] = queries.closure_missing(
            package=package,
            components=components,
            education=education,
            recorded_visits=queries.recorded_visits_latest_first(visits),
            awaiting_decision=any(visit.awaits_decision for visit in visits),
            rule=rule,
        )
    return context
