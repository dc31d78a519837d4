"""Pages of rehabilitation: thin views that fetch through access, validate a form, call one service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clts.accounts import access
from clts.audit.downloads import protected_file_response
from clts.audit.services import access_log_record
from clts.core.forms import submit
from clts.core.http import safe_next
from clts.core.keyset import format_cursor, parse_cursor
from clts.geo import queries as geo_queries
from clts.geo.models import District
from rehabilitation import forms, panels, queries, services
from rehabilitation.risk import reason_words
from rescue import queries as rescue_queries

# Packages --------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def package_list(request):
    user = request.user
    access.require(user, "package.view_list")
    districts = geo_queries.home_state_districts() if user.is_state_wide else District.objects.none()
    blocks = geo_queries.blocks_of(user.district_id)
    form = forms.PackageFilterForm(request.GET or None, districts=districts, blocks=blocks)
    filters = form.cleaned_data if form.is_valid() else {}
    page = queries.package_list(
        user=user,
        district=filters.get("district"),
        block=filters.get("block"),
        overdue_only=bool(filters.get("overdue")),
        after=filters.get("after") or "",
    )
    queries.attach_overdue_components(page.items)
    query = request.GET.copy()
    query.pop("after", None)
    return render(
        request,
        "rehabilitation/package_list.html",
        {
            "form": form,
            "page": page,
            "totals": queries.totals_for_user(user),
            "is_state_wide": user.is_state_wide,
            "summary_built_at": queries.figures_built_at() if user.is_state_wide else None,
            "querystring": query.urlencode(),
        },
    )


@login_required
@require_POST
def package_create(request, case_number: str):
    access.require(request.user, "package.create")
    case = rescue_queries.case_by_number(user=request.user, case_number=case_number, write=True)
    try:
        package = services.rehabilitation_start(case=case, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(safe_next(request, reverse("rehabilitation:case-rehabilitation", args=[case.case_number])))
    messages.success(request, _("The rehabilitation package is ready."))
    return redirect(safe_next(request, reverse("rehabilitation:package-detail", args=[package.pk])))


@login_required
@require_GET
def package_detail(request, pk: int):
    access.require(request.user, "package.view")
    package = queries.package_by_id(user=request.user, pk=pk, related=("case", "case__child"))
    access_log_record(user=request.user, obj=package, action="view", request=request, label=package.case.case_number)
    context = queries.package_page(package=package)
    context |= {
        "can_edit": access.can(request.user, "package.edit"),
        "can_verify": access.can(request.user, "package.verify"),
        "next": request.get_full_path(),
    }
    return render(request, "rehabilitation/package_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def component_add(request, pk: int):
    access.require(request.user, "package.edit")
    package = queries.package_by_id(user=request.user, pk=pk, write=True)
    form = forms.ComponentAddForm(request.POST or None)
    if submit(form, lambda data: services.component_add(package=package, actor=request.user, **data)):
        messages.success(request, _("The component was added."))
        return redirect("rehabilitation:package-detail", package.pk)
    return render(
        request,
        "rehabilitation/component_form.html",
        {"form": form, "package": package, "title": _("Add a component"), "multipart": False},
    )


def _component_step(action: str, form_class, service):
    """The view of one step of a component's workflow: the same page shape for sanction, disbursement, verification,
    waiver; the form class carries the page's words (forms.ComponentStepForm)."""

    def view(request, pk: int):
        access.require(request.user, action)
        component = queries.component_by_id(user=request.user, pk=pk, write=True)
        initial = {"amount": getattr(component, form_class.starts_from)} if form_class.starts_from else None
        form = form_class(request.POST or None, request.FILES or None, initial=initial)
        if submit(form, lambda data: service(component=component, actor=request.user, **data)):
            messages.success(request, form_class.done)
            return redirect(safe_next(request, reverse("rehabilitation:package-detail", args=[component.package_id])))
        context = {"form": form, "package": component.package, "component": component, "title": form_class.title}
        return render(request, "rehabilitation/component_form.html", context | {"multipart": form.is_multipart()})

    view.__name__ = view.__qualname__ = service.__name__
    return login_required(require_http_methods(["GET", "POST"])(view))


component_sanction = _component_step("package.edit", forms.ComponentSanctionForm, services.component_sanction)
component_disburse = _component_step("package.edit", forms.ComponentDisburseForm, services.component_disburse)
component_verify = _component_step("package.verify", forms.ComponentVerifyForm, services.component_verify)
component_waive = _component_step("package.edit", forms.ComponentWaiveForm, services.component_waive)


@login_required
@require_GET
def component_proof(request, pk: int, which: str):
    """A proof scan, served only through access (never from a public media URL), named by the case number."""
    access.require(request.user, "package.view")
    component = queries.component_by_id(user=request.user, pk=pk)
    files = {"sanction": component.sanction_proof, "disbursement": component.disbursement_proof}
    proof = files.get(which)
    if not proof:
        raise Http404
    case_number = component.package.case.case_number
    return protected_file_response(
        request=request,
        file=proof,
        obj=component,
        label=case_number,
        filename_stem=f"{case_number}-{component.pk}-{which}",
    )


# Education -------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_create(request, case_number: str):
    access.require(request.user, "enrolment.record")
    case = rescue_queries.case_by_number(user=request.user, case_number=case_number, write=True)
    form = forms.EnrolmentForm(request.POST or None)
    if submit(form, lambda data: services.enrolment_record(case=case, actor=request.user, **data)):
        messages.success(request, _("The enrolment was recorded."))
        return redirect(safe_next(request, reverse("rehabilitation:case-rehabilitation", args=[case.case_number])))
    return render(request, "rehabilitation/enrolment_form.html", {"form": form, "case": case})


# Visits ----------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def visit_list(request):
    access.require(request.user, "visit.view_list")
    after = parse_cursor(request.GET.get("after", ""))
    show_all = request.GET.get("all") == "1"
    visits, next_after = queries.visit_list(user=request.user, pending_only=not show_all, after=after)
    return render(
        request,
        "rehabilitation/visit_list.html",
        {
            "visits": visits,
            "groups": queries.visits_grouped(visits),
            "next_after": format_cursor(*next_after) if next_after else "",
            "show_all": show_all,
            "can_open_case": access.can(request.user, "case.view"),
        },
    )


@login_required
@require_GET
def visit_detail(request, pk: int):
    access.require(request.user, "visit.view")
    visit = queries.visit_by_id(user=request.user, pk=pk, related=("case", "assigned_to", "recorded_by", "decided_by"))
    access_log_record(user=request.user, obj=visit, action="view", request=request, label=visit.case.case_number)
    return render(
        request,
        "rehabilitation/visit_detail.html",
        {
            "visit": visit,
            "reasons": reason_words(visit.risk_reasons),
            "can_record": access.can(request.user, "visit.record") and not visit.is_recorded,
            "can_decide": access.can(request.user, "visit.decide") and visit.awaits_decision,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_record(request, pk: int):
    access.require(request.user, "visit.record")
    visit = queries.visit_by_id(user=request.user, pk=pk, write=True)
    if visit.is_recorded:
        messages.info(request, _("This visit was already recorded."))
        return redirect("rehabilitation:visit-detail", visit.pk)
    form = forms.VisitRecordForm(request.POST or None)
    if submitted := submit(form, lambda data: services.visit_record(visit=visit, actor=request.user, **data)):
        visit = submitted.result
        if visit.needs_decision:
            messages.warning(request, _("The visit is recorded and the case is raised for the district officer."))
        else:
            messages.success(request, _("The visit is recorded."))
        return redirect("rehabilitation:visit-detail", visit.pk)
    return render(request, "rehabilitation/visit_record.html", {"form": form, "visit": visit})


@login_required
@require_http_methods(["GET", "POST"])
def visit_decide(request, pk: int):
    access.require(request.user, "visit.decide")
    visit = queries.visit_by_id(user=request.user, pk=pk, write=True)
    form = forms.VisitDecisionForm(request.POST or None)
    if submit(form, lambda data: services.visit_decide(visit=visit, actor=request.user, **data)):
        messages.success(request, _("The decision was recorded."))
        return redirect(
            safe_next(request, reverse("rehabilitation:case-rehabilitation", args=[visit.case.case_number]))
        )
    return render(
        request,
        "rehabilitation/visit_decide.html",
        {"form": form, "visit": visit, "reasons": reason_words(visit.risk_reasons)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_assign(request, case_number: str):
    access.require(request.user, "visit.assign")
    case = rescue_queries.case_by_number(user=request.user, case_number=case_number, write=True)
    form = forms.VisitAssignForm(request.POST or None, workers=queries.field_workers_for(case))
    if submitted := submit(
        form, lambda data: services.visits_reassign(case=case, assignee=data["assignee"], actor=request.user)
    ):
        count = submitted.result
        messages.success(request, _("%(count)s visits were assigned.") % {"count": count})
        return redirect(safe_next(request, reverse("rehabilitation:case-rehabilitation", args=[case.case_number])))
    return render(request, "rehabilitation/visit_assign.html", {"form": form, "case": case})


# The case --------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def case_rehabilitation(request, case_number: str):
    """The case's rehabilitation as a full page (the same panel the case page shows)."""
    case = rescue_queries.case_by_number(user=request.user, case_number=case_number)
    panel = panels.case_panel(request=request, case=case)
    if panel is None:
        raise Http404
    access_log_record(user=request.user, obj=case, action="view", request=request, label=case.case_number)
    panel_html = render_to_string(panel["template"], panel["context"], request=request)
    return render(request, "rehabilitation/case_rehabilitation.html", {"case": case, "panel_html": panel_html})


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request, case_number: str):
    access.require(request.user, "package.close_case")
    case = rescue_queries.case_by_number(user=request.user, case_number=case_number, write=True)
    form = forms.CaseCloseForm(request.POST or None)
    missing = services.case_closure_check(case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(case=case, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            missing = error.messages
        else:
            messages.success(request, _("The case is closed as rehabilitated."))
            return redirect(safe_next(request, reverse("rehabilitation:case-rehabilitation", args=[case.case_number])))
    return render(request, "rehabilitation/case_close.html", {"form": form, "case": case, "missing": missing})
