"""Pages of the rescue app: registration, the case list and page, and the workflow's forms."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clts.accounts import access
from clts.audit.downloads import protected_file_response
from clts.audit.services import access_log_record
from clts.core.forms import add_service_errors
from clts.core.hooks import hook_functions
from clts.geo import queries as geo_queries
from rescue import matching, queries, services
from rescue.forms import (
    AcknowledgeForm,
    CaseFilterForm,
    ChildFormSet,
    DistrictTransferForm,
    RescueForm,
    TransferStepForm,
    TransitionForm,
    apply_service_errors,
)
from rescue.models import Status, TransferKind


def _home_or_none():
    try:
        return queries.home_state()
    except ValidationError:
        return None


# --- Registration ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rescue_create(request):
    access.require(request.user, "rescue.register")
    home = queries.home_state()
    data = request.POST if request.method == "POST" else None
    form = RescueForm(data, prefix="rescue", home=home)
    children = ChildFormSet(data, request.FILES or None, prefix="children", form_kwargs={"home": home})
    if data is not None and form.is_valid() and children.is_valid():
        try:
            rescue = services.rescue_register(
                actor=request.user,
                rescue_data=form.service_data(),
                children_data=[child.service_data() for child in children.children()],
            )
        except ValidationError as error:
            apply_service_errors(error, form, children)
        else:
            messages.success(request, _("The rescue is registered. Each child has a case number below."))
            return redirect("rescue:rescue-detail", pk=rescue.pk)
    rows = [(child, _candidates_of(child, request.user)) for child in children.forms]
    return render(request, "rescue/rescue_form.html", {"form": form, "children": children, "rows": rows})


def _candidates_of(child_form, user) -> list[matching.Candidate]:
    """Earlier records for a row sent back with errors, so the officer's choice among them is kept."""
    if not child_form.is_bound or not child_form.data.get(child_form.add_prefix("name")):
        return []
    return matching.find_candidates(particulars=_particulars(child_form.data, child_form.prefix), user=user)


def _particulars(data, prefix: str) -> matching.Particulars:
    def value(name: str) -> str:
        return (data.get(f"{prefix}-{name}") or "").strip()

    age = value("age_years")
    district = value("home_district")
    aadhaar = value("aadhaar").replace(" ", "")
    return matching.Particulars(
        name=value("name"),
        alias=value("alias"),
        father_name=value("father_name"),
        mother_name=value("mother_name"),
        guardian_name=value("guardian_name"),
        village=value("home_village_text"),
        sex=value("sex"),
        age=int(age) if age.isdigit() else None,
        home_district_id=int(district) if district.isdigit() else None,
        aadhaar_hash=matching.aadhaar_hash(aadhaar) if len(aadhaar) == 12 and aadhaar.isdigit() else "",
    )


@login_required
@require_GET
def child_matches(request):
    """htmx: earlier records that may be the child being typed into one row of the registration form."""
    access.require(request.user, "rescue.register")
    prefix = request.GET.get("prefix", "")
    if not prefix.startswith("children-"):
        prefix = "children-0"
    candidates = matching.find_candidates(particulars=_particulars(request.GET, prefix), user=request.user)
    chosen = request.GET.get(f"{prefix}-match", "")
    return render(request, "rescue/child_matches.html", {"candidates": candidates, "prefix": prefix, "chosen": chosen})


@login_required
@require_GET
def block_options(request):
    """htmx: the <option>s of the blocks of one district (geography only, no personal data)."""
    access.require(request.user, "portal.view")
    district = request.GET.get(request.GET.get("from", "district"), "")
    blocks = geo_queries.blocks_of(district)
    return render(request, "rescue/block_options.html", {"blocks": blocks})


@login_required
@require_GET
def rescue_detail(request, pk: int):
    access.require(request.user, "case.view")
    rescue = queries.rescue_by_id(user=request.user, pk=pk)
    cases = queries.cases_of_rescue(user=request.user, rescue=rescue)
    access_log_record(user=request.user, obj=rescue, action="view", request=request, label=f"rescue {rescue.pk}")
    return render(request, "rescue/rescue_detail.html", {"rescue": rescue, "cases": cases})


# --- The case list and the case page -----------------------------------------------------------------------


@login_required
@require_GET
def case_list(request):
    access.require(request.user, "case.view_list")
    form = CaseFilterForm(request.GET or None, home=_home_or_none())
    filters = queries.CaseFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = queries.CaseFilters(**{name: data[name] for name in queries.CaseFilters.__dataclass_fields__})
    page = queries.case_list(
        user=request.user, filters=filters, after=request.GET.get("after", ""), before=request.GET.get("before", "")
    )
    params = request.GET.copy()
    for name in ("after", "before"):
        params.pop(name, None)
    context = {
        "form": form,
        "page": page,
        "base_query": params.urlencode(),
        "awaiting": queries.transfers_awaiting(user=request.user).count()
        if access.can(request.user, "case.acknowledge_transfer")
        else 0,
    }
    return render(request, "rescue/case_list.html", context)


@login_required
@require_GET
def case_detail(request, case_number: str):
    access.require(request.user, "case.view")
    case = queries.case_for_page(user=request.user, case_number=case_number)
    access_log_record(user=request.user, obj=case, action="view", request=request, label=case.case_number)
    user = request.user
    transfers = queries.transfers_of(case=case)
    context = {
        "case": case,
        "events": queries.timeline(case=case),
        "transfers": transfers,
        "later_cases": queries.later_cases(user=user, case=case),
        **_panels(request, case),
        "moves": _form_moves(case, user),
        "can_transfer": access.can(user, "case.transfer")
        and case.status in services.OPEN_STATUSES
        and case.interstate == "none",
        "can_step": access.can(user, "case.transfer"),
        "can_acknowledge": access.can(user, "case.acknowledge_transfer"),
    }
    return render(request, "rescue/case_detail.html", context)


@login_required
@require_GET
def child_photo(request, case_number: str):
    """The child's photo, shown on the case page; served only through access, never from a public media URL."""
    access.require(request.user, "case.view")
    case = queries.case_for_page(user=request.user, case_number=case_number)
    return protected_file_response(
        request=request,
        file=case.child.photo,
        obj=case.child,
        label=case.case_number,
        filename_stem=f"{case.case_number}-photo",
        inline=True,
    )


def _panels(request, case) -> dict[str, list[str]]:
    """Sections and action buttons other apps add to the case page (settings.CASE_PAGE_PANELS), rendered.

    Every hook is imported at start-up by a system check (clts.hooks), so a broken one stops the portal there
    instead of vanishing from the page.
    """
    panels, actions = [], []
    for panel_function in hook_functions("CASE_PAGE_PANELS"):
        panel = panel_function(request=request, case=case)
        if panel:
            context = {"case": case, **panel.get("context", {})}
            panels.append(render_to_string(panel["template"], context, request=request))
            if panel.get("actions_template"):
                actions.append(render_to_string(panel["actions_template"], context, request=request))
    return {"panels": panels, "panel_actions": actions}


# Moves made on their own forms: production and orders by the CWC, closure by the rehabilitation checks,
# transfer out of the state by the handover.
_MOVES_ELSEWHERE = {Status.PRODUCED, Status.IN_SHELTER, Status.RESTORED, Status.CLOSED, Status.TRANSFERRED_OUT}


def _form_moves(case, user) -> list[str]:
    return [move for move in services.allowed_moves(case=case, user=user) if move not in _MOVES_ELSEWHERE]


# --- Workflow forms -------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_transition(request, case_number: str):
    access.require(request.user, "case.transition")
    case = queries.case_for_page(user=request.user, case_number=case_number)
    form = TransitionForm(request.POST or None, moves=_form_moves(case, request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_transition(
                case=case, to=data["to"], actor=request.user, reason=data["reason"], at=data["at"] or None
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The status is changed."))
            return redirect("rescue:case-detail", case_number=case.case_number)
    return render(request, "rescue/case_transition.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def case_transfer(request, case_number: str):
    access.require(request.user, "case.transfer")
    case = queries.case_for_page(user=request.user, case_number=case_number)
    form = DistrictTransferForm(request.POST or None, home=queries.home_state())
    if request.method == "POST" and form.is_valid():
        try:
            services.case_transfer_to_district(case=case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case is sent to the home district; it must acknowledge receipt."))
            return redirect("rescue:case-detail", case_number=case.case_number)
    return render(request, "rescue/case_transfer.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def transfer_step(request, case_number: str, pk: int):
    access.require(request.user, "case.transfer")
    transfer = queries.transfer_of_case(user=request.user, case_number=case_number, pk=pk)
    form = TransferStepForm(request.POST or None, steps=transfer.next_steps, home=queries.home_state())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.transfer_record_step(
                transfer=transfer, actor=request.user, step=data.pop("step"), at=data.pop("at") or None, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The step is recorded."))
            return redirect("rescue:case-detail", case_number=case_number)
    return render(request, "rescue/transfer_step.html", {"transfer": transfer, "case": transfer.case, "form": form})


@login_required
@require_POST
def transfer_acknowledge(request, case_number: str, pk: int):
    access.require(request.user, "case.acknowledge_transfer")
    transfer = queries.transfer_of_case(user=request.user, case_number=case_number, pk=pk)
    form = AcknowledgeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.transfer_acknowledge(transfer=transfer, actor=request.user, note=note)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Receipt of the case is acknowledged."))
    return redirect("rescue:case-detail", case_number=case_number)


@login_required
@require_GET
def transfer_list(request):
    access.require(request.user, "case.view_list")
    awaiting = list(queries.transfers_awaiting(user=request.user)[:200])
    in_progress = list(queries.movements_in_progress(user=request.user)[:200])
    context = {
        "awaiting": awaiting,
        "in_progress": in_progress,
        "can_acknowledge": access.can(request.user, "case.acknowledge_transfer"),
        "today": timezone.localdate(),
        "kinds": TransferKind,
    }
    return render(request, "rescue/transfer_list.html", context)
